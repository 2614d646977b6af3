"""The foreman's home dashboard: the statistics cards, due-vs-collected by month (stacked by payment
method), the groups owing most, and the recent-activity feed.

Every figure is an aggregate over installments, payment allocations and the ``month_totals`` rollup
(what money.allocation applies to dues), so the dashboard always agrees with passbooks and
receipts; nothing here keeps a counter of its own. Each function scopes its queries to the
foreman's groups with a sub-select and runs a fixed number of set-based queries whatever the size of
the book, so a foreman with 100 groups and 4,000 members loads it with the same dozen queries as one
with a single group.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import to_ist, today_ist, utcnow
from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.models import (
    ChitGroup,
    Dispute,
    Draw,
    Installment,
    JoinRequest,
    MonthTotal,
    Payment,
    Payout,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.groups.terms import SEATED
from luckychit_app.services.money.payment_methods import METHOD_SHORT_LABELS, METHODS
from luckychit_app.services.reporting.display import pct, relative_time
from luckychit_app.services.reporting.foreman_scope import overdue_by_ticket, owned_groups
from luckychit_app.services.reporting.pending_actions import PendingCounts, draws_due, ticket_changes

CHART_MONTHS = 12


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _month_label(first: date) -> str:
    return first.strftime("%b %Y")


def _counts(session: Session, actor: Actor, today: date) -> tuple[dict[str, int], PendingCounts]:
    """Every count on the cards in one statement of scalar sub-selects (they were ten round trips,
    each a few milliseconds of driver and ORM time on every dashboard load)."""
    ids = owned_groups(actor)
    overdue = overdue_by_ticket(session, ids, today).cte("overdue")  # read twice, computed once

    def count(model: type, *where: object) -> object:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = session.exec(
        select(
            count(ChitGroup, ChitGroup.id.in_(ids), ChitGroup.status == "active"),
            count(ChitGroup, ChitGroup.id.in_(ids), ChitGroup.status == "forming"),
            select(func.count(func.distinct(Ticket.member_id)))
            .where(Ticket.group_id.in_(ids), Ticket.status.in_(SEATED), Ticket.member_id != actor.user_id)
            .scalar_subquery(),
            count(Ticket, Ticket.group_id.in_(ids), Ticket.status.in_(SEATED)),
            select(func.count()).select_from(overdue).scalar_subquery(),
            select(func.coalesce(func.sum(overdue.c.owing), 0)).scalar_subquery(),
            count(Payment, Payment.group_id.in_(ids), Payment.method == "upi", Payment.status == "pending"),
            count(JoinRequest, JoinRequest.group_id.in_(ids), JoinRequest.status == "pending"),
            count(Payout, Payout.group_id.in_(ids), Payout.status == "payable"),
            count(Dispute, Dispute.group_id.in_(ids), Dispute.status == "open"),
        )
    ).one()
    active, forming, members, tickets, n_overdue, owing, upi, joins, payouts, queries = map(int, row)
    pending = PendingCounts(
        overdue_tickets=n_overdue,
        overdue_amount=owing,
        upi_to_confirm=upi,
        join_requests=joins,
        draws_due=len(draws_due(session, ids, today)),
        payouts_to_release=payouts,
        open_queries=queries,
        ticket_changes=sum(len(rows) for rows in ticket_changes(session, ids, today).values()),
    )
    return {"active": active, "forming": forming, "members": members, "tickets": tickets}, pending


def pending_counts(session: Session, *, actor: Actor, today: date | None = None) -> PendingCounts:
    """The numbers on the Pending Actions card."""
    return _counts(session, actor, today or today_ist())[1]


def month_collection(session: Session, group_ids: Select, today: date) -> tuple[int, int]:
    """(due, collected) on installments falling due in today's calendar month (IST).

    Read from the `month_totals` rollup (migration 0006): collected is every method's bucket, which
    equals the sum of `installments.paid` over the month's dues."""
    due = collected = 0
    for kind, amount in session.exec(
        select(MonthTotal.kind, func.sum(MonthTotal.amount))
        .where(MonthTotal.group_id.in_(group_ids), MonthTotal.month == _month_start(today))
        .group_by(MonthTotal.kind)
    ).all():
        if kind == "due":
            due += int(amount)
        else:
            collected += int(amount)
    return due, collected


