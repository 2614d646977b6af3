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
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from sqlalchemy import bindparam, func
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import today_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.domain.wording import count_text, plural
from luckychit_app.models import (
    ChitGroup,
    Dispute,
    Draw,
    Installment,
    JoinRequest,
    MonthTotal,
    Payment,
    Payout,
    TaxInvoice,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.groups.terms import SEATED
from luckychit_app.services.money.ledger import balance
from luckychit_app.services.money.payment_methods import METHOD_SHORT_LABELS, METHODS
from luckychit_app.services.reporting.display import pct, relative_time
from luckychit_app.services.reporting.foreman_scope import (
    FOREMAN,
    OWNED_GROUPS,
    overdue_by_ticket,
    owned_groups,
)
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
    """The four statistics cards and the pending-actions breakdown, as display strings: each count
    as a number ("draws") and as words ("draws_label": "1 draw due"); each rounded amount ("₹7.05L")
    beside its exact figure ("month_collected_exact": "₹7,05,000"), which a foreman reconciling
    cash needs (shown in the card's detail and on hover)."""
    actor = require_role(actor, "foreman")
    today = today or today_ist()
    groups, pending = _counts(session, actor, today)
    active, forming = groups["active"], groups["forming"]
    members, tickets = groups["members"], groups["tickets"]
    due, collected = month_collection(session, owned_groups(actor), today)
    counts = {
        "overdue": (pending.overdue_tickets, "ticket overdue", "tickets overdue"),
        "upi": (pending.upi_to_confirm, "UPI payment to confirm", "UPI payments to confirm"),
        "joins": (pending.join_requests, "join request", "join requests"),
        "draws": (pending.draws_due, "draw due", "draws due"),
        "payouts": (pending.payouts_to_release, "prize to release", "prizes to release"),
        "queries": (pending.open_queries, "open query", "open queries"),
        "changes": (pending.ticket_changes, "default or refund to handle", "defaults or refunds to handle"),
    }
    return {
        "active_groups": str(active),
        "groups_note": f"{forming} forming" if forming else "none forming",
        "total_members": count_text(members),
        "members_note": f"{plural(tickets, 'ticket')} held",
        "month_collected": format_inr_compact(collected),
        "month_collected_exact": format_inr(collected),
        "month_due": format_inr_compact(due),
        "month_due_exact": format_inr(due),
        "month_pct": pct(collected, due),
        "month_pct_value": str(collected * 100 // due if due else 0),
        "month_label": today.strftime("%B %Y"),
        "pending_total": str(pending.total),
        "overdue_amount": format_inr(pending.overdue_amount),
        "overdue_tickets": plural(pending.overdue_tickets, "ticket"),
        **{key: str(n) for key, (n, _one, _many) in counts.items()},
        **{f"{key}_label": plural(n, one, many) for key, (n, one, many) in counts.items()},
        **_gst_line(session, actor, today),
    }


def _gst_line(session: Session, actor: Actor, today: date) -> dict[str, str]:
    """GST on the commission (issue 19): charged on this month's invoices, and owed to the
    government in all (the GST-payable account); "" for a foreman who has charged none."""
    first = today.replace(day=1)
    month = int(
        session.exec(
            select(func.coalesce(func.sum(TaxInvoice.cgst + TaxInvoice.sgst + TaxInvoice.igst), 0))
            .join(ChitGroup, ChitGroup.id == TaxInvoice.group_id)
            .where(
                ChitGroup.foreman_id == actor.user_id,
                TaxInvoice.issued_on >= first,
                TaxInvoice.issued_on <= today,
            )
        ).one()
    )  # PostgreSQL sums BIGINT as NUMERIC
    owed = -balance(session, books.gst_payable(actor.user_id))
    if not month and not owed:
        return {"gst_month": "", "gst_payable": ""}
    return {"gst_month": format_inr(month), "gst_payable": format_inr(owed)}


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


class _Event(NamedTuple):
    """One line of the feed before bursts are folded: `amount` for money events, `who` for names.
    A tuple, not a frozen dataclass: a load makes one per row read (~760 on the bench book), and a
    frozen dataclass's __init__ sets each field through object.__setattr__."""

    at: datetime  # as read (aware, UTC); relative_time shows it in IST
    kind: str
    icon: str
    text: str
    group_id: int
    group: str
    link: str = ""  # "": the group's page
    who: str = ""
    person: int = 0  # the member's id, so one member's two tickets count as one person
    amount: int = 0


# Bulk actions (a CSV import, "mark all paid") write dozens of rows at once; those kinds are read
# deep enough to fold a whole burst into one line, so the draws are not pushed out of the feed.
BURST_KINDS = ("payment", "upi", "join", "request", "payout")
BURST_FETCH = 250  # rows read per bulk kind: more than a CSV import can seat (reports.MAX_IMPORT_ROWS)
BURST_GAP = timedelta(minutes=10)  # events of one kind in one group this close belong to one burst
BURST_MIN = 3  # two lines are no flood: a burst is folded from three events on


def _burst_text(kind: str, run: list[_Event], more: bool) -> str:
    """The one line for a burst: "20 members joined Diwali Lucky Chit", "12 payments received, ₹1,20,000
    in all". `more`: the burst may reach past the rows read, so its count is a lower bound ("250+")."""

    def counted(n: int, one: str, many: str) -> str:
        return f"{count_text(n)}+ {many}" if more else plural(n, one, many)

    total = format_inr(sum(e.amount for e in run))
    group = run[0].group
    if kind == "join":
        people = len({e.person for e in run})
        tickets = f" ({plural(len(run), 'ticket')})" if people != len(run) and not more else ""
        return f"{counted(people, 'member', 'members')} joined {group}{tickets}"
    if kind == "payment":
        return f"{counted(len(run), 'payment', 'payments')} received, {total} in all"
    if kind == "upi":
        return f"{counted(len(run), 'UPI payment', 'UPI payments')} to confirm, {total} in all"
    if kind == "request":
        return f"{counted(len(run), 'person', 'people')} asked to join {group}"
    return f"{counted(len(run), 'prize', 'prizes')} released, {total} in all"


def _names(run: list[_Event], shown: int = 5) -> str:
    """Who is in a burst, for the line's hover: "Asha Rao, Ravi Kumar, … and 18 more"."""
    names = list(dict.fromkeys(e.who for e in run if e.who))
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f" and {len(names) - shown} more"


def _fold_bursts(events: list[_Event], boundary: dict[str, datetime]) -> list[tuple[_Event, str]]:
    """(event, hover detail) with each burst of one kind in one group folded into one event.

    A burst is a chain of events each within BURST_GAP of the next; `boundary` holds, per kind
    whose read was cut at BURST_FETCH rows, the oldest time read (a burst reaching it may go on)."""
    runs: dict[tuple[str, int], list[list[_Event]]] = {}
    out: list[tuple[_Event, str]] = []
    for e in sorted(events, key=attrgetter("at"), reverse=True):
        if e.kind not in BURST_KINDS:
            out.append((e, ""))
            continue
        chains = runs.setdefault((e.kind, e.group_id), [])
        if chains and chains[-1][-1].at - e.at <= BURST_GAP:
            chains[-1].append(e)
        else:
            chains.append([e])
    for (kind, _gid), chains in runs.items():
        for run in chains:
            if len(run) < BURST_MIN:
                out.extend((e, "") for e in run)
                continue
            cut = boundary.get(kind)
            more = cut is not None and run[-1].at - cut <= BURST_GAP
            first = run[0]
            line = _Event(
                first.at,
                kind,
                first.icon,
                _burst_text(kind, run, more),
                first.group_id,
                first.group,
                first.link,
            )
            out.append((line, _names(run)))
    return out


# The feed's statements are built once, with the foreman and the number of rows bound at each read:
# building them per load (their joins, filters and cache keys) was a third of the feed's CPU.
_WINNER, _WINNER_USER = aliased(Ticket), aliased(User)
_ROWS = bindparam("rows")
_FEED_PAYMENTS = (
    select(Payment.paid_at, Payment.amount, Payment.method, User.name, ChitGroup.id, ChitGroup.name)
    .join(Ticket, Ticket.id == Payment.ticket_id)
    .join(User, User.id == Ticket.member_id)
    .join(ChitGroup, ChitGroup.id == Payment.group_id)
    .where(Payment.group_id.in_(OWNED_GROUPS), Payment.status == "captured", Payment.paid_at.is_not(None))
    .order_by(Payment.paid_at.desc(), Payment.id.desc())
    .limit(_ROWS)
)
_FEED_UPI = (
    select(Payment.created_at, Payment.amount, User.name, ChitGroup.id, ChitGroup.name)
    .join(User, User.id == Payment.payer_id)
    .join(ChitGroup, ChitGroup.id == Payment.group_id)
    .where(Payment.group_id.in_(OWNED_GROUPS), Payment.method == "upi", Payment.status == "pending")
    .order_by(Payment.created_at.desc())
    .limit(_ROWS)
)
_FEED_DRAWS = (
    select(
        Draw.drawn_at,
        Draw.kind,
        Draw.month,
        Draw.prize,
        _WINNER.ticket_no,
        _WINNER_USER.name,
        ChitGroup.id,
        ChitGroup.name,
    )
    .join(ChitGroup, ChitGroup.id == Draw.group_id)
    .outerjoin(_WINNER, _WINNER.id == Draw.winner_ticket_id)
    .outerjoin(_WINNER_USER, _WINNER_USER.id == _WINNER.member_id)
    .where(Draw.group_id.in_(OWNED_GROUPS), Draw.status == "completed", Draw.drawn_at.is_not(None))
    .order_by(Draw.drawn_at.desc())
    .limit(_ROWS)
)
_FEED_JOINS = (
    select(Ticket.joined_at, Ticket.ticket_no, User.name, User.id, ChitGroup.id, ChitGroup.name)
    .join(User, User.id == Ticket.member_id)
    .join(ChitGroup, ChitGroup.id == Ticket.group_id)
    .where(Ticket.group_id.in_(OWNED_GROUPS), Ticket.member_id != FOREMAN)
    .order_by(Ticket.joined_at.desc(), Ticket.id.desc())
    .limit(_ROWS)
)
_FEED_REQUESTS = (
    select(JoinRequest.created_at, User.name, ChitGroup.id, ChitGroup.name)
    .join(User, User.id == JoinRequest.user_id)
    .join(ChitGroup, ChitGroup.id == JoinRequest.group_id)
    .where(JoinRequest.group_id.in_(OWNED_GROUPS), JoinRequest.status == "pending")
    .order_by(JoinRequest.created_at.desc())
    .limit(_ROWS)
)
_FEED_PAYOUTS = (
    select(Payout.released_at, Payout.gross, Payout.deduction, ChitGroup.id, ChitGroup.name)
    .join(ChitGroup, ChitGroup.id == Payout.group_id)
    .where(Payout.group_id.in_(OWNED_GROUPS), Payout.status == "released", Payout.released_at.is_not(None))
    .order_by(Payout.released_at.desc())
    .limit(_ROWS)
)


def recent_activity(
    session: Session, *, actor: Actor | None, limit: int = 12, now: datetime | None = None
) -> list[dict[str, str]]:
    """The latest payments, draws, joins and payouts in the foreman's groups, newest first; a burst
    of one kind in one group (a CSV import's 20 joins, a month marked paid) is one line."""
    actor = require_role(actor, "foreman")
    events: list[_Event] = []
    boundary: dict[str, datetime] = {}
    deep = max(limit, BURST_FETCH)

    def read(kind: str, query: Select, n: int) -> list:
        # Plain columns throughout: this runs on every dashboard load and needs rows of each kind,
        # not Payment, User, Draw and ChitGroup objects with all their columns.
        rows = session.exec(query, params={"foreman": actor.user_id, "rows": n}).all()
        if len(rows) == n and kind in BURST_KINDS:
            boundary[kind] = rows[-1][0]
        return rows

    for paid_at, amount, method, name, gid, group in read("payment", _FEED_PAYMENTS, deep):
        how = METHOD_SHORT_LABELS.get(method, method)
        text = f"{name} paid {format_inr(amount)} ({how})"
        events.append(_Event(paid_at, "payment", "indian-rupee", text, gid, group, who=name, amount=amount))
    for created_at, amount, name, gid, group in read("upi", _FEED_UPI, deep):
        text = f"{name} sent {format_inr(amount)} by UPI (to confirm)"
        events.append(_Event(created_at, "upi", "smartphone", text, gid, group, who=name, amount=amount))
    for drawn_at, kind, month, prize, ticket_no, name, gid, group in read("draw", _FEED_DRAWS, limit):
        what = "Auction" if kind == "auction" else "Draw"
        text = f"{what} for month {month}: ticket {ticket_no or 0} ({name or '?'}) won {format_inr(prize)}"
        events.append(_Event(drawn_at, "draw", "trophy", text, gid, group))
    for joined_at, ticket_no, name, member_id, gid, group in read("join", _FEED_JOINS, deep):
        text = f"{name} joined with ticket {ticket_no}"
        events.append(_Event(joined_at, "join", "user-plus", text, gid, group, who=name, person=member_id))
    for created_at, name, gid, group in read("request", _FEED_REQUESTS, deep):
        text = f"{name} asked to join"
        link = "/f/actions"  # a join request is answered there
        events.append(_Event(created_at, "request", "user-round-plus", text, gid, group, link, who=name))
    for released_at, gross, deduction, gid, group in read("payout", _FEED_PAYOUTS, deep):
        paid = gross - deduction
        text = f"Prize of {format_inr(paid)} released"
        events.append(_Event(released_at, "payout", "hand-coins", text, gid, group, amount=paid))
    lines = sorted(_fold_bursts(events, boundary), key=lambda pair: pair[0].at, reverse=True)[:limit]
    now = now or utcnow()
    return [
        {
            "kind": e.kind,
            "icon": e.icon,
            "text": e.text,
            "detail": detail or e.text,
            "group": e.group,
            "link": e.link or f"/f/groups/{e.group_id}",
            "when": relative_time(e.at, now),
        }
        for e, detail in lines
    ]
