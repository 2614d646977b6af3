"""Races that only a real multi-connection database can show (PostgreSQL): two foreman tabs holding
the same draw at once, and receipts numbered by two clerks at the same moment."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, func, select

from luckychit_app.models import Draw, JournalEntry, Payment, Payout, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import auctions, conducting
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.ledger import ledger_check
from tests.services.helpers import active_group, current_draw, foreman, outstanding, pay_dues, race, rupees

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])


def test_two_concurrent_draws_of_the_same_month_settle_once(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, chit_value="40,000")
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id

    results = race(engine, [lambda s: conducting.conduct_draw(s, actor=boss, draw_id=draw_id)] * 2)

    won = [r for r in results if isinstance(r, Draw)]
    refused = [r for r in results if not isinstance(r, Draw)]
    assert len(won) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], ServiceError), repr(refused[0])
    assert "already been held" in refused[0].message
    with tx() as s:
        keys = s.exec(select(JournalEntry.key).where(JournalEntry.kind == "settlement")).all()
        assert keys == [f"draw:{draw_id}"]
        assert s.exec(select(func.count()).select_from(Payout)).one() == 1
        assert len(s.exec(select(Ticket).where(Ticket.prized_month.is_not(None))).all()) == 1
        assert s.exec(select(func.count()).select_from(Draw).where(Draw.group_id == group_id)).one() == 2
        assert s.get(Draw, draw_id).winner_ticket_id == won[0].winner_ticket_id
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


def test_concurrent_payments_get_distinct_gap_free_receipts(tx, engine):
    boss = foreman(tx)
    _, first = active_group(tx, boss, tickets=3)
    _, second = active_group(tx, boss, tickets=3, name="Second Group")
    tickets = first + second

    def pay(ticket_id: int) -> Callable[[Session], Payment]:
        return lambda s: offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=ticket_id, amount="1000"
        )

    # The very first receipts race to create the foreman's counter row as well.
    results = race(engine, [pay(t) for t in tickets])
    assert all(isinstance(r, Payment) for r in results), results
    assert sorted(r.receipt_no for r in results) == list(range(1, len(tickets) + 1))
    results = race(engine, [pay(t) for t in tickets])
    assert sorted(r.receipt_no for r in results) == list(range(len(tickets) + 1, 2 * len(tickets) + 1))
    with tx() as s:
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


def test_payments_racing_an_auction_close_never_overpay_a_due(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx, boss, tickets=4, kind="auction", chit_value="1,00,000", max_discount_pct="30", min_bid_step="500"
    )
    for month in (1, 2, 3):
        draw_id = current_draw(tx, group_id).id
        with tx() as s:
            bidder = s.exec(
                select(Ticket)
                .where(Ticket.group_id == group_id, Ticket.prized_month.is_(None))
                .order_by(Ticket.id)
            ).first()
            auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=60)
            auctions.place_bid(
                s,
                actor=Actor(bidder.member_id, "member"),
                draw_id=draw_id,
                ticket_id=bidder.id,
                discount="9000",
            )
        owing = {t: outstanding(tx, t) for t in tickets}

        def pay_all(s: Session, owing: dict[int, int] = owing) -> None:
            for t, amount in owing.items():
                if amount:
                    offline_payments.record_offline_payment(s, actor=boss, ticket_id=t, amount=rupees(amount))

        results = race(
            engine,
            [lambda s, draw_id=draw_id: auctions.close_auction(s, actor=boss, draw_id=draw_id), pay_all],
        )
        # The whole message of a refusal (a CI run once saw the s.269ST cash limit refuse pay_all here,
        # its amounts cut off in the repr; it did not recur in 8 runs on this machine).
        assert not any(isinstance(r, Exception) for r in results), [str(r) for r in results]
        with tx() as s:
            assert ledger_check(s) == [], f"month {month}"
