"""The terms the Chit Funds Act leaves to the chit agreement (issue 15): their validation, the
period's calendar, the 7 % cap on the foreman's monthly income, and bids at the maximum discount."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain.errors import DomainError, InvalidTermsError
from luckychit_app.domain.schedule import build_schedule, due_date_for, month_due_on_or_before
from luckychit_app.domain.settlement import (
    RemainderSplit,
    foreman_income,
    foreman_income_cap,
    next_minimum_bid,
    settle_auction,
    settle_final_month,
    split_remainder,
    validate_bid,
)
from luckychit_app.domain.terms import (
    GroupTerms,
    max_discount_warning,
    term_errors,
    term_warnings,
    validate_terms,
)

RUPEE = 100
LAKH = 100_000 * RUPEE
CRORE = 100 * LAKH


def auction(**changes) -> GroupTerms:
    return dataclasses.replace(GroupTerms(chit_value=LAKH, tickets=20, kind="auction"), **changes)


def field_of(terms: GroupTerms) -> str | None:
    with pytest.raises(InvalidTermsError) as excinfo:
        validate_terms(terms)
    return excinfo.value.field


# --- the terms themselves ---------------------------------------------------------------------------


def test_agreement_term_defaults():
    terms = auction()
    assert (terms.period, terms.forfeit_dividend_when_late) == ("monthly", False)
    assert (terms.default_after, terms.removal_deduction_bp) == (3, 500)
    assert (terms.removed_refund_at, terms.late_fee_pool_to) == ("close", "foreman")
    assert terms.removal_deduction == 5_000 * RUPEE  # 5 % of ₹1,00,000 (s.30(1) proviso)
    assert term_errors(terms) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": "daily"}, "period"),
        ({"period": ["weekly"]}, "period"),
        ({"forfeit_dividend_when_late": "yes"}, "forfeit_dividend_when_late"),
        ({"forfeit_dividend_when_late": 1}, "forfeit_dividend_when_late"),
        ({"default_after": 0}, "default_after"),
        ({"default_after": 13}, "default_after"),
        ({"default_after": True}, "default_after"),
        ({"default_after": "3"}, "default_after"),
        ({"removal_deduction_bp": 501}, "removal_deduction_bp"),
        ({"removal_deduction_bp": -1}, "removal_deduction_bp"),
        ({"removal_deduction_bp": 2.5}, "removal_deduction_bp"),
        ({"removed_refund_at": "never"}, "removed_refund_at"),
        ({"late_fee_pool_to": "charity"}, "late_fee_pool_to"),
        ({"max_discount_bp": 5001}, "max_discount_bp"),
    ],
)
def test_agreement_terms_out_of_range_name_their_field(changes, field):
    assert field_of(auction(**changes)) == field


def test_agreement_term_boundaries_are_accepted():
    for changes in (
        {"period": "fortnightly", "default_after": 1, "removal_deduction_bp": 0},
        {"period": "weekly", "default_after": 12, "removal_deduction_bp": 500},
        {"removed_refund_at": "substitution", "late_fee_pool_to": "members"},
        {"forfeit_dividend_when_late": True, "max_discount_bp": 5000},
    ):
        validate_terms(auction(**changes))


def test_every_problem_is_listed_once_with_its_field():
    errors = term_errors(auction(period="yearly", default_after=0, removal_deduction_bp=900))
    assert [e.field for e in errors] == ["period", "default_after", "removal_deduction_bp"]
    assert "s.30" in str(errors[-1])


def test_a_maximum_discount_above_40_percent_is_warned_not_refused():
    for bp in (4001, 4500, 5000):
        terms = auction(max_discount_bp=bp)
        validate_terms(terms)
        (warning,) = term_warnings(terms)
        assert warning.field == "max_discount_bp"
        assert "above the usual 40%" in str(warning)
    assert "as little as 55%" in max_discount_warning(4500)
    assert term_warnings(auction(max_discount_bp=4000)) == []
    # A lucky draw takes no bids: its maximum discount means nothing, so nothing to warn about.
    assert term_warnings(dataclasses.replace(auction(max_discount_bp=4500), kind="lucky")) == []
    for odd in (None, "45", 4500.0, True, 5001, -1):
        assert max_discount_warning(odd) == ""


# --- the period: monthly, fortnightly or weekly --------------------------------------------------------


def test_fortnightly_and_weekly_due_dates_count_from_the_start_date():
    start = date(2026, 1, 1)  # a Thursday
    assert due_date_for(start, 1, 10, "fortnightly") == date(2026, 1, 15)
    assert due_date_for(start, 2, 10, "fortnightly") == date(2026, 1, 29)
    assert due_date_for(start, 1, 10, "weekly") == date(2026, 1, 8)
    assert due_date_for(start, 52, 10, "weekly") == date(2026, 12, 31)
    assert {due_date_for(start, k, 10, "weekly").weekday() for k in range(1, 30)} == {start.weekday()}
    # Monthly is unchanged: the draw day of each month.
    assert due_date_for(start, 2, 10, "monthly") == due_date_for(start, 2, 10) == date(2026, 2, 10)


def test_the_draw_day_is_ignored_by_fortnightly_and_weekly_groups():
    start = date(2026, 3, 5)
    assert due_date_for(start, 3, 1, "weekly") == due_date_for(start, 3, 28, "weekly") == date(2026, 3, 26)


@pytest.mark.parametrize("period", ["daily", "", None, "Weekly", 7])
def test_an_unknown_period_is_refused(period):
    with pytest.raises(DomainError) as excinfo:
        due_date_for(date(2026, 1, 1), 1, 10, period)
    assert excinfo.value.field == "period"


def test_a_weekly_schedule_has_one_installment_per_ticket():
    terms = auction(tickets=25, chit_value=25 * 4_000 * RUPEE, period="weekly")
    rows = build_schedule(terms, date(2026, 1, 1))
    assert len(rows) == 25
    assert [r.due_date - date(2026, 1, 1) for r in rows] == [timedelta(days=7 * k) for k in range(1, 26)]
    assert {r.amount for r in rows} == {4_000 * RUPEE}


def test_month_due_on_or_before_counts_periods():
    start = date(2026, 1, 1)
    assert month_due_on_or_before(start, 10, date(2026, 1, 14), "fortnightly") == 0
    assert month_due_on_or_before(start, 10, date(2026, 1, 15), "fortnightly") == 1
    assert month_due_on_or_before(start, 10, date(2026, 1, 28), "fortnightly") == 1
    assert month_due_on_or_before(start, 10, date(2026, 1, 29), "fortnightly") == 2
    assert month_due_on_or_before(start, 10, date(2026, 1, 22), "weekly") == 3


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    draw_day=st.integers(1, 28),
    month=st.integers(1, 100),
    period=st.sampled_from(["monthly", "fortnightly", "weekly"]),
)
def test_due_dates_follow_the_period(start, draw_day, month, period):
    due = due_date_for(start, month, draw_day, period)
    assert due >= start
    previous = due_date_for(start, month - 1, draw_day, period) if month > 1 else None
    if period == "monthly":
        assert due.day == draw_day
    else:
        step = 14 if period == "fortnightly" else 7
        assert due == start + timedelta(days=step * month)
        if previous is not None:
            assert (due - previous).days == step
    assert month_due_on_or_before(start, draw_day, due, period) == month
    assert month_due_on_or_before(start, draw_day, due - timedelta(days=1), period) == month - 1


# --- the foreman's income: commission + remainder within 7 % of V (s.21(1)(b), 2019) -------------------


def test_the_remainder_never_takes_the_foreman_above_7_percent():
    """Issue 15's worked example: 7 % commission, remainder "to foreman", V ₹3,00,000, 30 tickets,
    discount ₹65,000. Commission ₹21,000 (the cap), pool ₹44,000, dividend ₹1,466.66 a ticket and a
    remainder of 20 paise, which used to make the foreman's month ₹21,000.20."""
    terms = auction(chit_value=300_000 * RUPEE, tickets=30, commission_bp=700, remainder_to="foreman")
    s = settle_auction(terms, 2, 65_000 * RUPEE)
    assert (s.commission, s.dividend_pool) == (21_000 * RUPEE, 44_000 * RUPEE)
    assert (s.dividend_per_ticket, s.remainder) == (1_466_66, 20)
    assert s.commission + s.remainder == 21_000_20  # what the foreman got before the fix
    assert foreman_income_cap(s.chit_value) == 21_000 * RUPEE
    assert split_remainder(s, "foreman") == RemainderSplit(to_foreman=0, to_carry=20)
    assert foreman_income(s, "foreman") == 21_000 * RUPEE
    assert s.tickets * s.net_installment == s.prize + s.commission + s.remainder


