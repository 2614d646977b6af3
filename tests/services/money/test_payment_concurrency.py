"""200 concurrent recordings against the same dues on PostgreSQL: cash entries, UPI confirmations
(each clicked twice) and webhook redeliveries all at once. Nothing may be lost or applied twice:
every payment is posted once, no installment is overpaid, receipts run 1..N without gaps, and the
books pass ledger-check."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest
from sqlmodel import Session, func, select

from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import GatewayEvent, Installment, JournalEntry, Payment, PaymentAllocation
from luckychit_app.services import audit
from luckychit_app.services.money import offline_payments, online_checkout, online_webhooks, upi
from luckychit_app.services.money.ledger import balance, ledger_check
from tests.services.helpers import active_group, foreman, member_actor, race

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
RUPEE = 100


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def test_200_concurrent_recordings_lose_and_duplicate_nothing(tx, engine):
    rng = random.Random(4)
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, chit_value="40,000", upi_vpa="boss@okaxis")
    members = {t: member_actor(tx, t) for t in tickets}
    gateway = TestGateway(engine)

    # 40 UTRs waiting for the foreman, and 10 online payments captured at the gateway whose
    # callbacks never came: only their webhooks will tell us.
    pending_upi = []
    for i in range(40):
        ticket = tickets[i % 4]
        with tx() as s:
            pending_upi.append(
                upi.submit_utr(
                    s, actor=members[ticket], ticket_id=ticket, amount="700", utr=f"{500000000000 + i}"
                ).id
            )
    webhooks = []
    for i in range(10):
        ticket = tickets[i % 4]
        info = online_checkout.start_checkout(
            tx=tx, gateway=gateway, actor=members[ticket], ticket_id=ticket, amount="1500"
        )
        gateway.simulate_checkout(info.order_id, succeed=True)
        webhooks.append(gateway.events_for_checkout(info.order_id)[0])

    calls: list[Callable[[Session], object]] = []
    cash_amounts = []
    for i in range(80):
        ticket, rupees = tickets[i % 4], rng.randrange(500, 4000)
        cash_amounts.append(rupees * RUPEE)
        calls.append(
            lambda s, t=ticket, r=rupees: (
                offline_payments.record_offline_payment(
                    s, actor=boss, ticket_id=t, amount=str(r), method="cash"
                ).id
            )
        )
    for pid in pending_upi:  # the foreman double-clicks every confirmation
        calls += [lambda s, p=pid: upi.confirm_upi(s, actor=boss, payment_id=p).id] * 2
    for body, headers in webhooks:  # each event delivered four times
        calls += [
            lambda s, b=body, h=headers: online_webhooks.handle_webhook(
                s, body=b, event_id=h["X-Razorpay-Event-Id"]
            )
        ] * 4
    assert len(calls) == 200
    rng.shuffle(calls)

    results = race(engine, calls)
    failures = [r for r in results if isinstance(r, Exception)]
    assert failures == [], failures[:3]
    assert Counter(r for r in results if isinstance(r, str)) == {"applied": 10, "duplicate": 30}

    with tx() as s:
        captured = s.exec(select(Payment).where(Payment.status == "captured")).all()
        assert len(captured) == 80 + 40 + 10
        assert sorted(p.receipt_no for p in captured) == list(range(1, 131))
        keys = s.exec(select(JournalEntry.key).where(JournalEntry.kind == "payment")).all()
        assert sorted(keys) == sorted(f"payment:{p.id}" for p in captured)
        assert s.exec(select(func.count()).select_from(GatewayEvent)).one() == 10
        total = sum(cash_amounts) + 40 * 700 * RUPEE + 10 * 1500 * RUPEE
        assert balance(s, f"group:{group_id}:cash") == total
        for ticket in tickets:
            due = s.exec(
                select(Installment.amount).where(Installment.ticket_id == ticket, Installment.month == 1)
            ).one()
            applied = s.exec(
                select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
                .join(Installment, Installment.id == PaymentAllocation.installment_id)
                .where(Installment.ticket_id == ticket)
            ).one()
            paid = sum(p.amount for p in captured if p.ticket_id == ticket)
            assert applied == min(due, paid)  # month 1 is paid exactly once; the rest is an advance
            assert balance(s, f"ticket:{ticket}:receivable") == due - paid
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok
