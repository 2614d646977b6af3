"""The money of the agreement's terms at the draw (issue 15), end to end through the books: the
foreman's first chit, the 7 % cap on the foreman's income with the remainder, dividends forfeited
by tickets in arrears, and ties at the maximum discount settled by the verifiable lot."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.models import AuditLog, ChitGroup, Draw, Notification, Payout, Ticket
from luckychit_app.services.draws import auctions
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import payouts
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.verify import verify_proof
from tests.domain import oracle
from tests.services.helpers import (
    AUCTION,
    active_group,
    current_draw,
    foreman,
    installments,
    member_actor,
    outstanding,
    pay,
    pay_dues,
)

RUPEE = 100


def books_ok(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []


def receivables_match_dues(tx, group_id: int, tickets: list[int]) -> None:
    """What the books say each ticket owes is what its installment rows of the months raised so far
    say (no late fees here)."""
    with tx() as s:
        month = s.get(ChitGroup, group_id).current_month
        owed = {t: balance(s, books.receivable(t)) for t in tickets}
    assert owed == {t: outstanding(tx, t, month) for t in tickets}


def open_bidding(tx, boss, draw_id: int) -> None:
    with tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=60)


def bid(tx, draw_id: int, ticket_id: int, discount: str) -> None:
    with tx() as s:
        auctions.place_bid(
            s, actor=member_actor(tx, ticket_id), draw_id=draw_id, ticket_id=ticket_id, discount=discount
        )


def close(tx, boss, draw_id: int) -> Draw:
    with tx() as s:
        auctions.close_auction(s, actor=boss, draw_id=draw_id, members_online=0)
    with tx() as s:
        return s.get(Draw, draw_id)


def auction_month(tx, boss, group_id: int, bids: list[tuple[int, str]]) -> Draw:
    draw_id = current_draw(tx, group_id).id
    open_bidding(tx, boss, draw_id)
    for ticket_id, amount in bids:
        bid(tx, draw_id, ticket_id, amount)
    return close(tx, boss, draw_id)


# --- s.21(1)(a): the foreman's first chit ------------------------------------------------------------


def test_the_foremans_first_chit_end_to_end_in_an_auction_group(tx):
    """Created with the Act's default, the foreman holds ticket 1 and takes month 1's whole chit
    amount (no auction, no commission, no dividend); month 2 is an ordinary auction."""
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx, boss, tickets=4, foreman_first_chit="on", **{**AUCTION, "chit_value": "40,000"}
    )
    with tx() as s:
        own = s.exec(
            select(Ticket).where(Ticket.group_id == group_id, Ticket.member_id == boss.user_id)
        ).one()
    assert (own.id, own.ticket_no) == (tickets[0], 1)
    draw_id = current_draw(tx, group_id).id
    with pytest.raises(ServiceError, match="foreman's own ticket"), tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=60)
    first = close(tx, boss, draw_id)  # the foreman's "close" settles the first chit
    assert first.winner_ticket_id == own.id
    assert (first.discount, first.commission, first.prize, first.dividend_per_ticket) == (
        0,
        0,
        40_000 * RUPEE,
        0,
    )
    assert json.loads(first.proof_json)["kind"] == "single-eligible"
    assert all(c.ok for c in verify_proof(json.loads(first.proof_json)))
    with tx() as s:
        assert balance(s, books.prize_payable(own.id)) == -40_000 * RUPEE
        assert balance(s, books.commission_income(boss.user_id)) == 0
        assert balance(s, books.pot(group_id, 1)) == 0
    assert [i.amount for i in installments(tx, group_id, 1)] == [10_000 * RUPEE] * 4
    books_ok(tx)

    pay_dues(tx, boss, tickets, 1)
    # The whole chit amount is paid out once month 1 is collected: the group's cash comes to zero.
    with tx() as s:
        payout = s.exec(select(Payout).where(Payout.draw_id == first.id)).one()
        payouts.record_security(
            s,
            actor=boss,
            payout_id=payout.id,
            kind="deposit",
            value="40000",
            description="Foreman's FD",
            method="bank",  # money received and held for the ticket (s.21(1)(e))
            reference="FD-CREDIT-1",
            received_on=today_ist(),
        )
    deposit = 40_000 * RUPEE
    with tx() as s:
        payouts.release_payout(
            s, actor=boss, payout_id=payout.id, method="bank", reference="NEFT-1", paid_on=today_ist()
        )
    with tx() as s:
        assert balance(s, books.cash(group_id)) - deposit == 0  # the deposit is held, not the group's
        assert balance(s, books.prize_payable(own.id)) == 0
    books_ok(tx)
    second = auction_month(tx, boss, group_id, [(tickets[2], "6,000")])
    # C ₹2,000 (5 % of ₹40,000), pool ₹4,000, dividend ₹1,000 for each of the 4 tickets.
    assert (second.commission, second.dividend_per_ticket, second.prize) == (
        2_000 * RUPEE,
        1_000 * RUPEE,
        34_000 * RUPEE,
    )
    pay_dues(tx, boss, tickets, 2)
    with tx() as s:
        assert balance(s, books.cash(group_id)) - deposit == 4 * 9_000 * RUPEE  # month 2's net installments
        assert balance(s, books.commission_income(boss.user_id)) == -2_000 * RUPEE
    receivables_match_dues(tx, group_id, tickets)
    books_ok(tx)


# --- s.21(1)(b) as amended in 2019: commission + remainder within 7 % of V ----------------------------


def test_the_remainder_to_the_foreman_stops_at_7_percent(tx):
    """7 % commission on ₹30,000 is ₹2,100, the cap itself; a ₹2,200.01 discount leaves a pool of
    ₹100.01, a dividend of ₹33.33 and 2 paise over, which stay with the group, not the foreman."""
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx,
        boss,
        tickets=3,
        **{**AUCTION, "chit_value": "30,000", "commission_pct": "7", "remainder_to": "foreman"},
    )
    draw = auction_month(tx, boss, group_id, [(tickets[1], "2,200.01")])
    assert (draw.commission, draw.dividend_per_ticket, draw.remainder) == (2_100 * RUPEE, 33_33, 2)
    with tx() as s:
        assert balance(s, books.commission_income(boss.user_id)) == -2_100 * RUPEE
        assert balance(s, books.carry_forward(group_id)) == -2
    pay_dues(tx, boss, tickets, 1)
    with tx() as s:
        # N × net = prize + C + remainder still holds: 3 × ₹9,966.67 = ₹27,799.99 + ₹2,100 + 2 paise.
        assert balance(s, books.cash(group_id)) == 3 * draw.net_installment
        assert 3 * draw.net_installment == draw.prize + draw.commission + draw.remainder
    books_ok(tx)


# --- the chit agreement (s.6): a late payer's dividend is forfeited -----------------------------------


def _late_payer_group(tx, forfeit: bool):
    """A 4-ticket auction group; month 1 settles with everyone's dividend, then ticket 3 pays nothing
    for month 1 while the others pay in full, and month 2's auction settles."""
    boss = foreman(tx)
    options = {"forfeit_dividend_when_late": "on"} if forfeit else {}
    group_id, tickets = active_group(tx, boss, tickets=4, **AUCTION, **options)
    first = auction_month(tx, boss, group_id, [(tickets[0], "10,000")])
    assert first.dividend_per_ticket == 1_250 * RUPEE  # month 1: nobody is in arrears yet
    pay_dues(tx, boss, [tickets[0], tickets[1], tickets[3]], 1)
    second = auction_month(tx, boss, group_id, [(tickets[1], "13,000.02")])
    return boss, group_id, tickets, second


