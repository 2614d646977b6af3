"""Races around a draw that only a real multi-connection database shows (PostgreSQL): a second draw
for the month, phrases and suspensions arriving at the moment of the draw, two equal bids, and
auctions closed at their closing time by several workers (and the foreman's button) at once."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from luckychit_app import background
from luckychit_app.clock import utcnow
from luckychit_app.models import AuditLog, Bid, Draw, JournalEntry, Payout, Ticket
from luckychit_app.services import audit
from luckychit_app.services.draws import auction_closer, auctions, conducting, entropy
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.people import members
from luckychit_app.verify import verify_proof
from tests.services.helpers import active_group, current_draw, foreman, member_actor, pay_dues, race

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])


def consistent(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


def test_two_foreman_tabs_conduct_the_same_draw_at_once(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=5, chit_value="50,000")
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    results = race(engine, [lambda s: conducting.conduct_draw(s, actor=boss, draw_id=draw_id)] * 2)
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
            lambda s: conducting.conduct_draw(s, actor=boss, draw_id=draw_id),
            lambda s: entropy.add_phrase(s, actor=member, draw_id=draw_id, phrase="last second"),
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
            lambda s: conducting.conduct_draw(s, actor=boss, draw_id=draw_id),
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
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=30)
    bidders = [member_actor(tx, t) for t in tickets[:2]]
    results = race(
        engine,
        [
            lambda s, a=a, t=t: auctions.place_bid(s, actor=a, draw_id=draw_id, ticket_id=t, discount="12000")
            for a, t in zip(bidders, tickets[:2], strict=True)
        ],
    )
    assert sum(isinstance(r, Bid) for r in results) == 1, results
    refused = next(r for r in results if isinstance(r, ServiceError))
    assert "beat the best bid" in refused.message
    with tx() as s:
        assert s.exec(select(func.count()).select_from(Bid)).one() == 1


# ------------------------------------------------------------------------------------------------
# Closing auctions at their closing time: every app worker runs the closer
# ------------------------------------------------------------------------------------------------


def _due_auction(tx, bids: tuple[str, ...] = ("9000",)) -> tuple[object, int, list[int]]:
    """An auction group whose month-1 auction has bids and whose closing time has just passed."""
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx, boss, tickets=4, kind="auction", chit_value="1,00,000", max_discount_pct="30", min_bid_step="500"
    )
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=30)
    for ticket, amount in zip(tickets, bids, strict=False):
        with tx() as s:
            auctions.place_bid(
                s, actor=member_actor(tx, ticket), draw_id=draw_id, ticket_id=ticket, discount=amount
            )
    with tx() as s:  # thirty minutes pass
        s.get(Draw, draw_id).bidding_closes_at = utcnow() - timedelta(milliseconds=1)
    return boss, draw_id, tickets


def _settled_once(tx, draw_id: int) -> Draw:
    with tx() as s:
        assert (
            s.exec(select(JournalEntry.key).where(JournalEntry.kind == "settlement"))
            .all()
            .count(f"draw:{draw_id}")
            == 1
        )
        assert s.exec(select(func.count()).select_from(Payout).where(Payout.draw_id == draw_id)).one() == 1
        completed = s.exec(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "draw.completed", AuditLog.object_id == str(draw_id))
        ).one()
        assert completed == 1
        draw = s.get(Draw, draw_id)
        assert draw.status == "completed" and all(c.ok for c in verify_proof(json.loads(draw.proof_json)))
        group_id = draw.group_id
        assert s.exec(select(func.count()).select_from(Draw).where(Draw.group_id == group_id)).one() == 2
    return draw


def test_two_workers_closing_the_same_auction_settle_it_once(tx, engine):
    for _ in range(3):  # a few rounds: the two closers meet at different points
        _boss, draw_id, tickets = _due_auction(tx, ("9000", "9500"))
        results = race(engine, [lambda s, d=draw_id: auction_closer.close_if_due(s, draw_id=d)] * 2)
        assert sorted(results) == ["settled", "skipped"], results
        assert _settled_once(tx, draw_id).winner_ticket_id == tickets[1]
    consistent(tx)


def test_the_whole_closing_job_on_two_workers_at_once(tx, engine):
    due = [_due_auction(tx, ("7000",))[1] for _ in range(4)]
    barrier = threading.Barrier(2)
    totals: list[dict[str, int] | Exception] = [{}, {}]

    def worker(i: int) -> None:
        barrier.wait()
        try:
            totals[i] = background.close_due_auctions(engine)
        except Exception as exc:  # the assertion below shows it
            totals[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert all(isinstance(t, dict) and t["failed"] == 0 for t in totals), totals
    assert sum(t["settled"] for t in totals) == 4, totals
    for draw_id in due:
        _settled_once(tx, draw_id)
    consistent(tx)


def test_the_closer_racing_the_foremans_button_settles_once(tx, engine):
    for _ in range(3):
        boss, draw_id, _tickets = _due_auction(tx, ("9000",))
        results = race(
            engine,
            [
                lambda s, d=draw_id: auction_closer.close_if_due(s, draw_id=d),
                lambda s, d=draw_id, b=boss: auctions.close_auction(s, actor=b, draw_id=d),
            ],
        )
        closer, button = results
        assert (closer, type(button)) in (("settled", ServiceError), ("skipped", Draw)), results
        if isinstance(button, ServiceError):
            assert "already been held" in button.message
        _settled_once(tx, draw_id)
    consistent(tx)
