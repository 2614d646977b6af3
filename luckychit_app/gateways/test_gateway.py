"""The built-in test gateway: behaves like Razorpay so the online flow runs without keys or internet.

It creates orders and payments with Razorpay-shaped ids and JSON, signs the checkout response
(``HMAC-SHA256(order_id|payment_id)`` with its key secret) and webhooks (``HMAC-SHA256(raw body)``
with its webhook secret) exactly as Razorpay does, refunds with idempotency keys, and can fail on
purpose. Its checkout is a page of our app (``/pay/test-checkout/[order]``) with a success and a
failure button.

The secrets are per install: derived from the install's data key (``LUCKYCHIT_DATA_KEYS`` or the dev
key file), so nobody can forge a signed response without that key, and no extra secret has to be
managed. ``RAZORPAY_WEBHOOK_SECRET`` overrides the webhook secret when set.

Its records live in the ``test_gateway_records`` table, written in the gateway's own short
transactions (never inside the app's), because a real gateway keeps what it was told even when our
transaction rolls back; that is what ``reconcile`` repairs and what the tests exercise.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import string
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import razorpay
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from luckychit_app.crypto import keyring
from luckychit_app.db import get_engine, transaction
from luckychit_app.gateways.protocol import CURRENCY, GatewayRejected, compact_json
from luckychit_app.gateways.signatures import verify_payment_signature, verify_webhook_signature
from luckychit_app.models import GatewaySimRecord
from luckychit_app.settings import get_settings

KEY_ID = "rzp_test_luckychit"
_ALPHABET = string.ascii_letters + string.digits


def _new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(14))


def _derived_secret(purpose: str) -> str:
    key_id, keys = keyring()
    return hmac.new(keys[key_id], f"luckychit-test-gateway:{purpose}".encode(), hashlib.sha256).hexdigest()


def install_key_secret() -> str:
    """The test gateway's key secret for this install (signs checkout responses)."""
    return _derived_secret("key-secret")


def install_webhook_secret() -> str:
    """The webhook secret: ``RAZORPAY_WEBHOOK_SECRET`` if set, else derived for this install."""
    return get_settings().razorpay_webhook_secret or _derived_secret("webhook-secret")


