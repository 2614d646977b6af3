"""Who may touch what. Every service that acts for a user calls one of these first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from luckychit_app.models import ChitGroup, Ticket, User
from luckychit_app.services.errors import NotAllowed, ServiceError


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str
    name: str = ""
    language: str = "en"


def require_role(actor: Actor | None, *roles: str) -> Actor:
    if actor is None or actor.role not in roles:
        raise NotAllowed()
    return actor


def require_id(value: object, what: str) -> int:
    """Browser-supplied ids arrive as anything; accept only positive ints (or their digit strings)."""
    if isinstance(value, bool):
        raise ServiceError(f"Invalid {what}.")
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        value = int(value)
    if not isinstance(value, int) or not 0 < value < 2**31:
        raise ServiceError(f"Invalid {what}.")
    return value


def group_for_foreman(session: Session, actor: Actor | None, group_id: object) -> ChitGroup:
    """The group, if the actor is its foreman (or an admin)."""
    actor = require_role(actor, "foreman", "admin")
    gid = require_id(group_id, "group")
    group = session.get(ChitGroup, gid)
    if group is None or (actor.role == "foreman" and group.foreman_id != actor.user_id):
        raise NotAllowed()
    return group


def group_for_viewer(session: Session, actor: Actor | None, group_id: object) -> ChitGroup:
    """The group, if the actor runs it, administers the platform or holds a ticket in it."""
    actor = require_role(actor, "foreman", "admin", "member")
    gid = require_id(group_id, "group")
    group = session.get(ChitGroup, gid)
    if group is None:
        raise NotAllowed()
    if actor.role == "admin" or group.foreman_id == actor.user_id:
        return group
    holds = session.exec(
        select(Ticket.id).where(Ticket.group_id == gid, Ticket.member_id == actor.user_id).limit(1)
    ).first()
    if holds is None:
        raise NotAllowed()
    return group


def ticket_for_member(session: Session, actor: Actor | None, ticket_id: object) -> Ticket:
    actor = require_role(actor, "member", "foreman", "admin")
    tid = require_id(ticket_id, "ticket")
    ticket = session.get(Ticket, tid)
    if ticket is None or ticket.member_id != actor.user_id:
        raise NotAllowed()
    return ticket


def user_of(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id)
    if user is None or not user.is_active:
        raise NotAllowed("Your account is not active.")
    return user
