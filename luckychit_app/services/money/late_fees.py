"""Late fees, read from the books: what has been charged and collected per ticket, the fee due now
for paying an overdue installment and what paying everything today would add (the foreman's list
of overdue installments with the fee each is accruing is overdue_dues.py).

A fee is charged (posted) only when money pays a late installment (see allocation.apply_captured);
until then it is shown as accruing. Posted fees are journal entries whose idempotency key names
the installment and the payment (`LATE_FEE_KEY`), so a fee is never charged twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.domain import ledger as books
from luckychit_app.domain.dues import late_fee
from luckychit_app.models import ChitGroup, JournalEntry, Payment, PostingRow
from luckychit_app.services.groups.terms import terms_of
from luckychit_app.services.money.dues import CAPTURED, DueLine, due_lines

LATE_FEE_KEY = "late_fee:{installment_id}:{payment_id}"


def late_fees_posted(session: Session, ticket_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """Late fees already posted, per ticket and installment id (parsed from the entries' idempotency
    keys), for many tickets in one query."""
    ids = list(ticket_ids)
    charged: dict[int, dict[int, int]] = {tid: defaultdict(int) for tid in ids}
    for key, tid, account, amount in session.exec(
        select(JournalEntry.key, PostingRow.ticket_id, PostingRow.account, PostingRow.amount)
        .join(PostingRow, PostingRow.entry_id == JournalEntry.id)
        .where(JournalEntry.kind == books.KIND_LATE_FEE, PostingRow.ticket_id.in_(ids))
    ).all():
        if account == books.receivable(tid):
            charged[tid][int(key.split(":")[1])] += int(amount)
    return charged


def late_fee_balances(
    session: Session, ticket_ids: Iterable[int]
) -> tuple[dict[int, dict[int, int]], dict[int, int]]:
    """For many tickets at once: `late_fees_posted`, and per ticket what is posted less what payments
    collected (not clamped at 0, so a batch can keep counting from it)."""
    ids = list(ticket_ids)
    charged = late_fees_posted(session, ids)
    collected = dict(
        session.exec(
            select(Payment.ticket_id, func.coalesce(func.sum(Payment.late_fee_paid), 0))
            .where(Payment.ticket_id.in_(ids), Payment.status.in_(CAPTURED))
            .group_by(Payment.ticket_id)
        ).all()
    )
    return charged, {tid: sum(charged[tid].values()) - int(collected.get(tid, 0)) for tid in ids}


def late_fees_charged(session: Session, *, ticket_id: int) -> dict[int, int]:
    """Late fees already posted, per installment id."""
    return dict(late_fees_posted(session, [ticket_id])[ticket_id])


def late_fees_unpaid(session: Session, *, ticket_id: int) -> int:
    """Late fees posted on the ticket and not yet collected from any payment."""
    return max(0, late_fee_balances(session, [ticket_id])[1][ticket_id])


def fee_on(group: ChitGroup, line: DueLine, paying: int, as_of: date, already: int) -> int:
    """The late fee to charge now for paying ``paying`` of an overdue installment on ``as_of``.

    Flat fees are per installment per started month late, so only the part not yet charged on this
    installment is due; interest is on the amount being paid, for the days it was late.
    """
    if group.late_fee_mode == "none" or paying <= 0:
        return 0
    terms = terms_of(group)
    if group.late_fee_mode == "flat":
        return max(0, late_fee(terms, line.outstanding, line.due_date, as_of) - already)
    return late_fee(terms, paying, line.due_date, as_of)


def accruing_fees(
    group: ChitGroup, lines: list[DueLine], charged: dict[int, int], as_of: date
) -> dict[int, int]:
    """Late fees that paying each owing installment of `lines` in full on `as_of` would charge (not
    yet posted; `charged`: those posted, per installment id), per installment id."""
    if group.late_fee_mode == "none":
        return {}
    fees = {
        ln.installment_id: fee_on(group, ln, ln.outstanding, as_of, charged.get(ln.installment_id, 0))
        for ln in lines
        if ln.outstanding > 0
    }
    return {iid: fee for iid, fee in fees.items() if fee > 0}


def accrued_late_fees(
    session: Session, *, group: ChitGroup, ticket_id: int, as_of: date, lines: list[DueLine] | None = None
) -> dict[int, int]:
    """Late fees that paying every overdue installment in full on ``as_of`` would charge (not yet
    posted), per installment id. Shown to members and foremen before the money is collected."""
    if group.late_fee_mode == "none":
        return {}
    if lines is None:
        lines = due_lines(session, ticket_id=ticket_id, up_to_month=group.current_month)
    return accruing_fees(group, lines, late_fees_charged(session, ticket_id=ticket_id), as_of)
