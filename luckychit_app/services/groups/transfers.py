"""Transfer of a ticket to another person with the foreman's consent (issue 15).

The same subscription changes hands with its rights and liabilities: the Ticket row stays and only
its holder (`member_id`) changes, so every balance of the books - what is owed on the ticket, its
advance, a prize still payable, a refund owed - moves with it by construction (they are all keyed
by the ticket; DESIGN.md §6) and no journal entry is needed. A TicketTransfer row keeps the history:
who held it until which month, who took it, why, and who consented. Payments keep their payer, so
the earlier holder's payments stay theirs to read.

Rules (the chit agreement, s.6, with the foreman's consent; the Act's security rules for a prized
ticket):
- only the foreman who runs the group (or the platform admin) transfers, while the group is forming
  or running - never once it is completed, closed or cancelled, never a removed ticket, never the
  foreman's own ticket (s.21(1)(a)), and never while an auction is taking bids in the group;
- the new holder is one of the company's members (someone who holds or held a ticket in its
  groups) or a person new to LuckyChit (an account is created, as when adding a member); any other
  account is refused without saying anything about it;
- a prized ticket's security secured the earlier holder's future subscriptions (s.21(1)(e), s.31):
  it is marked replaced, and the new holder gives a new one whenever dues remain. A prize not yet
  paid stays on the ticket: the new holder receives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.locales import supported
from luckychit_app.models import LIVE_GROUP_STATUSES, ChitGroup, Draw, Payout, Ticket, TicketTransfer, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money import payouts
from luckychit_app.services.people.auth import create_user
from luckychit_app.services.validation import clean_mobile, clean_name, clean_text

OUTSIDER = (
    "This mobile number cannot take the ticket here. Enter the mobile of one of your members, or of a "
    "person new to LuckyChit."
)
"""Said for any account that is not one of the company's members, whatever it is (nothing leaks)."""
NOT_YOURS = "Choose one of your members, or enter a new person's name and mobile."


@dataclass(frozen=True)
class Transferred:
    """A transfer done: the ticket, who holds it now, and for a new account its one-time password."""

    transfer: TicketTransfer
    ticket_no: int
    group_name: str
    name: str
    mobile: str
    password: str  # "" unless an account was created
    warning: str  # the new security's cover warning ("" when enough or none needed)


def _ticket_and_group(
    session: Session, actor: Actor | None, ticket_id: object, *, lock: bool = False
) -> tuple[Ticket, ChitGroup]:
    """The ticket and its group, if the actor runs the group. With `lock`, the ticket is row-locked
    first as every money writer locks it (FOR NO KEY UPDATE) and read fresh after the lock, so one
    change of holder (or payment) happens at a time and the holder read is the current one."""
    tid = require_id(ticket_id, "ticket")
    stmt = select(Ticket).where(Ticket.id == tid)
    if lock:
        stmt = stmt.with_for_update(key_share=True).execution_options(populate_existing=True)
    ticket = session.exec(stmt).first()
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    if lock:
        session.refresh(group)
    return ticket, group


def _check_transferable(session: Session, ticket: Ticket, group: ChitGroup) -> None:
    refuse_if_locked(group)  # closed or cancelled: nothing in it changes (services/groups/locking.py)
    if group.status not in LIVE_GROUP_STATUSES:
        raise ServiceError(f"{group.name} is {group.status}: its tickets can no longer be transferred.")
    if ticket.status == "removed":
        raise ServiceError("A removed ticket cannot be transferred.")
    if ticket.member_id == group.foreman_id:
        raise ServiceError("The foreman's own ticket (s.21(1)(a)) cannot be transferred.")
    bidding = session.exec(
        select(Draw.id).where(Draw.group_id == group.id, Draw.status == "bidding").limit(1)
    ).first()
    if bidding is not None:
        raise ServiceError("An auction is taking bids in this group; transfer the ticket after it closes.")


