"""Online payments through the gateway (Razorpay, or the built-in test gateway without keys).

The flow (DESIGN §5): the member's "Pay now" creates our payment row, then a gateway order for it
(``receipt`` = our payment id); the checkout returns ``order_id|payment_id`` signed with the key
secret, which the server verifies before posting. Webhooks (signature over the raw body) and the
``reconcile`` command reach the same :func:`capture_online`, so whichever arrives first posts and
the others find the work done.

Rules that keep the books right whatever order events arrive in:

* a payment moves forward only: created → pending → captured (→ refunded); failed may still become
  captured (a later attempt on the same order succeeded), captured never goes back;
* a webhook's event id is stored in the same transaction as its effect, so a redelivery is a no-op;
* a second captured payment on an order that is already paid is recorded as its own payment (the
  money did arrive) and flagged to the foreman for a refund, never lost and never posted twice.

Gateway calls are made *between* short transactions, never inside one: a slow gateway must not hold
row locks (or SQLite's write lock) while it thinks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.clock import to_ist, utcnow
from luckychit_app.db import transaction
from luckychit_app.domain.money import format_inr
from luckychit_app.gateways.razorpay_gateway import Gateway, GatewayRejected, GatewayUnavailable
from luckychit_app.i18n import text
from luckychit_app.models import ChitGroup, GatewayEvent, Payment, Refund, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_role, ticket_for_member
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money import refunds
from luckychit_app.services.money.payments import (
    CAPTURED,
    PAYING_GROUP,
    _parse_amount,
    amount_due,
    apply_captured,
    due_lines,
    late_fees_unpaid,
)

log = logging.getLogger("luckychit.payments")

TxFactory = Callable[[], AbstractContextManager[Session]]
ORDER_ID_RE = re.compile(r"^order_[A-Za-z0-9]{6,40}$")
PAYMENT_ID_RE = re.compile(r"^pay_[A-Za-z0-9]{6,40}$")
EVENT_ID_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,80}$")
MIN_ONLINE = 100
"""₹1: the smallest order Razorpay accepts."""
UNAVAILABLE = (
    "Online payment is not available right now and nothing was charged. Please try again in a few "
    "minutes, or pay by UPI."
)


class WebhookRejected(Exception):
    """The delivery is not from the gateway (bad signature) or not readable; answer 400."""


@dataclass(frozen=True)
class Checkout:
    """What the browser needs to open the checkout for one order."""

    payment_id: int
    ticket_id: int
    order_id: str
    amount: int
    gateway: str
    key_id: str
    group_name: str
    description: str
    member_name: str
    member_mobile: str


# --- creating the order -------------------------------------------------------------------------


def _payable_cap(session: Session, group: ChitGroup, ticket_id: int) -> int:
    """The most a member may pay online at once: everything still unpaid on the ticket (all months,
    not only the raised ones) plus late fees. Stops a typo of ₹5,00,000 for ₹5,000."""
    unpaid = sum(ln.outstanding for ln in due_lines(session, ticket_id=ticket_id) if ln.outstanding > 0)
    due = amount_due(session, group=group, ticket_id=ticket_id)
    return unpaid + due.fees_accruing + late_fees_unpaid(session, ticket_id=ticket_id)


def create_intent(session: Session, *, actor: Actor | None, ticket_id: object, amount: object) -> Payment:
    """Our payment row for a member's online payment, before the gateway order exists."""
    ticket = ticket_for_member(session, actor, ticket_id)
    group = session.get(ChitGroup, ticket.group_id)
    if group.status not in PAYING_GROUP:
        raise ServiceError("This group is not collecting payments.")
    if ticket.status == "removed":
        raise ServiceError("This ticket has been removed.")
    paise = _parse_amount(amount)
    if paise < MIN_ONLINE:
        raise ServiceError("Online payments must be at least ₹1.", "amount")
    cap = _payable_cap(session, group, ticket.id)
    if cap <= 0:
        raise ServiceError("Nothing is due on this ticket.", "amount")
    if paise > cap:
        raise ServiceError(f"You can pay at most {format_inr(cap)} on this ticket.", "amount")
    payment = Payment(
        group_id=group.id,
        ticket_id=ticket.id,
        foreman_id=group.foreman_id,
        payer_id=actor.user_id,
        amount=paise,
        method="online",
        status="created",
        recorded_by_id=actor.user_id,
    )
    session.add(payment)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payment.checkout_started",
        object_type="payment",
        object_id=payment.id,
        detail={"ticket_id": ticket.id, "amount": paise},
    )
    return payment


