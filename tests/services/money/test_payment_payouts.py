"""Payouts: payable after each draw, security with the 4/3 (3/2 for property) warning, release with
method, reference and date, optional deduction of arrears, never more than payable."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.models import Payment, Payout, Ticket
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import payouts, refunds
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.money.payouts import security_shortfall, security_warning
from tests.services.helpers import (
    active_group,
    conduct,
    foreman,
    member_actor,
    outstanding,
    pay,
    pay_dues,
    snapshot,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE
PRIZE = 28_500 * RUPEE  # ₹30,000 less 5 % commission
GUARANTOR = {
    "name": "Suresh Babu",
    "mobile": "9876500001",
    "relation": "Brother",
    "kyc": "ABCPE1234F",
    "signed_on": "2026-01-15",
}


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    """Whatever a test did, the books it leaves must pass ledger-check."""
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def books_ok(tx):
    with tx() as s:
        assert ledger_check(s) == []


@pytest.fixture
def drawn(tx):
    """Month 1 paid by everyone and drawn: one payout payable; month 2 is raised and unpaid."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        payout = s.exec(select(Payout)).one()
    return boss, group_id, tickets, draw, payout


def test_the_prize_is_payable_after_the_draw(tx, drawn):
    boss, group_id, _, draw, payout = drawn
    assert (payout.status, payout.gross, payout.ticket_id) == ("payable", PRIZE, draw.winner_ticket_id)
    with tx() as s:
        assert balance(s, f"ticket:{payout.ticket_id}:prize_payable") == -PRIZE
        rows = payouts.payouts_for_group(s, actor=boss, group_id=group_id)
    assert rows[0]["payable"] and rows[0]["arrears"] == "₹10,000" and rows[0]["remaining"] == "₹20,000"
    assert rows[0]["needed"] == "₹26,666.67"


def test_security_cover_is_four_thirds_and_three_halves_for_property():
    remaining = 30_000 * RUPEE
    assert security_shortfall(remaining, [("guarantor", 40_000 * RUPEE)]) == 0
    assert security_shortfall(remaining, [("guarantor", 39_999 * RUPEE)]) > 0
    assert security_shortfall(remaining, [("property", 40_000 * RUPEE)]) > 0
    assert security_shortfall(remaining, [("property", 45_000 * RUPEE)]) == 0
    assert (
        security_shortfall(remaining, [("deposit", 20_000 * RUPEE), ("deduct_future", 15_000 * RUPEE)]) == 0
    )
    assert "4/3" in security_warning(remaining, [("deposit", 1)])
    assert security_warning(0, []) == ""


def test_release_needs_security_then_pays_less_the_arrears_kept(tx, drawn):
    boss, group_id, _, _, payout = drawn
    winner = payout.ticket_id
    with pytest.raises(ServiceError, match="security"), tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="bank",
            reference="NEFT123",
            paid_on=today_ist().isoformat(),
        )
    with tx() as s:
        _, warning = payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="guarantor",
            value="20000",
            description="Brother, salaried",
            guarantors=[GUARANTOR],  # a guarantor security names its guarantor (issue 15)
        )
        assert "below the legal cover" in warning
    with tx() as s:
        _, warning = payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="deposit",
            value="7000",
            description="FD receipt 4411",
            method="bank",  # a deposit is money received (s.21(1)(e))
            reference="NEFT-DEP-4411",
            received_on=today_ist().isoformat(),
        )
        assert warning == ""  # ₹20,000 + ₹7,000 cover ₹20,000 × 4/3
    with tx() as s:
        released = payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="bank",
            reference="NEFT123456",
            paid_on=today_ist().isoformat(),
            deduction="10000",
        )
        assert (released.status, released.deduction, released.method) == ("released", INSTALLMENT, "bank")
    assert outstanding(tx, winner, 2) == 0  # the arrears were paid from the prize
    with tx() as s:
        kept = s.exec(select(Payment).where(Payment.method == "prize")).one()
        assert (kept.ticket_id, kept.amount, kept.status) == (winner, INSTALLMENT, "captured")
        assert kept.receipt_no is not None
        assert balance(s, f"ticket:{winner}:prize_payable") == 0
        # The collections less the prize paid out, and the ₹7,000 deposit held for the winner.
        assert balance(s, f"group:{group_id}:cash") == 3 * INSTALLMENT - (PRIZE - INSTALLMENT) + 7_000 * RUPEE
    with pytest.raises(ServiceError, match="already been released"), tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="bank",
            reference="NEFT999",
            paid_on=today_ist().isoformat(),
        )
    with pytest.raises(ServiceError, match="cannot be refunded"), tx() as s:
        refunds.create_refund(
            s, actor=boss, payment_id=kept.id, amount="1", reason="Try it", idempotency_key="prize-refund-01"
        )
    books_ok(tx)


