"""Read models for the foreman's desktop: the home dashboard (cards, charts, recent activity), the
pending-actions lists, the paginated groups list, the member directory and a group's collection grid.

Every figure is an aggregate over installments and payment allocations (what the payment service
applies to dues), so the dashboard always agrees with passbooks and receipts; nothing here keeps a
counter of its own. Each function scopes its queries to the foreman's groups with a sub-select
(never a Python list of ids), runs a fixed number of set-based queries whatever the size of the
book, and returns small dicts of display strings for the page state. A foreman with 100 groups and
4,000 members therefore loads the dashboard with the same dozen queries as one with a single group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

import segno
from sqlalchemy import case, func, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist, utcnow
from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import (
    ChitGroup,
    Dispute,
    Draw,
    Installment,
    JoinRequest,
    KycRecord,
    MonthTotal,
    Payment,
    PaymentAllocation,
    Payout,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, group_for_foreman, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.setup import SEATED, update_group
from luckychit_app.settings import get_settings

METHOD_LABELS = {
    "cash": "Cash",
    "bank": "Bank transfer",
    "upi": "UPI",
    "online": "Online",
    "prize": "From prize",
}
METHODS = tuple(METHOD_LABELS)
MAX_PAGE = 100
CHART_MONTHS = 12


# --- shared helpers -----------------------------------------------------------------------------


def page_window(offset: object, limit: object, *, max_limit: int = MAX_PAGE) -> tuple[int, int]:
    """A safe (offset, limit) from browser-supplied paging values: lists are always paged on the
    server, and a crafted event must not ask for a million rows or a negative page."""
    values = []
    for value, lo, hi in ((offset, 0, 10_000_000), (limit, 1, max_limit)):
        if isinstance(value, bool):
            raise ServiceError("Invalid page.")
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 9:
            value = int(value.strip())
        if not isinstance(value, int):
            raise ServiceError("Invalid page.")
        values.append(min(max(value, lo), hi))
    return values[0], values[1]


def clean_search(value: object) -> str:
    """A search box's text, trimmed; LIKE wildcards are escaped so they match literally."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 80:
        raise ServiceError("Search text must be at most 80 characters.", "search")
    return value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def owned_groups(actor: Actor) -> Select:
    """Sub-select of the ids of the groups this foreman runs (used inside IN, never materialised)."""
    return select(ChitGroup.id).where(ChitGroup.foreman_id == actor.user_id)


def _foreman(actor: Actor | None) -> Actor:
    return require_role(actor, "foreman")


def _paid_per_installment(group_ids: Select) -> object:
    """(installment id, amount applied) for installments of the given groups.

    Reads `Installment.paid`, the sum of the allocations that the database keeps with triggers
    (migration 0005): summing payment_allocations here cost ~300 ms per figure on a 100-group book.
    """
    return (
        select(Installment.id.label("iid"), Installment.paid.label("paid"))
        .where(Installment.group_id.in_(group_ids))
        .subquery()
    )


def pct(part: int, whole: int) -> str:
    """Whole percent, rounded down so 99.6% never shows as a finished 100%."""
    return f"{part * 100 // whole}%" if whole else "—"


