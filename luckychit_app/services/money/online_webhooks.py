"""The gateway's webhooks: a delivery is checked against its signature over the raw body, then applied
in one transaction (a captured or failed payment, a processed or failed refund).

A webhook's event id is stored in the same transaction as its effect, so a redelivery is a no-op;
an event our rules refuse is kept too (not retried forever) and leaves an audit row.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.db import transaction
from luckychit_app.gateways.protocol import Gateway
from luckychit_app.models import GatewayEvent
from luckychit_app.services import audit
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import refunds
from luckychit_app.services.money.online_capture import TxFactory, capture_online, lock_by_order, mark_failed

log = logging.getLogger("luckychit.payments")
EVENT_ID_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,80}$")


class WebhookRejected(Exception):
    """The delivery is not from the gateway (bad signature) or not readable; answer 400."""


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
        payment = lock_by_order(session, order_id) if isinstance(order_id, str) else None
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
        payment = lock_by_order(session, order_id) if isinstance(order_id, str) else None
        if payment is None:
            return "ignored"
        reason = str(entity.get("error_description") or "Payment failed at the gateway.")
        return "applied" if mark_failed(session, payment, reason, "webhook", None) else "ignored"
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
