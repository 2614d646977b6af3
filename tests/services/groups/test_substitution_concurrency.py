"""Removal and substitution against PostgreSQL with real concurrent sessions: a payment racing the
removal of its ticket, and two substitutions of one ticket. Whatever the order the database picks,
exactly one story happens, nothing is applied twice and the books pass ledger-check."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, func, select

from luckychit_app.models import JournalEntry, Payment, SubscriberRefund, Ticket
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups import substitution
from luckychit_app.services.groups.substitution import Change
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.ledger import ledger_check
from tests.services.groups.substitution_helpers import DEDUCTION, RUPEE, declare, defaulter_group
from tests.services.helpers import foreman, outstanding, race, rupees

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
ROUNDS = 6


@pytest.fixture(autouse=True)
def _ledger_check_after_each_test(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx")
    yield
    with tx() as s:
        assert ledger_check(s) == []


def _remove(boss, ticket_id: int, **who) -> Callable[[Session], Change]:
    who = who or {"substitute": "company"}
    return lambda s: substitution.remove_and_substitute(
        s, actor=boss, ticket_id=ticket_id, mode="default", reason="Unpaid after the notice", **who
    )


def _pay(boss, ticket_id: int, paise: int) -> Callable[[Session], int]:
    return lambda s: (
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=ticket_id, amount=rupees(paise), method="cash"
        ).id
    )


@pytest.mark.parametrize("pays_all", [True, False], ids=["arrears-paid", "part-paid"])
def test_a_payment_racing_the_removal(tx, engine, pays_all):
    """Paying the whole arrears first keeps the seat (s.28(1) proviso); a part payment first counts in
    the refund; removal first refuses the payment. Never both, never a payment on a removed seat."""
    boss = foreman(tx)
    orders = set()
    for _ in range(ROUNDS):
        _group_id, (t1, *_rest) = defaulter_group(tx, boss)
        declare(tx, boss, t1, days_ago=8)
        amount = outstanding(tx, t1, 3) if pays_all else 1_000 * RUPEE
        paid, change = race(engine, [_pay(boss, t1, amount), _remove(boss, t1)])
        with tx() as s:
            status = s.get(Ticket, t1).status
            on_seat = s.exec(
                select(func.coalesce(func.sum(Payment.amount), 0)).where(
                    Payment.ticket_id == t1, Payment.status == "captured"
                )
            ).one()
            refund = s.exec(select(SubscriberRefund).where(SubscriberRefund.ticket_id == t1)).first()
        if isinstance(paid, Exception):  # the removal came first
            assert isinstance(paid, ServiceError) and "removed" in paid.message, paid
            assert isinstance(change, Change) and not change.stayed and status == "removed"
            assert on_seat == 5_000 * RUPEE and refund.contributed == 5_000 * RUPEE
            orders.add("removal first")
        else:
            assert isinstance(change, Change), change
            assert on_seat == 5_000 * RUPEE + amount
            if pays_all:
                assert change.stayed and status == "active" and refund is None
            else:
                assert status == "removed" and refund.contributed == on_seat
                assert refund.amount == on_seat - DEDUCTION
            orders.add("payment first")
    assert orders  # each round told one consistent story (which order came first is the database's)


def test_two_substitutions_of_one_ticket_exactly_one_wins(tx, engine):
    boss = foreman(tx)
    for n in range(ROUNDS):
        group_id, (t1, *_rest) = defaulter_group(tx, boss)
        declare(tx, boss, t1, days_ago=8)
        first = _remove(boss, t1, substitute="new", name="First Taker", mobile=f"96000{n:05d}")
        second = _remove(boss, t1, substitute="new", name="Second Taker", mobile=f"95000{n:05d}")
        results = race(engine, [first, second, _remove(boss, t1)])
        won = [r for r in results if isinstance(r, Change)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 2, results
        assert all(isinstance(e, ServiceError) and "already been removed" in e.message for e in lost), lost
        with tx() as s:
            seats = s.exec(select(Ticket).where(Ticket.group_id == group_id, Ticket.ticket_no == 1)).all()
            assert sorted(t.status for t in seats) == ["active", "removed"]
            keys = s.exec(select(JournalEntry.key).where(JournalEntry.key.like("substitution:%"))).all()
            assert keys.count(f"substitution:{t1}") == 1
            assert len(s.exec(select(SubscriberRefund).where(SubscriberRefund.ticket_id == t1)).all()) == 1