def _order_ref(value: object) -> str:
    if not isinstance(value, str) or not ORDER_ID_RE.fullmatch(value):
        raise ServiceError("Invalid order.")
    return value


def _lock_by_order(session: Session, order_id: str) -> Payment | None:
    return session.exec(select(Payment).where(Payment.gateway_order_id == order_id).with_for_update()).first()


def _lock_payment(session: Session, payment_id: int) -> Payment | None:
    return session.exec(select(Payment).where(Payment.id == payment_id).with_for_update()).first()


def start_checkout(
    *, tx: TxFactory = transaction, gateway: Gateway, actor: Actor | None, ticket_id: object, amount: object
) -> Checkout:
    """Create the payment and its gateway order; returns what the checkout needs."""
    with tx() as s:
        payment = create_intent(s, actor=actor, ticket_id=ticket_id, amount=amount)
        ticket = s.get(Ticket, payment.ticket_id)
        group = s.get(ChitGroup, payment.group_id)
        member = s.get(User, actor.user_id)
        pid, paise = payment.id, payment.amount
        notes = {"payment_id": str(pid), "group_id": str(group.id), "ticket_no": str(ticket.ticket_no)}
        info = (ticket.id, group.name, ticket.ticket_no, member.name, member.mobile)
    try:
        order = gateway.create_order(amount=paise, receipt=f"lc-payment-{pid}", notes=notes)
        order_id = _order_ref(order.get("id"))
        if order.get("amount") != paise:
            raise GatewayRejected("The gateway created an order for a different amount.")
    except (GatewayUnavailable, GatewayRejected, ServiceError) as exc:
        log.warning("order creation failed for payment %s: %s", pid, exc)
        with tx() as s:
            payment = _lock_payment(s, pid)
            if payment is not None and payment.status == "created":
                payment.status, payment.failure_reason = "failed", f"Order not created: {exc}"[:200]
                s.add(payment)
        raise ServiceError(UNAVAILABLE) from exc
    with tx() as s:
        payment = _lock_payment(s, pid)
        payment.gateway_order_id = order_id
        if payment.status == "created":
            payment.status = "pending"
        s.add(payment)
    ticket_pk, group_name, ticket_no, member_name, mobile = info
    return Checkout(
        payment_id=pid,
        ticket_id=ticket_pk,
        order_id=order_id,
        amount=paise,
        gateway=gateway.name,
        key_id=gateway.key_id,
        group_name=group_name,
        description=f"Ticket {ticket_no} installment",
        member_name=member_name,
        member_mobile=mobile,
    )


def checkout_for_order(session: Session, *, actor: Actor | None, order_id: object) -> dict[str, str]:
    """The member's own pending order, for the checkout page (refused for anyone else's)."""
    actor = require_role(actor, "member")
    order = _order_ref(order_id)
    payment = session.exec(select(Payment).where(Payment.gateway_order_id == order)).first()
    if payment is None or payment.payer_id != actor.user_id:
        raise NotAllowed()
    group = session.get(ChitGroup, payment.group_id)
    ticket = session.get(Ticket, payment.ticket_id)
    return {
        "order_id": order,
        "payment_id": str(payment.id),
        "ticket_id": str(ticket.id),
        "amount": format_inr(payment.amount),
        "group": group.name,
        "description": text(actor.language, "checkout.description", n=ticket.ticket_no),
        "status": payment.status,
    }


# --- capturing ------------------------------------------------------------------------------------


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
    )
    notify(
        session,
        [group.foreman_id],
        kind="duplicate_payment",
        title=f"Duplicate online payment of {format_inr(amount)} in {group.name}",
        body=f"Order {original.gateway_order_id} was paid twice. Refund receipt {extra.receipt_no} "
        "if it was a mistake.",
        link=f"/f/groups/{group.id}/payments",
    )
    return extra


def confirm_checkout(
    session: Session,
    *,
    actor: Actor | None,
    gateway: Gateway,
    order_id: object,
    payment_id: object,
    signature: object,
) -> Payment:
    """The checkout's success handler: verify Razorpay's signature server-side, then post."""
    actor = require_role(actor, "member")
    order = _order_ref(order_id)
    if not isinstance(payment_id, str) or not PAYMENT_ID_RE.fullmatch(payment_id):
        raise ServiceError("Invalid payment.")
    if not isinstance(signature, str) or not gateway.verify_payment_signature(
        order_id=order, payment_id=payment_id, signature=signature
    ):
        raise ServiceError(
            "We could not verify this payment with the gateway. If money left your account it will be "
            "matched automatically within the hour."
        )
    payment = _lock_by_order(session, order)
    if payment is None or payment.payer_id != actor.user_id:
        raise NotAllowed()
    return capture_online(
        session,
        payment=payment,
        gateway_payment_id=payment_id,
        amount=payment.amount,
        source="checkout",
        actor_id=actor.user_id,
    )


