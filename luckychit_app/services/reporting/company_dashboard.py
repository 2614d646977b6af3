"""The collection dashboards of a company: per branch, and per collecting staff member.

What came in today and this month (receipts issued: every captured payment, refunded or not, since
a refund is money going out, not a receipt withdrawn; prize deductions are not money collected),
the cash still in staff hands (custody balances in the books, DESIGN §6), what members owe on the
months opened so far, and what is overdue (the same rule as the foreman's screens,
`foreman_scope.overdue_by_ticket`).

The owner sees every branch; a branch manager, or an accountant, sees their branch (a company-wide
accountant every branch); clerks and agents are refused (their figures are on their own desk). Each
figure is one query grouped in SQL by branch or by person, whatever the number of groups or staff.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, ist_day_bounds, today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.models import (
    Branch,
    CashHandover,
    ChitGroup,
    Installment,
    Payment,
    StaffMember,
    Ticket,
    User,
)
from luckychit_app.services.access import ROLE_LABELS, Actor, groups_in_reach, require_staff
from luckychit_app.services.money.dues import CAPTURED, open_and_due
from luckychit_app.services.money.ledger import custody_rows
from luckychit_app.services.people.companies import branches_in_reach
from luckychit_app.services.reporting.foreman_scope import overdue_by_ticket

# Prize deductions settle dues out of the member's own prize, and a recovery from a security deposit
# out of money received when the deposit was (s.21(1)(e)): neither is money coming in now.
NOT_COLLECTED_METHODS = ("prize", "deposit")


def dashboard_scope(session: Session, actor: Actor | None) -> tuple[Actor, list[Branch]]:
    """The actor, if allowed to read the books, and the branches they see."""
    actor = require_staff(actor, "books")
    return actor, branches_in_reach(session, actor)


def _window(day: date) -> tuple[datetime, datetime, datetime]:
    """(start of the month, start of the day, end of the day) of an IST calendar day, in UTC."""
    month_start, _ = ist_day_bounds(day.replace(day=1))
    return month_start, *ist_day_bounds(day)


def _collections(
    session: Session, owner_id: int, branch_ids: list[int], day: date, by: object
) -> dict[int, tuple[int, int, int, int]]:
    """{key: (count today, paise today, count this month, paise this month)}, grouped by `by`
    (the branch, or who recorded the payment)."""
    month_start, day_start, day_end = _window(day)
    today = Payment.paid_at >= day_start
    rows = session.exec(
        select(
            by,
            func.sum(case((today, 1), else_=0)),
            func.sum(case((today, Payment.amount), else_=0)),
            func.count(),
            func.sum(Payment.amount),
        )
        .where(
            Payment.foreman_id == owner_id,
            Payment.branch_id.in_(branch_ids),
            # A receipt was issued for these; refunded money was still collected on its day.
            Payment.status.in_(CAPTURED),
            Payment.method.not_in(NOT_COLLECTED_METHODS),
            Payment.paid_at >= month_start,
            Payment.paid_at < day_end,
        )
        .group_by(by)
    ).all()
    return {key: tuple(int(v or 0) for v in values) for key, *values in rows if key is not None}


def _count(n: int, paise: int) -> str:
    return f"{format_inr(paise)} ({n})" if n else "—"


def collections_by_branch(
    session: Session, *, actor: Actor | None, day: date | None = None
) -> list[dict[str, str]]:
    """One row per branch the actor sees, and a total row when there are several."""
    actor, branches = dashboard_scope(session, actor)
    if not branches:
        return []
    day = day or today_ist()
    owner, ids = actor.owner_id, [b.id for b in branches]
    money = _collections(session, owner, ids, day, Payment.branch_id)
    groups = groups_in_reach(actor)  # the groups of exactly these branches (dashboard_scope)
    outstanding = dict(
        session.exec(
            select(ChitGroup.branch_id, func.sum(Installment.amount - Installment.paid))
            .join(ChitGroup, ChitGroup.id == Installment.group_id)
            .where(Installment.group_id.in_(groups), *open_and_due())
            .group_by(ChitGroup.branch_id)
        ).all()
    )
    late = overdue_by_ticket(session, groups, day).subquery()
    overdue = {
        branch_id: (int(n), int(owing or 0))
        for branch_id, n, owing in session.exec(
            select(ChitGroup.branch_id, func.count(), func.sum(late.c.owing))
            .select_from(late)
            .join(Ticket, Ticket.id == late.c.ticket_id)
            .join(ChitGroup, ChitGroup.id == Ticket.group_id)
            .group_by(ChitGroup.branch_id)
        ).all()
    }
    held: dict[int, int] = {}
    for _group, branch_id, _user, paise in custody_rows(session, groups):
        held[branch_id] = held.get(branch_id, 0) + paise
    figures = {
        b.id: (
            *money.get(b.id, (0, 0, 0, 0)),
            held.get(b.id, 0),
            int(outstanding.get(b.id) or 0),
            *overdue.get(b.id, (0, 0)),
        )
        for b in branches
    }
    rows = [_branch_row(str(b.id), b.name, b.code, figures[b.id]) for b in branches]
    if len(branches) > 1:
        total = tuple(sum(f[i] for f in figures.values()) for i in range(8))
        rows.append(_branch_row("", "All branches", "", total))
    return rows


def _branch_row(branch_id: str, name: str, code: str, f: tuple[int, ...]) -> dict[str, str]:
    n_today, today, n_month, month, held, owing, n_late, late = f
    return {
        "id": branch_id,
        "name": name,
        "code": code,
        "today": _count(n_today, today),
        "month": _count(n_month, month),
        "cash_with_staff": format_inr(held),
        "outstanding": format_inr(owing),
        "overdue": f"{format_inr(late)} ({n_late} tickets)" if n_late else "—",
    }


def collections_by_agent(
    session: Session, *, actor: Actor | None, day: date | None = None
) -> list[dict[str, str]]:
    """One row per collecting staff member of the branches the actor sees: today, this month, the
    cash in hand and their last confirmed hand-over. Accountants and stopped accounts appear only
    when they have figures (collected this month, or still holding cash)."""
    actor, branches = dashboard_scope(session, actor)
    if not branches:
        return []
    day = day or today_ist()
    owner, ids = actor.owner_id, [b.id for b in branches]
    names = {b.id: b.name for b in branches}
    where = [StaffMember.company_id == actor.company_id]
    if actor.branch_id is not None:
        where.append(StaffMember.branch_id == actor.branch_id)
    staff = session.exec(
        select(StaffMember.user_id, StaffMember.role, StaffMember.branch_id, StaffMember.active, User.name)
        .join(User, User.id == StaffMember.user_id)
        .where(*where)
        .order_by(StaffMember.branch_id, User.name)
    ).all()
    money = _collections(session, owner, ids, day, Payment.recorded_by_id)
    held: dict[int, int] = {}
    for _group, _branch, user_id, paise in custody_rows(session, groups_in_reach(actor)):
        held[user_id] = held.get(user_id, 0) + paise
    last = dict(
        session.exec(
            select(CashHandover.from_user_id, func.max(CashHandover.decided_at))
            .where(CashHandover.branch_id.in_(ids), CashHandover.status == "confirmed")
            .group_by(CashHandover.from_user_id)
        ).all()
    )
    rows = []
    for user_id, role, branch_id, active, name in staff:
        n_today, today, n_month, month = money.get(user_id, (0, 0, 0, 0))
        cash = held.get(user_id, 0)
        if (role == "accountant" or not active) and not (n_month or cash):
            continue
        handed = last.get(user_id)
        rows.append(
            {
                "user_id": str(user_id),
                "name": name,
                "role": ROLE_LABELS.get(role, role),
                "branch": names.get(branch_id, "All branches"),
                "active": "yes" if active else "",
                "today": _count(n_today, today),
                "month": _count(n_month, month),
                "cash": format_inr(cash),
                "last_handover": format_datetime_ist(handed) if handed else "—",
            }
        )
    return rows