def test_what_fits_under_the_cap_still_goes_to_the_foreman():
    # V ₹1,000, 100 tickets, 6.99 %: commission ₹69.90, cap ₹70.00, so 10 paise of room.
    terms = auction(chit_value=1_000 * RUPEE, tickets=100, commission_bp=699, min_bid_step=100)
    s = settle_auction(terms, 2, 69_90 + 37)  # pool 37 paise: no dividend, remainder 37
    assert (s.dividend_per_ticket, s.remainder) == (0, 37)
    assert split_remainder(s, "foreman") == RemainderSplit(to_foreman=10, to_carry=27)
    assert foreman_income(s, "foreman") == 70 * RUPEE
    assert split_remainder(s, "carry") == RemainderSplit(to_foreman=0, to_carry=37)
    with pytest.raises(DomainError):
        split_remainder(s, "members")


@st.composite
def auction_months(draw):
    tickets = draw(st.integers(2, 100))
    per_ticket = draw(st.integers(-(-1_000 * RUPEE // tickets), CRORE // tickets))
    commission_bp = draw(st.integers(0, 700))
    terms = GroupTerms(
        chit_value=per_ticket * tickets,
        tickets=tickets,
        kind="auction",
        commission_bp=commission_bp,
        max_discount_bp=draw(st.integers(commission_bp, 5000)),
        remainder_to=draw(st.sampled_from(["carry", "foreman"])),
    )
    discount = draw(st.integers(terms.commission, terms.max_discount))
    return terms, draw(st.integers(1, tickets)), discount


@settings(max_examples=400, deadline=None)
@given(auction_months())
def test_foreman_income_never_exceeds_7_percent_and_the_month_balances(case):
    terms, month, discount = case
    s = settle_auction(terms, month, discount) if month < terms.tickets else settle_final_month(terms)
    split = split_remainder(s, terms.remainder_to)
    assert split.to_foreman + split.to_carry == s.remainder
    assert split.to_foreman >= 0 and split.to_carry >= 0
    assert foreman_income(s, terms.remainder_to) <= terms.chit_value * 7 // 100
    assert s.tickets * s.net_installment == s.prize + s.commission + s.remainder
    assert s.prize + s.commission + s.tickets * s.dividend_per_ticket + s.remainder == s.chit_value


# --- bids at the maximum discount: ties go to the lot ------------------------------------------------


def test_the_cap_may_be_bid_from_less_than_a_step_below_and_tied():
    terms = auction(min_bid_step=500 * RUPEE)  # cap ₹30,000, steps of ₹500
    validate_bid(terms, 30_000 * RUPEE, 29_500 * RUPEE)  # exactly one step below
    validate_bid(terms, 30_000 * RUPEE, 29_800 * RUPEE)  # less than a step below
    validate_bid(terms, 30_000 * RUPEE, 30_000 * RUPEE)  # a tie at the cap
    assert next_minimum_bid(terms, 29_800 * RUPEE) == 30_000 * RUPEE


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_cap_is_always_a_legal_bid_while_the_best_is_not_above_it(data):
    terms = auction(
        commission_bp=data.draw(st.integers(0, 700)),
        min_bid_step=data.draw(st.integers(100, 10_000 * RUPEE)),
    )
    best = data.draw(st.none() | st.integers(terms.commission, terms.max_discount))
    validate_bid(terms, terms.max_discount, best)
    nxt = next_minimum_bid(terms, best)
    assert nxt is not None and terms.commission <= nxt <= terms.max_discount
    validate_bid(terms, nxt, best)
