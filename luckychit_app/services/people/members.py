"""Seats in a group: the foreman adds members (creating their accounts), members ask to join by
invite code, and the foreman moves tickets between pending, active, suspended and removed.

A branch manager or clerk (access.PERMISSIONS "members") may also add members to, and decide join
requests of, the groups of their own branch (issue 23); moving a ticket to suspended or removed stays
the owner's decision, since the owner is the foreman who answers for the chit agreement (Chit Funds
Act 1982 s.2(j)), whoever of the staff acts."""

from __future__ import annotations

from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.domain.money import format_inr
from luckychit_app.locales import supported
from luckychit_app.models import ChitGroup, JoinRequest, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import (
    Actor,
    group_for_foreman,
    group_for_staff,
    require_id,
    require_role,
    require_staff,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.groups.terms import SEATED, seats_taken
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.people.auth import create_user, hash_password, prove_signup_code
from luckychit_app.services.people.branch_members import clean_address
from luckychit_app.services.validation import clean_mobile, clean_name, clean_password, clean_text
from luckychit_app.settings import public_url_for

# (from, to) moves a foreman may make; removal keeps every row, so history stays intact.
TRANSITIONS = {
    ("pending", "active"),
    ("active", "suspended"),
    ("suspended", "active"),
    ("pending", "removed"),
    ("active", "removed"),
    ("suspended", "removed"),
}


def _free_ticket_no(session: Session, group: ChitGroup) -> int:
    taken = set(
        session.exec(
            select(Ticket.ticket_no).where(Ticket.group_id == group.id, Ticket.status.in_(SEATED))
        ).all()
    )
    used = set(session.exec(select(Ticket.ticket_no).where(Ticket.group_id == group.id)).all())
    for number in range(1, group.tickets + 1):
        if number not in taken and number not in used:
            return number
    # Numbers of removed tickets stay with their history; a new seat takes the next number.
    return max(used) + 1


def _group_for_members(session: Session, actor: Actor | None, group_id: object) -> ChitGroup:
    """The group, if the actor may seat members in it: its owner or the platform admin exactly as
    before, or staff of its branch whose role holds "members"."""
    if actor is not None and actor.role in ("foreman", "admin"):
        return group_for_foreman(session, actor, group_id)
    return group_for_staff(session, actor, group_id, "members")


def _seat(session: Session, group: ChitGroup, user: User, status: str) -> Ticket:
    if group.status != "forming":
        raise ServiceError("Members can join only while the group is forming.")
    if seats_taken(session, group.id) >= group.tickets:
        raise ServiceError(f"All {group.tickets} tickets of this group are taken.")
    ticket = Ticket(
        group_id=group.id, ticket_no=_free_ticket_no(session, group), member_id=user.id, status=status
    )
    session.add(ticket)
    session.flush()
    return ticket


def add_member(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    name: object,
    mobile: object,
    language: object = "en",
    address: object = "",
) -> tuple[Ticket, str | None]:
    """Seats a member, creating the account when the mobile is new. Returns the ticket and the
    one-time password to hand over (None when the member already had an account).

    `address` (where a collection agent finds them) is stored on a new account only: an existing
    member's address is changed through `branch_members.set_member_address`, which audits the old
    and the new one."""
    group = _group_for_members(session, actor, group_id)
    clean = clean_name(name)
    number = clean_mobile(mobile)
    place = clean_address(address)
    lang = supported(language)
    user = session.exec(select(User).where(User.mobile == number)).first()
    temp: str | None = None
    if user is None:
        user, temp = create_user(
            session, name=clean, mobile=number, role="member", created_by_id=actor.user_id, language=lang
        )
        if place:
            user.address = place
            session.add(user)
    elif user.role != "member":
        raise ServiceError("This mobile number belongs to a foreman, staff or admin account.", "mobile")
    ticket = _seat(session, group, user, "active")
    audit.record(
        session,
        actor_id=actor.user_id,
        action="member.added",
        object_type="ticket",
        object_id=ticket.id,
        detail={
            "group_id": group.id,
            "ticket_no": ticket.ticket_no,
            "user_id": user.id,
            "new_account": temp is not None,
        },
    )
    notify(
        session,
        [user.id],
        kind="joined",
        title=f"You joined {group.name}",
        body=f"Ticket {ticket.ticket_no}",
        link="/m",
        title_key="notify.joined",
        body_key="common.ticket_n",
        values={"group": group.name, "n": ticket.ticket_no},
    )
    return ticket, temp


def group_by_invite(session: Session, code: object) -> ChitGroup:
    if not isinstance(code, str) or not 4 <= len(code) <= 16:
        raise ServiceError("That invite link is not valid.", "code")
    group = session.exec(select(ChitGroup).where(ChitGroup.invite_code == code)).first()
    if group is None or group.status != "forming":
        raise ServiceError("That invite link is not valid or the group is no longer taking members.", "code")
    return group


def request_to_join(
    session: Session, *, actor: Actor | None, code: object, message: object = ""
) -> JoinRequest:
    actor = require_role(actor, "member")
    group = group_by_invite(session, code)
    note = clean_text(message or "-", field="message", label="Message", max_len=200)
    pending = session.exec(
        select(JoinRequest.id).where(
            JoinRequest.group_id == group.id,
            JoinRequest.user_id == actor.user_id,
            JoinRequest.status == "pending",
        )
    ).first()
    if pending is not None:
        raise ServiceError("You have already asked to join this group.")
    request = JoinRequest(group_id=group.id, user_id=actor.user_id, message=note)
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="join.requested",
        object_type="join_request",
        object_id=request.id,
        detail={"group_id": group.id},
    )
    notify(
        session,
        [group.foreman_id],
        kind="join_request",
        title=f"{actor.name} asked to join {group.name}",
        link=f"/f/groups/{group.id}",
    )
    return request