def cards(session: Session, *, actor: Actor | None, today: date | None = None) -> dict[str, str]:
    """The four statistics cards and the pending-actions breakdown, as display strings."""
    actor = require_role(actor, "foreman")
    today = today or today_ist()
    groups, pending = _counts(session, actor, today)
    active, forming = groups["active"], groups["forming"]
    members, tickets = groups["members"], groups["tickets"]
    due, collected = month_collection(session, owned_groups(actor), today)
    return {
        "active_groups": str(active),
        "groups_note": f"{forming} forming" if forming else "none forming",
        "total_members": f"{members:,}",
        "members_note": f"{tickets:,} tickets held",
        "month_collected": format_inr_compact(collected),
        "month_due": format_inr_compact(due),
        "month_pct": pct(collected, due),
        "month_pct_value": str(collected * 100 // due if due else 0),
        "month_label": today.strftime("%B %Y"),
        "pending_total": str(pending.total),
        "overdue": str(pending.overdue_tickets),
        "overdue_amount": format_inr(pending.overdue_amount),
        "upi": str(pending.upi_to_confirm),
        "joins": str(pending.join_requests),
        "draws": str(pending.draws_due),
        "payouts": str(pending.payouts_to_release),
        "queries": str(pending.open_queries),
    }


@dataclass(frozen=True)
class CollectionSeries:
    """Per calendar month (oldest first): what fell due and what was collected on it, by method."""

    labels: list[str]
    due: list[int]
    collected: dict[str, list[int]]


def collection_series(
    session: Session, *, actor: Actor | None, today: date | None = None, months: int = CHART_MONTHS
) -> CollectionSeries:
    """Due vs collected for the last `months` calendar months, collections stacked by method.

    A month's "collected" is what payments have applied to installments that fell due in that
    month, so the bar never exceeds the due line and an early payment counts where it belongs."""
    actor = require_role(actor, "foreman")
    today = today or today_ist()
    ids = owned_groups(actor)
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    index = {(d.year, d.month): i for i, d in enumerate(starts)}
    due = [0] * months
    collected = {m: [0] * months for m in METHODS}
    # The rollup holds these sums per group and month (migration 0006); joining a year of
    # allocations to their payments here cost 100-150 ms on a 100-group book.
    for month, kind, amount in session.exec(
        select(MonthTotal.month, MonthTotal.kind, func.sum(MonthTotal.amount))
        .where(MonthTotal.group_id.in_(ids), MonthTotal.month >= starts[0], MonthTotal.month <= starts[-1])
        .group_by(MonthTotal.month, MonthTotal.kind)
    ).all():
        slot = index[(month.year, month.month)]
        if kind == "due":
            due[slot] += int(amount)
        else:
            collected.setdefault(kind, [0] * months)[slot] += int(amount)
    return CollectionSeries([_month_label(d) for d in starts], due, collected)


def outstanding_by_group(
    session: Session, *, actor: Actor | None, today: date | None = None, limit: int = 15
) -> list[tuple[str, int]]:
    """(group name, dues fallen due and unpaid) for the groups owing most, largest first."""
    actor = require_role(actor, "foreman")
    today = today or today_ist()
    ids = owned_groups(actor)
    owing = Installment.amount - Installment.paid
    total = func.sum(owing)
    rows = session.exec(
        select(ChitGroup.name, total)
        .join(Installment, Installment.group_id == ChitGroup.id)
        .where(
            ChitGroup.id.in_(ids),
            Installment.month <= ChitGroup.current_month,
            Installment.due_date <= today,
            Installment.paid < Installment.amount,  # the partial index ix_installment_open
        )
        .group_by(ChitGroup.id, ChitGroup.name)
        .order_by(total.desc())
        .limit(limit)
    ).all()
    return [(name, int(amount)) for name, amount in rows]


def recent_activity(
    session: Session, *, actor: Actor | None, limit: int = 12, now: datetime | None = None
) -> list[dict[str, str]]:
    """The latest payments, draws, joins and payouts in the foreman's groups, newest first."""
    actor = require_role(actor, "foreman")
    ids = owned_groups(actor)
    events: list[tuple[datetime, dict[str, str]]] = []

    def add(
        when: datetime, kind: str, icon: str, text: str, group_id: int, group: str, link: str = ""
    ) -> None:
        link = link or f"/f/groups/{group_id}"
        events.append((when, {"kind": kind, "icon": icon, "text": text, "group": group, "link": link}))

    # Plain columns throughout: this runs on every dashboard load and needs a dozen rows of each
    # kind, not Payment, User, Draw and ChitGroup objects with all their columns.
    for paid_at, amount, method, name, gid, group in session.exec(
        select(Payment.paid_at, Payment.amount, Payment.method, User.name, ChitGroup.id, ChitGroup.name)
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .where(Payment.group_id.in_(ids), Payment.status == "captured", Payment.paid_at.is_not(None))
        .order_by(Payment.paid_at.desc(), Payment.id.desc())
        .limit(limit)
    ).all():
        how = METHOD_SHORT_LABELS.get(method, method)
        add(paid_at, "payment", "indian-rupee", f"{name} paid {format_inr(amount)} ({how})", gid, group)
    for created_at, amount, name, gid, group in session.exec(
        select(Payment.created_at, Payment.amount, User.name, ChitGroup.id, ChitGroup.name)
        .join(User, User.id == Payment.payer_id)
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .where(Payment.group_id.in_(ids), Payment.method == "upi", Payment.status == "pending")
        .order_by(Payment.created_at.desc())
        .limit(limit)
    ).all():
        text = f"{name} sent {format_inr(amount)} by UPI (to confirm)"
        add(created_at, "upi", "smartphone", text, gid, group)
    winner, winner_user = aliased(Ticket), aliased(User)
    for drawn_at, kind, month, prize, ticket_no, name, gid, group in session.exec(
        select(
            Draw.drawn_at,
            Draw.kind,
            Draw.month,
            Draw.prize,
            winner.ticket_no,
            winner_user.name,
            ChitGroup.id,
            ChitGroup.name,
        )
        .join(ChitGroup, ChitGroup.id == Draw.group_id)
        .outerjoin(winner, winner.id == Draw.winner_ticket_id)
        .outerjoin(winner_user, winner_user.id == winner.member_id)
        .where(Draw.group_id.in_(ids), Draw.status == "completed", Draw.drawn_at.is_not(None))
        .order_by(Draw.drawn_at.desc())
        .limit(limit)
    ).all():
        what = "Auction" if kind == "auction" else "Draw"
        text = f"{what} for month {month}: ticket {ticket_no or 0} ({name or '?'}) won {format_inr(prize)}"
        add(drawn_at, "draw", "trophy", text, gid, group)
    for joined_at, ticket_no, name, gid, group in session.exec(
        select(Ticket.joined_at, Ticket.ticket_no, User.name, ChitGroup.id, ChitGroup.name)
        .join(User, User.id == Ticket.member_id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(Ticket.group_id.in_(ids), Ticket.member_id != actor.user_id)
        .order_by(Ticket.joined_at.desc(), Ticket.id.desc())
        .limit(limit)
    ).all():
        add(joined_at, "join", "user-plus", f"{name} joined with ticket {ticket_no}", gid, group)
    for created_at, name, gid, group in session.exec(
        select(JoinRequest.created_at, User.name, ChitGroup.id, ChitGroup.name)
        .join(User, User.id == JoinRequest.user_id)
        .join(ChitGroup, ChitGroup.id == JoinRequest.group_id)
        .where(JoinRequest.group_id.in_(ids), JoinRequest.status == "pending")
        .order_by(JoinRequest.created_at.desc())
        .limit(limit)
    ).all():
        add(created_at, "request", "user-round-plus", f"{name} asked to join", gid, group, "/f/actions")
    for released_at, gross, deduction, gid, group in session.exec(
        select(Payout.released_at, Payout.gross, Payout.deduction, ChitGroup.id, ChitGroup.name)
        .join(ChitGroup, ChitGroup.id == Payout.group_id)
        .where(Payout.group_id.in_(ids), Payout.status == "released", Payout.released_at.is_not(None))
        .order_by(Payout.released_at.desc())
        .limit(limit)
    ).all():
        add(
            released_at,
            "payout",
            "hand-coins",
            f"Prize of {format_inr(gross - deduction)} released",
            gid,
            group,
        )
    events.sort(key=lambda e: to_ist(e[0]), reverse=True)
    now = now or utcnow()
    return [{**item, "when": relative_time(at, now)} for at, item in events[:limit]]
