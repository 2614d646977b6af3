"""When each line of a member's passbook happened for the member (not when its row was written):
the dates the statement (services/money/passbook.py) orders and prints its lines by."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CompoundSelect,
    Date,
    DateTime,
    Integer,
    bindparam,
    literal,
    null,
    type_coerce,
    union_all,
)
from sqlmodel import Session, select

from luckychit_app.clock import to_ist
from luckychit_app.models import Draw, Installment, Payment, Payout, Refund, SubscriberRefund, Ticket


def _dated_rows() -> CompoundSelect:
    """The dated rows of a ticket's history as one statement (one round trip, not five):
    (what, id, month, a day, a time, another time); built once, at import."""
    no_day, no_time, no_month = (type_coerce(null(), kind) for kind in (Date, DateTime, Integer))
    ticket_id, group_id = bindparam("ticket_id", type_=Integer), bindparam("group_id", type_=Integer)
    return union_all(
        select(literal("draw"), Draw.id, Draw.month, no_day, Draw.committed_at, Draw.drawn_at).where(
            Draw.group_id == group_id
        ),
        select(
            literal("dues"), Installment.id, Installment.month, Installment.due_date, no_time, no_time
        ).where(Installment.ticket_id == ticket_id),
        select(literal("payment"), Payment.id, no_month, no_day, Payment.paid_at, Payment.created_at).where(
            Payment.ticket_id == ticket_id
        ),
        select(literal("payout"), Payout.id, no_month, Payout.paid_on, no_time, no_time).where(
            Payout.ticket_id == ticket_id, Payout.paid_on.is_not(None)
        ),
        select(literal("refund"), Refund.id, no_month, no_day, Refund.processed_at, no_time)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.ticket_id == ticket_id, Refund.processed_at.is_not(None)),
    )


_DATED_ROWS = _dated_rows()


def business_dates(
    session: Session, ticket: Ticket, refund: SubscriberRefund | None
) -> tuple[dict[str, object], dict[str, object]]:
    """When each event happened for the member (not when the row was written), and each
    installment's due date. An installment is owed from the day its month opened (its dues are
    raised then and may be paid at once) and at the latest on its due date: so dated, a payment
    made before the due date follows the installment it paid instead of reading as an advance, and
    an installment not yet due never sits above today's payments. Payments count when paid, a
    prize on its draw day, a payout on its payment date, the refund of a subscriber who left
    (`refund`) when paid."""
    rows: dict[str, list[tuple]] = {"draw": [], "dues": [], "payment": [], "payout": [], "refund": []}
    for what, *row in session.exec(
        _DATED_ROWS, params={"ticket_id": ticket.id, "group_id": ticket.group_id}
    ).all():
        rows[what].append(row)
    opened = {month: to_ist(at).date() for _id, month, _day, at, _drawn in rows["draw"]}
    dates: dict[str, object] = {}
    due_on: dict[str, object] = {}
    month_due: dict[int, date] = {}
    for _id, month, due, _at, _other in rows["dues"]:
        key = f"dues:{ticket.group_id}:{month}"
        due_on[key], month_due[month] = due, due
        dates[key] = min(due, opened.get(month, due))
    for did, month, _day, _at, drawn_at in rows["draw"]:
        if drawn_at is not None:
            # A month's prize and dividend belong to that month's installment: shown on its draw
            # day (the due date) when the draw was held later, so the dividend meets the installment.
            dates[f"draw:{did}"] = min(to_ist(drawn_at).date(), month_due.get(month, date.max))
    for pid, _month, _day, paid_at, created_at in rows["payment"]:
        dates[f"payment:{pid}"] = to_ist(paid_at or created_at).date()
    for pid, _month, paid_on, _at, _other in rows["payout"]:
        dates[f"payout:{pid}"] = paid_on
    for rid, _month, _day, done, _other in rows["refund"]:
        dates[f"refund:{rid}"] = to_ist(done).date()
    if refund is not None and refund.paid_at is not None:
        dates[f"subscriber_refund:{refund.id}"] = to_ist(refund.paid_at).date()
    return dates, due_on
