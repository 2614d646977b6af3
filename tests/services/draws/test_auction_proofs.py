"""An auction's proof from the service side (issue 20; docs/proofs.md), on SQLite and PostgreSQL:
accepted bids form a hash chain whose head moves with each bid, a refused bid is not in it, the
closed auction's proof carries the chain, the terms and the settlement and verifies; the drand round
named with the commitment is bound into it and mixed in at the draw (recorded relay answers), and
without a network the fallback the commitment stated is taken and the proof says so."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import responses
from sqlmodel import select

from luckychit_app.clock import IST
from luckychit_app.crypto import decrypt
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import Bid, Draw, Ticket
from luckychit_app.services.draws import auctions, conducting, draw_views
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups import months
from luckychit_app.services.groups.months import seed_context
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.verify import bid_chain_genesis, commitment_of, verify_proof
from tests.services.helpers import AUCTION, active_group, current_draw, foreman, member_actor, pay_dues, race

RECORDED = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "drand" / "mainnet-round-3311596.json").read_text()
)
ROUND = RECORDED["round"]
RELAY = "https://relay.test"
CHAIN_HASH = "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce"


def run(tx, fn, **kwargs):
    with tx() as s:
        return fn(s, **kwargs)


def checks_of(draw: Draw) -> dict[str, bool]:
    return {c.name: c.ok for c in verify_proof(json.loads(draw.proof_json))}


def bid(tx, ticket_id: int, amount: str, draw_id: int):
    return run(
        tx,
        auctions.place_bid,
        actor=member_actor(tx, ticket_id),
        draw_id=draw_id,
        ticket_id=ticket_id,
        discount=amount,
    )


def auction_month(tx, tickets: int = 4):
    boss = foreman(tx)
    group_id, ticket_ids = active_group(tx, boss, tickets=tickets, **AUCTION)
    pay_dues(tx, boss, ticket_ids, 1)
    draw = current_draw(tx, group_id)
    run(tx, auctions.open_auction, actor=boss, draw_id=draw.id, minutes="30")
    return boss, group_id, ticket_ids, draw.id


def test_accepted_bids_form_a_chain_and_the_closed_auction_proves_itself(tx):
    boss, group_id, tickets, draw_id = auction_month(tx)
    page = run(tx, draw_views.draw_page, actor=member_actor(tx, tickets[0]), draw_id=draw_id)
    assert page["chain_head"] == bid_chain_genesis(group_id, 1, draw_id)  # no bid yet
    heads = []
    for ticket, amount in ((tickets[0], "6,000"), (tickets[1], "7,000"), (tickets[0], "9,500")):
        placed = bid(tx, ticket, amount, draw_id)
        heads.append(placed.hash)
        snap = run(tx, draw_views.live_snapshot, actor=member_actor(tx, tickets[2]), draw_id=draw_id)
        assert snap["chain_head"] == placed.hash  # the head every member sees moves with the bid
    with pytest.raises(ServiceError, match="at least"):
        bid(tx, tickets[2], "9,600", draw_id)  # refused: not in the chain
    with tx() as s:
        rows = s.exec(select(Bid).where(Bid.draw_id == draw_id).order_by(Bid.seq)).all()
        assert [b.seq for b in rows] == [1, 2, 3]
        assert [b.prev_hash for b in rows] == [bid_chain_genesis(group_id, 1, draw_id), *heads[:2]]
    draw = run(tx, auctions.close_auction, actor=boss, draw_id=draw_id, today=date(2026, 12, 31))
    proof = json.loads(draw.proof_json)
    assert proof["version"] == 2 and proof["kind"] == "auction"
    assert all(checks_of(draw).values()), verify_proof(proof)
    assert [b["discount"] for b in proof["bids"]] == [600_000, 700_000, 950_000]
    assert proof["chain_head"] == heads[-1] == draw.chain_head
    assert proof["lot"]["kind"] == "single-eligible" and proof["lot"]["beacon"] is None
    settlement = proof["settlement"]
    assert (settlement["discount"], settlement["prize"], settlement["dividend_per_ticket"]) == (
        draw.discount,
        draw.prize,
        draw.dividend_per_ticket,
    )
    with tx() as s:
        winner = s.get(Ticket, draw.winner_ticket_id)
        assert winner.id == tickets[0] and ledger_check(s) == []
    # The member's pages retell it: "you bid", the winning bid, the head.
    view = run(tx, draw_views.verify_view, draw_id=draw_id, actor=member_actor(tx, tickets[1]))
    assert view["all_ok"]
    words = " ".join(view["auction_words"])
    assert "You bid ₹7,000" in words and "The winning bid was ₹9,500" in words
    assert heads[-1][:16] in words
    public = run(tx, draw_views.verify_view, draw_id=draw_id)
    assert "You bid" not in " ".join(public["auction_words"])


def test_a_tie_at_the_maximum_discount_embeds_the_lot(tx):
    boss, _group_id, tickets, draw_id = auction_month(tx)
    bid(tx, tickets[0], "30,000", draw_id)
    bid(tx, tickets[3], "30,000", draw_id)  # the cap may be tied
    draw = run(tx, auctions.close_auction, actor=boss, draw_id=draw_id, today=date(2026, 12, 31))
    proof = json.loads(draw.proof_json)
    assert proof["lot"]["kind"] == "auction-tie" and len(proof["lot"]["eligible"]) == 2
    assert all(checks_of(draw).values())
    # A bid taken out of the stored proof breaks it on the chain check, as a member would see.
    proof["bids"] = proof["bids"][1:]
    failed = [c.name for c in verify_proof(proof) if not c.ok]
    assert failed[0] == "bid_chain"


def test_racing_bids_take_consecutive_places_in_the_chain(tx, engine):
    _boss, _group_id, tickets, draw_id = auction_month(tx, tickets=5)
    actors = [member_actor(tx, t) for t in tickets]

    def bidder(i: int):
        return lambda s: auctions.place_bid(
            s, actor=actors[i], draw_id=draw_id, ticket_id=tickets[i], discount="30,000"
        )

    results = race(engine, [bidder(i) for i in range(5)])
    assert not [r for r in results if isinstance(r, Exception)], results
    with tx() as s:
        rows = s.exec(select(Bid).where(Bid.draw_id == draw_id).order_by(Bid.seq)).all()
        draw = s.get(Draw, draw_id)
    assert [b.seq for b in rows] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert draw.chain_head == rows[-1].hash


def _beacon_env(monkeypatch: pytest.MonkeyPatch, relays: str) -> None:
    """Configure the beacon so that month 1's scheduled time (10-01-2026 00:00 IST, draw day 10)
    falls exactly on the recorded round (the chain's genesis is configuration, docs/proofs.md), and
    open the month on 01-01-2026, before that round: the draw is held now, long after it."""
    scheduled = datetime.combine(due_date_for(date(2026, 1, 1), 1, 10), time(0, 0), tzinfo=IST)
    monkeypatch.setenv("LUCKYCHIT_BEACON_RELAYS", relays)
    monkeypatch.setenv("LUCKYCHIT_BEACON_GENESIS", str(int(scheduled.timestamp()) - (ROUND - 1) * 30))
    monkeypatch.setattr(months, "utcnow", lambda: datetime(2026, 1, 1, 4, 30, tzinfo=UTC))


def test_the_named_round_is_bound_into_the_commitment_and_mixed_in(tx, monkeypatch):
    _beacon_env(monkeypatch, RELAY)
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    draw = current_draw(tx, group_id)
    terms = json.loads(draw.beacon_terms)
    assert terms["round"] == ROUND and terms["fallback"] == "phrases-only"
    seed = decrypt(draw.seed_encrypted, context=seed_context(group_id, 1))
    assert draw.commitment == commitment_of(seed, terms) != commitment_of(seed)
    page = run(tx, draw_views.draw_page, actor=member_actor(tx, tickets[0]), draw_id=draw.id)
    assert f"drand round {ROUND}" in page["beacon"]
    pay_dues(tx, boss, tickets, 1)
    with responses.RequestsMock() as relay:
        relay.get(f"{RELAY}/{CHAIN_HASH}/public/{ROUND}", json=RECORDED)
        done = run(tx, conducting.conduct_draw, actor=boss, draw_id=draw.id, today=date(2026, 12, 31))
    proof = json.loads(done.proof_json)
    assert proof["beacon"]["status"] == "used" and proof["beacon"]["randomness"] == RECORDED["randomness"]
    assert proof["public_value"] == f"drand:{CHAIN_HASH}:{ROUND}:{RECORDED['randomness']}"
    beacon_check = next(c for c in verify_proof(proof) if c.name == "beacon")
    assert beacon_check.ok and "BLS" in beacon_check.detail
    assert all(checks_of(done).values())


def test_without_a_network_the_stated_fallback_is_taken_and_said(tx, monkeypatch):
    _beacon_env(monkeypatch, "http://127.0.0.1:9")  # nothing listens there: refused at once
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    done = run(tx, conducting.conduct_draw, actor=boss, draw_id=draw_id, today=date(2026, 12, 31))
    proof = json.loads(done.proof_json)
    assert proof["beacon"]["status"] == "fallback" and proof["public_value"] is None
    assert proof["beacon"]["fallback_reason"]
    assert all(checks_of(done).values())
    result = run(tx, draw_views.draw_page, actor=member_actor(tx, tickets[0]), draw_id=draw_id)["result"]
    assert "not used" in result["public_value"] and "phrases only" in result["public_value"]


def test_a_month_opened_without_a_beacon_says_so(tx, monkeypatch):
    monkeypatch.delenv("LUCKYCHIT_BEACON_RELAYS", raising=False)
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    draw = current_draw(tx, group_id)
    assert draw.beacon_terms is None
    page = run(tx, draw_views.draw_page, actor=member_actor(tx, tickets[0]), draw_id=draw.id)
    assert "none was named" in page["beacon"]
