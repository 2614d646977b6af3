"""Monthly settlement arithmetic, including the worked example of DESIGN.md §2."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain.errors import DomainError, InvalidBidError, InvariantError
from luckychit_app.domain.settlement import (
    next_minimum_bid,
    settle_auction,
    settle_final_month,
    settle_foreman_first,
    settle_lucky,
    validate_bid,
)
from luckychit_app.domain.terms import GroupTerms

RUPEE = 100
LAKH = 100_000 * RUPEE
CRORE = 100 * LAKH


def auction(**changes) -> GroupTerms:
    return dataclasses.replace(GroupTerms(chit_value=LAKH, tickets=20, kind="auction"), **changes)


def lucky(**changes) -> GroupTerms:
    return dataclasses.replace(GroupTerms(chit_value=LAKH, tickets=20, kind="lucky"), **changes)


def test_worked_example_from_design():
    s = settle_auction(auction(), month=3, discount=25_000 * RUPEE)
    assert s.installment == 5_000 * RUPEE
    assert s.commission == 5_000 * RUPEE
    assert s.dividend_pool == 20_000 * RUPEE
    assert s.dividend_per_ticket == 1_000 * RUPEE
    assert s.net_installment == 4_000 * RUPEE
    assert s.prize == 75_000 * RUPEE
    assert s.remainder == 0
    assert 20 * 4_000 * RUPEE == 75_000 * RUPEE + 5_000 * RUPEE
    assert s.tickets * s.net_installment == s.prize + s.commission + s.remainder
    assert (s.month, s.kind, s.discount) == (3, "auction", 25_000 * RUPEE)


def test_remainder_is_explicit():
    s = settle_auction(auction(tickets=3, chit_value=300_000 * RUPEE), month=1, discount=15_000 * RUPEE + 2)
    # commission 5% of ₹3,00,000 = ₹15,000, so the pool is 2 paise: no dividend, 2 paise remainder
    assert (s.dividend_pool, s.dividend_per_ticket, s.remainder) == (2, 0, 2)
    s.check()


def test_lucky_settlement():
    s = settle_lucky(lucky(), month=1)
    assert (s.discount, s.dividend_pool, s.dividend_per_ticket, s.remainder) == (0, 0, 0, 0)
    assert s.prize == 95_000 * RUPEE
    assert s.net_installment == 5_000 * RUPEE
    assert s.kind == "lucky"


def test_foreman_first_takes_the_whole_chit_amount():
    """s.21(1)(a): month 1's chit amount goes to the foreman's ticket without deduction of any
    discount, so there is no commission and no dividend that month (issue 15 fixed V − C)."""
    for terms in (lucky(foreman_first_chit=True), auction(foreman_first_chit=True)):
        s = settle_foreman_first(terms)
        assert s.month == 1
        assert s.kind == "foreman_first"
        assert s.prize == terms.chit_value
        assert (s.discount, s.commission, s.dividend_per_ticket, s.remainder) == (0, 0, 0, 0)
        assert s.net_installment == terms.installment
        assert s.tickets * s.net_installment == s.prize
    with pytest.raises(InvariantError, match="without commission"):
        dataclasses.replace(s, commission=5_000 * RUPEE, prize=95_000 * RUPEE).check()


def test_foreman_first_requires_configuration_and_owns_month_one():
    with pytest.raises(DomainError):
        settle_foreman_first(lucky())
    with pytest.raises(DomainError):
        settle_lucky(lucky(foreman_first_chit=True), 1)
    with pytest.raises(DomainError):
        settle_auction(auction(foreman_first_chit=True), 1, 10_000 * RUPEE)
    settle_lucky(lucky(foreman_first_chit=True), 2)


def test_final_month():
    assert settle_final_month(lucky()).prize == 95_000 * RUPEE
    s = settle_final_month(auction())
    assert (s.month, s.discount, s.dividend_per_ticket, s.prize) == (20, 5_000 * RUPEE, 0, 95_000 * RUPEE)


def test_kind_and_month_are_checked():
    with pytest.raises(DomainError):
        settle_lucky(auction(), 1)
    with pytest.raises(DomainError):
        settle_auction(lucky(), 1, 10_000 * RUPEE)
    for month in (0, 21, True, "1"):
        with pytest.raises(DomainError):
            settle_lucky(lucky(), month)
    with pytest.raises(DomainError):
        settle_lucky(lucky(tickets=7), 1)  # invalid terms never produce numbers


@pytest.mark.parametrize("discount", [5_000 * RUPEE - 1, 30_000 * RUPEE + 1, 0, 10_000.0, True])
def test_discount_outside_limits_is_rejected(discount):
    with pytest.raises(InvalidBidError) as excinfo:
        settle_auction(auction(), 2, discount)
    assert excinfo.value.field == "discount"


def test_discount_at_limits_is_accepted():
    assert settle_auction(auction(), 2, 5_000 * RUPEE).prize == 95_000 * RUPEE
    assert settle_auction(auction(), 2, 30_000 * RUPEE).prize == 70_000 * RUPEE


def test_check_catches_tampered_numbers():
    s = settle_auction(auction(), 3, 25_000 * RUPEE)
    for field, value in [("prize", s.prize + 1), ("dividend_per_ticket", 999), ("remainder", 20)]:
        with pytest.raises(InvariantError):
            dataclasses.replace(s, **{field: value}).check()


def test_validate_bid():
    terms = auction()  # C = ₹5,000, max ₹30,000, step ₹100
    validate_bid(terms, 5_000 * RUPEE, None)
    validate_bid(terms, 10_100 * RUPEE, 10_000 * RUPEE)
    with pytest.raises(InvalidBidError, match="at least"):
        validate_bid(terms, 4_999 * RUPEE, None)
    with pytest.raises(InvalidBidError, match="beat the best bid"):
        validate_bid(terms, 10_050 * RUPEE, 10_000 * RUPEE)
    with pytest.raises(InvalidBidError, match="beat the best bid"):
        validate_bid(terms, 10_000 * RUPEE, 10_000 * RUPEE)
    with pytest.raises(InvalidBidError, match="above"):
        validate_bid(terms, 30_001 * RUPEE, 10_000 * RUPEE)
    # The maximum discount may always be offered, even less than a step above the best bid, and
    # tied: the lot settles ties at the close (issue 15). Anything else near the cap is refused.
    validate_bid(terms, 30_000 * RUPEE, 29_950 * RUPEE)
    validate_bid(terms, 30_000 * RUPEE, 30_000 * RUPEE)
    with pytest.raises(InvalidBidError, match="the only bid left is the maximum discount of ₹30,000"):
        validate_bid(terms, 29_990 * RUPEE, 29_950 * RUPEE)
    with pytest.raises(InvalidBidError, match="the only bid left"):
        validate_bid(terms, 29_999 * RUPEE, 30_000 * RUPEE)
    with pytest.raises(InvalidBidError):
        validate_bid(lucky(), 5_000 * RUPEE, None)


def test_next_minimum_bid():
    terms = auction()
    assert next_minimum_bid(terms, None) == 5_000 * RUPEE
    assert next_minimum_bid(terms, 10_000 * RUPEE) == 10_100 * RUPEE
    assert next_minimum_bid(terms, 29_900 * RUPEE) == 30_000 * RUPEE
    assert next_minimum_bid(terms, 29_950 * RUPEE) == 30_000 * RUPEE  # the cap, less than a step up
    assert next_minimum_bid(terms, 30_000 * RUPEE) == 30_000 * RUPEE  # a tie at the cap


@st.composite
def auction_cases(draw):
    tickets = draw(st.integers(2, 100))
    per_ticket = draw(st.integers(-(-1_000 * RUPEE // tickets), CRORE // tickets))
    commission_bp = draw(st.integers(0, 700))
    max_discount_bp = draw(st.integers(commission_bp, 5000))
    terms = GroupTerms(
        chit_value=per_ticket * tickets,
        tickets=tickets,
        kind="auction",
        commission_bp=commission_bp,
        max_discount_bp=max_discount_bp,
    )
    discount = draw(st.integers(terms.commission, terms.max_discount))
    month = draw(st.integers(1, tickets))
    return terms, month, discount


@settings(max_examples=300, deadline=None)
@given(auction_cases())
def test_auction_settlement_properties(case):
    terms, month, discount = case
    s = settle_auction(terms, month, discount)
    s.check()
    assert s.tickets * s.net_installment == s.prize + s.commission + s.remainder
    assert s.prize + s.commission + s.tickets * s.dividend_per_ticket + s.remainder == s.chit_value
    assert s.dividend_per_ticket >= 0
    assert 0 <= s.remainder < s.tickets
    assert s.net_installment <= s.installment
    assert s.prize > 0


@settings(max_examples=100, deadline=None)
@given(tickets=st.integers(2, 100), data=st.data(), commission_bp=st.integers(0, 700))
def test_lucky_settlement_properties(tickets, data, commission_bp):
    per_ticket = data.draw(st.integers(-(-1_000 * RUPEE // tickets), CRORE // tickets))
    terms = GroupTerms(
        chit_value=per_ticket * tickets, tickets=tickets, kind="lucky", commission_bp=commission_bp
    )
    s = settle_lucky(terms, tickets)
    s.check()
    assert s.tickets * s.net_installment == s.prize + s.commission
