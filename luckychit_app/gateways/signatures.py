"""Checking Razorpay's signatures with the official SDK: the checkout response and the webhook body.
The real gateway and the test gateway (which signs exactly as Razorpay does) both check through
these, so a signature the test gateway accepts is one Razorpay would accept too."""

from __future__ import annotations

import razorpay
from razorpay.errors import SignatureVerificationError


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