def sign_up_member(
    session: Session,
    *,
    code: object,
    name: object,
    mobile: object,
    mobile_code: object,
    password: object,
) -> tuple[User, JoinRequest]:
    """A new member arriving by invite link creates an account and a join request in one step, for
    the number the sign-up code `mobile_code` was sent to (auth.request_signup_code)."""
    group = group_by_invite(session, code)
    clean, pw = clean_name(name), clean_password(password)
    number = prove_signup_code(session, mobile=mobile, code=mobile_code)
    user = User(mobile=number, name=clean, role="member", password_hash=hash_password(pw))
    session.add(user)
    session.flush()
    request = request_to_join(session, actor=Actor(user.id, "member", clean), code=group.invite_code)
    return user, request


def decide_join_request(
    session: Session, *, actor: Actor | None, request_id: object, approve: object
) -> JoinRequest:
    """Approve (seat the member) or reject a pending request: the owner, or branch staff whose role
    holds "members" for a group of their branch."""
    if actor is None or actor.role not in ("foreman", "admin"):
        actor = require_staff(actor, "members")
    request = session.get(JoinRequest, require_id(request_id, "request"))
    if request is None:
        raise NotAllowed()
    group = _group_for_members(session, actor, request.group_id)
    if not isinstance(approve, bool):
        raise ServiceError("Invalid decision.")
    if request.status != "pending":
        raise ServiceError("This request has already been decided.")
    request.status = "approved" if approve else "rejected"
    request.decided_at, request.decided_by_id = utcnow(), actor.user_id
    session.add(request)
    detail: dict = {"group_id": group.id}
    if approve:
        user = session.get(User, request.user_id)
        ticket = _seat(session, group, user, "active")
        detail["ticket_id"] = ticket.id
    audit.record(
        session,
        actor_id=actor.user_id,
        action=f"join.{request.status}",
        object_type="join_request",
        object_id=request.id,
        detail=detail,
    )
    notify(
        session,
        [request.user_id],
        kind="join_decided",
        title=f"Your request to join {group.name} was {request.status}",
        link="/m",
        title_key="notify.join_approved" if request.status == "approved" else "notify.join_rejected",
        values={"group": group.name},
    )
    return request


def set_ticket_status(
    session: Session, *, actor: Actor | None, ticket_id: object, status: object, reason: object = ""
) -> Ticket:
    actor = require_role(actor, "foreman", "admin")
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    refuse_if_locked(group)  # a closed or cancelled group's tickets keep their status (issue 15)
    # `status` comes from the browser: a list or dict must be refused, not crash the set lookup.
    if not isinstance(status, str) or (ticket.status, status) not in TRANSITIONS:
        target = status if isinstance(status, str) and len(status) <= 20 else "that"
        raise ServiceError(f"A {ticket.status} ticket cannot become {target}.", "status")
    why = (
        clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
        if status in ("suspended", "removed")
        else clean_text(reason or "-", field="reason", label="Reason", max_len=200)
    )
    if status == "removed" and ticket.prized_month is not None:
        raise ServiceError("A prized ticket cannot be removed; it keeps paying until the end.")
    if status == "removed" and group.status != "forming":
        # Every month's pot is N installments and every settlement covers all N tickets, so a
        # running group cannot lose a seat: removing one would leave no draw able to settle.
        raise ServiceError(
            "Once a group has started its tickets cannot be removed; suspend it instead.", "status"
        )
    before = ticket.status
    ticket.status, ticket.status_reason = status, why
    session.add(ticket)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="ticket.status",
        object_type="ticket",
        object_id=ticket.id,
        detail={"from": before, "to": status, "reason": why},
    )
    notify(
        session,
        [ticket.member_id],
        kind="ticket_status",
        title=f"Your ticket {ticket.ticket_no} is now {status}",
        body=why,
        title_key="notify.ticket_status",
        values={"n": ticket.ticket_no, "status": status},  # a word: the bell writes it in the reader's
    )
    return ticket


def invite_url(code: str, origin: object = "") -> str:
    """A group's invite link: on LUCKYCHIT_PUBLIC_URL when set, else on the address the foreman's
    browser opened the app at (`origin`, the request's Origin), so the link and its QR code work for
    members on the same network (settings.public_url_for)."""
    return f"{public_url_for(origin)}/join/{code}"


def invite_preview(session: Session, *, code: object) -> dict[str, str]:
    """What a person opening an invite link may see before joining: the group's public terms."""
    group = group_by_invite(session, code)
    foreman = session.get(User, group.foreman_id)
    return {
        "name": group.name,
        "foreman": foreman.name if foreman else "",
        "value": format_inr(group.chit_value),
        "installment": format_inr(group.chit_value // group.tickets),
        "tickets": str(group.tickets),
        "kind": "Auction" if group.kind == "auction" else "Lucky draw",
        "kind_key": group.kind,  # the page names it in the reader's language (i18n "kind.<key>")
        "seats_left": str(group.tickets - seats_taken(session, group.id)),
    }
