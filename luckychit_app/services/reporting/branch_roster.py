"""A branch's members, group by group, for the staff members page (/s/members).

Who reads it: the owner (every branch), and staff whose role holds "view" (access.PERMISSIONS): a
branch manager or clerk their branch, an accountant their branch or, company-wide, every branch.
Agents are refused: they see their own members on the desk. Join requests waiting for a decision are
shown only to those who may decide them ("members"), so an accountant reads the roster and nothing
more. A fixed handful of queries per screen, whatever the size of the group (never one per row).
"""

from __future__ import annotations

from sqlalchemy import case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist
from luckychit_app.models import AgentAssignment, Branch, ChitGroup, JoinRequest, Ticket, User
from luckychit_app.services.access import Actor, group_for_staff, groups_in_reach, require_staff
from luckychit_app.services.groups.terms import SEATED

GROUPS_LIMIT = 300
"""Groups in one selector: a branch runs a few dozen at most."""
# Running groups first: they are the ones whose members change and get visited.
_STATUS_ORDER = {"forming": 0, "active": 1, "completed": 2, "closed": 3, "cancelled": 4}
GROUP_STATUS_LABELS = {
    "forming": "Forming",
    "active": "Running",
    "completed": "Completed",
    "closed": "Closed",
    "cancelled": "Cancelled",
}
TICKET_STATUS_LABELS = {
    "pending": "Pending",
    "active": "Active",
    "suspended": "Suspended",
    "removed": "Removed",
}


def _group_row(group: ChitGroup, taken: int, branch: str) -> dict[str, str]:
    return {
        "id": str(group.id),
        "name": group.name,
        "status": group.status,
        "status_label": GROUP_STATUS_LABELS.get(group.status, group.status),
        "taken": str(taken),
        "total": str(group.tickets),
        "seats": f"{taken}/{group.tickets}",
        "branch": branch,
        "label": f"{group.name} · {taken}/{group.tickets} · {GROUP_STATUS_LABELS.get(group.status, '')}",
    }


def branch_groups(session: Session, *, actor: Actor | None) -> list[dict[str, str]]:
    """The groups of the actor's branch (every branch for the owner or a company-wide accountant),
    for a selector: forming first, then running, then the rest; each with its seats taken."""
    actor = require_staff(actor, "view")
    seated = (
        select(Ticket.group_id.label("gid"), func.count().label("taken"))
        .where(Ticket.status.in_(SEATED))
        .group_by(Ticket.group_id)
        .subquery()
    )
    rank = case(*((ChitGroup.status == s, n) for s, n in _STATUS_ORDER.items()), else_=9)
    rows = session.exec(
        select(ChitGroup, func.coalesce(seated.c.taken, 0), Branch.name)
        .join(Branch, Branch.id == ChitGroup.branch_id)
        .outerjoin(seated, seated.c.gid == ChitGroup.id)
        .where(ChitGroup.id.in_(groups_in_reach(actor)))
        .order_by(rank, ChitGroup.name, ChitGroup.id)
        .limit(GROUPS_LIMIT)
    ).all()
    return [_group_row(group, int(taken), branch) for group, taken, branch in rows]


_AGENT = aliased(User)  # made once: an alias copies every column of its table


def group_roster(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    """One group's tickets with their member, address and collection agent, and (for those who may
    decide them) its pending join requests.

    Returns {"group": header strings and flags, "rows": [...], "requests": [...]}. `can_edit` and
    `can_add` say which controls the page shows; the services check again on every change."""
    group = group_for_staff(session, actor, group_id, "view")
    manages = actor.role == "foreman" or actor.can("members")
    rows = session.exec(
        select(Ticket, User, _AGENT.name)
        .join(User, User.id == Ticket.member_id)
        .outerjoin(
            AgentAssignment,
            (AgentAssignment.member_id == Ticket.member_id) & (AgentAssignment.branch_id == group.branch_id),
        )
        .outerjoin(_AGENT, _AGENT.id == AgentAssignment.agent_id)
        .where(Ticket.group_id == group.id)
        .order_by(case((Ticket.status == "removed", 1), else_=0), Ticket.ticket_no)
    ).all()
    branch = session.get(Branch, group.branch_id)
    taken = sum(1 for ticket, _user, _agent in rows if ticket.status in SEATED)
    header = _group_row(group, taken, branch.name if branch else "")
    header["can_edit"] = "yes" if manages else ""
    header["can_add"] = "yes" if manages and group.status == "forming" and taken < group.tickets else ""
    header["forming"] = "yes" if group.status == "forming" else ""
    out = [
        {
            "ticket_id": str(ticket.id),
            "ticket_no": str(ticket.ticket_no),
            "member_id": str(user.id),
            "name": user.name,
            "mobile": user.mobile,
            "tel": f"tel:+91{user.mobile}",
            "address": user.address,
            "state": user.state_code,  # the place of supply of GST on their prize month (issue 19)
            "status": ticket.status,
            "status_label": TICKET_STATUS_LABELS.get(ticket.status, ticket.status),
            "prized": f"Month {ticket.prized_month}" if ticket.prized_month else "",
            "agent": agent_name or "",
            # The owner's own first-chit ticket is not a member's to edit; a removed seat is history.
            "editable": "yes" if manages and user.role == "member" and ticket.status != "removed" else "",
        }
        for ticket, user, agent_name in rows
    ]
    requests: list[dict[str, str]] = []
    if manages:
        requests = [
            {
                "id": str(request.id),
                "name": name,
                "mobile": mobile,
                "requested": format_datetime_ist(request.created_at),
                "message": request.message if request.message not in ("", "-") else "",
            }
            for request, name, mobile in session.exec(
                select(JoinRequest, User.name, User.mobile)
                .join(User, User.id == JoinRequest.user_id)
                .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending")
                .order_by(JoinRequest.created_at, JoinRequest.id)
            ).all()
        ]
    return {"group": header, "rows": out, "requests": requests}
