"""Auction months whose dividend pool does not divide evenly by the tickets, checked to the paisa.

DESIGN.md §2: dividend per ticket = floor((D − C) / N) paise; the remainder is recorded explicitly,
in the group's carry-forward (or with the foreman, where the agreement says so), and every member
owes the net installment I − dividend. The other auction tests use pools that divide evenly, where
rounding up, rounding to nearest and flooring all give the same numbers; here they differ, so a
wrong rounding or a misplaced remainder shows up in the settlement, the books, the member's
passbook and the draw's minutes.

Every expected number below is written out by hand (the arithmetic is in the table), never
computed with the app's own settlement code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from sqlmodel import select

from luckychit_app.domain import ledger as books
from luckychit_app.models import Draw, JournalEntry, PostingRow
from luckychit_app.services.draws import auctions, draw_views
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.money.passbook import cash_position, passbook
from tests.services.helpers import (
    AUCTION,
    active_group,
    current_draw,
    foreman,
    installments,
    member_actor,
    outstanding,
    pay_dues,
)


@dataclass(frozen=True)
class Case:
    """One auction month; amounts in paise except the form strings (as the browser sends them)."""

    chit_value: str
    tickets: int
    bid: str
    remainder_to: str
    installment: int
    commission: int
    discount: int
    prize: int
    pool: int
    dividend: int
    remainder: int
    net: int
    # The same amounts as the screens print them.
    shown: dict[str, str]

    def check_table(self) -> None:
        """Guard against typos in the hand-written numbers (plain arithmetic, no app code)."""
        n = self.tickets
        assert self.prize + self.discount == self.installment * n
        assert self.pool == self.discount - self.commission
        assert self.dividend * n + self.remainder == self.pool and 0 <= self.remainder < n
        assert self.net == self.installment - self.dividend
        assert n * self.net == self.prize + self.commission + self.remainder


CASES = {
    # V ₹70,000, N 7, I ₹10,000, C 5 % = ₹3,500, D ₹10,000: pool ₹6,500 = 6,50,000 paise
    # = 7 × 92,857 + 1 -> dividend ₹928.57, 1 paisa left over, net ₹9,071.43, prize ₹60,000.
    "remainder-1-paisa": Case(
        chit_value="70,000",
        tickets=7,
        bid="10,000",
        remainder_to="carry",
        installment=10_00_000,
        commission=3_50_000,
        discount=10_00_000,
        prize=60_00_000,
        pool=6_50_000,
        dividend=92_857,
        remainder=1,
        net=9_07_143,
        shown={
            "prize": "₹60,000",
            "discount": "₹10,000",
            "commission": "₹3,500",
            "dividend": "₹928.57",
            "remainder": "₹0.01",
            "net_installment": "₹9,071.43",
            "cash_after_month": "₹63,500.01",
            "commission_income": "₹3,500",
            "owes_after_settlement": "₹19,071.43",
            "owed_after_month": "₹70,000",
        },
    ),
    # D ₹10,000.05: pool 6,50,005 paise = 7 × 92,857 + 6, the largest remainder 7 tickets allow
    # (rounding up would give 92,858; rounding to nearest too). Prize ₹59,999.95.
    "remainder-6-paise": Case(
        chit_value="70,000",
        tickets=7,
        bid="10,000.05",
        remainder_to="carry",
        installment=10_00_000,
        commission=3_50_000,
        discount=10_00_005,
        prize=59_99_995,
        pool=6_50_005,
        dividend=92_857,
        remainder=6,
        net=9_07_143,
        shown={
            "prize": "₹59,999.95",
            "discount": "₹10,000.05",
            "commission": "₹3,500",
            "dividend": "₹928.57",
            "remainder": "₹0.06",
            "net_installment": "₹9,071.43",
            "cash_after_month": "₹63,500.01",
            "commission_income": "₹3,500",
            "owes_after_settlement": "₹19,071.43",
            "owed_after_month": "₹70,000",
        },
    ),
    # D ₹3,500.03, three paise above the commission: pool 3 paise over 7 tickets -> no dividend at
    # all (rounding up would give every ticket 1 paisa), all 3 paise to the carry-forward; members
    # pay the full ₹10,000; prize ₹66,499.97.
    "pool-of-3-paise": Case(
        chit_value="70,000",
        tickets=7,
        bid="3,500.03",
        remainder_to="carry",
        installment=10_00_000,
        commission=3_50_000,
        discount=3_50_003,
        prize=66_49_997,
        pool=3,
        dividend=0,
        remainder=3,
        net=10_00_000,
        shown={
            "prize": "₹66,499.97",
            "discount": "₹3,500.03",
            "commission": "₹3,500",
            "dividend": "₹0",
            "remainder": "₹0.03",
            "net_installment": "₹10,000",
            "cash_after_month": "₹70,000",
            "commission_income": "₹3,500",
            "owes_after_settlement": "₹20,000",
            "owed_after_month": "₹70,000",
        },
    ),
    # V ₹30,000, N 3, I ₹10,000, C ₹1,500, D ₹2,000.02: pool 50,002 paise = 3 × 16,667 + 1 ->
    # dividend ₹166.67, net ₹9,833.33, prize ₹27,999.98; the agreement sends the 1 paisa to the
    # foreman (5 % commission + 1 paisa stays under the 7 % cap).
    "remainder-to-foreman": Case(
        chit_value="30,000",
        tickets=3,
        bid="2,000.02",
        remainder_to="foreman",
        installment=10_00_000,
        commission=1_50_000,
        discount=2_00_002,
        prize=27_99_998,
        pool=50_002,
        dividend=16_667,
        remainder=1,
        net=9_83_333,
        shown={
            "prize": "₹27,999.98",
            "discount": "₹2,000.02",
            "commission": "₹1,500",
            "dividend": "₹166.67",
            "remainder": "₹0.01",
            "net_installment": "₹9,833.33",
            "cash_after_month": "₹29,499.99",
            "commission_income": "₹1,500.01",
            "owes_after_settlement": "₹19,833.33",
            "owed_after_month": "₹30,000",
        },
    ),
}


def start_auction_group(tx, case: Case):
    boss = foreman(tx)
    group_id, tickets = active_group(
        tx,
        boss,
        tickets=case.tickets,
        **{**AUCTION, "chit_value": case.chit_value, "remainder_to": case.remainder_to},
    )
    return boss, group_id, tickets


def auction_month(tx, boss, group_id: int, bidder: int, bid: str) -> Draw:
    """Open the month's auction, take one bid from `bidder`'s holder, close it."""
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        auctions.open_auction(s, actor=boss, draw_id=draw_id, minutes=60)
    with tx() as s:
        auctions.place_bid(s, actor=member_actor(tx, bidder), draw_id=draw_id, ticket_id=bidder, discount=bid)
    with tx() as s:
        auctions.close_auction(s, actor=boss, draw_id=draw_id, members_online=0)
    with tx() as s:  # read back what was committed
        return s.get(Draw, draw_id)


def settlement_postings(tx, draw_id: int) -> Counter:
    with tx() as s:
        entry = s.exec(select(JournalEntry).where(JournalEntry.key == f"draw:{draw_id}")).one()
        rows = s.exec(select(PostingRow.account, PostingRow.amount).where(PostingRow.entry_id == entry.id))
        return Counter((account, int(amount)) for account, amount in rows.all())


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_uneven_dividend_pool_is_floored_and_the_remainder_kept_to_the_paisa(tx, case: Case):
    case.check_table()
    boss, group_id, tickets = start_auction_group(tx, case)
    winner, member = tickets[1], tickets[0]
    draw = auction_month(tx, boss, group_id, winner, case.bid)

    # The settlement recorded on the draw.
    assert draw.status == "completed" and draw.winner_ticket_id == winner
    settled = {
        "discount": draw.discount,
        "commission": draw.commission,
        "prize": draw.prize,
        "dividend_per_ticket": draw.dividend_per_ticket,
        "remainder": draw.remainder,
        "net_installment": draw.net_installment,
    }
    expected = {
        "discount": case.discount,
        "commission": case.commission,
        "prize": case.prize,
        "dividend_per_ticket": case.dividend,
        "remainder": case.remainder,
        "net_installment": case.net,
    }
    assert settled == expected, (
        f"pool {case.pool} paise over {case.tickets} tickets must give floor = {case.dividend} paise "
        f"each and {case.remainder} left over"
    )

    # The books: one settlement entry, each ticket's receivable reduced by exactly the floored
    # dividend, the remainder in the carry-forward (or with the foreman) and nowhere else.
    carry, commission = books.carry_forward(group_id), books.commission_income(boss.user_id)
    remainder_account = carry if case.remainder_to == "carry" else commission
    wanted = Counter(
        {
            (books.pot(group_id, 1), case.installment * case.tickets): 1,
            (books.prize_payable(winner), -case.prize): 1,
            (commission, -case.commission): 1,
        }
    )
    if case.dividend:
        wanted += Counter((books.receivable(t), -case.dividend) for t in tickets)
    wanted[(remainder_account, -case.remainder)] += 1
    assert settlement_postings(tx, draw.id) == wanted, (
        f"the settlement entry must be: pot +V, prize −{case.prize}, commission −{case.commission}, "
        f"each ticket's receivable −{case.dividend} (if any) and the {case.remainder}-paise remainder "
        f"to {remainder_account}"
    )
    with tx() as s:
        assert balance(s, carry) == (-case.remainder if case.remainder_to == "carry" else 0), (
            "the carry-forward must hold exactly the rounding remainder"
        )
        assert balance(s, commission) == -case.commission - (
            case.remainder if case.remainder_to == "foreman" else 0
        ), "the foreman's commission account must hold the commission (plus the remainder if so agreed)"
        assert balance(s, books.pot(group_id, 1)) == 0
        for t in tickets:
            assert balance(s, books.receivable(t)) == case.net + case.installment, (
                f"ticket {t} must owe month 1's net installment plus month 2's full installment"
            )
        assert ledger_check(s) == []

    # The dues: this month's installments are the net installment; next month's (raised when it
    # opened at the close) are the full installment.
    assert [i.amount for i in installments(tx, group_id, 1)] == [case.net] * case.tickets
    assert [i.amount for i in installments(tx, group_id, 2)] == [case.installment] * case.tickets
    assert [outstanding(tx, t, 1) for t in tickets] == [case.net] * case.tickets

    # The member's passbook.
    reader = member_actor(tx, member)
    with tx() as s:
        book = passbook(s, actor=reader, ticket_id=member)
    texts = [(line["text"], line["amount"]) for line in book["lines"]]
    assert ("Month 1 installment", "+₹10,000") in texts
    dividend_lines = [line for line in book["lines"] if "dividend" in line["text"]]
    if case.dividend:
        assert [(ln["text"], ln["amount"]) for ln in dividend_lines] == [
            ("Month 1 dividend", "−" + case.shown["dividend"])
        ]
    else:
        assert dividend_lines == [], "a floored dividend of 0 paise must not appear in the passbook"
    assert ("Month 2 installment", "+₹10,000") in texts
    assert book["balance"] == f"{case.shown['owes_after_settlement']} due"
    with tx() as s:
        won = passbook(s, actor=member_actor(tx, winner), ticket_id=winner)
    assert ("Prize won in month 1", case.shown["prize"]) in [
        (ln["text"], ln["amount"]) for ln in won["lines"]
    ]
    assert won["prize_unpaid"] == case.shown["prize"]

    # The minutes of the draw, as the foreman prints them and as a member reads them.
    for viewer in (boss, reader):
        with tx() as s:
            minutes = draw_views.minutes(s, actor=viewer, draw_id=draw.id)
        shown = {k: minutes[k] for k in ("prize", "discount", "commission", "dividend", "remainder")}
        assert shown == {k: case.shown[k] for k in shown}, f"minutes as seen by the {viewer.role}"
        assert minutes["net_installment"] == case.shown["net_installment"]
        assert minutes["is_auction"] is True
        assert [b["amount"] for b in minutes["bids"]] == [case.shown["discount"]]

    # Everyone pays the net installment: N × net = prize + C + remainder, to the paisa.
    pay_dues(tx, boss, tickets, 1)
    with tx() as s:
        assert balance(s, books.cash(group_id)) == case.tickets * case.net
        assert ledger_check(s) == []
        position = cash_position(s, actor=boss, group_id=group_id)
        book = passbook(s, actor=reader, ticket_id=member)
    assert position["cash"] == case.shown["cash_after_month"]
    assert position["carry_forward"] == (case.shown["remainder"] if case.remainder_to == "carry" else "₹0")
    assert position["commission"] == case.shown["commission_income"]
    assert position["owed"] == case.shown["owed_after_month"] and position["advances"] == "₹0"
    assert book["balance"] == "₹10,000 due"  # month 1 settled exactly; month 2 is open
    paid = [ln["amount"] for ln in book["lines"] if ln["text"].startswith("Payment for month 1 installment")]
    assert paid == ["−" + case.shown["net_installment"]]


def test_remainders_of_successive_months_add_up_in_the_carry_forward(tx):
    """Month 1 leaves 1 paisa, month 2 leaves 6: the carry-forward holds 7 paise, each month's
    installments are that month's net amount, and later months stay at the full installment."""
    case = CASES["remainder-1-paisa"]
    boss, group_id, tickets = start_auction_group(tx, case)
    first = auction_month(tx, boss, group_id, tickets[0], "10,000")
    assert (first.dividend_per_ticket, first.remainder) == (92_857, 1), "6,50,000 paise = 7 × 92,857 + 1"
    pay_dues(tx, boss, tickets, 1)  # a bidder needs earlier months paid
    second = auction_month(tx, boss, group_id, tickets[1], "10,000.05")
    assert (second.month, second.winner_ticket_id) == (2, tickets[1])
    assert (second.prize, second.dividend_per_ticket, second.remainder, second.net_installment) == (
        59_99_995,
        92_857,
        6,
        9_07_143,
    )
    assert [i.amount for i in installments(tx, group_id, 1)] == [9_07_143] * 7
    assert [i.amount for i in installments(tx, group_id, 2)] == [9_07_143] * 7
    assert [i.amount for i in installments(tx, group_id, 3)] == [10_00_000] * 7
    with tx() as s:
        assert balance(s, books.carry_forward(group_id)) == -7, (
            "1 + 6 paise of remainders belong in the carry"
        )
        assert balance(s, books.commission_income(boss.user_id)) == -2 * 3_50_000
        # Month 1 paid; month 2's net installment and month 3's full one are owed.
        assert [balance(s, books.receivable(t)) for t in tickets] == [9_07_143 + 10_00_000] * 7
        assert ledger_check(s) == []
        assert cash_position(s, actor=boss, group_id=group_id)["carry_forward"] == "₹0.07"
    with tx() as s:
        minutes = draw_views.minutes(s, actor=boss, draw_id=second.id)
    assert (minutes["dividend"], minutes["remainder"], minutes["prize"]) == ("₹928.57", "₹0.06", "₹59,999.95")
    pay_dues(tx, boss, tickets, 2)
    with tx() as s:
        # Two months of 7 × ₹9,071.43: prizes + commissions + the 7 paise kept.
        assert balance(s, books.cash(group_id)) == 14 * 9_07_143 == 60_00_000 + 59_99_995 + 2 * 3_50_000 + 7
        assert ledger_check(s) == []