def _aware(moment: datetime) -> datetime:
    return to_ist(moment)


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '12 min ago', '3 h ago', 'yesterday 18:05', or the IST date for older events."""
    at = to_ist(moment)
    now_ist = to_ist(now or utcnow())
    seconds = int((now_ist - at).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if at.date() == now_ist.date():
        return f"{seconds // 3600} h ago"
    if at.date() == now_ist.date() - timedelta(days=1):
        return f"yesterday {at:%H:%M}"
    return f"{format_date(at.date())} {at:%H:%M}"


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _month_label(first: date) -> str:
    return first.strftime("%b %Y")


# --- the home dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingCounts:
    overdue_tickets: int
    overdue_amount: int
    upi_to_confirm: int
    join_requests: int
    draws_due: int
    payouts_to_release: int
    open_queries: int

    @property
    def total(self) -> int:
        return (
            self.overdue_tickets
            + self.upi_to_confirm
            + self.join_requests
            + self.draws_due
            + self.payouts_to_release
            + self.open_queries
        )


def overdue_by_ticket(session: Session, group_ids: Select, today: date) -> Select:
    """Select of (ticket id, overdue paise, oldest overdue due date) for tickets owing past dues.

    Overdue means the due date has passed and the month is open (dues of months not yet opened
    cannot be paid, so they are never counted against a member)."""
    owing = Installment.amount - Installment.paid
    return (
        select(
            Installment.ticket_id.label("ticket_id"),
            func.sum(owing).label("owing"),
            func.min(Installment.due_date).label("since"),
        )
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(
            Installment.group_id.in_(group_ids),
            Installment.month <= ChitGroup.current_month,
            Installment.due_date < today,
            Installment.paid < Installment.amount,  # the partial index ix_installment_open
        )
        .group_by(Installment.ticket_id)
    )


class DrawDue(NamedTuple):
    draw_id: int
    month: int
    kind: str
    group_id: int
    group: str
    tickets: int
    when: date


def _draws_due(session: Session, group_ids: Select, today: date) -> list[DrawDue]:
    """Open draws whose draw date has arrived (one open draw per running group at most). Plain
    columns: every dashboard load counts these across all of a foreman's groups."""
    rows = session.exec(
        select(
            Draw.id,
            Draw.month,
            Draw.kind,
            ChitGroup.id,
            ChitGroup.name,
            ChitGroup.tickets,
            ChitGroup.start_date,
            ChitGroup.draw_day,
        )
        .join(ChitGroup, ChitGroup.id == Draw.group_id)
        .where(
            Draw.group_id.in_(group_ids),
            Draw.status.in_(("committed", "bidding")),
            ChitGroup.status == "active",
        )
        .order_by(Draw.group_id)
    ).all()
    due = []
    for draw_id, month, kind, group_id, name, tickets, start_date, draw_day in rows:
        when = due_date_for(start_date, month, draw_day) if start_date else today
        if when <= today:
            due.append(DrawDue(draw_id, month, kind, group_id, name, tickets, when))
    return due


def pending_counts(session: Session, *, actor: Actor, today: date | None = None) -> PendingCounts:
    return _counts(session, actor, today or today_ist())[1]


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
        draws_due=len(_draws_due(session, ids, today)),
        payouts_to_release=payouts,
        open_queries=queries,
    )
    return {"active": active, "forming": forming, "members": members, "tickets": tickets}, pending


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
    actor = _foreman(actor)
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
    actor = _foreman(actor)
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
    actor = _foreman(actor)
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
    actor = _foreman(actor)
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
        how = METHOD_LABELS.get(method, method)
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
    events.sort(key=lambda e: _aware(e[0]), reverse=True)
    now = now or utcnow()
    return [{**item, "when": relative_time(at, now)} for at, item in events[:limit]]


# --- pending actions ----------------------------------------------------------------------------


