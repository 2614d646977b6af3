"""Reconciliation with the gateway (the ``reconcile`` command): online payments left pending are
settled by asking the gateway what happened to their orders, and refunds still in flight are pushed
again. Safe to run at any time, as often as wanted: it reaches the same capture and refund code as
the checkout and the webhooks, which do nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import select

from luckychit_app.clock import utcnow
from luckychit_app.db import transaction
from luckychit_app.gateways.protocol import Gateway, GatewayRejected, GatewayUnavailable
from luckychit_app.models import Payment, Refund
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import refunds
from luckychit_app.services.money.online_capture import TxFactory, capture_online, lock_payment, mark_failed

log = logging.getLogger("luckychit.payments")


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
                payment = lock_payment(s, pid)
                if payment.status == "created" and mark_failed(
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
                payment = lock_payment(s, pid)
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
                    mark_failed(s, payment, "Not paid at the gateway; the order expired.", "reconcile", None)
                    counts["failed"] += 1
                elif failures and not any(a.get("status") == "authorized" for a in attempts):
                    reason = str(failures[-1].get("error_description") or "Payment failed at the gateway.")
                    mark_failed(s, payment, reason, "reconcile", None)
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
