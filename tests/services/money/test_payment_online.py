"""Online payments through the built-in test gateway: checkout with a server-verified signature,
webhooks delivered several times and out of order, second captures, and reconciliation."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import func, select

from luckychit_app.gateways.protocol import GatewayUnavailable
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import GatewayEvent, JournalEntry, Payment, PaymentAllocation
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import online_checkout, online_reconcile, online_webhooks
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.money.online_webhooks import WebhookRejected
from tests.services.helpers import active_group, foreman, member_actor, outstanding, snapshot

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


@pytest.fixture
def gateway(engine):
    return TestGateway(engine)


@pytest.fixture
def setup(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    return boss, group_id, tickets, member_actor(tx, tickets[0])


def books_ok(tx):
    with tx() as s:
        assert ledger_check(s) == []


def checkout(tx, gateway, member, ticket_id, rupees="10000"):
    return online_checkout.start_checkout(
        tx=tx, gateway=gateway, actor=member, ticket_id=ticket_id, amount=rupees
    )


def deliver(tx, gateway, body, headers):
    return online_webhooks.receive_webhook(
        body=body,
        signature=headers["X-Razorpay-Signature"],
        event_id=headers["X-Razorpay-Event-Id"],
        gateway=gateway,
        tx=tx,
    )


def payment(tx, payment_id) -> Payment:
    with tx() as s:
        return s.get(Payment, payment_id)


def test_pay_now_creates_an_order_verifies_the_signature_and_posts(tx, gateway, setup):
    _, group_id, (t1, *_), member = setup
    info = checkout(tx, gateway, member, t1)
    assert info.gateway == "test" and info.order_id.startswith("order_") and info.amount == INSTALLMENT
    order = gateway.fetch_order(info.order_id)
    assert order["amount"] == INSTALLMENT and order["receipt"] == f"lc-payment-{info.payment_id}"
    assert payment(tx, info.payment_id).status == "pending"

    response = gateway.simulate_checkout(info.order_id, succeed=True)
    with tx() as s:
        paid = online_checkout.confirm_checkout(
            s,
            actor=member,
            gateway=gateway,
            order_id=response["razorpay_order_id"],
            payment_id=response["razorpay_payment_id"],
            signature=response["razorpay_signature"],
        )
        assert paid.status == "captured" and paid.receipt_no == 1
    assert outstanding(tx, t1, 1) == 0
    with tx() as s:
        assert balance(s, f"group:{group_id}:cash") == INSTALLMENT
        assert balance(s, f"ticket:{t1}:receivable") == 0
    books_ok(tx)


def test_a_forged_or_tampered_signature_posts_nothing(tx, engine, gateway, setup):
    _, _, (t1, t2, _), member = setup
    info = checkout(tx, gateway, member, t1)
    response = gateway.simulate_checkout(info.order_id, succeed=True)
    forger = TestGateway(engine, key_secret="not-the-install-secret")
    forged = forger.sign_payment(info.order_id, response["razorpay_payment_id"])
    before = snapshot(engine)
    for signature in (forged, "", "0" * 64, response["razorpay_signature"].upper(), "é" * 64, None, 123):
        with pytest.raises(ServiceError), tx() as s:
            online_checkout.confirm_checkout(
                s,
                actor=member,
                gateway=gateway,
                order_id=info.order_id,
                payment_id=response["razorpay_payment_id"],
                signature=signature,
            )
    # A genuine signature for another payment id does not transfer either.
    with pytest.raises(ServiceError), tx() as s:
        online_checkout.confirm_checkout(
            s,
            actor=member,
            gateway=gateway,
            order_id=info.order_id,
            payment_id="pay_SomethingElse1",
            signature=response["razorpay_signature"],
        )
    # Another member cannot confirm this member's order even with the right signature.
    with pytest.raises(NotAllowed), tx() as s:
        online_checkout.confirm_checkout(
            s,
            actor=member_actor(tx, t2),
            gateway=gateway,
            order_id=info.order_id,
            payment_id=response["razorpay_payment_id"],
            signature=response["razorpay_signature"],
        )
    assert snapshot(engine) == before


def test_checkout_refuses_other_tickets_bad_amounts_and_gateway_outages(tx, engine, gateway, setup):
    boss, _, (t1, t2, _), member = setup
    before = snapshot(engine)
    for actor in (member_actor(tx, t2), boss, None):
        with pytest.raises(NotAllowed):
            checkout(tx, gateway, actor, t1)
    for amount in ("0", "0.50", "-1", "abc", 10.5, "1e5", "9,99,99,999"):
        with pytest.raises(ServiceError) as caught:
            checkout(tx, gateway, member, t1, amount)
        assert caught.value.field == "amount", (amount, caught.value.message)
    assert snapshot(engine) == before

    class Down(TestGateway):
        def create_order(self, **kwargs):
            raise GatewayUnavailable("timed out")

    with pytest.raises(ServiceError, match="not available"):
        checkout(tx, Down(engine), member, t1)
    with tx() as s:
        failed = s.exec(select(Payment)).one()
        assert failed.status == "failed" and "Order not created" in failed.failure_reason
        assert (
            s.exec(select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "payment")).one()
            == 0
        )
    books_ok(tx)


def test_the_same_webhook_three_times_applies_once(tx, gateway, setup):
    _, group_id, (t1, *_), member = setup
    info = checkout(tx, gateway, member, t1)
    gateway.simulate_checkout(info.order_id, succeed=True)  # the member closed the tab: no callback
    captured, paid = gateway.events_for_checkout(info.order_id)
    results = [deliver(tx, gateway, *captured) for _ in range(3)]
    assert results == ["applied", "duplicate", "duplicate"]
    # order.paid for the same payment is a different event but finds the work done.
    assert deliver(tx, gateway, *paid) == "applied"
    assert deliver(tx, gateway, *paid) == "duplicate"
    with tx() as s:
        assert s.exec(select(func.count()).select_from(GatewayEvent)).one() == 2
        keys = s.exec(select(JournalEntry.key).where(JournalEntry.kind == "payment")).all()
        assert keys == [f"payment:{info.payment_id}"]
        assert balance(s, f"group:{group_id}:cash") == INSTALLMENT
    assert payment(tx, info.payment_id).status == "captured"
    books_ok(tx)


def test_out_of_order_events_never_move_a_payment_backwards(tx, gateway, setup):
    _, _, (t1, *_), member = setup
    info = checkout(tx, gateway, member, t1)
    failed_attempt = gateway.simulate_checkout(info.order_id, succeed=False, reason="Insufficient funds")
    failed_event = gateway.events_for_checkout(info.order_id)[0]
    gateway.simulate_checkout(info.order_id, succeed=True)  # the member retried and it went through
    captured_event, paid_event = gateway.events_for_checkout(info.order_id)

    # Delivered newest first: order.paid, then payment.captured, then the old failure.
    assert deliver(tx, gateway, *paid_event) == "applied"
    assert deliver(tx, gateway, *captured_event) == "applied"
    assert deliver(tx, gateway, *failed_event) == "ignored"
    p = payment(tx, info.payment_id)
    assert p.status == "captured" and p.failure_reason == ""
    # And the member's own (late) failure report cannot undo it either.
    with tx() as s:
        online_checkout.checkout_failed(s, actor=member, order_id=info.order_id, reason="closed")
    assert payment(tx, info.payment_id).status == "captured"
    assert failed_attempt["error"]["metadata"]["order_id"] == info.order_id
    books_ok(tx)


def test_failure_then_success_in_order_ends_captured(tx, gateway, setup):
    _, _, (t1, *_), member = setup
    info = checkout(tx, gateway, member, t1)
    gateway.simulate_checkout(info.order_id, succeed=False, reason="Bank declined")
    assert deliver(tx, gateway, *gateway.events_for_checkout(info.order_id)[0]) == "applied"
    p = payment(tx, info.payment_id)
    assert p.status == "failed" and p.failure_reason == "Bank declined"
    gateway.simulate_checkout(info.order_id, succeed=True)
    for event in gateway.events_for_checkout(info.order_id):
        deliver(tx, gateway, *event)
    assert payment(tx, info.payment_id).status == "captured"
    assert outstanding(tx, t1, 1) == 0
    books_ok(tx)


def test_a_second_capture_on_a_paid_order_is_kept_as_its_own_payment(tx, gateway, setup):
    _, group_id, (t1, *_), member = setup
    info = checkout(tx, gateway, member, t1)
    gateway.simulate_checkout(info.order_id, succeed=True)
    first = gateway.events_for_checkout(info.order_id)
    gateway.simulate_checkout(info.order_id, succeed=True)  # captured twice at the gateway
    second = gateway.events_for_checkout(info.order_id)
    for event in first + second + first:
        deliver(tx, gateway, *event)
    with tx() as s:
        rows = s.exec(select(Payment).order_by(Payment.id)).all()
        assert [r.status for r in rows] == ["captured", "captured"]
        assert rows[1].gateway_order_id is None and "Second payment" in rows[1].reference
        assert [r.receipt_no for r in rows] == [1, 2]
        # The second one is an advance: nothing left to allocate it to in month 1.
        assert s.exec(select(func.sum(PaymentAllocation.amount))).one() == INSTALLMENT
        assert balance(s, f"ticket:{t1}:receivable") == -INSTALLMENT
        assert balance(s, f"group:{group_id}:cash") == 2 * INSTALLMENT
    books_ok(tx)


def test_bad_webhook_signatures_and_bodies_are_rejected(tx, engine, gateway, setup):
    _, _, (t1, *_), member = setup
    info = checkout(tx, gateway, member, t1)
    gateway.simulate_checkout(info.order_id, succeed=True)
    body, headers = gateway.events_for_checkout(info.order_id)[0]
    before = snapshot(engine)
    tampered = body.replace(b'"captured"', b'"captured" ', 1)
    other_secret = TestGateway(engine, webhook_secret="another-secret")
    cases = [
        (tampered, headers["X-Razorpay-Signature"]),
        (body, other_secret.sign_webhook(body)),
        (body, ""),
        (body, "z" * 64),
        (body, None),
        (b"\xff\xfe" + body, gateway.sign_webhook(b"\xff\xfe" + body)),
    ]
    for raw, signature in cases:
        with pytest.raises(WebhookRejected):
            online_webhooks.receive_webhook(
                body=raw, signature=signature, event_id="evt_x", gateway=gateway, tx=tx
            )
    not_json = b"not json"
    with pytest.raises(WebhookRejected):
        online_webhooks.receive_webhook(
            body=not_json, signature=gateway.sign_webhook(not_json), event_id="evt_y", gateway=gateway, tx=tx
        )
    assert snapshot(engine) == before


def test_unknown_orders_and_events_are_recorded_and_ignored(tx, gateway, setup):
    stray = {
        "id": "pay_Stray00000001",
        "order_id": "order_Unknown000001",
        "status": "captured",
        "amount": 500,
    }
    assert deliver(tx, gateway, *gateway.webhook("payment.captured", payment=stray)) == "ignored"
    assert deliver(tx, gateway, *gateway.webhook("payment.dispute.created", payment=stray)) == "ignored"
    with tx() as s:
        assert s.exec(select(func.count()).select_from(GatewayEvent)).one() == 2
        assert s.exec(select(func.count()).select_from(Payment)).one() == 0
    books_ok(tx)


def test_an_amount_mismatch_is_refused_and_audited(tx, gateway, setup):
    _, _, (t1, *_), member = setup
    info = checkout(tx, gateway, member, t1)
    gateway.simulate_checkout(info.order_id, succeed=True)
    body, _ = gateway.events_for_checkout(info.order_id)[0]
    event = json.loads(body)
    event["payload"]["payment"]["entity"]["amount"] = 1
    assert (
        deliver(
            tx,
            gateway,
            *gateway.webhook("payment.captured", **{"payment": event["payload"]["payment"]["entity"]}),
        )
        == "ignored"
    )
    assert payment(tx, info.payment_id).status == "pending"
    books_ok(tx)


def test_reconcile_settles_orders_left_pending(tx, engine, gateway, setup):
    _, _, (t1, t2, t3), member = setup
    paid = checkout(tx, gateway, member, t1)
    gateway.simulate_checkout(paid.order_id, succeed=True)  # paid, but no callback and no webhook
    abandoned = checkout(tx, gateway, member_actor(tx, t2), t2)
    declined = checkout(tx, gateway, member_actor(tx, t3), t3)
    gateway.simulate_checkout(declined.order_id, succeed=False, reason="Card declined")

    young = online_reconcile.reconcile(tx=tx, gateway=gateway)
    assert young["checked"] == 0  # nothing is touched while the member may still be paying
    counts = online_reconcile.reconcile(tx=tx, gateway=gateway, min_age=timedelta(0))
    assert counts == {"checked": 3, "captured": 1, "failed": 1, "refunds": 0, "errors": 0}
    assert payment(tx, paid.payment_id).status == "captured"
    assert payment(tx, abandoned.payment_id).status == "pending"  # not expired yet
    assert payment(tx, declined.payment_id).failure_reason == "Card declined"
    expired = online_reconcile.reconcile(
        tx=tx, gateway=gateway, min_age=timedelta(0), expire_after=timedelta(0)
    )
    assert expired["failed"] == 1 and payment(tx, abandoned.payment_id).status == "failed"
    # Running it again changes nothing, and a late success on the "expired" order still captures.
    again = online_reconcile.reconcile(
        tx=tx, gateway=gateway, min_age=timedelta(0), expire_after=timedelta(0)
    )
    assert again["captured"] == 0
    gateway.simulate_checkout(abandoned.order_id, succeed=True)
    online_reconcile.reconcile(tx=tx, gateway=gateway, min_age=timedelta(0))
    assert payment(tx, abandoned.payment_id).status == "captured"

    class Down(TestGateway):
        def order_payments(self, order_id):
            raise GatewayUnavailable("timed out")

    pending = checkout(tx, gateway, member, t1, "1000")
    counts = online_reconcile.reconcile(tx=tx, gateway=Down(engine), min_age=timedelta(0))
    assert counts["errors"] >= 1 and payment(tx, pending.payment_id).status == "pending"
    books_ok(tx)