def pending_actions(session: Session, *, actor: Actor | None, today: date | None = None) -> dict:
    """The lists behind the Pending Actions card (each capped; every list links to where it is done).

    Overdue members are listed on the collections page, which pages through them on the server."""
    actor = _foreman(actor)
    today = today or today_ist()
    ids = owned_groups(actor)
    cap = 50
    upi = session.exec(
        select(Payment, User, ChitGroup, Ticket)
        .join(User, User.id == Payment.payer_id)
        .join(ChitGroup, ChitGroup.id == Payment.group_id)
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .where(Payment.group_id.in_(ids), Payment.method == "upi", Payment.status == "pending")
        .order_by(Payment.created_at)
        .limit(cap)
    ).all()
    joins = session.exec(
        select(JoinRequest, User, ChitGroup)
        .join(User, User.id == JoinRequest.user_id)
        .join(ChitGroup, ChitGroup.id == JoinRequest.group_id)
        .where(JoinRequest.group_id.in_(ids), JoinRequest.status == "pending")
        .order_by(JoinRequest.created_at)
        .limit(cap)
    ).all()
    payouts = session.exec(
        select(Payout, ChitGroup, Ticket, User, Draw)
        .join(ChitGroup, ChitGroup.id == Payout.group_id)
        .join(Ticket, Ticket.id == Payout.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .join(Draw, Draw.id == Payout.draw_id)
        .where(Payout.group_id.in_(ids), Payout.status == "payable")
        .order_by(Payout.id)
        .limit(cap)
    ).all()
    queries = session.exec(
        select(Dispute, User, ChitGroup)
        .join(User, User.id == Dispute.raised_by_id)
        .join(ChitGroup, ChitGroup.id == Dispute.group_id)
        .where(Dispute.group_id.in_(ids), Dispute.status == "open")
        .order_by(Dispute.updated_at)
        .limit(cap)
    ).all()
    return {
        "upi": [
            {
                "id": str(p.id),
                "member": u.name,
                "group": g.name,
                "ticket": str(t.ticket_no),
                "amount": format_inr(p.amount),
                "utr": p.utr or "—",
                "when": relative_time(p.created_at),
                "link": f"/f/groups/{g.id}",
            }
            for p, u, g, t in upi
        ],
        "joins": [
            {
                "id": str(r.id),
                "member": u.name,
                "mobile": u.mobile,
                "group": g.name,
                "message": r.message if r.message != "-" else "",
                "when": relative_time(r.created_at),
            }
            for r, u, g in joins
        ],
        "draws": [
            {
                "id": str(d.draw_id),
                "group": d.group,
                "month": f"Month {d.month} of {d.tickets}",
                "kind": "Auction" if d.kind == "auction" else "Lucky draw",
                "date": format_date(d.when),
                "link": f"/f/groups/{d.group_id}",
            }
            for d in _draws_due(session, ids, today)
        ],
        "payouts": [
            {
                "id": str(p.id),
                "group": g.name,
                "member": u.name,
                "ticket": str(t.ticket_no),
                "month": str(d.month),
                "amount": format_inr(p.gross),
                "link": f"/f/groups/{g.id}",
            }
            for p, g, t, u, d in payouts
        ],
        "queries": [
            {
                "id": str(q.id),
                "title": q.title,
                "member": u.name,
                "group": g.name,
                "when": relative_time(q.updated_at),
            }
            for q, u, g in queries
        ],
    }


# --- groups list -----------------------------------------------------------------------------


def groups_list(
    session: Session,
    *,
    actor: Actor | None,
    offset: object = 0,
    limit: object = 25,
    search: object = "",
    status: object = "",
    today: date | None = None,
) -> tuple[list[dict[str, str]], int]:
    """One page of the foreman's groups with month k of N and this month's collection %."""
    actor = _foreman(actor)
    first, size = page_window(offset, limit)
    text = clean_search(search)
    if status not in ("", "forming", "active", "completed", "cancelled"):
        raise ServiceError("Unknown status.", "status")
    today = today or today_ist()
    where = [ChitGroup.foreman_id == actor.user_id]
    if text:
        where.append(ChitGroup.name.ilike(f"%{text}%", escape="\\"))
    if status:
        where.append(ChitGroup.status == status)
    total = session.exec(select(func.count()).select_from(ChitGroup).where(*where)).one()
    groups = session.exec(
        select(ChitGroup)
        .where(*where)
        .order_by((ChitGroup.status != "active"), ChitGroup.id.desc())
        .offset(first)
        .limit(size)
    ).all()
    page_ids = [g.id for g in groups]
    seats: dict[int, int] = {}
    money: dict[int, tuple[int, int]] = {}
    if page_ids:
        seats = dict(
            session.exec(
                select(Ticket.group_id, func.count())
                .where(Ticket.group_id.in_(page_ids), Ticket.status.in_(SEATED))
                .group_by(Ticket.group_id)
            ).all()
        )
        paid = _paid_per_installment(select(ChitGroup.id).where(ChitGroup.id.in_(page_ids)))
        for gid, due, got in session.exec(
            select(
                Installment.group_id,
                func.sum(Installment.amount),
                func.coalesce(func.sum(paid.c.paid), 0),
            )
            .join(ChitGroup, ChitGroup.id == Installment.group_id)
            .outerjoin(paid, paid.c.iid == Installment.id)
            .where(Installment.group_id.in_(page_ids), Installment.month == ChitGroup.current_month)
            .group_by(Installment.group_id)
        ).all():
            money[gid] = (int(due), int(got))
    rows = []
    for g in groups:
        due, got = money.get(g.id, (0, 0))
        rows.append(
            {
                "id": str(g.id),
                "name": g.name,
                "kind": "Auction" if g.kind == "auction" else "Lucky draw",
                "value": format_inr_compact(g.chit_value),
                "members": f"{seats.get(g.id, 0)}/{g.tickets}",
                "status": g.status,
                "stage": (
                    f"Month {g.current_month} of {g.tickets}"
                    if g.status == "active"
                    else g.status.capitalize()
                ),
                "collection": f"{format_inr_compact(got)} of {format_inr_compact(due)}" if due else "—",
                "collection_pct": pct(got, due),
                "pct_value": str(got * 100 // due if due else 0),
            }
        )
    return rows, int(total)


# --- member directory / a group's members tab ------------------------------------------------------


def member_rows(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object = None,
    offset: object = 0,
    limit: object = 25,
    search: object = "",
    status: object = "",
    today: date | None = None,
) -> tuple[list[dict[str, str]], int]:
    """One page of tickets with their member, dues and KYC status: across all the foreman's groups
    (the directory) or in one group (its Members tab, which refuses other foremen's groups)."""
    actor = _foreman(actor)
    first, size = page_window(offset, limit)
    text = clean_search(search)
    if status not in ("", "pending", "active", "suspended", "removed"):
        raise ServiceError("Unknown status.", "status")
    today = today or today_ist()
    where = [Ticket.group_id.in_(owned_groups(actor))]
    if group_id not in (None, ""):
        group = group_for_foreman(session, actor, group_id)
        where.append(Ticket.group_id == group.id)
    if text:
        where.append(
            or_(User.name.ilike(f"%{text}%", escape="\\"), User.mobile.like(f"%{text}%", escape="\\"))
        )
    if status:
        where.append(Ticket.status == status)
    base = (
        select(Ticket, User, ChitGroup)
        .join(User, User.id == Ticket.member_id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
    )
    total = session.exec(
        select(func.count()).select_from(Ticket).join(User, User.id == Ticket.member_id).where(*where)
    ).one()
    rows = session.exec(
        base.where(*where).order_by(ChitGroup.id.desc(), Ticket.ticket_no).offset(first).limit(size)
    ).all()
    ticket_ids = [t.id for t, _, _ in rows]
    owed: dict[int, tuple[int, int, date | None]] = {}
    kyc: dict[int, str] = {}
    if ticket_ids:
        paid = (
            select(
                PaymentAllocation.installment_id.label("iid"),
                func.sum(PaymentAllocation.amount).label("paid"),
            )
            .join(Installment, Installment.id == PaymentAllocation.installment_id)
            .where(Installment.ticket_id.in_(ticket_ids))
            .group_by(PaymentAllocation.installment_id)
            .subquery()
        )
        left = Installment.amount - func.coalesce(paid.c.paid, 0)
        for tid, due_now, overdue, since in session.exec(
            select(
                Installment.ticket_id,
                func.sum(left),
                func.sum(case((Installment.due_date < today, left), else_=0)),
                func.min(Installment.due_date),
            )
            .join(ChitGroup, ChitGroup.id == Installment.group_id)
            .outerjoin(paid, paid.c.iid == Installment.id)
            .where(
                Installment.ticket_id.in_(ticket_ids),
                Installment.month <= ChitGroup.current_month,
                left > 0,
            )
            .group_by(Installment.ticket_id)
        ).all():
            owed[tid] = (int(due_now or 0), int(overdue or 0), since)
        kyc = dict(
            session.exec(
                select(KycRecord.user_id, KycRecord.status).where(
                    KycRecord.user_id.in_({u.id for _, u, _ in rows})
                )
            ).all()
        )
    out = []
    for t, u, g in rows:
        due_now, overdue, since = owed.get(t.id, (0, 0, None))
        out.append(
            {
                "ticket_id": str(t.id),
                "ticket_no": str(t.ticket_no),
                "name": u.name,
                "mobile": u.mobile,
                "group_id": str(g.id),
                "group": g.name,
                "group_forming": "yes" if g.status == "forming" else "",
                "status": t.status,
                "reason": t.status_reason if t.status_reason not in ("", "-") else "",
                "prized": f"Month {t.prized_month}" if t.prized_month else "—",
                "dues": format_inr(due_now) if due_now else "—",
                "overdue": format_inr(overdue) if overdue else "",
                "overdue_since": format_date(since) if overdue and since else "",
                "kyc": kyc.get(u.id, "none"),
                "is_foreman": "yes" if u.id == actor.user_id else "",
            }
        )
    return out, int(total)


# --- a group's collection grid -------------------------------------------------------------------


def collection_grid(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    offset: object = 0,
    limit: object = 25,
    today: date | None = None,
) -> dict:
    """Member × month grid of one group, one page of tickets at a time.

    Each cell is `paid` (fully settled), `partial` (something paid, not all), `overdue` (nothing
    paid and the due date has passed) or `upcoming` (nothing paid, not yet due or not yet opened).
    """
    group = group_for_foreman(session, actor, group_id)
    first, size = page_window(offset, limit, max_limit=50)
    today = today or today_ist()
    total = session.exec(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
    ).one()
    tickets = session.exec(
        select(Ticket, User)
        .join(User, User.id == Ticket.member_id)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
        .order_by(Ticket.ticket_no)
        .offset(first)
        .limit(size)
    ).all()
    ticket_ids = [t.id for t, _ in tickets]
    cells: dict[tuple[int, int], tuple[Installment, int]] = {}
    if ticket_ids:
        paid = (
            select(
                PaymentAllocation.installment_id.label("iid"),
                func.sum(PaymentAllocation.amount).label("paid"),
            )
            .join(Installment, Installment.id == PaymentAllocation.installment_id)
            .where(Installment.ticket_id.in_(ticket_ids))
            .group_by(PaymentAllocation.installment_id)
            .subquery()
        )
        for inst, got in session.exec(
            select(Installment, func.coalesce(paid.c.paid, 0))
            .outerjoin(paid, paid.c.iid == Installment.id)
            .where(Installment.ticket_id.in_(ticket_ids))
        ).all():
            cells[(inst.ticket_id, inst.month)] = (inst, int(got))
    months = list(range(1, group.tickets + 1))
    running = group.status in ("active", "completed")
    flat: list[dict[str, str]] = [
        {
            "kind": "head",
            "text": "Ticket / member",
            "status": "",
            "ticket_id": "",
            "month": "",
            "title": "",
            "amount": "",
        }
    ]
    for m in months:
        when = ""
        if group.start_date:
            when = format_date(due_date_for(group.start_date, m, group.draw_day))
        flat.append(
            {
                "kind": "head",
                "text": f"M{m}",
                "status": "",
                "ticket_id": "",
                "month": str(m),
                "title": f"Month {m}" + (f", due {when}" if when else ""),
                "amount": "",
            }
        )
    counts: dict[str, int] = defaultdict(int)
    for t, u in tickets:
        flat.append(
            {
                "kind": "name",
                "text": f"#{t.ticket_no} {u.name}",
                "status": t.status,
                "ticket_id": str(t.id),
                "month": "",
                "title": f"{u.name} · {u.mobile}",
                "amount": "",
            }
        )
        for m in months:
            inst, got = cells.get((t.id, m), (None, 0))
            if inst is None:
                state, label, title, owing = "upcoming", "", f"Month {m}: not scheduled yet", 0
            else:
                owing = inst.amount - got
                opened = running and m <= group.current_month
                if owing <= 0:
                    state, label = "paid", "✓"
                elif got > 0:
                    state, label = "partial", format_inr_compact(owing)
                elif opened and inst.due_date < today:
                    state, label = "overdue", format_inr_compact(owing)
                else:
                    state, label = "upcoming", ""
                title = (
                    f"Month {m} · due {format_date(inst.due_date)} · {format_inr(inst.amount)}"
                    f" · paid {format_inr(got)}"
                )
            counts[state] += 1
            clickable = running and inst is not None and owing > 0 and m <= group.current_month
            flat.append(
                {
                    "kind": "cell",
                    "text": label,
                    "status": state,
                    "ticket_id": str(t.id) if clickable else "",
                    "month": str(m),
                    "title": title,
                    "amount": _rupees(_owing_up_to(cells, t.id, m)) if clickable else "",
                }
            )
    return {
        "cells": flat,
        "columns": str(len(months) + 1),
        "total": int(total),
        "counts": {k: str(v) for k, v in counts.items()},
    }


def _owing_up_to(cells: dict[tuple[int, int], tuple[Installment, int]], ticket_id: int, month: int) -> int:
    """What the ticket owes up to and including `month`: a payment clears the oldest dues first,
    so paying a later month's cell must cover the earlier ones too."""
    return sum(
        max(inst.amount - got, 0)
        for (tid, m), (inst, got) in cells.items()
        if tid == ticket_id and m <= month
    )


def _rupees(paise: int) -> str:
    """Paise as the rupee text the payment form accepts (no grouping, two decimals only if needed)."""
    whole, rest = divmod(paise, 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}"


def group_invite(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    """The invite link with its QR code (an SVG data URI) and the group's pending join requests."""
    group = group_for_foreman(session, actor, group_id)
    link = f"{get_settings().public_url}/join/{group.invite_code}"
    requests = session.exec(
        select(JoinRequest, User)
        .join(User, User.id == JoinRequest.user_id)
        .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending")
        .order_by(JoinRequest.id)
    ).all()
    return {
        "link": link,
        "qr": segno.make(link, error="m").svg_data_uri(scale=5, dark="#0f172a"),
        "is_forming": group.status == "forming",
        "requests": [
            {
                "id": str(r.id),
                "name": u.name,
                "mobile": u.mobile,
                "message": r.message if r.message != "-" else "",
                "when": relative_time(r.created_at),
            }
            for r, u in requests
        ],
    }


def group_settings(session: Session, *, actor: Actor | None, group_id: object) -> dict[str, str]:
    """The group's editable basics and its terms as the settings tab shows them."""
    group = group_for_foreman(session, actor, group_id)
    return {
        "name": group.name,
        "upi_vpa": group.upi_vpa or "",
        "status": group.status,
        "terms_locked": "" if group.status == "forming" else "yes",
        "kind": "Auction" if group.kind == "auction" else "Lucky draw",
        "value": format_inr(group.chit_value),
        "tickets": str(group.tickets),
        "commission": f"{group.commission_bp / 100:g}%",
        "draw_day": str(group.draw_day),
        "late_fee": (
            "None"
            if group.late_fee_mode == "none"
            else f"{format_inr(group.late_fee_flat)} a month after {group.grace_days} grace days"
            if group.late_fee_mode == "flat"
            else f"{group.late_fee_interest_bp / 100:g}% a month after {group.grace_days} grace days"
        ),
        "start": format_date(group.start_date) if group.start_date else "—",
        "invite_code": group.invite_code,
    }


def save_group_basics(
    session: Session, *, actor: Actor | None, group_id: object, name: object, upi_vpa: object
) -> ChitGroup:
    """Rename the group or change its UPI ID, keeping every term exactly as it is (the groups
    service refuses term changes once the group runs, and audits what changed)."""
    group = group_for_foreman(session, actor, group_id)
    form = {
        "name": name,
        "upi_vpa": upi_vpa,
        "kind": group.kind,
        "chit_value": _rupees(group.chit_value),
        "tickets": str(group.tickets),
        "commission_pct": _bp_text(group.commission_bp),
        "max_discount_pct": _bp_text(group.max_discount_bp),
        "min_bid_step": _rupees(group.min_bid_step),
        "foreman_first_chit": group.foreman_first_chit,
        "remainder_to": group.remainder_to,
        "late_fee_mode": group.late_fee_mode,
        "late_fee_flat": _rupees(group.late_fee_flat),
        "late_fee_interest_pct": _bp_text(group.late_fee_interest_bp),
        "grace_days": str(group.grace_days),
        "draw_day": str(group.draw_day),
    }
    return update_group(session, actor=actor, group_id=group.id, form=form)


def _bp_text(bp: int) -> str:
    """Basis points as the percentage text the group form accepts ("5.00", "2.50")."""
    return f"{bp // 100}.{bp % 100:02d}"


def ticket_in_group(session: Session, *, actor: Actor | None, ticket_id: object) -> Ticket:
    """The ticket, if it belongs to one of the actor's groups."""
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    if ticket is None:
        raise NotAllowed()
    group_for_foreman(session, actor, ticket.group_id)
    return ticket
