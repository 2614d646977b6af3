"""A company's staff: invitations, stopping and restarting an account, and which collection agent
goes to which member.

Least privilege: only the company's owner invites, stops or restarts staff; a branch manager may see
the staff of their own branch and assign its members to its agents, nothing more. A new staff account
gets a one-time password that the owner hands over in person (never by SMS: a message can be read by
whoever holds the phone); the SMS only says an account exists and where to sign in. Stopping an
account ends its sessions at once, and is refused while the person still holds collected cash, so
no money is left in the hands of someone who can no longer hand it over (DESIGN §6, cash custody).
"""

from __future__ import annotations

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.domain.money import format_inr
from luckychit_app.models import (
    LIVE_GROUP_STATUSES,
    STAFF_ROLES,
    AgentAssignment,
    Branch,
    CashHandover,
    ChitGroup,
    Company,
    StaffMember,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import (
    ROLE_LABELS,
    Actor,
    branch_for_staff,
    groups_in_reach,
    require_id,
    require_owner,
    require_staff,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.terms import SEATED
from luckychit_app.services.messages import outbox
from luckychit_app.services.money.ledger import custody_rows
from luckychit_app.services.people.auth import create_user, revoke_all
from luckychit_app.services.validation import clean_mobile, clean_name, clean_text
from luckychit_app.settings import get_settings

MAX_STAFF = 500
# Members of groups still collecting: a finished or cancelled group's members need no agent.


def _owned_branch(session: Session, actor: Actor, branch_id: object) -> Branch:
    if branch_id in (None, ""):
        raise ServiceError("Choose the branch this person works in.", "branch_id")
    branch = session.get(Branch, require_id(branch_id, "branch"))
    if branch is None or branch.company_id != actor.company_id:
        raise NotAllowed()  # the same whether or not another company's branch exists: no probing
    return branch


def _role(value: object) -> str:
    if value not in STAFF_ROLES:
        raise ServiceError("Choose a role: branch manager, clerk, collection agent or accountant.", "role")
    return str(value)


def _branch_for_role(session: Session, actor: Actor, role: str, branch_id: object) -> Branch | None:
    """The branch a role works in; None (every branch) only for an accountant given no branch."""
    if role == "accountant" and branch_id in (None, ""):
        return None
    return _owned_branch(session, actor, branch_id)


def cash_held_by(session: Session, owner: Actor, user_id: int) -> int:
    """What the books say this person holds of collected cash, over every group of the owner's
    company (a staff row never changes company, so that is all the cash they ever collected)."""
    return sum(paise for *_, paise in custody_rows(session, groups_in_reach(owner), holder=user_id))


def _require_settled(session: Session, owner: Actor, user_id: int, then: str) -> None:
    """Refuse while the person holds collected cash, or has cash handed to them still to count: the
    money must be back in the branch's books first (DESIGN §6, cash custody)."""
    held = cash_held_by(session, owner, user_id)
    if held:
        user = session.get(User, user_id)
        raise ServiceError(
            f"{user.name if user else 'This person'} still holds {format_inr(held)} of collected cash: "
            f"hand over cash first, then {then}."
        )
    waiting = session.exec(
        select(CashHandover.id)
        .where(CashHandover.to_user_id == user_id, CashHandover.status == "pending")
        .limit(1)
    ).first()
    if waiting is not None:
        raise ServiceError(f"A cash hand-over to them is still to be counted: settle it first, then {then}.")


def invite_staff(
    session: Session,
    *,
    actor: Actor | None,
    name: object,
    mobile: object,
    role: object,
    branch_id: object,
    address: object = "",
) -> tuple[StaffMember, str]:
    """A new staff account in the owner's company: (staff row, one-time password to hand over).

    Managers, clerks and agents work in one branch; an accountant may keep the whole company's books
    (no branch) or one branch's. The password must be changed at first sign-in."""
    actor = require_owner(actor)
    clean = clean_name(name)
    number = clean_mobile(mobile)
    kind = _role(role)
    branch = _branch_for_role(session, actor, kind, branch_id)
    place = clean_text(address or "-", field="address", label="Address", max_len=200)
    if session.exec(select(User.id).where(User.mobile == number)).first() is not None:
        raise ServiceError(
            "This mobile number already has a LuckyChit account. Use the person's own number.", "mobile"
        )
    count = session.exec(
        select(func.count()).select_from(StaffMember).where(StaffMember.company_id == actor.company_id)
    ).one()
    if count >= MAX_STAFF:
        raise ServiceError(f"A company can have at most {MAX_STAFF} staff accounts.")
    user, password = create_user(
        session, name=clean, mobile=number, role="staff", created_by_id=actor.user_id
    )
    user.address = "" if place == "-" else place
    session.add(user)
    staff = StaffMember(
        company_id=actor.company_id,
        branch_id=branch.id if branch else None,
        user_id=user.id,
        role=kind,
        invited_by_id=actor.user_id,
    )
    session.add(staff)
    session.flush()
    company = session.get(Company, actor.company_id)
    where = branch.name if branch else "all branches"
    # The password is not in the message: the owner hands it over in person.
    employer = company.name if company else "Your employer"
    outbox.enqueue(
        session,
        channel="sms",
        recipient=number,
        kind="staff_invite",
        subject="LuckyChit staff account",
        body=(
            f"{employer} has made you a LuckyChit "
            f"{ROLE_LABELS[kind].lower()} ({where}). Sign in at {get_settings().public_url}/login "
            "with this mobile number and the one-time password your employer gives you."
        ),
        params={"employer": employer, "role": ROLE_LABELS[kind].lower(), "branch": where},
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action="staff.invited",
        object_type="staff",
        object_id=staff.id,
        detail={"user_id": user.id, "role": kind, "branch_id": staff.branch_id},
    )
    return staff, password


def list_staff(session: Session, *, actor: Actor | None) -> list[dict[str, str]]:
    """The company's staff for its owner; a branch manager sees their own branch's (read only).
    Cash in hand is what the books say each person holds."""
    if actor is not None and actor.role == "foreman":
        actor = require_owner(actor)
        branch_ids = None
    else:
        actor = require_staff(actor, "assign")
        branch_ids = [actor.branch_id] if actor.branch_id is not None else None
    where = [StaffMember.company_id == actor.company_id]
    if branch_ids is not None:
        where.append(StaffMember.branch_id.in_(branch_ids))
    rows = session.exec(
        select(StaffMember, User.name, User.mobile, Branch.name)
        .join(User, User.id == StaffMember.user_id)
        .outerjoin(Branch, Branch.id == StaffMember.branch_id)
        .where(*where)
        .order_by(StaffMember.active.desc(), Branch.id, User.name)
    ).all()
    held: dict[int, int] = {}
    for _group, _branch, user_id, paise in custody_rows(session, groups_in_reach(actor)):
        held[user_id] = held.get(user_id, 0) + paise
    return [
        {
            "id": str(staff.id),
            "user_id": str(staff.user_id),
            "name": name,
            "mobile": mobile,
            "role": staff.role,
            "role_label": ROLE_LABELS.get(staff.role, staff.role),
            "branch": branch or "All branches",
            "active": "yes" if staff.active else "",
            "cash": format_inr(held.get(staff.user_id, 0)),
        }
        for staff, name, mobile, branch in rows
    ]


def set_staff_active(
    session: Session, *, actor: Actor | None, staff_id: object, active: object
) -> StaffMember:
    """Stop or restart a staff account. Stopping ends every session at once (the next event of an
    open page finds no actor) and is refused while the person holds collected cash."""
    actor = require_owner(actor)
    if not isinstance(active, bool):
        raise ServiceError("Invalid request.")
    staff = session.get(StaffMember, require_id(staff_id, "staff member"))
    if staff is None or staff.company_id != actor.company_id:
        raise NotAllowed()
    if staff.active == active:
        return staff
    if not active:
        _require_settled(session, actor, staff.user_id, "stop the account")
        revoke_all(session, user_id=staff.user_id)
    staff.active = active
    session.add(staff)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="staff.activated" if active else "staff.deactivated",
        object_type="staff",
        object_id=staff.id,
        detail={"user_id": staff.user_id, "role": staff.role, "branch_id": staff.branch_id},
    )
    return staff


def change_staff_role(
    session: Session, *, actor: Actor | None, staff_id: object, role: object, branch_id: object
) -> StaffMember:
    """Move a staff member to another role or branch (a clerk promoted to branch manager, an agent
    sent to a new branch). Refused while they hold cash or have a hand-over waiting for them to count:
    that cash belongs to the old branch's books and must be settled there first. An agent who stops
    being that branch's agent loses their members, who go back to the branch until reassigned. The
    new role applies from their next action (every event reads the role afresh)."""
    actor = require_owner(actor)
    staff = session.get(StaffMember, require_id(staff_id, "staff member"))
    if staff is None or staff.company_id != actor.company_id:
        raise NotAllowed()
    kind = _role(role)
    branch = _branch_for_role(session, actor, kind, branch_id)
    new_branch = branch.id if branch else None
    if (kind, new_branch) == (staff.role, staff.branch_id):
        return staff
    _require_settled(session, actor, staff.user_id, "change their role or branch")
    if staff.role == "agent" and (kind != "agent" or new_branch != staff.branch_id):
        dropped = session.exec(delete(AgentAssignment).where(AgentAssignment.agent_id == staff.user_id))
    else:
        dropped = None
    before = {"role": staff.role, "branch_id": staff.branch_id}
    staff.role, staff.branch_id = kind, new_branch
    session.add(staff)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="staff.changed",
        object_type="staff",
        object_id=staff.id,
        detail={
            "user_id": staff.user_id,
            "from": before,
            "role": kind,
            "branch_id": new_branch,
            "members_unassigned": dropped.rowcount if dropped is not None else 0,
        },
    )
    return staff