def test_release_is_validated_and_never_exceeds_what_is_payable(tx, engine, drawn):
    boss, _, tickets, _, payout = drawn
    with tx() as s:
        payouts.record_security(
            s, actor=boss, payout_id=payout.id, kind="property", value="50000", description="House deed 12/3"
        )
    intruder = foreman(tx, name="Intruder")
    before = snapshot(engine)
    good = dict(payout_id=payout.id, method="upi", reference="UPI-REF-1", paid_on=today_ist().isoformat())
    bad_cases = [
        {"method": "cheque"},
        {"method": None},
        {"reference": ""},
        {"paid_on": "2099-01-01"},
        {"paid_on": "2025-01-01"},
        {"paid_on": "not a date"},
        {"deduction": "28501"},
        {"deduction": "10000.01"},  # more than the arrears
        {"deduction": "-5"},
        {"deduction": 1.5},
    ]
    for change in bad_cases:
        with pytest.raises(ServiceError), tx() as s:
            payouts.release_payout(s, actor=boss, **{**good, **change})
    for actor in (member_actor(tx, tickets[0]), intruder, None):
        with pytest.raises(NotAllowed), tx() as s:
            payouts.release_payout(s, actor=actor, **good)
        with pytest.raises(NotAllowed), tx() as s:
            payouts.record_security(
                s, actor=actor, payout_id=payout.id, kind="deposit", value="1", description="xyz"
            )
    for kind, value in (("cash", "100"), ("deposit", "0"), ("deposit", "abc"), ("deduct_future", "30000")):
        with pytest.raises(ServiceError), tx() as s:
            payouts.record_security(
                s, actor=boss, payout_id=payout.id, kind=kind, value=value, description="xyz"
            )
    assert snapshot(engine) == before


def test_a_payout_is_refused_when_the_group_does_not_hold_the_cash(tx, drawn):
    boss, group_id, tickets, _, payout = drawn
    with tx() as s:
        payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="deposit",
            value="30000",
            description="FD 99",
            method="cash",  # held for the winner (s.21(1)(e)), not the group's to pay out
            received_on=today_ist().isoformat(),
        )
        first = s.exec(select(Payment).where(Payment.ticket_id == tickets[0]).order_by(Payment.id)).first()
        refunds.create_refund(
            s,
            actor=boss,
            payment_id=first.id,
            amount="5000",
            reason="Wrong amount",
            idempotency_key="cash-short-01",
        )
    with pytest.raises(ServiceError, match="holds"), tx() as s:
        payouts.release_payout(
            s, actor=boss, payout_id=payout.id, method="cash", reference="", paid_on=today_ist().isoformat()
        )
    # Keeping the winner's arrears back needs less cash, and then it goes through.
    with tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="cash",
            reference="",
            paid_on=today_ist().isoformat(),
            deduction="10000",
        )
        assert balance(s, f"group:{group_id}:cash") >= 0
    books_ok(tx)


def test_future_installments_kept_from_the_prize_become_an_advance(tx, drawn):
    boss, _, _, _, payout = drawn
    winner = payout.ticket_id
    with tx() as s:
        payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="deduct_future",
            value="10000",
            description="Month 3 installment",
        )
    with pytest.raises(ServiceError, match="future installments"), tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="bank",
            reference="NEFT1",
            paid_on=today_ist().isoformat(),
            deduction="5000",
        )
    with tx() as s:
        payouts.release_payout(
            s,
            actor=boss,
            payout_id=payout.id,
            method="bank",
            reference="NEFT1",
            paid_on=today_ist().isoformat(),
            deduction="20000",
        )
        assert balance(s, f"ticket:{winner}:receivable") == -INSTALLMENT  # month 3 paid ahead
        assert s.get(Ticket, winner).prized_month == 1
    assert outstanding(tx, winner, 2) == 0
    books_ok(tx)


def test_every_draw_leaves_its_own_payable_prize(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    for month in (1, 2, 3):
        pay_dues(tx, boss, tickets, month)
        conduct(tx, boss, group_id)
    with tx() as s:
        rows = s.exec(select(Payout).order_by(Payout.id)).all()
        assert [r.status for r in rows] == ["payable"] * 3
        assert len({r.ticket_id for r in rows}) == 3
        for r in rows:
            assert balance(s, f"ticket:{r.ticket_id}:prize_payable") == -r.gross
    pay(tx, boss, tickets[0], 1)  # completed groups still take money
    books_ok(tx)