def test_a_ticket_in_arrears_gets_no_dividend_when_the_agreement_says_so(tx):
    boss, group_id, tickets, draw = _late_payer_group(tx, forfeit=True)
    late = tickets[2]
    # D ₹13,000.02, C ₹5,000: pool ₹8,000.02, dividend ₹2,000 a ticket, 2 paise over.
    assert (draw.dividend_per_ticket, draw.remainder, draw.net_installment) == (
        2_000 * RUPEE,
        2,
        23_000 * RUPEE,
    )
    by_ticket = {i.ticket_id: i.amount for i in installments(tx, group_id, 2)}
    assert by_ticket == {t: 25_000 * RUPEE if t == late else 23_000 * RUPEE for t in tickets}
    with tx() as s:
        # Month 1's carry (nothing) + month 2's remainder + the forfeited ₹2,000, kept for the group.
        assert balance(s, books.carry_forward(group_id)) == -(2_000 * RUPEE + 2)
        assert balance(s, books.commission_income(boss.user_id)) == -10_000 * RUPEE
        told = s.exec(select(Notification).where(Notification.kind == "dividend_forfeited")).all()
        member_id = s.get(Ticket, late).member_id
        event = s.exec(
            select(AuditLog).where(AuditLog.action == "draw.completed", AuditLog.object_id == str(draw.id))
        ).one()
    assert [n.user_id for n in told] == [member_id]
    assert "₹2,000" in told[0].body and "₹25,000" in told[0].body
    assert json.loads(event.detail)["dividend_forfeited"] == [3]
    receivables_match_dues(tx, group_id, tickets)
    books_ok(tx)

    # Paying the arrears later does not bring the dividend back: it was never credited.
    pay_dues(tx, boss, tickets, 2)
    assert outstanding(tx, late, 3) == 25_000 * RUPEE  # only month 3 is left, in full
    with tx() as s:
        assert balance(s, books.carry_forward(group_id)) == -(2_000 * RUPEE + 2)
        # Everyone paid months 1 and 2: cash = months' collections (nothing paid out yet).
        assert balance(s, books.cash(group_id)) == 4 * 23_750 * RUPEE + 3 * 23_000 * RUPEE + 25_000 * RUPEE
    receivables_match_dues(tx, group_id, tickets)
    books_ok(tx)