# --- agent assignments -------------------------------------------------------------------------


def _branch_member(session: Session, branch: Branch, member_id: object) -> int:
    """The member's id, if they hold a seat in a live group of the branch."""
    mid = require_id(member_id, "member")
    seat = session.exec(
        select(Ticket.id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(
            Ticket.member_id == mid,
            Ticket.status.in_(SEATED),
            ChitGroup.branch_id == branch.id,
            ChitGroup.status.in_(LIVE_GROUP_STATUSES),
            ChitGroup.foreman_id != mid,  # the owner's own first-chit ticket needs no agent
        )
        .limit(1)
    ).first()
    if seat is None:
        raise ServiceError("Choose a member of this branch's groups.", "member_id")
    return mid


def _branch_agent(session: Session, branch: Branch, agent_id: object) -> int:
    aid = require_id(agent_id, "agent")
    found = session.exec(
        select(StaffMember.id).where(
            StaffMember.user_id == aid,
            StaffMember.company_id == branch.company_id,
            StaffMember.branch_id == branch.id,
            StaffMember.role == "agent",
            StaffMember.active,
        )
    ).first()
    if found is None:
        raise ServiceError("Choose an active collection agent of this branch.", "agent_id")
    return aid


def assign_member(
    session: Session, *, actor: Actor | None, branch_id: object, member_id: object, agent_id: object
) -> AgentAssignment:
    """The agent who collects from this member in this branch (a new agent replaces the old)."""
    branch = branch_for_staff(session, actor, branch_id, "assign")
    mid = _branch_member(session, branch, member_id)
    aid = _branch_agent(session, branch, agent_id)
    row = session.get(AgentAssignment, (branch.id, mid))
    previous = row.agent_id if row else None
    if row is None:
        try:
            with session.begin_nested():  # a concurrent first assignment: update theirs instead
                row = AgentAssignment(
                    branch_id=branch.id, member_id=mid, agent_id=aid, assigned_by_id=actor.user_id
                )
                session.add(row)
                session.flush()
        except IntegrityError:
            row = session.get(AgentAssignment, (branch.id, mid), populate_existing=True)
            if row is None:
                raise
            previous = row.agent_id
    row.agent_id, row.assigned_by_id, row.assigned_at = aid, actor.user_id, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="agent.assigned",
        object_type="member",
        object_id=mid,
        detail={"branch_id": branch.id, "agent_id": aid, "previous_agent_id": previous},
    )
    return row


