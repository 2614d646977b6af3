"""A member's details that a branch keeps up to date: the address a collection agent goes to.

The company's owner may change the address of any member of the company's groups; a branch manager or
clerk (access.PERMISSIONS "members") only that of a member holding a ticket in a group of their own
branch, so one branch cannot rewrite another branch's members (issue 23, least privilege). Removing or
suspending a member's ticket stays the owner's decision (`members.set_ticket_status`). Every change is
audited with the old and the new address and who made it, since an agent who finds the wrong door
may be sent there on purpose.
"""

from __future__ import annotations

from sqlmodel import Session, select

from luckychit_app.domain.gst import GST_STATES
from luckychit_app.models import Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, groups_in_reach, require_id, require_staff
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.validation import clean_text

ADDRESS_MAX = 200  # models.User.address


def clean_address(value: object) -> str:
    """An address as typed: one line, at most `ADDRESS_MAX` characters; empty clears it."""
    return clean_text(
        "" if value is None else value, field="address", label="Address", min_len=0, max_len=ADDRESS_MAX
    )


def member_in_reach(session: Session, actor: Actor | None, member_id: object) -> User:
    """The member, if the actor may edit their details: the owner for a member of any of the
    company's groups, branch staff with "members" for a member seated in a group of their branch.
    A removed ticket no longer makes someone the branch's member; the owner's own ticket (first chit)
    never makes the owner one."""
    if actor is None or actor.role != "foreman":
        actor = require_staff(actor, "members")
    mid = require_id(member_id, "member")
    seat = session.exec(
        select(Ticket.id)
        .where(
            Ticket.member_id == mid,
            Ticket.status != "removed",
            Ticket.group_id.in_(groups_in_reach(actor)),
        )
        .limit(1)
    ).first()
    user = session.get(User, mid) if seat is not None else None
    if user is None or user.role != "member":
        raise NotAllowed()  # the same whether or not the member exists elsewhere: no probing
    return user


def set_member_address(
    session: Session, *, actor: Actor | None, member_id: object, address: object, state: object = None
) -> User:
    """Change (or, with an empty text, clear) where the member lives and, when `state` is given, the
    state they live in (a GST state code, or "" for not recorded): the place of supply of the GST on
    their prize month (IGST Act s.12(2); domain/gst.py). Returns the member."""
    user = member_in_reach(session, actor, member_id)
    place = clean_address(address)
    state_code = user.state_code if state is None else clean_state(state)
    before = {"address": user.address, "state": user.state_code}
    if (place, state_code) == (user.address, user.state_code):
        return user
    user.address, user.state_code = place, state_code
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="member.address_changed",
        object_type="user",
        object_id=user.id,
        detail={
            "old": before["address"],
            "new": place,
            "old_state": before["state"],
            "state": state_code,
            "by_role": actor.staff_role or actor.role,
        },
    )
    return user


def clean_state(value: object) -> str:
    """A GST state code ("33") or "" (not recorded)."""
    if value in ("", None):
        return ""
    if not isinstance(value, str) or value not in GST_STATES:
        raise ServiceError("Choose the member's state from the list.", "state")
    return value
