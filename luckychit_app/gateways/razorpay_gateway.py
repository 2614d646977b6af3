"""The real payment gateway: Razorpay through its official SDK (which uses ``requests``).

Every HTTP call carries an explicit (connect, read) timeout: a hung gateway must fail one request
quickly, not freeze a worker thread. The SDK's errors become the protocol's own: network trouble and
5xx answers :class:`GatewayUnavailable`, a 4xx :class:`GatewayRejected`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import razorpay
import requests
from razorpay.errors import BadRequestError, GatewayError, ServerError

from luckychit_app.gateways.protocol import CURRENCY, GatewayRejected, GatewayUnavailable
from luckychit_app.gateways.signatures import verify_payment_signature, verify_webhook_signature

DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 10.0)
"""Seconds to connect and to wait for an answer. Razorpay answers in well under a second normally."""


class RazorpayGateway:
    """The real gateway, through the official ``razorpay`` SDK (which uses ``requests``)."""

    name = "razorpay"

    def __init__(
        self,
        *,
        key_id: str,
        key_secret: str,
        webhook_secret: str | None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.key_id = key_id
        self._webhook_secret = webhook_secret
        self._timeout = timeout
        self._client = razorpay.Client(session=session, auth=(key_id, key_secret))
        self._client.set_app_details({"title": "LuckyChit", "version": "0.1"})

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, timeout=self._timeout, **kwargs)
        except requests.Timeout as exc:
            raise GatewayUnavailable("Razorpay did not answer in time.") from exc
        except BadRequestError as exc:
            raise GatewayRejected(str(exc) or "Razorpay refused the request.") from exc
        except (ServerError, GatewayError) as exc:
            raise GatewayUnavailable(str(exc) or "Razorpay reported an error.") from exc
        except (requests.RequestException, ValueError) as exc:  # connection trouble, non-JSON answer
            raise GatewayUnavailable(f"Razorpay could not be reached ({type(exc).__name__}).") from exc

    def create_order(self, *, amount: int, receipt: str, notes: dict[str, str]) -> dict[str, Any]:
        return self._call(
            self._client.order.create,
            data={"amount": amount, "currency": CURRENCY, "receipt": receipt, "notes": notes},
        )

    def fetch_order(self, order_id: str) -> dict[str, Any]:
        return self._call(self._client.order.fetch, order_id)

    def order_payments(self, order_id: str) -> list[dict[str, Any]]:
        return list(self._call(self._client.order.payments, order_id).get("items", []))

    def fetch_payment(self, payment_id: str) -> dict[str, Any]:
        return self._call(self._client.payment.fetch, payment_id)

    def refund(
        self, *, payment_id: str, amount: int, idempotency_key: str, notes: dict[str, str]
    ) -> dict[str, Any]:
        # X-Refund-Idempotency: a retry with the same key (after a timeout) returns the first refund
        # instead of refunding twice.
        return self._call(
            self._client.payment.refund,
            payment_id,
            {"amount": amount, "speed": "normal", "notes": notes},
            headers={"X-Refund-Idempotency": idempotency_key},
        )

    def fetch_refund(self, refund_id: str) -> dict[str, Any]:
        return self._call(self._client.refund.fetch, refund_id)

    def verify_payment_signature(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        return verify_payment_signature(self._client, order_id, payment_id, signature)

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool:
        return verify_webhook_signature(self._client, body, signature, self._webhook_secret)
