"""Who may touch what. Every service that acts for a user calls one of these first.

A company's owner is the foreman of its groups (role "foreman") and may do everything in every
branch. Staff (role "staff") act for the owner inside their branch (or, for a company-wide
accountant, in every branch) and only as far as their role's permissions below allow. Any foreman
service not opened to staff through `group_for_staff` stays the owner's alone: least privilege by
default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from sqlalchemy import false
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.models import Branch, ChitGroup, Ticket, User
from luckychit_app.services.errors import NotAllowed, ServiceError

# What each staff role may do, inside its branch:
#   view     read the branch's groups, dues and collections
#   collect  record cash, bank or UPI money for any member of the branch
#   field    record cash or UPI money for the members assigned to this agent only
#   members  add and edit members and their tickets
#   cash     receive cash handed over by other staff
#   assign   assign members to collection agents
#   books    read the cash book, the books and the exports
PERMISSIONS: dict[str, frozenset[str]] = {
    "branch_manager": frozenset({"view", "collect", "members", "cash", "assign", "books"}),
    "clerk": frozenset({"view", "collect", "members", "cash"}),
    "agent": frozenset({"field"}),
    "accountant": frozenset({"view", "books"}),
}
OWNER = "owner"
"""`Actor.staff_role` of a company's owner: every permission, in every branch."""
ROLE_LABELS: dict[str, str] = {
    "branch_manager": "Branch manager",
    "clerk": "Clerk",
    "agent": "Collection agent",
    "accountant": "Accountant",
    OWNER: "Owner",
}
"""How screens and messages name each role of a company."""


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str
    name: str = ""
    language: str = "en"
    company_id: int | None = None  # the company the user owns or works for
    owner_id: int | None = None  # that company's owner: the foreman_id of its groups
    staff_role: str = ""  # OWNER, a key of PERMISSIONS, or "" for members and admins
    branch_id: int | None = None  # a staff member's branch; None: every branch of the company

    def can(self, permission: str) -> bool:
        if self.staff_role == OWNER:
            return True
        return permission in PERMISSIONS.get(self.staff_role, frozenset())


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


def in_company(actor: Actor | None) -> TypeGuard[Actor]:
    """Whether the actor is a company's owner or one of its staff (not a member, not an admin)."""
    return actor is not None and actor.company_id is not None and actor.role in ("foreman", "staff")


def require_company(actor: Actor | None) -> Actor:
    """The company's owner or any of its staff, whatever their role."""
    if not in_company(actor):
        raise NotAllowed()
    return actor


def require_owner(actor: Actor | None) -> Actor:
    """The company's owner: the only one who founds branches and hires, stops or moves staff."""
    if actor is None or actor.role != "foreman" or actor.staff_role != OWNER or actor.company_id is None:
        raise NotAllowed()
    return actor


def require_staff(actor: Actor | None, permission: str) -> Actor:
    """The company's owner, or a staff member whose role holds `permission`."""
    actor = require_company(actor)
    if not actor.can(permission):
        raise NotAllowed()
    return actor


def groups_in_reach(actor: Actor) -> Select:
    """Sub-select of the ids of the groups the actor works in (used inside IN, never materialised):
    every group of the owner's company; for staff, their company's groups of their branch (every
    branch when they have none). Anyone else reaches none. Permissions are the caller's check."""
    if actor.role == "foreman":
        return select(ChitGroup.id).where(ChitGroup.foreman_id == actor.user_id)
    if actor.role != "staff" or actor.owner_id is None:
        return select(ChitGroup.id).where(false())
    where = [ChitGroup.foreman_id == actor.owner_id]
    if actor.branch_id is not None:
        where.append(ChitGroup.branch_id == actor.branch_id)
    return select(ChitGroup.id).where(*where)


def group_in_reach(actor: Actor, group: ChitGroup) -> bool:
    """Whether `group` is one of `groups_in_reach(actor)`, for a group already loaded."""
    if actor.role == "foreman":
        return group.foreman_id == actor.user_id
    return (
        actor.role == "staff"
        and actor.owner_id is not None
        and group.foreman_id == actor.owner_id
        and actor.branch_id in (None, group.branch_id)
    )


def in_scope(actor: Actor, company_id: int, branch_id: int | None) -> bool:
    """Whether a row of `company_id` (and of `branch_id`, when it belongs to one) is the actor's."""
    if actor.company_id is None or company_id != actor.company_id:
        return False
    return actor.branch_id is None or branch_id == actor.branch_id


def branch_for_staff(session: Session, actor: Actor | None, branch_id: object, permission: str) -> Branch:
    """The branch, if it is in the actor's company and reach, and their role holds `permission`."""
    actor = require_staff(actor, permission)
    branch = session.get(Branch, require_id(branch_id, "branch"))
    if branch is None or not in_scope(actor, branch.company_id, branch.id):
        raise NotAllowed()
    return branch


def group_for_staff(session: Session, actor: Actor | None, group_id: object, permission: str) -> ChitGroup:
    """The group, if the actor owns its company or is staff of its branch whose role holds
    `permission` (a platform admin passes, as for `group_for_foreman`)."""
    if actor is not None and actor.role == "admin":
        return group_for_foreman(session, actor, group_id)
    actor = require_staff(actor, permission)
    group = session.get(ChitGroup, require_id(group_id, "group"))
    if group is None or not group_in_reach(actor, group):
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


def runs_a_group_of(session: Session, foreman_id: int, member_id: int) -> bool:
    """Whether the foreman runs a group the member holds a ticket in: who may review their KYC or
    give them a temporary password."""
    found = session.exec(
        select(Ticket.id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(Ticket.member_id == member_id, ChitGroup.foreman_id == foreman_id)
        .limit(1)
    ).first()
    return found is not None


def user_of(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id)
    if user is None or not user.is_active:
        raise NotAllowed("Your account is not active.")
    return user
