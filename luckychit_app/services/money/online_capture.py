"""Settling an online payment: posting the money the gateway captured, or marking the payment
failed. The checkout, the gateway's webhooks and the ``reconcile`` command all come here, so
whichever brings the news first settles the payment and the others find the work done.

Rules that keep the books right whatever order events arrive in:

* a payment moves forward only: created → pending → captured (→ refunded); failed may still become
  captured (a later attempt on the same order succeeded), captured never goes back;
* the same gateway payment is posted once, however many times it is reported;
* a second captured payment on an order that is already paid is recorded as its own payment (the
  money did arrive) and flagged to the foreman for a refund, never lost and never posted twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlmodel import Session, select

from luckychit_app.clock import to_ist, utcnow
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Payment
from luckychit_app.services import audit
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.allocation import apply_captured
from luckychit_app.services.money.dues import CAPTURED
from luckychit_app.services.money.receipt_numbers import label_for

TxFactory = Callable[[], AbstractContextManager[Session]]
"""Opens one short transaction (``db.transaction`` in the app; tests pass their own)."""
PAYMENT_ID_RE = re.compile(r"^pay_[A-Za-z0-9]{6,40}$")


def lock_by_order(session: Session, order_id: str) -> Payment | None:
    """Our payment for a gateway order, row locked until commit (None if we never made that order)."""
    return session.exec(select(Payment).where(Payment.gateway_order_id == order_id).with_for_update()).first()


def lock_payment(session: Session, payment_id: int) -> Payment | None:
    """A payment by id, row locked until commit, so two settlers of one payment take turns."""
    return session.exec(select(Payment).where(Payment.id == payment_id).with_for_update()).first()


def capture_online(
    session: Session,
    *,
    payment: Payment,
    gateway_payment_id: str,
    amount: int,
    source: str,
    actor_id: int | None,
) -> Payment:
    """Post a gateway payment that was captured on ``payment``'s order (row locked by the caller).

    Idempotent: the same gateway payment is posted once, whichever of checkout, webhook and
    reconcile brings it first. Returns the payment that holds the money.
    """
    if not PAYMENT_ID_RE.fullmatch(gateway_payment_id or ""):
        raise ServiceError("Invalid gateway payment id.")
    known = session.exec(select(Payment).where(Payment.gateway_payment_id == gateway_payment_id)).first()
    if known is not None and known.status in CAPTURED:
        return known
    group = session.get(ChitGroup, payment.group_id)
    if payment.status in CAPTURED:
        return _record_second_capture(
            session,
            original=payment,
            group=group,
            gateway_payment_id=gateway_payment_id,
            amount=amount,
            source=source,
            actor_id=actor_id,
        )
    if amount != payment.amount:
        audit.record(
            session,
            actor_id=actor_id,
            action="payment.amount_mismatch",
            object_type="payment",
            object_id=payment.id,
            detail={"expected": payment.amount, "gateway": amount, "gateway_payment_id": gateway_payment_id},
            chain=group.foreman_id,
        )
        raise ServiceError("The gateway reported a different amount for this payment.")
    payment.gateway_payment_id = gateway_payment_id
    payment.failure_reason = ""
    payment.paid_at = utcnow()
    apply_captured(
        session, payment=payment, group=group, actor_id=actor_id, paid_on=to_ist(payment.created_at).date()
    )
    audit.record(
        session,
        actor_id=actor_id,
        action="payment.captured",
        object_type="payment",
        object_id=payment.id,
        detail={
            "source": source,
            "order_id": payment.gateway_order_id,
            "gateway_payment_id": gateway_payment_id,
            "amount": payment.amount,
            "receipt_no": payment.receipt_no,
        },
        chain=group.foreman_id,
    )
    return payment


def _record_second_capture(
    session: Session,
    *,
    original: Payment,
    group: ChitGroup,
    gateway_payment_id: str,
    amount: int,
    source: str,
    actor_id: int | None,
) -> Payment:
    """An order already paid was paid again (a retried checkout captured twice). The money is real:
    record it as its own payment (an advance unless dues are open) and ask the foreman to refund."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ServiceError("The gateway reported an invalid amount.")
    extra = Payment(
        group_id=original.group_id,
        ticket_id=original.ticket_id,
        foreman_id=original.foreman_id,
        payer_id=original.payer_id,
        amount=amount,
        method="online",
        status="pending",
        gateway_payment_id=gateway_payment_id,
        reference=f"Second payment on order {original.gateway_order_id}"[:100],
        paid_at=utcnow(),
    )
    session.add(extra)
    session.flush()
    apply_captured(session, payment=extra, group=group, actor_id=actor_id)
    audit.record(
        session,
        actor_id=actor_id,
        action="payment.duplicate_captured",
        object_type="payment",
        object_id=extra.id,
        detail={
            "source": source,
            "original_payment_id": original.id,
            "gateway_payment_id": gateway_payment_id,
        },
        chain=group.foreman_id,
    )
    notify(
        session,
        [group.foreman_id],
        kind="duplicate_payment",
        title=f"Duplicate online payment of {format_inr(amount)} in {group.name}",
        body=f"Order {original.gateway_order_id} was paid twice. Refund receipt {label_for(session, extra)} "
        "if it was a mistake.",
        link=f"/f/groups/{group.id}/payments",
    )
    return extra


def mark_failed(session: Session, payment: Payment, reason: str, source: str, actor_id: int | None) -> bool:
    """Mark a payment failed if it has not been captured (a captured payment never goes back)."""
    if payment.status not in ("created", "pending", "failed"):
        return False
    first = payment.status != "failed"
    payment.status = "failed"
    payment.failure_reason = (reason or "Payment failed at the gateway.")[:200]
    session.add(payment)
    if first:
        audit.record(
            session,
            actor_id=actor_id,
            action="payment.failed",
            object_type="payment",
            object_id=payment.id,
            detail={"source": source, "reason": payment.failure_reason},
            chain=payment.foreman_id,
        )
    return True