def _fail(session: Session, payment: Payment, reason: str, source: str, actor_id: int | None) -> bool:
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
        )
    return True


def checkout_failed(
    session: Session, *, actor: Actor | None, order_id: object, reason: object = ""
) -> Payment:
    """The checkout reported a failure or was closed. Only an unpaid order can be marked failed, and
    a later capture on the same order still wins."""
    actor = require_role(actor, "member")
    order = _order_ref(order_id)
    payment = _lock_by_order(session, order)
    if payment is None or payment.payer_id != actor.user_id:
        raise NotAllowed()
    text = reason if isinstance(reason, str) else ""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()[:200] or "The payment was not completed."
    _fail(session, payment, text, "checkout", actor.user_id)
    return payment


# --- webhooks -------------------------------------------------------------------------------------


def _entity(event: dict[str, Any], name: str) -> dict[str, Any] | None:
    found = ((event.get("payload") or {}).get(name) or {}).get("entity")
    return found if isinstance(found, dict) else None


def handle_webhook(session: Session, *, body: bytes, event_id: object) -> str:
    """Apply one verified webhook delivery. Returns "applied", "duplicate" or "ignored".

    The event id is inserted first, in this transaction: a concurrent redelivery blocks on the
    unique index and then finds it, so an event can never apply twice.
    """
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise WebhookRejected("The body is not JSON.") from exc
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise WebhookRejected("Not a gateway event.")
    kind = event["event"][:40]
    eid = event_id if isinstance(event_id, str) and EVENT_ID_RE.fullmatch(event_id) else None
    eid = eid or "body-sha256:" + hashlib.sha256(body).hexdigest()[:60]
    if session.exec(select(GatewayEvent.id).where(GatewayEvent.event_id == eid)).first() is not None:
        return "duplicate"
    try:
        with session.begin_nested():
            session.add(GatewayEvent(event_id=eid, event_type=kind, payload=body.decode("utf-8")))
    except IntegrityError:
        return "duplicate"
    try:
        with session.begin_nested():
            outcome = _dispatch(session, kind, event)
    except ServiceError as exc:
        # Our rules refused the event (an amount mismatch, a refund beyond the payment): keep the
        # event id so it is not retried forever, and leave a trail for the foreman and support.
        log.warning("webhook %s (%s) not applied: %s", eid, kind, exc.message)
        audit.record(
            session,
            actor_id=None,
            action="gateway.event_refused",
            object_type="gateway_event",
            object_id=eid,
            detail={"event": kind, "reason": exc.message},
        )
        return "ignored"
    return outcome


def _dispatch(session: Session, kind: str, event: dict[str, Any]) -> str:
    if kind in ("payment.captured", "order.paid"):
        entity = _entity(event, "payment")
        if entity is None or entity.get("status") not in ("captured", "refunded"):
            return "ignored"
        order_id = entity.get("order_id")
        payment = _lock_by_order(session, order_id) if isinstance(order_id, str) else None
        if payment is None:
            return "ignored"
        capture_online(
            session,
            payment=payment,
            gateway_payment_id=str(entity.get("id", "")),
            amount=entity.get("amount"),
            source=f"webhook:{kind}",
            actor_id=None,
        )
        return "applied"
    if kind == "payment.failed":
        entity = _entity(event, "payment")
        order_id = entity.get("order_id") if entity else None
        payment = _lock_by_order(session, order_id) if isinstance(order_id, str) else None
        if payment is None:
            return "ignored"
        reason = str(entity.get("error_description") or "Payment failed at the gateway.")
        return "applied" if _fail(session, payment, reason, "webhook", None) else "ignored"
    if kind in ("refund.processed", "refund.failed"):
        entity = _entity(event, "refund")
        if entity is None:
            return "ignored"
        if kind == "refund.failed":
            entity = {**entity, "status": "failed"}
        return refunds.apply_gateway_refund(session, data=entity, actor_id=None)
    return "ignored"