def unassign_member(session: Session, *, actor: Actor | None, branch_id: object, member_id: object) -> None:
    """The member no longer has an agent in this branch (they pay at the counter or online)."""
    branch = branch_for_staff(session, actor, branch_id, "assign")
    row = session.get(AgentAssignment, (branch.id, require_id(member_id, "member")))
    if row is None:
        raise ServiceError("This member has no agent in this branch.", "member_id")
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="agent.unassigned",
        object_type="member",
        object_id=row.member_id,
        detail={"branch_id": branch.id, "agent_id": row.agent_id},
    )


def assignable_members(session: Session, *, actor: Actor | None, branch_id: object) -> list[dict[str, str]]:
    """The members of the branch's live groups with their current agent, if any (one query)."""
    branch = branch_for_staff(session, actor, branch_id, "assign")
    seated = (
        select(Ticket.member_id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(
            ChitGroup.branch_id == branch.id,
            ChitGroup.status.in_(LIVE_GROUP_STATUSES),
            Ticket.status.in_(SEATED),
            Ticket.member_id != ChitGroup.foreman_id,
        )
    )
    agent = User.__table__.alias("agent")
    rows = session.exec(
        select(User.id, User.name, User.mobile, AgentAssignment.agent_id, agent.c.name)
        .outerjoin(
            AgentAssignment,
            (AgentAssignment.member_id == User.id) & (AgentAssignment.branch_id == branch.id),
        )
        .outerjoin(agent, agent.c.id == AgentAssignment.agent_id)
        .where(User.id.in_(seated))
        .order_by(User.name, User.id)
    ).all()
    return [
        {
            "member_id": str(uid),
            "name": name,
            "mobile": mobile,
            "label": f"{name} · {mobile}",
            "agent_id": str(agent_id) if agent_id else "",
            "agent": agent_name or "",
        }
        for uid, name, mobile, agent_id, agent_name in rows
    ]


def branch_agents(session: Session, *, actor: Actor | None, branch_id: object) -> list[dict[str, str]]:
    """The branch's active collection agents, for the assignment form."""
    branch = branch_for_staff(session, actor, branch_id, "assign")
    rows = session.exec(
        select(User.id, User.name)
        .join(StaffMember, StaffMember.user_id == User.id)
        .where(StaffMember.branch_id == branch.id, StaffMember.role == "agent", StaffMember.active)
        .order_by(User.name)
    ).all()
    return [{"id": str(uid), "name": name} for uid, name in rows]
