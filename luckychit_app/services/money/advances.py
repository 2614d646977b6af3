"""Money received and not yet used. A captured payment's spare part (what is left after its
allocations, the late fees it paid and its refunds) is an advance on its ticket: it settles the next
dues as soon as they are raised. At group level, the cash in the books less refunds already promised
is what the group can still pay out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.domain import ledger as books
from luckychit_app.models import Payment, PaymentAllocation, PostingRow, Refund
from luckychit_app.services.money.dues import CAPTURED
from luckychit_app.services.money.ledger import balance


def spare_funds(
    session: Session, *, group_id: int | None = None, ticket_ids: Iterable[int] | None = None
) -> list[tuple[int, int, int]]:
    """``(payment_id, ticket_id, spare)`` of captured payments with money not yet used, oldest first:
    of the group's tickets, or of `ticket_ids`'.

    What each payment used and had refunded are correlated sums, one index probe per payment: as
    grouped sub-selects PostgreSQL hashed the whole allocations table for them (24 ms for a 40-ticket
    group of the bench book, 4 ms this way)."""
    used = (
        select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
        .where(PaymentAllocation.payment_id == Payment.id)
        .scalar_subquery()
    )
    refunded = (
        # A failed refund gives its money back to the payment.
        select(func.coalesce(func.sum(Refund.amount), 0))
        .where(Refund.payment_id == Payment.id, Refund.status != "failed")
        .scalar_subquery()
    )
    left = Payment.amount - Payment.late_fee_paid - used - refunded
    stmt = select(Payment.id, Payment.ticket_id, left).where(Payment.status.in_(CAPTURED), left > 0)
    if group_id is not None:
        stmt = stmt.where(Payment.group_id == group_id)
    if ticket_ids is not None:
        stmt = stmt.where(Payment.ticket_id.in_(list(ticket_ids)))
    stmt = stmt.order_by(Payment.ticket_id, Payment.id)
    return [(pid, tid, int(amount)) for pid, tid, amount in session.exec(stmt).all()]


def advances_of(session: Session, ticket_ids: Iterable[int]) -> dict[int, int]:
    """Money paid ahead on each of these tickets (not yet applied to any due), in one query; tickets
    with none are left out."""
    ahead: dict[int, int] = defaultdict(int)
    for _, tid, spare in spare_funds(session, ticket_ids=ticket_ids):
        ahead[tid] += spare
    return dict(ahead)


def advance_of(session: Session, ticket_id: int) -> int:
    """Money the member has paid ahead on this ticket (not yet applied to any due)."""
    return advances_of(session, [ticket_id]).get(ticket_id, 0)


def available_cash(session: Session, *, group_id: int) -> int:
    """The group's cash in the books less refunds already promised (created, not yet processed) and
    the security deposits held for prized members (s.21(1)(e): theirs until applied to their dues or
    returned at the close, not the group's to pay out): what can still be paid out."""
    promised = session.exec(
        select(func.coalesce(func.sum(Refund.amount), 0))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.group_id == group_id, Refund.status == "created")
    ).one()
    deposits = session.exec(
        select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
            PostingRow.group_id == group_id,
            # domain.ledger.security_deposit of every ticket (LIKE's "_" escaped)
            PostingRow.account.like("ticket:%:security\\_deposit", escape="\\"),
        )
    ).one()
    return balance(session, books.cash(group_id)) - int(promised) + int(deposits)
