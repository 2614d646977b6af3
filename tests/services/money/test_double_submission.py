"""Issue 17, item 6, in the services and on both databases: a money form sent twice records once.

A form carries a request key (a second click or a retry sends the same one: the first payment is
returned) and what the page showed of the ticket (`seen`: a form from a second tab, drawn before
the first tab's payment, is refused). Racing twins run in real threads, on PostgreSQL too."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import Payment, Refund
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import offline_payments, online_checkout, refunds
from luckychit_app.services.money.ledger import ledger_check
from tests.services.helpers import active_group, foreman, member_actor, pay, race


def _seen(tx, ticket: int) -> str:
    with tx() as s:
        return str(offline_payments.payments_seen(s, [ticket])[ticket])


def _record(boss, ticket: int, *, key: str, seen: str | None, amount: str = "1,000"):
    return lambda s: (
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=ticket, amount=amount, request_key=key, seen=seen
        ).id
    )


def _payments(tx, ticket: int) -> list[int]:
    with tx() as s:
        return list(s.exec(select(Payment.id).where(Payment.ticket_id == ticket)).all())


def test_a_second_click_returns_the_first_payment(tx):
    boss = foreman(tx)
    _gid, (ticket, *_) = active_group(tx, boss)
    seen = _seen(tx, ticket)
    with tx() as s:
        first = _record(boss, ticket, key="pay-click-0001", seen=seen)(s)
    with tx() as s:
        assert _record(boss, ticket, key="pay-click-0001", seen=seen)(s) == first
    assert _payments(tx, ticket) == [first]
    with pytest.raises(ServiceError, match="already used for a different payment"), tx() as s:
        _record(boss, ticket, key="pay-click-0001", seen=seen, amount="2,000")(s)
    for bad in ("", "short", "x" * 65, "bad key!", 7, None.__class__):
        with pytest.raises(ServiceError, match="no valid request key"), tx() as s:
            _record(boss, ticket, key=bad, seen=seen)(s)
    with tx() as s:
        assert ledger_check(s) == []


def test_a_form_from_before_the_last_payment_is_refused(tx):
    boss = foreman(tx)
    _gid, (ticket, *_) = active_group(tx, boss)
    seen = _seen(tx, ticket)
    with tx() as s:
        _record(boss, ticket, key="pay-tab-a-0001", seen=seen)(s)
    with pytest.raises(ServiceError, match="recorded after this page was loaded"), tx() as s:
        _record(boss, ticket, key="pay-tab-b-0001", seen=seen)(s)
    with tx() as s:  # reloaded: the page now shows the new payment, and a further one is fine
        _record(boss, ticket, key="pay-tab-b-0002", seen=_seen(tx, ticket))(s)
    assert len(_payments(tx, ticket)) == 2
    for bad in ("-1", "x", "1e3", 2**63):
        with pytest.raises(ServiceError), tx() as s:
            _record(boss, ticket, key="pay-tab-c-0001", seen=bad)(s)


def test_racing_twins_record_once(tx, engine):
    """Two clicks whose events reach two workers at once (same key), and two tabs submitting at
    once (same page view, different keys): one payment each time, the books balanced."""
    boss = foreman(tx)
    _gid, (ticket, other, *_) = active_group(tx, boss)
    seen = _seen(tx, ticket)
    same_key = race(engine, [_record(boss, ticket, key="pay-race-0001", seen=seen)] * 2)
    assert same_key[0] == same_key[1] and isinstance(same_key[0], int), same_key
    seen = _seen(tx, other)
    tabs = race(engine, [_record(boss, other, key=f"pay-race-tab-{i}", seen=seen) for i in range(2)])
    assert sorted(type(r).__name__ for r in tabs) == ["ServiceError", "int"], tabs
    assert len(_payments(tx, ticket)) == len(_payments(tx, other)) == 1
    with tx() as s:
        assert ledger_check(s) == []


def test_a_refund_dialog_from_before_another_refund_is_refused(tx, engine):
    boss = foreman(tx)
    _gid, (ticket, *_) = active_group(tx, boss)
    payment = pay(tx, boss, ticket, 200_000)
    gateway = TestGateway(engine)

    def refund(key: str, shown: str):
        return refunds.refund_payment(
            tx=tx,
            gateway=gateway,
            actor=boss,
            payment_id=payment.id,
            amount="100",
            reason="Paid twice by mistake",
            idempotency_key=key,
            refundable_shown=shown,
        )

    refund("refund-tab-a-0001", "2000")
    refund("refund-tab-a-0001", "2000")  # a second click: the same refund
    with pytest.raises(ServiceError, match="refunded after this page was loaded"):
        refund("refund-tab-b-0001", "2000")
    refund("refund-tab-b-0002", "1900")  # that tab, reloaded
    with tx() as s:
        assert len(s.exec(select(Refund).where(Refund.payment_id == payment.id)).all()) == 2
        assert ledger_check(s) == []


def test_pay_twice_continues_one_order(tx, engine):
    boss = foreman(tx)
    _gid, (ticket, *_) = active_group(tx, boss)
    member = member_actor(tx, ticket)
    gateway = TestGateway(engine)
    start = lambda amount: online_checkout.start_checkout(  # noqa: E731
        tx=tx, gateway=gateway, actor=member, ticket_id=ticket, amount=amount
    )
    first, second = start("500"), start("500")
    assert (second.order_id, second.payment_id) == (first.order_id, first.payment_id)
    assert start("600").order_id != first.order_id  # a different payment is a new order
