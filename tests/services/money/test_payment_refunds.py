"""Refunds of duplicate or wrongly captured payments, with an idempotency key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from luckychit_app.gateways.protocol import GatewayRejected, GatewayUnavailable
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import JournalEntry, Payment, Refund
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import online_checkout, online_reconcile, online_webhooks, refunds
from luckychit_app.services.money.ledger import balance, ledger_check
from tests.services.helpers import active_group, foreman, member_actor, outstanding, pay, snapshot

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


def books_ok(tx):
    with tx() as s:
        assert ledger_check(s) == []


def online_payment(tx, gateway, member, ticket_id, rupees="10000"):
    info = online_checkout.start_checkout(
        tx=tx, gateway=gateway, actor=member, ticket_id=ticket_id, amount=rupees
    )
    response = gateway.simulate_checkout(info.order_id, succeed=True)
    with tx() as s:
        return online_checkout.confirm_checkout(
            s,
            actor=member,
            gateway=gateway,
            order_id=info.order_id,
            payment_id=response["razorpay_payment_id"],
            signature=response["razorpay_signature"],
        ).id


def test_a_duplicate_cash_entry_is_refunded_once_whatever_the_retries(tx, engine):
    boss = foreman(tx)
    group_id, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    pay(tx, boss, t1, INSTALLMENT)
    dup = pay(tx, boss, t1, INSTALLMENT)  # recorded twice by mistake: the second is an advance
    with tx() as s:
        assert balance(s, f"ticket:{t1}:receivable") == -INSTALLMENT
    for _ in range(3):  # a double click and a retry after a network error
        with tx() as s:
            refund, _created = refunds.create_refund(
                s,
                actor=boss,
                payment_id=dup.id,
                amount="10,000",
                reason="Entered twice",
                idempotency_key="dup-entry-0001",
            )
    with tx() as s:
        assert s.exec(select(func.count()).select_from(Refund)).one() == 1
        assert s.get(Refund, refund.id).status == "processed"
        assert s.get(Payment, dup.id).status == "refunded"
        assert balance(s, f"ticket:{t1}:receivable") == 0
        assert balance(s, f"group:{group_id}:cash") == INSTALLMENT
        assert s.exec(select(JournalEntry.key).where(JournalEntry.kind == "refund")).all() == [
            f"refund:{refund.id}"
        ]
    assert outstanding(tx, t1, 1) == 0  # the first payment still pays month 1
    books_ok(tx)


def test_refunds_never_exceed_the_payment_and_keys_cannot_be_reused(tx, engine):
    boss = foreman(tx)
    _, (t1, t2) = active_group(tx, boss, tickets=2, chit_value="20,000")
    p = pay(tx, boss, t1, INSTALLMENT)
    other = pay(tx, boss, t2, INSTALLMENT)
    with tx() as s:
        refunds.create_refund(
            s, actor=boss, payment_id=p.id, amount="4000", reason="Part back", idempotency_key="key-part-0001"
        )
    intruder = foreman(tx, name="Other")
    before = snapshot(engine)
    cases = [
        dict(payment_id=p.id, amount="6000.01", reason="Too much", idempotency_key="key-part-0002"),
        dict(payment_id=p.id, amount="5000", reason="Same key", idempotency_key="key-part-0001"),
        dict(payment_id=other.id, amount="4000", reason="Same key", idempotency_key="key-part-0001"),
        dict(payment_id=p.id, amount="100", reason="x", idempotency_key="key-part-0003"),
        dict(payment_id=p.id, amount="100", reason="Short key", idempotency_key="short"),
        dict(payment_id=p.id, amount="100", reason="Bad key", idempotency_key="has spaces in it"),
        dict(payment_id=p.id, amount="100", reason="No key", idempotency_key=None),
        dict(payment_id=p.id, amount="0", reason="Zero", idempotency_key="key-part-0004"),
    ]
    for case in cases:
        with pytest.raises(ServiceError), tx() as s:
            refunds.create_refund(s, actor=boss, **case)
    for actor in (member_actor(tx, t1), intruder, None):
        with pytest.raises(NotAllowed), tx() as s:
            refunds.create_refund(
                s,
                actor=actor,
                payment_id=p.id,
                amount="1",
                reason="Not mine",
                idempotency_key="key-part-0005",
            )
    assert snapshot(engine) == before
    with tx() as s:
        refunds.create_refund(
            s, actor=boss, payment_id=p.id, amount="6000", reason="The rest", idempotency_key="key-part-0006"
        )
        assert s.get(Payment, p.id).status == "refunded"
    with pytest.raises(ServiceError, match="already been refunded"), tx() as s:
        refunds.create_refund(
            s, actor=boss, payment_id=p.id, amount="1", reason="More", idempotency_key="key-part-0007"
        )
    # The refunded money leaves month 1 unpaid again, and the books say the same.
    assert outstanding(tx, t1, 1) == INSTALLMENT
    books_ok(tx)


def test_an_online_duplicate_is_refunded_through_the_gateway(tx, engine, gateway):
    boss = foreman(tx)
    group_id, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    member = member_actor(tx, t1)
    online_payment(tx, gateway, member, t1)
    dup_id = online_payment(tx, gateway, member, t1)
    done = refunds.refund_payment(
        tx=tx,
        gateway=gateway,
        actor=boss,
        payment_id=dup_id,
        amount="10000",
        reason="Paid twice",
        idempotency_key="rf-online-0001",
    )
    assert done["status"] == "processed"
    with tx() as s:  # (the gateway is asked outside our transactions, as the app does)
        refund = s.exec(select(Refund)).one()
        assert refund.gateway_refund_id.startswith("rfnd_")
        gateway_payment_id = s.get(Payment, dup_id).gateway_payment_id
        assert balance(s, f"group:{group_id}:cash") == INSTALLMENT
    gateway_payment = gateway.fetch_payment(gateway_payment_id)
    assert gateway_payment["amount_refunded"] == INSTALLMENT
    # Retrying the same request (same key) changes nothing here or at the gateway.
    again = refunds.refund_payment(
        tx=tx,
        gateway=gateway,
        actor=boss,
        payment_id=dup_id,
        amount="10000",
        reason="Paid twice",
        idempotency_key="rf-online-0001",
    )
    assert again == done
    assert gateway.fetch_payment(gateway_payment["id"])["amount_refunded"] == INSTALLMENT
    # The refund.processed webhook arriving afterwards (twice) finds the work done.
    refund_entity = gateway.fetch_refund(refund.gateway_refund_id)
    for _ in range(2):
        body, headers = gateway.webhook("refund.processed", refund=refund_entity)
        online_webhooks.receive_webhook(
            body=body,
            signature=headers["X-Razorpay-Signature"],
            event_id=headers["X-Razorpay-Event-Id"],
            gateway=gateway,
            tx=tx,
        )
    with tx() as s:
        assert (
            s.exec(select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "refund")).one()
            == 1
        )
    books_ok(tx)


def test_a_refund_the_gateway_does_not_answer_is_finished_by_reconcile(tx, engine, gateway):
    boss = foreman(tx)
    group_id, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    member = member_actor(tx, t1)
    online_payment(tx, gateway, member, t1)
    dup_id = online_payment(tx, gateway, member, t1)

    class Timeout(TestGateway):
        def refund(self, **kwargs):
            raise GatewayUnavailable("read timed out")

    pending = refunds.refund_payment(
        tx=tx,
        gateway=Timeout(engine),
        actor=boss,
        payment_id=dup_id,
        amount="10000",
        reason="Paid twice",
        idempotency_key="rf-timeout-01",
    )
    assert pending["status"] == "created"
    with tx() as s:
        # In flight: the money is reserved but still in the group's cash.
        assert balance(s, f"group:{group_id}:cash") == 2 * INSTALLMENT
    books_ok(tx)
    counts = online_reconcile.reconcile(tx=tx, gateway=gateway, min_age=timedelta(0))
    assert counts["refunds"] == 1
    with tx() as s:
        assert s.exec(select(Refund)).one().status == "processed"
        assert balance(s, f"group:{group_id}:cash") == INSTALLMENT
    assert online_reconcile.reconcile(tx=tx, gateway=gateway, min_age=timedelta(0))["refunds"] == 0
    books_ok(tx)


def test_a_refused_refund_gives_the_money_back_to_the_dues(tx, engine, gateway):
    boss = foreman(tx)
    _, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    member = member_actor(tx, t1)
    paid = online_payment(tx, gateway, member, t1)

    class Refuses(TestGateway):
        def refund(self, **kwargs):
            raise GatewayRejected("The refund amount is greater than the refundable amount.")

    with pytest.raises(ServiceError, match="refused"):
        refunds.refund_payment(
            tx=tx,
            gateway=Refuses(engine),
            actor=boss,
            payment_id=paid,
            amount="10000",
            reason="Mistake",
            idempotency_key="rf-refused-01",
        )
    with tx() as s:
        assert s.exec(select(Refund)).one().status == "failed"
        assert s.get(Payment, paid).status == "captured"
    assert outstanding(tx, t1, 1) == 0  # the failed refund's money pays month 1 again
    books_ok(tx)


def test_a_refund_made_on_the_gateway_dashboard_is_recorded(tx, engine, gateway):
    boss = foreman(tx)
    group_id, (t1, *_) = active_group(tx, boss, tickets=2, chit_value="20,000")
    paid = online_payment(tx, gateway, member_actor(tx, t1), t1)
    with tx() as s:
        gateway_payment_id = s.get(Payment, paid).gateway_payment_id
    outside = gateway.refund(
        payment_id=gateway_payment_id, amount=2_000 * RUPEE, idempotency_key="dashboard-0001", notes={}
    )
    body, headers = gateway.webhook("refund.processed", refund=outside)
    assert (
        online_webhooks.receive_webhook(
            body=body,
            signature=headers["X-Razorpay-Signature"],
            event_id=headers["X-Razorpay-Event-Id"],
            gateway=gateway,
            tx=tx,
        )
        == "applied"
    )
    with tx() as s:
        refund = s.exec(select(Refund)).one()
        assert (refund.amount, refund.status, refund.gateway_refund_id) == (
            2_000 * RUPEE,
            "processed",
            outside["id"],
        )
        assert balance(s, f"group:{group_id}:cash") == 8_000 * RUPEE
    assert outstanding(tx, t1, 1) == 2_000 * RUPEE
    books_ok(tx)
