"""Which payment gateway this install uses: Razorpay when its keys are set, else the built-in test
gateway (so demo mode and tests run the whole online flow without the internet) - except in
production, where online payments are off instead. Kept apart from both gateways so neither has to
import the other."""

from __future__ import annotations

from typing import Any

from luckychit_app.gateways.protocol import Gateway, GatewayUnavailable
from luckychit_app.gateways.razorpay_gateway import RazorpayGateway
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.settings import get_settings


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
    return TestGateway()
