"""Races around a draw that only a real multi-connection database shows (PostgreSQL): a second draw
for the month, phrases and suspensions arriving at the moment of the draw, two equal bids."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from luckychit_app.db import transaction
from luckychit_app.models import Bid, Draw, JournalEntry, Payout, Ticket
from luckychit_app.services import audit, draws, members
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.ledger import ledger_check
from luckychit_app.verify import verify_proof

from .helpers import active_group, current_draw, foreman, member_actor, pay_dues

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])


def race(engine, calls: list[Callable[[Session], object]]) -> list[object]:
    """Each call in its own thread and transaction, released together; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            with transaction(engine) as s:
                results[i] = calls[i](s)
        except Exception as exc:  # the test inspects whatever happened
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racing call hung"
    return results


def consistent(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


def test_two_foreman_tabs_conduct_the_same_draw_at_once(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=5, chit_value="50,000")
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    results = race(engine, [lambda s: draws.conduct_draw(s, actor=boss, draw_id=draw_id)] * 2)
    held = [r for r in results if isinstance(r, Draw)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(held) == 1 and len(refused) == 1, results
    assert "already been held" in refused[0].message
    with tx() as s:
        assert s.exec(select(func.count()).select_from(Payout)).one() == 1
        assert s.exec(select(JournalEntry.key).where(JournalEntry.kind == "settlement")).all() == [
            f"draw:{draw_id}"
        ]
        assert len(s.exec(select(Ticket).where(Ticket.prized_month.is_not(None))).all()) == 1
        stored = s.get(Draw, draw_id)
        assert stored.proof_sha256 == held[0].proof_sha256
        assert all(c.ok for c in verify_proof(json.loads(stored.proof_json)))
    consistent(tx)


def test_the_database_refuses_a_second_draw_row_for_the_same_month(tx, engine):
    """Even code that skipped the service's checks cannot create two draws for one group-month."""
    boss = foreman(tx)
    group_id, _ = active_group(tx, boss, tickets=3)

    def insert(s: Session) -> int:
        row = Draw(group_id=group_id, month=2, kind="lucky", commitment="a" * 64, seed_encrypted="x")
        s.add(row)
        s.flush()
        return row.id

    results = race(engine, [insert, insert])
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, IntegrityError) for r in results) == 1, results
    assert "uq_draw_group_month" in str(next(r for r in results if isinstance(r, IntegrityError)))


def test_a_phrase_racing_the_draw_is_either_in_the_proof_or_refused(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, chit_value="40,000")
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    member = member_actor(tx, tickets[3])
    results = race(
        engine,
        [
            lambda s: draws.conduct_draw(s, actor=boss, draw_id=draw_id),
            lambda s: draws.add_phrase(s, actor=member, draw_id=draw_id, phrase="last second"),
        ],
    )
    assert isinstance(results[0], Draw), results
    with tx() as s:
        proof = json.loads(s.get(Draw, draw_id).proof_json)
    if isinstance(results[1], ServiceError):
        assert "already been held" in results[1].message and proof["phrases"] == []
    else:
        assert proof["phrases"] == ["last second"]
    assert all(c.ok for c in verify_proof(proof))
    consistent(tx)


def test_a_suspension_racing_the_draw_lands_before_the_freeze_or_after_the_draw(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, chit_value="40,000")
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    target = tickets[1]
    results = race(
        engine,
        [
            lambda s: draws.conduct_draw(s, actor=boss, draw_id=draw_id),
            lambda s: members.set_ticket_status(
                s, actor=boss, ticket_id=target, status="suspended", reason="raced the draw"
            ),
        ],
    )
    assert not any(isinstance(r, Exception) for r in results), results
    with tx() as s:
        draw = s.get(Draw, draw_id)
        proof = json.loads(draw.proof_json)
        listed = {e["ticket"] for e in proof["eligible"]}
        assert s.get(Ticket, target).status == "suspended"
    # Either way the frozen list stands and the proof verifies.
    assert listed in ({1, 2, 3, 4}, {1, 3, 4})
    assert all(c.ok for c in verify_proof(proof))
    consistent(tx)


def test_two_equal_bids_at_once_only_one_stands(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx, boss, tickets=4, kind="auction", chit_value="1,00,000", max_discount_pct="30", min_bid_step="500"
    )
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        draws.open_auction(s, actor=boss, draw_id=draw_id, minutes=30)
    bidders = [member_actor(tx, t) for t in tickets[:2]]
    results = race(
        engine,
        [
            lambda s, a=a, t=t: draws.place_bid(s, actor=a, draw_id=draw_id, ticket_id=t, discount="12000")
            for a, t in zip(bidders, tickets[:2], strict=True)
        ],
    )
    assert sum(isinstance(r, Bid) for r in results) == 1, results
    refused = next(r for r in results if isinstance(r, ServiceError))
    assert "beat the best bid" in refused.message
    with tx() as s:
        assert s.exec(select(func.count()).select_from(Bid)).one() == 1