def _in_company(session: Session, owner_id: int, user_id: int) -> bool:
    """Whether the person holds or held a ticket in the company's groups (its owner's)."""
    groups = select(ChitGroup.id).where(ChitGroup.foreman_id == owner_id)
    held = session.exec(
        select(Ticket.id).where(Ticket.member_id == user_id, Ticket.group_id.in_(groups)).limit(1)
    ).first()
    if held is not None:
        return True
    passed = session.exec(
        select(TicketTransfer.id)
        .join(Ticket, Ticket.id == TicketTransfer.ticket_id)
        .where(
            or_(TicketTransfer.from_member_id == user_id, TicketTransfer.to_member_id == user_id),
            Ticket.group_id.in_(groups),
        )
        .limit(1)
    ).first()
    return passed is not None


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _new_holder(
    session: Session, group: ChitGroup, *, member_id: object, name: object, mobile: object
) -> tuple[User | None, str, str]:
    """(an existing member, or None for a new person; the new person's name; their mobile)."""
    if _given(member_id):
        if _given(name) or _given(mobile):
            raise ServiceError("Choose one of your members or enter a new person, not both.", "member_id")
        user = session.get(User, require_id(member_id, "member"))
        if user is None or user.role != "member" or not _in_company(session, group.foreman_id, user.id):
            raise ServiceError(NOT_YOURS, "member_id")
        return user, user.name, user.mobile
    if not _given(mobile):
        raise ServiceError("Enter the mobile number of the person who takes the ticket.", "mobile")
    number = clean_mobile(mobile)
    user = session.exec(select(User).where(User.mobile == number)).first()
    if user is not None:
        # A member of this company, found by their mobile; any other account is refused, saying
        # nothing of what it is (another company's member, staff, a foreman or the admin).
        if user.role != "member" or not _in_company(session, group.foreman_id, user.id):
            raise ServiceError(OUTSIDER, "mobile")
        return user, user.name, user.mobile
    return None, clean_name(name), number


def _active(user: User | None) -> User | None:
    if user is not None and not user.is_active:
        raise ServiceError(f"{user.name}'s account is switched off; it must be active to take a ticket.")
    return user


def _prize_of(session: Session, ticket: Ticket) -> Payout | None:
    if ticket.prized_month is None:
        return None
    return session.exec(
        select(Payout).where(Payout.ticket_id == ticket.id).order_by(Payout.id.desc())
    ).first()