class TestGateway:
    """A stand-in for Razorpay's servers; see the module docstring."""

    __test__ = False  # not a pytest test class, despite the name
    name = "test"
    key_id = KEY_ID

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        key_secret: str | None = None,
        webhook_secret: str | None = None,
    ) -> None:
        self._engine = engine
        self._key_secret = key_secret or install_key_secret()
        self._webhook_secret = webhook_secret or install_webhook_secret()
        self._client = razorpay.Client(auth=(self.key_id, self._key_secret))

    # --- storage -----------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with transaction(self._engine or get_engine()) as session:
            yield session

    def _save(self, session: Session, body: dict[str, Any], parent_id: str | None = None) -> None:
        row = session.get(GatewaySimRecord, body["id"])
        if row is None:
            row = GatewaySimRecord(id=body["id"], entity=body["entity"], parent_id=parent_id, body="")
        row.body = compact_json(body)
        session.add(row)

    def _load(self, session: Session, record_id: object, entity: str) -> dict[str, Any]:
        row = session.get(GatewaySimRecord, record_id) if isinstance(record_id, str) else None
        if row is None or row.entity != entity:
            raise GatewayRejected(f"The id provided does not exist ({entity}).")
        return json.loads(row.body)

    def _children(self, session: Session, parent_id: str, entity: str) -> list[dict[str, Any]]:
        rows = session.exec(
            select(GatewaySimRecord)
            .where(GatewaySimRecord.parent_id == parent_id, GatewaySimRecord.entity == entity)
            .order_by(GatewaySimRecord.created_at, GatewaySimRecord.id)
        ).all()
        return [json.loads(r.body) for r in rows]

    # --- the gateway interface ------------------------------------------------------------------

    def create_order(self, *, amount: int, receipt: str, notes: dict[str, str]) -> dict[str, Any]:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 100:
            raise GatewayRejected("Order amount must be at least 100 paise.")
        order = {
            "id": _new_id("order_"),
            "entity": "order",
            "amount": amount,
            "amount_paid": 0,
            "amount_due": amount,
            "currency": CURRENCY,
            "receipt": receipt,
            "status": "created",
            "attempts": 0,
            "notes": dict(notes),
            "created_at": int(time.time()),
        }
        with self._tx() as s:
            self._save(s, order)
        return order

    def fetch_order(self, order_id: str) -> dict[str, Any]:
        with self._tx() as s:
            return self._load(s, order_id, "order")

    def order_payments(self, order_id: str) -> list[dict[str, Any]]:
        with self._tx() as s:
            self._load(s, order_id, "order")
            return self._children(s, order_id, "payment")

    def fetch_payment(self, payment_id: str) -> dict[str, Any]:
        with self._tx() as s:
            return self._load(s, payment_id, "payment")

    def refund(
        self, *, payment_id: str, amount: int, idempotency_key: str, notes: dict[str, str]
    ) -> dict[str, Any]:
        with self._tx() as s:
            payment = self._load(s, payment_id, "payment")
            for earlier in self._children(s, payment_id, "refund"):
                if earlier.get("idempotency_key") == idempotency_key:
                    if earlier["amount"] != amount:
                        raise GatewayRejected(
                            "Different request with the same idempotency key has already been processed."
                        )
                    return earlier
            if payment["status"] not in ("captured", "refunded"):
                raise GatewayRejected("Only a captured payment can be refunded.")
            if not isinstance(amount, int) or amount <= 0:
                raise GatewayRejected("The refund amount must be positive.")
            if payment["amount_refunded"] + amount > payment["amount"]:
                raise GatewayRejected("The total refund amount is greater than the refund payment amount.")
            refund = {
                "id": _new_id("rfnd_"),
                "entity": "refund",
                "amount": amount,
                "currency": CURRENCY,
                "payment_id": payment_id,
                "notes": dict(notes),
                "status": "processed",
                "speed_processed": "normal",
                "created_at": int(time.time()),
                "idempotency_key": idempotency_key,
            }
            payment["amount_refunded"] += amount
            payment["refund_status"] = (
                "full" if payment["amount_refunded"] == payment["amount"] else "partial"
            )
            if payment["refund_status"] == "full":
                payment["status"] = "refunded"
            self._save(s, payment, parent_id=payment["order_id"])
            self._save(s, refund, parent_id=payment_id)
        return refund

    def fetch_refund(self, refund_id: str) -> dict[str, Any]:
        with self._tx() as s:
            return self._load(s, refund_id, "refund")

    def verify_payment_signature(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        return verify_payment_signature(self._client, order_id, payment_id, signature)

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool:
        return verify_webhook_signature(self._client, body, signature, self._webhook_secret)

    # --- what Razorpay's checkout and servers do on their side ----------------------------------

    def sign_payment(self, order_id: str, payment_id: str) -> str:
        return hmac.new(
            self._key_secret.encode(), f"{order_id}|{payment_id}".encode(), hashlib.sha256
        ).hexdigest()

    def sign_webhook(self, body: bytes) -> str:
        return hmac.new(self._webhook_secret.encode(), body, hashlib.sha256).hexdigest()

    def simulate_checkout(
        self, order_id: str, *, succeed: bool, method: str = "upi", reason: str = "Payment was declined."
    ) -> dict[str, Any]:
        """The member pressed a button on the test checkout. Success returns the signed response
        Razorpay Checkout hands to its ``handler``; failure returns its ``payment.failed`` error."""
        with self._tx() as s:
            order = self._load(s, order_id, "order")
            payment = {
                "id": _new_id("pay_"),
                "entity": "payment",
                "amount": order["amount"],
                "currency": CURRENCY,
                "status": "captured" if succeed else "failed",
                "order_id": order_id,
                "method": method,
                "captured": succeed,
                "amount_refunded": 0,
                "refund_status": None,
                "error_code": None if succeed else "BAD_REQUEST_ERROR",
                "error_description": None if succeed else reason,
                "notes": order["notes"],
                "created_at": int(time.time()),
            }
            order["attempts"] += 1
            if succeed:
                order["status"], order["amount_paid"], order["amount_due"] = "paid", order["amount"], 0
            elif order["status"] == "created":
                order["status"] = "attempted"
            self._save(s, order)
            self._save(s, payment, parent_id=order_id)
        if succeed:
            return {
                "razorpay_order_id": order_id,
                "razorpay_payment_id": payment["id"],
                "razorpay_signature": self.sign_payment(order_id, payment["id"]),
            }
        return {
            "error": {
                "code": "BAD_REQUEST_ERROR",
                "description": reason,
                "reason": "payment_failed",
                "metadata": {"order_id": order_id, "payment_id": payment["id"]},
            }
        }

    def webhook(self, event: str, **entities: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        """A signed webhook delivery for ``event`` carrying ``entities`` (payment=..., order=...,
        refund=...): the raw body and the headers Razorpay sends with it."""
        body = compact_json(
            {
                "entity": "event",
                "account_id": "acc_luckychit_test",
                "event": event,
                "contains": sorted(entities),
                "payload": {name: {"entity": entity} for name, entity in entities.items()},
                "created_at": int(time.time()),
            }
        ).encode()
        return body, {
            "X-Razorpay-Signature": self.sign_webhook(body),
            "X-Razorpay-Event-Id": _new_id("evt_"),
            "Content-Type": "application/json",
        }

    def events_for_checkout(self, order_id: str) -> list[tuple[bytes, dict[str, str]]]:
        """The webhooks Razorpay would send after the latest checkout attempt on ``order_id``."""
        order = self.fetch_order(order_id)
        attempts = self.order_payments(order_id)
        if not attempts:
            return []
        payment = attempts[-1]
        if payment["status"] == "failed":
            return [self.webhook("payment.failed", payment=payment)]
        return [
            self.webhook("payment.captured", payment=payment),
            self.webhook("order.paid", payment=payment, order=order),
        ]
