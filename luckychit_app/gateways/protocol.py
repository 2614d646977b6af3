"""What every payment gateway looks like to the payment services: the :class:`Gateway` protocol, its
two errors, and the JSON form gateways send. Razorpay, the built-in test gateway and the "online
payments off" stand-in all speak it and return Razorpay-shaped dicts, so the services never know
which one they talk to.

Network trouble and 5xx answers become :class:`GatewayUnavailable` (safe to retry later;
``reconcile`` does), a 4xx becomes :class:`GatewayRejected`.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

CURRENCY = "INR"


class GatewayUnavailable(Exception):
    """The gateway did not answer (timeout, connection error, 5xx). Nothing is known to have happened
    there, so the caller keeps its record pending and retries or reconciles later."""


class GatewayRejected(Exception):
    """The gateway answered with a refusal (bad request, unknown id, amount too large)."""


class Gateway(Protocol):
    """What the payment services need from a gateway. Amounts are int paise, as on Razorpay."""

    name: str
    key_id: str

    def create_order(self, *, amount: int, receipt: str, notes: dict[str, str]) -> dict[str, Any]: ...

    def fetch_order(self, order_id: str) -> dict[str, Any]: ...

    def order_payments(self, order_id: str) -> list[dict[str, Any]]: ...

    def fetch_payment(self, payment_id: str) -> dict[str, Any]: ...

    def refund(
        self, *, payment_id: str, amount: int, idempotency_key: str, notes: dict[str, str]
    ) -> dict[str, Any]: ...

    def fetch_refund(self, refund_id: str) -> dict[str, Any]: ...

    def verify_payment_signature(self, *, order_id: str, payment_id: str, signature: str) -> bool: ...

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool: ...


def compact_json(data: object) -> str:
    """JSON as gateways send it (no spaces), used for stored payloads and test webhooks."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