def test_without_the_option_a_late_payer_still_gets_the_dividend(tx):
    _, group_id, tickets, draw = _late_payer_group(tx, forfeit=False)
    assert {i.amount for i in installments(tx, group_id, 2)} == {draw.net_installment} == {23_000 * RUPEE}
    with tx() as s:
        assert balance(s, books.carry_forward(group_id)) == -2
        assert not s.exec(select(Notification).where(Notification.kind == "dividend_forfeited")).all()
    receivables_match_dues(tx, group_id, tickets)
    books_ok(tx)


def test_a_part_payment_still_counts_as_arrears(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4, forfeit_dividend_when_late="on", **AUCTION)
    auction_month(tx, boss, group_id, [(tickets[0], "10,000")])
    pay_dues(tx, boss, [tickets[0], tickets[1], tickets[3]], 1)
    pay(tx, boss, tickets[2], outstanding(tx, tickets[2], 1) - 1)  # one paisa short
    draw = auction_month(tx, boss, group_id, [(tickets[1], "11,000")])
    amounts = {i.ticket_id: i.amount for i in installments(tx, group_id, 2)}
    assert amounts == {t: 25_000 * RUPEE if t == tickets[2] else draw.net_installment for t in tickets}
    receivables_match_dues(tx, group_id, tickets)
    books_ok(tx)


# --- ties at the maximum discount: the verifiable lot ------------------------------------------------


def test_a_tie_at_the_cap_from_less_than_a_step_below_goes_to_the_lot_and_verifies(tx):
    """Cap ₹9,000 (30 % of ₹30,000), steps of ₹500. After ₹8,800 the next step would pass the cap,
    yet the cap itself is taken, twice: the draw's committed seed picks between the tied tickets only,
    and a member recomputes the pick from the proof (here with the tests' independent oracle)."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, **{**AUCTION, "chit_value": "30,000"})
    draw_id = current_draw(tx, group_id).id
    open_bidding(tx, boss, draw_id)
    bid(tx, draw_id, tickets[0], "8,800")
    with pytest.raises(ServiceError, match="the only bid left is the maximum discount of ₹9,000"):
        bid(tx, draw_id, tickets[1], "8,900")
    bid(tx, draw_id, tickets[1], "9,000")
    bid(tx, draw_id, tickets[2], "9,000")
    draw = close(tx, boss, draw_id)

    checks = verify_proof(json.loads(draw.proof_json))
    assert checks and all(c.ok for c in checks), [(c.name, c.detail) for c in checks if not c.ok]
    proof = json.loads(draw.proof_json)["lot"]  # the auction's proof wraps the tie's lot
    assert proof["kind"] == "auction-tie"
    assert [e["ticket"] for e in proof["eligible"]] == [2, 3]  # the tied tickets only
    assert draw.winner_ticket_id in (tickets[1], tickets[2]) and draw.discount == 9_000 * RUPEE
    checks = verify_proof(proof)
    assert checks and all(c.ok for c in checks), [(c.name, c.detail) for c in checks if not c.ok]
    # Recomputed from the proof's revealed inputs with the tests' own copy of the protocol.
    seed = bytes.fromhex(proof["server_seed"])
    assert oracle.eligible_hash(proof["eligible"]) == proof["eligible_hash"]
    assert oracle.client_seed(proof["phrases"], proof["public_value"]) == proof["client_seed"]
    index = oracle.select_index(seed, group_id, draw.month, proof["eligible_hash"], proof["client_seed"], 2)
    assert proof["winner"] == proof["eligible"][index]
    with tx() as s:
        assert s.get(Ticket, draw.winner_ticket_id).ticket_no == proof["winner"]["ticket"]
    # A tampered winner fails verification.
    forged = {**proof, "winner": proof["eligible"][1 - index]}
    assert not all(c.ok for c in verify_proof(forged))
    books_ok(tx)
