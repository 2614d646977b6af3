"""GST on the foreman's commission (issue 19): the published example, the dated rates, the heads by
place of supply, the financial year, and that every paisa of the chit value is accounted for once
the tax is recovered from the prize."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain import gst
from luckychit_app.domain import ledger as books
from luckychit_app.domain.errors import DomainError, InvariantError
from luckychit_app.domain.settlement import settle_auction, settle_foreman_first, settle_lucky, with_gst
from luckychit_app.domain.terms import GroupTerms
from tests.domain.test_settlement import CRORE, RUPEE, auction_cases

PUBLISHED = GroupTerms(
    chit_value=200_000 * RUPEE, tickets=40, kind="auction", commission_bp=500, max_discount_bp=4000
)
"""The published example: a ₹2,00,000 chit of 40 tickets, 5 % commission, won at a ₹80,000 discount."""


def test_the_published_example_service_tax_then_gst():
    month = settle_auction(PUBLISHED, 5, 80_000 * RUPEE)
    assert month.commission == 10_000 * RUPEE and month.prize == 120_000 * RUPEE
    service_tax = with_gst(month, gst.charge(month.commission, 1500, intra_state=True).total)
    assert service_tax.prize == 118_500 * RUPEE  # 15 % service tax, before GST
    taxed = with_gst(
        month, gst.charge(month.commission, gst.rate_on(date(2026, 12, 6)), intra_state=True).total
    )
    assert taxed.gst == 1_800 * RUPEE and taxed.prize == 118_200 * RUPEE
    assert taxed.dividend_per_ticket == month.dividend_per_ticket == 1_750 * RUPEE  # members' share untouched
    assert taxed.prize + taxed.commission + taxed.gst + 40 * taxed.dividend_per_ticket + taxed.remainder == (
        200_000 * RUPEE
    )


def test_the_rate_in_force_on_the_draws_day():
    assert gst.rate_on(date(2017, 7, 1)) == 1200
    assert gst.rate_on(date(2022, 7, 17)) == 1200  # the day before Notification 03/2022 took effect
    assert gst.rate_on(date(2022, 7, 18)) == 1800
    assert gst.rate_on(date(2026, 12, 6)) == 1800
    with pytest.raises(DomainError):
        gst.rate_on(date(2017, 6, 30))


def test_heads_by_place_of_supply():
    within = gst.charge(10_000 * RUPEE, 1800, intra_state=True)
    assert (within.cgst, within.sgst, within.igst, within.total) == (90_000, 90_000, 0, 180_000)
    across = gst.charge(10_000 * RUPEE, 1800, intra_state=False)
    assert (across.cgst, across.sgst, across.igst) == (0, 0, 180_000)
    odd = gst.charge(3, 1800, intra_state=True)  # 0.27 paise per head rounds to 0; half up
    assert odd.total == 0 and gst.charge(3, 1800, intra_state=False).igst == 1
    assert gst.place_of_supply("", "33") == "33" and gst.place_of_supply("29", "33") == "29"


def test_financial_year_runs_april_to_march():
    assert gst.financial_year(date(2026, 3, 31)) == "2025-26"
    assert gst.financial_year(date(2026, 4, 1)) == "2026-27"
    assert gst.financial_year(date(2099, 12, 31)) == "2099-00"


def test_a_month_without_commission_carries_no_gst():
    first = settle_foreman_first(
        GroupTerms(chit_value=100_000 * RUPEE, tickets=20, kind="lucky", foreman_first_chit=True)
    )
    with pytest.raises(InvariantError):
        with_gst(first, 100)


def test_gst_borne_by_the_foreman_moves_from_commission_to_gst_payable():
    month = settle_lucky(GroupTerms(chit_value=100_000 * RUPEE, tickets=20, kind="lucky"), 3)
    tax = gst.charge(month.commission, 1800, intra_state=True).total
    entry = books.settlement_posted(1, 2, 3, month, 10, list(range(10, 30)), "carry", gst=tax)
    lines = {p.account: p.amount for p in entry.postings if p.account.startswith("foreman:")}
    assert lines[books.gst_payable(2)] == -tax
    assert sum(p.amount for p in entry.postings) == 0
    assert month.prize == 95_000 * RUPEE  # the member's prize is whole


def test_gst_recovered_from_the_prize_is_credited_to_gst_payable():
    month = with_gst(settle_auction(PUBLISHED, 5, 80_000 * RUPEE), 1_800 * RUPEE)
    entry = books.settlement_posted(1, 2, 3, month, 10, list(range(10, 50)), "carry", gst=month.gst)
    amounts = {p.account: p.amount for p in entry.postings}
    assert amounts[books.gst_payable(2)] == -1_800 * RUPEE
    assert amounts[books.prize_payable(10)] == -118_200 * RUPEE
    assert sum(p.amount for p in entry.postings) == 0
    with pytest.raises(DomainError):  # the entry's tax must be the settlement's
        books.settlement_posted(1, 2, 3, month, 10, list(range(10, 50)), "carry", gst=1)


@settings(max_examples=300, deadline=None)
@given(auction_cases(), st.sampled_from([1200, 1800, 2800]), st.booleans())
def test_every_paisa_of_the_chit_value_is_accounted_for(case, rate_bp, intra_state):
    terms, month, discount = case
    plain = settle_auction(terms, month, discount)
    tax = gst.charge(plain.commission, rate_bp, intra_state=intra_state)
    assert tax.total in (plain.commission * rate_bp // 10_000 + k for k in (0, 1))  # rounded, never more
    if tax.total > plain.prize:
        return
    s = with_gst(plain, tax.total)
    n = s.tickets
    assert s.commission + s.gst + n * s.dividend_per_ticket + s.remainder + s.prize == s.chit_value
    assert n * s.net_installment == s.prize + s.commission + s.gst + s.remainder
    entry = books.settlement_posted(1, 2, 3, s, 100, list(range(100, 100 + n)), "carry", gst=s.gst)
    assert sum(p.amount for p in entry.postings) == 0


@settings(max_examples=100, deadline=None)
@given(st.integers(0, CRORE), st.integers(0, 3000))
def test_intra_state_heads_are_equal_and_close_to_the_whole_rate(taxable, rate_bp):
    within = gst.charge(taxable, rate_bp, intra_state=True)
    across = gst.charge(taxable, rate_bp, intra_state=False)
    assert within.cgst == within.sgst and within.igst == 0
    assert abs(within.total - across.total) <= 1  # each head rounds on its own
