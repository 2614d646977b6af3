"""Lucky draws, the foreman's first chit and auctions, end to end through the books and the proofs."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlmodel import func, select

from luckychit_app.models import (
    Bid,
    Branch,
    ChitGroup,
    Draw,
    JournalEntry,
    Payout,
    PostingRow,
    StaffMember,
    Ticket,
    User,
)
from luckychit_app.seeding.demo import DEMO_STAFF, seed_demo_data
from luckychit_app.services import audit
from luckychit_app.services.draws import auctions, conducting
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.verify import proof_sha256, verify_proof
from tests.services.helpers import (
    AUCTION,
    active_group,
    conduct,
    current_draw,
    foreman,
    installments,
    member_actor,
    outstanding,
    pay,
    pay_dues,
    snapshot,
)

RUPEE = 100


def books_ok(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []
        assert audit.verify_chain(s).ok


def proof_checks(draw: Draw) -> list:
    return verify_proof(json.loads(draw.proof_json))


def test_demo_data_obeys_every_rule(tx):
    with tx() as s:
        assert seed_demo_data(s) is True
    with tx() as s:
        assert seed_demo_data(s) is False  # never twice
    with tx() as s:
        assert ledger_check(s) == []
        report = audit.verify_chain(s)
        assert report.ok and report.rows > 100
        completed = s.exec(select(Draw).where(Draw.status == "completed").order_by(Draw.id)).all()
        assert len(completed) == 8  # three lucky draws, two auctions, the closed group's three draws
        for draw in completed:
            checks = proof_checks(draw)
            assert checks and all(c.ok for c in checks), [(c.name, c.detail) for c in checks if not c.ok]
            assert draw.proof_sha256 == proof_sha256(json.loads(draw.proof_json))
            assert draw.server_seed_hex and hashlib.sha256(
                bytes.fromhex(draw.server_seed_hex)
            ).hexdigest() == (draw.commitment)
            winner = s.get(Ticket, draw.winner_ticket_id)
            assert winner.prized_month == draw.month
            assert s.exec(select(Payout).where(Payout.draw_id == draw.id)).one().gross == draw.prize
        # admin, foreman, 20 members, the substitute seated in a defaulter's place (issue 15), staff
        assert s.exec(select(func.count()).select_from(User)).one() == 23 + len(DEMO_STAFF)
        # Two branches, five staff; the Madurai agent holds today's cash, nobody else does.
        assert s.exec(select(func.count()).select_from(Branch)).one() == 2
        assert s.exec(select(func.count()).select_from(StaffMember)).one() == len(DEMO_STAFF)
        held = s.exec(
            select(PostingRow.account, func.sum(PostingRow.amount))
            .where(PostingRow.account.like("group:%:cash_with:%"))
            .group_by(PostingRow.account)
        ).all()
        assert len(held) == 1 and held[0][1] > 0


def test_lucky_draw_settles_the_month_and_opens_the_next(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    assert draw.status == "completed"
    assert draw.winner_ticket_id in tickets
    assert (draw.discount, draw.commission, draw.prize) == (0, 1_500 * RUPEE, 28_500 * RUPEE)
    checks = proof_checks(draw)
    assert [c.name for c in checks] == [
        "version",
        "commitment",
        "eligible_list",
        "client_seed",
        "beacon",
        "selection",
        "winner",
        "timestamps",
    ]
    assert all(c.ok for c in checks), checks
    proof = json.loads(draw.proof_json)
    assert proof["kind"] == "lucky" and len(proof["eligible"]) == 3
    assert bytes.fromhex(proof["server_seed"]).hex() == draw.server_seed_hex
    with tx() as s:
        entry = s.exec(select(JournalEntry).where(JournalEntry.key == f"draw:{draw.id}")).one()
        assert entry.kind == "settlement"
        assert balance(s, f"ticket:{draw.winner_ticket_id}:prize_payable") == -28_500 * RUPEE
        assert balance(s, f"group:{group_id}:pot:1") == 0
        assert s.get(ChitGroup, group_id).current_month == 2
        assert (
            s.exec(select(Draw).where(Draw.group_id == group_id, Draw.month == 2)).one().status == "committed"
        )
    books_ok(tx)


def test_a_draw_is_held_once(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="already been held"), tx() as s:
        conducting.conduct_draw(s, actor=boss, draw_id=draw.id)
    assert snapshot(engine) == before


def test_a_draw_with_no_eligible_ticket_is_refused_with_the_reason(tx, engine):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay(tx, boss, tickets[0], 5_000 * RUPEE)  # half of month 1
    draw_id = current_draw(tx, group_id).id
    before = snapshot(engine)
    with pytest.raises(ServiceError) as caught, tx() as s:
        conducting.conduct_draw(s, actor=boss, draw_id=draw_id)
    assert caught.value.message.startswith("No ticket is eligible for this draw")
    assert "unpaid dues for month 1" in caught.value.message
    assert snapshot(engine) == before


def test_only_the_eligible_can_win_and_the_last_ticket_takes_the_final_month(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets[1:2], 1)  # only ticket 2 has paid: it is the single eligible ticket
    first = conduct(tx, boss, group_id)
    assert first.winner_ticket_id == tickets[1]
    assert json.loads(first.proof_json)["kind"] == "single-eligible"
    pay_dues(tx, boss, tickets, 2)
    second = conduct(tx, boss, group_id)
    assert second.winner_ticket_id in (tickets[0], tickets[2])
    # Month 3: the one ticket that has not won takes it without a draw, dues or not.
    last = conduct(tx, boss, group_id)
    assert {first.winner_ticket_id, second.winner_ticket_id, last.winner_ticket_id} == set(tickets)
    with tx() as s:
        assert s.get(ChitGroup, group_id).status == "completed"
        assert all(c.ok for c in proof_checks(last))
    pay_dues(tx, boss, tickets, 3)
    books_ok(tx)
    with tx() as s:
        assert balance(s, f"group:{group_id}:cash") == 3 * 30_000 * RUPEE


def test_foreman_first_chit_gives_month_one_to_the_foremans_ticket(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, foreman_first_chit="on")
    with tx() as s:
        own = s.exec(
            select(Ticket).where(Ticket.group_id == group_id, Ticket.member_id == boss.user_id)
        ).one()
    assert (own.id, own.ticket_no) == (tickets[0], 1)
    draw = conduct(tx, boss, group_id)  # nobody has paid: the first chit needs no draw
    assert draw.winner_ticket_id == own.id
    # s.21(1)(a): the whole chit amount, without deduction of any discount: no commission that month.
    assert (draw.discount, draw.commission, draw.prize) == (0, 0, 30_000 * RUPEE)
    proof = json.loads(draw.proof_json)
    assert proof["kind"] == "single-eligible" and len(proof["eligible"]) == 1
    assert all(c.ok for c in proof_checks(draw))
    books_ok(tx)


def test_another_foreman_cannot_hold_the_draw(tx, engine):
    boss, intruder = foreman(tx), foreman(tx, name="Intruder")
    group_id, tickets = active_group(tx, boss, tickets=2)
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    before = snapshot(engine)
    for actor in (intruder, member_actor(tx, tickets[0]), None):
        with pytest.raises(NotAllowed), tx() as s:
            conducting.conduct_draw(s, actor=actor, draw_id=draw_id)
    for bad in (draw_id + 100, "x", -1, None):
        with pytest.raises(ServiceError), tx() as s:
            conducting.conduct_draw(s, actor=boss, draw_id=bad)
    assert snapshot(engine) == before


def open_bidding(tx, boss, draw_id: int) -> None:
    """Bids are taken only once the foreman has opened the auction with a closing time."""
    with tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=60)


def bid(tx, draw_id: int, ticket_id: int, discount: object) -> Bid:
    with tx() as s:
        return auctions.place_bid(
            s, actor=member_actor(tx, ticket_id), draw_id=draw_id, ticket_id=ticket_id, discount=discount
        )


def test_auction_bids_are_validated(tx, engine, subtests):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    open_bidding(tx, boss, draw_id)
    before = snapshot(engine)
    refused = [
        ("below the commission", "4,999", "at least ₹5,000"),
        ("above the maximum", "30,000.01", "cannot offer a discount above ₹30,000"),
        ("zero", "0", None),
        ("negative", "-6000", None),
        ("float", 6000.0, None),
        ("text", "lots", None),
        ("list", ["6000"], None),
    ]
    for name, amount, message in refused:
        with subtests.test(name):
            with pytest.raises(ServiceError) as caught:
                bid(tx, draw_id, tickets[0], amount)
            assert caught.value.field == "discount", caught.value.message
            if message:
                assert message in caught.value.message
    assert snapshot(engine) == before

    bid(tx, draw_id, tickets[0], "10,000")
    with pytest.raises(ServiceError, match="at least ₹10,500") as caught:
        bid(tx, draw_id, tickets[1], "10,499")
    assert caught.value.field == "discount"
    with pytest.raises(ServiceError, match="beat the best bid"):
        bid(tx, draw_id, tickets[1], "10,000")
    bid(tx, draw_id, tickets[1], "10,500")
    # Bidding for someone else's ticket, or a ticket of another group, is not allowed.
    with pytest.raises(NotAllowed), tx() as s:
        auctions.place_bid(
            s, actor=member_actor(tx, tickets[0]), draw_id=draw_id, ticket_id=tickets[2], discount="12000"
        )
    # A lucky-draw group takes no bids, and an auction is closed, not drawn.
    with pytest.raises(ServiceError, match="close the auction"), tx() as s:
        conducting.conduct_draw(s, actor=boss, draw_id=draw_id)


def test_close_auction_settles_and_makes_the_months_installments_net(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, **AUCTION)
    draw_id = current_draw(tx, group_id).id
    open_bidding(tx, boss, draw_id)
    # Ticket 4 pays month 1 in full before the auction; the others wait for the net amount.
    pay(tx, boss, tickets[3], 25_000 * RUPEE)
    bid(tx, draw_id, tickets[0], "12,000")
    bid(tx, draw_id, tickets[1], "20,000")
    with tx() as s:
        draw = auctions.close_auction(s, actor=boss, draw_id=draw_id, members_online=4)
    # V ₹1,00,000, N 4, C ₹5,000, D ₹20,000: pool ₹15,000, dividend ₹3,750, net ₹21,250.
    assert draw.winner_ticket_id == tickets[1]
    assert (draw.discount, draw.commission, draw.prize) == (20_000 * RUPEE, 5_000 * RUPEE, 80_000 * RUPEE)
    assert (draw.dividend_per_ticket, draw.remainder, draw.net_installment) == (
        3_750 * RUPEE,
        0,
        21_250 * RUPEE,
    )
    assert {i.amount for i in installments(tx, group_id, 1)} == {21_250 * RUPEE}
    assert {i.amount for i in installments(tx, group_id, 2)} == {25_000 * RUPEE}
    assert all(c.ok for c in proof_checks(draw))
    # The ₹3,750 ticket 4 paid beyond the net installment now counts towards month 2.
    assert outstanding(tx, tickets[3], 1) == 0
    assert outstanding(tx, tickets[3], 2) == 25_000 * RUPEE - 3_750 * RUPEE
    assert outstanding(tx, tickets[0], 1) == 21_250 * RUPEE
    with tx() as s:
        assert balance(s, f"ticket:{tickets[3]}:receivable") == 25_000 * RUPEE - 3_750 * RUPEE
        assert balance(s, f"ticket:{tickets[1]}:prize_payable") == -80_000 * RUPEE
    books_ok(tx)
    pay_dues(tx, boss, tickets, 2)
    books_ok(tx)
    with tx() as s:
        # Everyone paid the net installment for month 1: N × net = prize + C + remainder.
        assert balance(s, f"group:{group_id}:cash") == 4 * 21_250 * RUPEE + 4 * 25_000 * RUPEE


def test_tied_auction_is_settled_by_the_lot(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, **{**AUCTION, "chit_value": "30,000"})
    draw_id = current_draw(tx, group_id).id
    open_bidding(tx, boss, draw_id)
    bid(tx, draw_id, tickets[0], "9,000")  # the 30% cap
    bid(tx, draw_id, tickets[2], "9,000")
    with tx() as s:
        draw = auctions.close_auction(s, actor=boss, draw_id=draw_id)
    proof = json.loads(draw.proof_json)
    assert proof["kind"] == "auction" and proof["lot"]["kind"] == "auction-tie"
    assert [e["ticket"] for e in proof["lot"]["eligible"]] == [1, 3]
    assert draw.winner_ticket_id in (tickets[0], tickets[2])
    assert all(c.ok for c in proof_checks(draw))
    # Pool ₹7,500 over 3 tickets: ₹2,500 each, no remainder.
    assert (draw.dividend_per_ticket, draw.remainder) == (2_500 * RUPEE, 0)
    books_ok(tx)


def test_auction_without_bids_cannot_close(tx, engine):
    boss = foreman(tx)
    group_id, _ = active_group(tx, boss, tickets=2, **{**AUCTION, "chit_value": "20,000"})
    draw_id = current_draw(tx, group_id).id
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="No bids"), tx() as s:
        auctions.close_auction(s, actor=boss, draw_id=draw_id)
    assert snapshot(engine) == before


def test_settlement_posts_exactly_one_entry_per_draw(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=2)
    pay_dues(tx, boss, tickets, 1)
    draw = conduct(tx, boss, group_id)
    with tx() as s:
        entries = s.exec(select(JournalEntry).where(JournalEntry.key == f"draw:{draw.id}")).all()
        assert len(entries) == 1
        postings = s.exec(select(PostingRow).where(PostingRow.entry_id == entries[0].id)).all()
        assert sum(p.amount for p in postings) == 0
