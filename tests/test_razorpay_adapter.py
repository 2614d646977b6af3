"""The real Razorpay adapter on the official SDK, against mocked HTTP (`responses`): requests carry
explicit timeouts, keys and idempotency headers; bad signatures, refusals, server errors and
timeouts come back as the adapter's own errors; and the whole online flow runs on it."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import requests
import responses
from responses import matchers
from sqlmodel import select

from luckychit_app.gateways import choice
from luckychit_app.gateways.choice import get_gateway
from luckychit_app.gateways.protocol import GatewayRejected, GatewayUnavailable
from luckychit_app.gateways.razorpay_gateway import DEFAULT_TIMEOUT, RazorpayGateway
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import Payment
from luckychit_app.services.money import online_checkout, online_reconcile, refunds
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.settings import Settings
from tests.services.helpers import active_group, foreman, member_actor

API = "https://api.razorpay.com/v1"
KEY_ID, SECRET, HOOK_SECRET = "rzp_test_abc123", "s3cr3t-key", "hook-secret"
ORDER = {
    "id": "order_Mock00000001",
    "entity": "order",
    "amount": 1_000_000,
    "currency": "INR",
    "receipt": "lc-payment-1",
    "status": "created",
}


def sign(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@pytest.fixture
def gateway() -> RazorpayGateway:
    return RazorpayGateway(key_id=KEY_ID, key_secret=SECRET, webhook_secret=HOOK_SECRET)


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def test_create_order_sends_amount_receipt_notes_with_keys_and_a_timeout(gateway, mocked):
    mocked.post(
        f"{API}/orders",
        json=ORDER,
        match=[
            matchers.json_params_matcher(
                {
                    "amount": 1_000_000,
                    "currency": "INR",
                    "receipt": "lc-payment-1",
                    "notes": {"ticket_no": "3"},
                }
            )
        ],
    )
    order = gateway.create_order(amount=1_000_000, receipt="lc-payment-1", notes={"ticket_no": "3"})
    assert order["id"] == "order_Mock00000001"
    call = mocked.calls[0]
    assert call.request.req_kwargs["timeout"] == DEFAULT_TIMEOUT
    assert call.request.headers["Authorization"].startswith("Basic ")
    assert "LuckyChit" in call.request.headers["User-Agent"]


def test_fetches_pass_timeouts_too(gateway, mocked):
    mocked.get(f"{API}/orders/order_Mock00000001", json=ORDER)
    mocked.get(
        f"{API}/orders/order_Mock00000001/payments",
        json={
            "entity": "collection",
            "count": 1,
            "items": [{"id": "pay_A1b2c3d4e5f6", "status": "captured"}],
        },
    )
    mocked.get(f"{API}/payments/pay_A1b2c3d4e5f6", json={"id": "pay_A1b2c3d4e5f6", "status": "captured"})
    mocked.get(f"{API}/refunds/rfnd_Z9y8x7w6v5u4", json={"id": "rfnd_Z9y8x7w6v5u4", "status": "processed"})
    assert gateway.fetch_order("order_Mock00000001")["status"] == "created"
    assert [p["id"] for p in gateway.order_payments("order_Mock00000001")] == ["pay_A1b2c3d4e5f6"]
    assert gateway.fetch_payment("pay_A1b2c3d4e5f6")["status"] == "captured"
    assert gateway.fetch_refund("rfnd_Z9y8x7w6v5u4")["status"] == "processed"
    assert all(c.request.req_kwargs["timeout"] == DEFAULT_TIMEOUT for c in mocked.calls)


def test_refund_carries_the_idempotency_key(gateway, mocked):
    mocked.post(
        f"{API}/payments/pay_A1b2c3d4e5f6/refund",
        json={"id": "rfnd_Z9y8x7w6v5u4", "entity": "refund", "amount": 500, "status": "processed"},
        match=[
            matchers.header_matcher({"X-Refund-Idempotency": "refund-abc-123456"}),
            matchers.json_params_matcher(
                {"amount": 500, "speed": "normal", "notes": {"refund_key": "refund-abc-123456"}}
            ),
        ],
    )
    refund = gateway.refund(
        payment_id="pay_A1b2c3d4e5f6",
        amount=500,
        idempotency_key="refund-abc-123456",
        notes={"refund_key": "refund-abc-123456"},
    )
    assert refund["status"] == "processed"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            400,
            {"error": {"code": "BAD_REQUEST_ERROR", "description": "The amount must be atleast INR 1.00"}},
            GatewayRejected,
        ),
        (
            401,
            {"error": {"code": "BAD_REQUEST_ERROR", "description": "Authentication failed"}},
            GatewayRejected,
        ),
        (
            500,
            {"error": {"code": "SERVER_ERROR", "description": "The server encountered an error"}},
            GatewayUnavailable,
        ),
        (502, {"error": {"code": "GATEWAY_ERROR", "description": "Bad gateway"}}, GatewayUnavailable),
    ],
)
def test_refusals_and_server_errors_become_adapter_errors(gateway, mocked, status, body, error):
    mocked.post(f"{API}/orders", json=body, status=status)
    with pytest.raises(error) as caught:
        gateway.create_order(amount=50, receipt="r", notes={})
    assert body["error"]["description"] in str(caught.value)


@pytest.mark.parametrize(
    "failure",
    [
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ConnectionError("connection refused"),
    ],
)
def test_timeouts_and_network_errors_are_unavailable_not_crashes(gateway, mocked, failure):
    mocked.post(f"{API}/orders", body=failure)
    mocked.get(f"{API}/orders/order_Mock00000001/payments", body=failure)
    with pytest.raises(GatewayUnavailable):
        gateway.create_order(amount=100, receipt="r", notes={})
    with pytest.raises(GatewayUnavailable):
        gateway.order_payments("order_Mock00000001")


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def test_a_non_json_error_page_is_unavailable(gateway, mocked):
    mocked.post(f"{API}/orders", body="<html>502 Bad Gateway</html>", status=502, content_type="text/html")
    with pytest.raises(GatewayUnavailable):
        gateway.create_order(amount=100, receipt="r", notes={})


def test_payment_signature_verification(gateway):
    good = sign(SECRET, b"order_Mock00000001|pay_A1b2c3d4e5f6")
    assert gateway.verify_payment_signature(
        order_id="order_Mock00000001", payment_id="pay_A1b2c3d4e5f6", signature=good
    )
    for order_id, payment_id, signature in [
        ("order_Mock00000001", "pay_Other0000001", good),
        ("order_Other0000001", "pay_A1b2c3d4e5f6", good),
        ("order_Mock00000001", "pay_A1b2c3d4e5f6", sign("wrong", b"order_Mock00000001|pay_A1b2c3d4e5f6")),
        ("order_Mock00000001", "pay_A1b2c3d4e5f6", good.upper()),
        ("order_Mock00000001", "pay_A1b2c3d4e5f6", ""),
        ("order_Mock00000001", "pay_A1b2c3d4e5f6", "é" * 64),
        ("order_Mock00000001", "pay_A1b2c3d4e5f6", good[:-1]),
    ]:
        assert not gateway.verify_payment_signature(
            order_id=order_id, payment_id=payment_id, signature=signature
        )


def test_webhook_signature_is_over_the_raw_body(gateway):
    body = json.dumps({"event": "payment.captured", "payload": {}}, separators=(",", ":")).encode()
    good = sign(HOOK_SECRET, body)
    assert gateway.verify_webhook_signature(body, good)
    reserialised = json.dumps(json.loads(body)).encode()  # same JSON, different bytes
    assert not gateway.verify_webhook_signature(reserialised, good)
    assert not gateway.verify_webhook_signature(body, sign(SECRET, body))
    assert not gateway.verify_webhook_signature(b"\xff" + body, sign(HOOK_SECRET, b"\xff" + body))
    no_secret = RazorpayGateway(key_id=KEY_ID, key_secret=SECRET, webhook_secret=None)
    assert not no_secret.verify_webhook_signature(body, good)


def test_keys_in_the_environment_choose_razorpay(monkeypatch):
    base = choice.get_settings()
    fields = {**base.__dict__, "razorpay_key_id": KEY_ID, "razorpay_key_secret": SECRET}
    monkeypatch.setattr(choice, "get_settings", lambda: Settings(**fields))
    chosen = get_gateway()
    assert isinstance(chosen, RazorpayGateway) and chosen.key_id == KEY_ID
    fields.update(razorpay_key_id=None, razorpay_key_secret=None)
    assert isinstance(get_gateway(), TestGateway)
    # Production without keys never falls back to the test gateway (its checkout takes no money).
    fields.update(env="prod")
    off = get_gateway()
    assert off.name == "off"
    with pytest.raises(GatewayUnavailable):
        off.create_order(amount=100, receipt="r", notes={})
    assert not off.verify_webhook_signature(b"{}", "0" * 64)


def test_the_online_flow_on_the_real_adapter(tx, gateway, mocked):
    """Order, signed checkout response, reconcile of a second order, and a refund: all through the
    SDK against mocked HTTP, with the books checked at the end."""
    boss = foreman(tx)
    _, (t1, t2) = active_group(tx, boss, tickets=2, chit_value="20,000")
    member = member_actor(tx, t1)

    def order_for(request):
        data = json.loads(request.body)
        order_id = f"order_Mock{data['receipt'].rsplit('-', 1)[1].rjust(8, '0')}"
        return (
            200,
            {},
            json.dumps({**ORDER, "id": order_id, "amount": data["amount"], "receipt": data["receipt"]}),
        )

    mocked.add_callback(responses.POST, f"{API}/orders", callback=order_for, content_type="application/json")
    info = online_checkout.start_checkout(tx=tx, gateway=gateway, actor=member, ticket_id=t1, amount="10000")
    with tx() as s:
        paid = online_checkout.confirm_checkout(
            s,
            actor=member,
            gateway=gateway,
            order_id=info.order_id,
            payment_id="pay_Real00000001",
            signature=sign(SECRET, f"{info.order_id}|pay_Real00000001".encode()),
        )
        assert paid.status == "captured"

    # Ticket 2 paid, but its browser never came back: reconcile asks Razorpay.
    other = online_checkout.start_checkout(
        tx=tx, gateway=gateway, actor=member_actor(tx, t2), ticket_id=t2, amount="10000"
    )
    mocked.get(
        f"{API}/orders/{other.order_id}/payments",
        json={
            "items": [
                {
                    "id": "pay_Real00000002",
                    "status": "captured",
                    "amount": 1_000_000,
                    "order_id": other.order_id,
                }
            ]
        },
    )
    counts = online_reconcile.reconcile(tx=tx, gateway=gateway, min_age=timedelta(0))
    assert counts["captured"] == 1

    mocked.post(
        f"{API}/payments/pay_Real00000002/refund",
        json={
            "id": "rfnd_Real00000001",
            "entity": "refund",
            "amount": 100_000,
            "payment_id": "pay_Real00000002",
            "status": "pending",
        },
    )
    done = refunds.refund_payment(
        tx=tx,
        gateway=gateway,
        actor=boss,
        payment_id=other.payment_id,
        amount="1000",
        reason="Overpaid",
        idempotency_key="rf-real-000001",
    )
    assert done["status"] == "created"  # pending at Razorpay: posted when it is processed
    mocked.get(
        f"{API}/refunds/rfnd_Real00000001",
        json={
            "id": "rfnd_Real00000001",
            "entity": "refund",
            "amount": 100_000,
            "payment_id": "pay_Real00000002",
            "status": "processed",
        },
    )
    assert online_reconcile.reconcile(tx=tx, gateway=gateway, min_age=timedelta(0))["refunds"] == 1
    with tx() as s:
        assert [p.status for p in s.exec(select(Payment).order_by(Payment.id)).all()] == [
            "captured",
            "captured",
        ]
        assert ledger_check(s) == []
