"""Money received and not yet used. A captured payment's spare part (what is left after its
allocations, the late fees it paid and its refunds) is an advance on its ticket: it settles the next
dues as soon as they are raised. At group level, the cash in the books less refunds already promised
is what the group can still pay out.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.domain import ledger as books
from luckychit_app.models import Payment, PaymentAllocation, PostingRow, Refund
from luckychit_app.services.money.dues import CAPTURED
from luckychit_app.services.money.ledger import balance


def _allocated_subquery(payment_ids: Select):  # noqa: ANN202  (a SQLAlchemy subquery)
    """Money applied per payment, for the payments `payment_ids` selects (never the whole table)."""
    return (
        select(PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount).label("used"))
        .where(PaymentAllocation.payment_id.in_(payment_ids))
        .group_by(PaymentAllocation.payment_id)
        .subquery()
    )


def _refunded_subquery(payment_ids: Select):  # noqa: ANN202
    """Refunds that are in flight or done; a failed refund gives its money back to the payment."""
    return (
        select(Refund.payment_id, func.sum(Refund.amount).label("refunded"))
        .where(Refund.status != "failed", Refund.payment_id.in_(payment_ids))
        .group_by(Refund.payment_id)
        .subquery()
    )


def spare_funds(
    session: Session, *, group_id: int | None = None, ticket_id: int | None = None
) -> list[tuple[int, int, int]]:
    """``(payment_id, ticket_id, spare)`` of captured payments with money not yet used, oldest first."""
    scope = select(Payment.id)
    if group_id is not None:
        scope = scope.where(Payment.group_id == group_id)
    if ticket_id is not None:
        scope = scope.where(Payment.ticket_id == ticket_id)
    used, refunded = _allocated_subquery(scope), _refunded_subquery(scope)
    left = (
        Payment.amount
        - Payment.late_fee_paid
        - func.coalesce(used.c.used, 0)
        - func.coalesce(refunded.c.refunded, 0)
    )
    stmt = (
        select(Payment.id, Payment.ticket_id, left)
        .outerjoin(used, used.c.payment_id == Payment.id)
        .outerjoin(refunded, refunded.c.payment_id == Payment.id)
        .where(Payment.status.in_(CAPTURED), left > 0)
        .order_by(Payment.ticket_id, Payment.id)
    )
    if group_id is not None:
        stmt = stmt.where(Payment.group_id == group_id)
    if ticket_id is not None:
        stmt = stmt.where(Payment.ticket_id == ticket_id)
    return [(pid, tid, int(amount)) for pid, tid, amount in session.exec(stmt).all()]


def advance_of(session: Session, ticket_id: int) -> int:
    """Money the member has paid ahead on this ticket (not yet applied to any due)."""
    return sum(spare for _, _, spare in spare_funds(session, ticket_id=ticket_id))


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
