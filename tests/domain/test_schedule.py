"""Installment due dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.schedule import (
    ScheduledInstallment,
    build_schedule,
    due_date_for,
    month_due_on_or_before,
)
from luckychit_app.domain.terms import GroupTerms


def test_month_one_in_start_month_when_draw_day_not_passed():
    assert due_date_for(date(2025, 1, 5), 1, 10) == date(2025, 1, 10)
    assert due_date_for(date(2025, 1, 10), 1, 10) == date(2025, 1, 10)


def test_month_one_in_next_month_when_draw_day_passed():
    assert due_date_for(date(2025, 1, 11), 1, 10) == date(2025, 2, 10)


def test_later_months_cross_year_end():
    assert due_date_for(date(2025, 11, 20), 1, 15) == date(2025, 12, 15)
    assert due_date_for(date(2025, 11, 20), 2, 15) == date(2026, 1, 15)
    assert due_date_for(date(2025, 1, 1), 25, 28) == date(2027, 1, 28)


def test_february_always_has_the_draw_day():
    assert due_date_for(date(2025, 1, 29), 1, 28) == date(2025, 2, 28)


@pytest.mark.parametrize(("month", "draw_day"), [(0, 10), (-1, 10), (1, 0), (1, 29), (True, 10), (1, 10.0)])
def test_bad_arguments(month, draw_day):
    with pytest.raises(DomainError):
        due_date_for(date(2025, 1, 1), month, draw_day)


def test_build_schedule():
    terms = GroupTerms(chit_value=100_000 * 100, tickets=20, kind="auction", draw_day=5)
    rows = build_schedule(terms, date(2025, 3, 6))
    assert len(rows) == 20
    assert rows[0] == ScheduledInstallment(month=1, due_date=date(2025, 4, 5), amount=5_000 * 100)
    assert rows[-1].due_date == date(2026, 11, 5)
    assert [r.month for r in rows] == list(range(1, 21))
    assert {r.amount for r in rows} == {terms.installment}


def test_build_schedule_validates_terms():
    with pytest.raises(DomainError):
        build_schedule(GroupTerms(chit_value=100_000 * 100, tickets=7, kind="lucky"), date(2025, 1, 1))


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    draw_day=st.integers(1, 28),
    month=st.integers(1, 100),
)
def test_due_dates_are_monthly_on_draw_day_and_not_before_start(start, draw_day, month):
    due = due_date_for(start, month, draw_day)
    assert due.day == draw_day
    assert due >= start
    if month == 1:
        assert (due - start).days < 32
    else:
        previous = due_date_for(start, month - 1, draw_day)
        assert (due.year * 12 + due.month) - (previous.year * 12 + previous.month) == 1
    assert month_due_on_or_before(start, draw_day, due) == month


def test_month_due_on_or_before():
    start = date(2025, 1, 5)
    assert month_due_on_or_before(start, 10, date(2025, 1, 9)) == 0
    assert month_due_on_or_before(start, 10, date(2025, 1, 10)) == 1
    assert month_due_on_or_before(start, 10, date(2025, 2, 9)) == 1
    assert month_due_on_or_before(start, 10, date(2025, 2, 10)) == 2