def transfer_details(session: Session, *, actor: Actor | None, ticket_id: object) -> dict[str, str]:
    """What the transfer dialog shows about a ticket: holder, prize and the security it needs."""
    ticket, group = _ticket_and_group(session, actor, ticket_id)
    holder = session.get(User, ticket.member_id)
    payout = _prize_of(session, ticket)
    remaining = payouts.remaining_dues(session, ticket_id=ticket.id) if payout else 0
    history = session.exec(
        select(TicketTransfer, User)
        .join(User, User.id == TicketTransfer.from_member_id)
        .where(TicketTransfer.ticket_id == ticket.id)
        .order_by(TicketTransfer.id)
    ).all()
    prize = ""
    if payout is not None:
        prize = (
            f"The prize of {format_inr(payout.gross)} (month {ticket.prized_month}) is not paid yet: it "
            "stays with the ticket, so the new holder receives it."
            if payout.status == "payable"
            else f"The prize of month {ticket.prized_month} was paid to the holder on "
            f"{format_date(payout.paid_on) if payout.paid_on else '—'}."
        )
    return {
        "ticket_id": str(ticket.id),
        "ticket_no": str(ticket.ticket_no),
        "group": group.name,
        "group_status": group.status,
        "holder": holder.name,
        "holder_mobile": holder.mobile,
        "prized": "yes" if payout is not None else "",
        "prize": prize,
        "prize_payable": "yes" if payout is not None and payout.status == "payable" else "",
        "remaining": format_inr(remaining),
        "needed": format_inr(-(-(remaining * 4) // 3)),
        "needs_security": "yes" if payout is not None and remaining > 0 else "",
        "history": "; ".join(
            f"from {user.name} in month {row.month} ({format_date(to_ist(row.created_at).date())})"
            for row, user in history
        ),
    }


def transfer_ticket(
    session: Session,
    *,
    actor: Actor | None,
    ticket_id: object,
    reason: object,
    member_id: object = None,
    name: object = None,
    mobile: object = None,
    language: object = "en",
    security: object = None,
) -> Transferred:
    """Pass the ticket to one of the company's members (`member_id`, or their `mobile`) or to a new
    person (`name` and `mobile`). A prized ticket with dues remaining needs `security`: a dict with
    kind, value, description and, for a guarantor security, guarantors, for a deposit, method,
    reference and received_on (payouts.add_security)."""
    ticket, group = _ticket_and_group(session, actor, ticket_id, lock=True)
    _check_transferable(session, ticket, group)
    why = clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
    existing, new_name, new_mobile = _new_holder(
        session, group, member_id=member_id, name=name, mobile=mobile
    )
    existing = _active(existing)
    if existing is not None and existing.id == ticket.member_id:
        raise ServiceError("This member already holds this ticket.", "member_id")
    payout = _prize_of(session, ticket)
    remaining = payouts.remaining_dues(session, ticket_id=ticket.id) if payout else 0
    if security is not None and not isinstance(security, dict):
        raise ServiceError("Enter the new holder's security.", "kind")
    offered = bool(security) and _given(security.get("kind"))
    if payout is None and offered:
        raise ServiceError("Only a prized ticket needs a security.", "kind")
    if payout is not None and remaining > 0 and not offered:
        # s.21(1)(e), s.31: the prized subscriber's future subscriptions stay secured, by the new holder.
        raise ServiceError(
            f"Ticket {ticket.ticket_no} is prized and {format_inr(remaining)} of its dues remain: record "
            "the new holder's security.",
            "kind",
        )

    temp = ""
    if existing is None:
        lang = supported(language)
        existing, temp = create_user(
            session,
            name=new_name,
            mobile=new_mobile,
            role="member",
            created_by_id=actor.user_id,
            language=lang,
        )
    before = ticket.member_id
    released: list[int] = []
    new_security = None
    warning = ""
    if payout is not None:
        released = payouts.release_securities(session, payout_id=payout.id)
        if offered:
            new_security = payouts.add_security(
                session,
                payout=payout,
                subscriber=existing,
                actor_id=actor.user_id,
                kind=security.get("kind"),
                value=security.get("value"),
                description=security.get("description"),
                guarantors=security.get("guarantors") or (),
                # A deposit says how it came in (s.21(1)(e); services/money/security_deposits.py).
                method=security.get("method"),
                reference=security.get("reference") or "",
                received_on=security.get("received_on"),
            )
            _remaining, warning = payouts.cover_warning(session, payout=payout)
    ticket.member_id = existing.id
    session.add(ticket)
    row = TicketTransfer(
        ticket_id=ticket.id,
        from_member_id=before,
        to_member_id=existing.id,
        month=group.current_month,
        reason=why,
        created_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="ticket.transferred",
        object_type="ticket",
        object_id=ticket.id,
        detail={
            "group_id": group.id,
            "ticket_no": ticket.ticket_no,
            "from": before,
            "to": existing.id,
            "month": group.current_month,
            "reason": why,
            "new_account": bool(temp),
            "prized_month": ticket.prized_month,
            "securities_replaced": released,
            "security_id": new_security.id if new_security else None,
            "warning": bool(warning),
        },
    )
    earlier = session.get(User, before)
    notify(
        session,
        [before],
        kind="ticket_transfer",
        title=f"Ticket {ticket.ticket_no} of {group.name} is now {existing.name}'s",
        body=f"Transferred with the foreman's consent: {why}. Your payments stay in your passbook.",
        link="/m/payments",
        title_key="notify.ticket_transferred_away",
        body_key="notify.ticket_transferred_away_body",
        values={"n": ticket.ticket_no, "group": group.name, "name": existing.name, "why": why},
    )
    notify(
        session,
        [existing.id],
        kind="ticket_transfer",
        title=f"You now hold ticket {ticket.ticket_no} of {group.name}",
        body=f"Transferred from {earlier.name}: its dues"
        + (", prize" if payout is not None and payout.status == "payable" else "")
        + " and advance come with it.",
        link="/m",
        title_key="notify.ticket_transferred_to_you",
        body_key="notify.ticket_transferred_to_you_body",
        values={"n": ticket.ticket_no, "group": group.name, "name": earlier.name},
    )
    return Transferred(row, ticket.ticket_no, group.name, existing.name, existing.mobile, temp, warning)
