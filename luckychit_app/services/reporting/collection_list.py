"""The staff desk's list for today (/s): whom to collect from, how much, and how to reach them.

A collection agent sees the members assigned to them in their branch; a clerk or branch manager sees
every member owing in a running group of their branch; the owner sees every branch. One row per
ticket with dues, overdue first (the oldest first), then what is due; fully paid tickets are left
out unless asked for, and then come last. A fixed handful of set-based queries, however long the
list (never a query per member), capped at `DESK_LIMIT` rows with a search by name or mobile.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from luckychit_app.clock import format_date, today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.models import AgentAssignment, Branch, ChitGroup, Installment, Ticket, User
from luckychit_app.services.access import Actor, groups_in_reach, in_company
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.messages.notifications import whatsapp_link
from luckychit_app.services.money.dues import PAYING_GROUP, open_and_due, open_dues
from luckychit_app.services.money.late_fees import accruing_fees, late_fee_balances
from luckychit_app.services.money.offline_payments import payments_seen
from luckychit_app.services.validation import clean_search

DESK_LIMIT = 300
"""Rows on one screen of a phone: an agent's round is far shorter; a busy branch searches."""


def collects(actor: Actor | None) -> bool:
    """Whether the actor's role takes money at the desk or in the field (an accountant does not)."""
    return in_company(actor) and (actor.can("collect") or actor.can("field"))


def _scope(actor: Actor) -> list:
    """Where-clauses on Ticket and ChitGroup for the tickets this actor collects for: the groups in
    their reach (the owner's: every branch; staff: their branch)."""
    where = [ChitGroup.id.in_(groups_in_reach(actor))]
    if actor.can("collect"):
        return where
    # An agent: only members assigned to them, in their own branch (issue 23).
    assigned = select(AgentAssignment.member_id).where(
        AgentAssignment.agent_id == actor.user_id, AgentAssignment.branch_id == actor.branch_id
    )
    return [*where, Ticket.member_id.in_(assigned)]


def _owing(actor: Actor, today: date):  # noqa: ANN202  (a SQLAlchemy subquery)
    """Per ticket of the actor's groups: dues of open months still owing, the part past its due
    date, and since when.

    Overdue means as in `foreman_scope.overdue_by_ticket`: the due date has passed and the month is
    open (dues of months not yet opened cannot be paid, so they never count against a member)."""
    left = Installment.amount - Installment.paid
    late = Installment.due_date < today
    return (
        select(
            Installment.ticket_id.label("ticket_id"),
            func.sum(left).label("due"),
            func.sum(case((late, left), else_=0)).label("overdue"),
            func.min(case((late, Installment.due_date), else_=None)).label("since"),
            func.min(Installment.due_date).label("first_due"),
        )
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(Installment.group_id.in_(groups_in_reach(actor)), *open_and_due())
        .group_by(Installment.ticket_id)
        .subquery()
    )


def _late_fees(session: Session, groups: dict[int, ChitGroup], today: date) -> dict[int, int]:
    """Per ticket: late fees charged and not collected, plus those paying in full today would
    charge (as `amount_due` counts them), in three queries for all tickets of fee-charging groups."""
    ids = [tid for tid, group in groups.items() if group.late_fee_mode != "none"]
    if not ids:
        return {}
    charged, unpaid = late_fee_balances(session, ids)
    fees = {tid: max(0, unpaid[tid]) for tid in ids}
    for tid, lines in open_dues(session, ids).items():
        fees[tid] += sum(accruing_fees(groups[tid], lines, charged[tid], today).values())
    return fees


def todays_list(
    session: Session,
    *,
    actor: Actor | None,
    search: object = "",
    include_paid: bool = False,
    today: date | None = None,
) -> list[dict]:
    """The desk's rows: one per ticket with dues (display strings, and paise for the amount box).

    Refuses anyone whose role does not collect (`collects`)."""
    if not collects(actor):
        raise NotAllowed()
    text = clean_search(search)
    today = today or today_ist()
    owing = _owing(actor, today)
    where = [
        *_scope(actor),
        ChitGroup.status.in_(PAYING_GROUP),
        Ticket.status != "removed",
    ]
    if text:
        where.append(
            or_(User.name.ilike(f"%{text}%", escape="\\"), User.mobile.like(f"%{text}%", escape="\\"))
        )
    if not include_paid:
        where.append(owing.c.due > 0)
    rows = session.exec(
        select(Ticket, User, ChitGroup, Branch.code, owing.c.due, owing.c.overdue, owing.c.since)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .join(User, User.id == Ticket.member_id)
        .join(Branch, Branch.id == ChitGroup.branch_id)
        .outerjoin(owing, owing.c.ticket_id == Ticket.id)
        .where(*where)
        .order_by(
            case((owing.c.since.is_(None), 1), else_=0),  # overdue first, the oldest first
            owing.c.since,
            case((owing.c.first_due.is_(None), 1), else_=0),  # then what is due; paid up last
            owing.c.first_due,
            User.name,
            ChitGroup.name,
            Ticket.ticket_no,
        )
        .limit(DESK_LIMIT)
    ).all()
    fees = _late_fees(session, {row[0].id: row[2] for row in rows}, today)
    seen = payments_seen(session, [row[0].id for row in rows])
    out = []
    for ticket, user, group, code, due, overdue, since in rows:
        due, overdue = int(due or 0), int(overdue or 0)
        collect = due + fees.get(ticket.id, 0)
        out.append(
            {
                "ticket_id": str(ticket.id),
                "ticket_no": str(ticket.ticket_no),
                "name": user.name,
                "mobile": user.mobile,
                "address": user.address,
                "whatsapp": whatsapp_link(user.mobile),
                "tel": f"tel:+91{user.mobile}",
                "group": group.name,
                "branch": code,
                "state": "overdue" if overdue else ("due" if collect else "paid"),
                "due": format_inr(due) if due else "",
                "overdue": format_inr(overdue) if overdue else "",
                "overdue_since": format_date(since) if overdue and since else "",
                "fees": format_inr(fees[ticket.id]) if fees.get(ticket.id) else "",
                "collect": format_inr(collect) if collect else "",
                "collect_paise": collect,
                "collect_rupees": f"{collect // 100}.{collect % 100:02d}" if collect else "",
                "seen": str(seen[ticket.id]),  # sent back with the collection (payments_seen)
            }
        )
    return out


def desk_totals(rows: list[dict]) -> dict[str, str]:
    """The figures above the list: how many to collect from and how much in all."""
    owing = [r for r in rows if r["collect_paise"] > 0]
    return {
        "count": str(len(owing)),
        "overdue": str(sum(1 for r in owing if r["state"] == "overdue")),
        "total": format_inr(sum(r["collect_paise"] for r in owing)),
        "capped": "yes" if len(rows) >= DESK_LIMIT else "",
    }