def receive_webhook(
    *,
    body: bytes,
    signature: object,
    event_id: object,
    gateway: Gateway,
    tx: TxFactory = transaction,
) -> str:
    """The webhook route's work: check the signature over the raw bytes, then apply in one transaction."""
    if not isinstance(signature, str) or not gateway.verify_webhook_signature(body, signature):
        raise WebhookRejected("The signature does not match.")
    with tx() as s:
        return handle_webhook(s, body=body, event_id=event_id)


# --- reconciliation -------------------------------------------------------------------------------


def reconcile(
    *,
    tx: TxFactory = transaction,
    gateway: Gateway,
    min_age: timedelta = timedelta(minutes=15),
    expire_after: timedelta = timedelta(hours=24),
    lookback: timedelta = timedelta(days=7),
) -> dict[str, int]:
    """Settle online payments left pending by asking the gateway what happened to their orders, and
    push refunds that are still in flight. Safe to run at any time, as often as wanted."""
    now = utcnow()
    counts = {"checked": 0, "captured": 0, "failed": 0, "refunds": 0, "errors": 0}
    with tx() as s:
        rows = s.exec(
            select(Payment.id, Payment.gateway_order_id, Payment.created_at)
            .where(
                Payment.method == "online",
                Payment.status.in_(("created", "pending", "failed")),
                Payment.created_at <= now - min_age,
                Payment.created_at >= now - lookback,
            )
            .order_by(Payment.id)
        ).all()
    for pid, order_id, created_at in rows:
        counts["checked"] += 1
        if order_id is None:
            with tx() as s:
                payment = _lock_payment(s, pid)
                if payment.status == "created" and _fail(
                    s, payment, "The gateway order was never created.", "reconcile", None
                ):
                    counts["failed"] += 1
            continue
        try:
            attempts = gateway.order_payments(order_id)
        except (GatewayUnavailable, GatewayRejected) as exc:
            log.warning("reconcile: order %s could not be fetched: %s", order_id, exc)
            counts["errors"] += 1
            continue
        try:
            with tx() as s:
                payment = _lock_payment(s, pid)
                captured = [a for a in attempts if a.get("status") in ("captured", "refunded")]
                for attempt in captured:
                    capture_online(
                        s,
                        payment=payment,
                        gateway_payment_id=str(attempt.get("id", "")),
                        amount=attempt.get("amount"),
                        source="reconcile",
                        actor_id=None,
                    )
                    counts["captured"] += 1
                if captured or payment.status not in ("created", "pending"):
                    continue
                failures = [a for a in attempts if a.get("status") == "failed"]
                created = created_at if created_at.tzinfo else created_at.replace(tzinfo=now.tzinfo)
                if now - created > expire_after:
                    _fail(s, payment, "Not paid at the gateway; the order expired.", "reconcile", None)
                    counts["failed"] += 1
                elif failures and not any(a.get("status") == "authorized" for a in attempts):
                    reason = str(failures[-1].get("error_description") or "Payment failed at the gateway.")
                    _fail(s, payment, reason, "reconcile", None)
                    counts["failed"] += 1
        except ServiceError as exc:
            log.warning("reconcile: payment %s not settled: %s", pid, exc.message)
            counts["errors"] += 1
    counts["refunds"], errors = _reconcile_refunds(tx=tx, gateway=gateway)
    counts["errors"] += errors
    return counts


def _reconcile_refunds(*, tx: TxFactory, gateway: Gateway) -> tuple[int, int]:
    """Refunds we created that the gateway has not confirmed: ask again (same idempotency key)."""
    done = errors = 0
    with tx() as s:
        open_refunds = s.exec(
            select(
                Refund.id,
                Refund.amount,
                Refund.idempotency_key,
                Refund.gateway_refund_id,
                Payment.id,
                Payment.gateway_payment_id,
            )
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Refund.status == "created", Payment.method == "online")
            .order_by(Refund.id)
        ).all()
    for refund_id, amount, key, gateway_refund_id, pid, gateway_payment_id in open_refunds:
        try:
            if gateway_refund_id:
                data = gateway.fetch_refund(gateway_refund_id)
            else:
                data = gateway.refund(
                    payment_id=gateway_payment_id,
                    amount=amount,
                    idempotency_key=key,
                    notes={"refund_key": key, "payment_id": str(pid)},
                )
        except GatewayUnavailable:
            errors += 1
            continue
        except GatewayRejected as exc:
            data = {"status": "failed", "error": str(exc)}
        with tx() as s:
            if refunds.apply_gateway_refund(s, data=data, refund_id=refund_id, actor_id=None) == "applied":
                done += 1
    return done, errors
