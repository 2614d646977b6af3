"""Payment gateways: Razorpay through its official SDK, and the choice between it and the built-in
test gateway (used whenever no Razorpay keys are configured, so demo mode and tests run the whole
online flow without the internet).

Both speak the same small interface and return Razorpay-shaped dicts, so the payment services never
know which one they talk to. Every HTTP call carries an explicit (connect, read) timeout: a hung
gateway must fail one request quickly, not freeze a worker thread. Network trouble and 5xx answers
become :class:`GatewayUnavailable` (safe to retry later; `reconcile` does), a 4xx becomes
:class:`GatewayRejected`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

import razorpay
import requests
from razorpay.errors import BadRequestError, GatewayError, ServerError, SignatureVerificationError

from luckychit_app.settings import get_settings

DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 10.0)
"""Seconds to connect and to wait for an answer. Razorpay answers in well under a second normally."""

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


def _signature_is_plausible(signature: object) -> bool:
    """HMAC-SHA256 hex is 64 ASCII characters; anything else cannot match and must not reach
    ``hmac.compare_digest`` (which raises on non-ASCII text instead of returning False)."""
    return isinstance(signature, str) and len(signature) == 64 and signature.isascii()


def verify_payment_signature(client: razorpay.Client, order_id: str, payment_id: str, signature: str) -> bool:
    """Razorpay's own check (HMAC-SHA256 of ``order_id|payment_id``, key secret); False on mismatch."""
    if not (_signature_is_plausible(signature) and order_id.isascii() and payment_id.isascii()):
        return False
    try:
        return bool(
            client.utility.verify_payment_signature(
                {
                    "razorpay_order_id": order_id,
                    "razorpay_payment_id": payment_id,
                    "razorpay_signature": signature,
                }
            )
        )
    except SignatureVerificationError:
        return False


def verify_webhook_signature(
    client: razorpay.Client, body: bytes, signature: str, secret: str | None
) -> bool:
    """HMAC-SHA256 of the raw body with the webhook secret; False on mismatch or without a secret.

    The body must be exactly the bytes received: re-serialised JSON would not match.
    """
    if not secret or not isinstance(body, bytes) or not _signature_is_plausible(signature):
        return False
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    try:
        return bool(client.utility.verify_webhook_signature(text, signature, secret))
    except SignatureVerificationError:
        return False


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


class OnlinePaymentsOff:
    """Production without Razorpay keys: online payments are refused (UPI and cash still work).

    The test gateway must never run in production: its checkout lets anyone "pay" without money.
    """

    name = "off"
    key_id = ""

    def _off(self, *_args: Any, **_kwargs: Any) -> Any:
        raise GatewayUnavailable("Online payments are not configured (set RAZORPAY_KEY_ID and _SECRET).")

    create_order = fetch_order = order_payments = fetch_payment = refund = fetch_refund = _off

    def verify_payment_signature(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        return False

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool:
        return False


def get_gateway() -> Gateway:
    """Razorpay when its keys are set in the environment; otherwise the built-in test gateway in
    development and demo installs, and no online payments at all when LUCKYCHIT_ENV=prod."""
    settings = get_settings()
    if settings.razorpay_key_id and settings.razorpay_key_secret:
        return RazorpayGateway(
            key_id=settings.razorpay_key_id,
            key_secret=settings.razorpay_key_secret,
            webhook_secret=settings.razorpay_webhook_secret,
        )
    if settings.env == "prod":
        return OnlinePaymentsOff()
    from luckychit_app.gateways.test_gateway import TestGateway

    return TestGateway()


def compact_json(data: object) -> str:
    """JSON as gateways send it (no spaces), used for stored payloads and test webhooks."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
