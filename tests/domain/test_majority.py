"""Adults only (Indian Majority Act 1875 s.3; Indian Contract Act 1872 s.11): the eighteenth birthday,
29 February, and dates that cannot be a member's."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from luckychit_app.domain.majority import age_on, birth_date_problem, is_adult, years_later

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def test_majority_begins_on_the_eighteenth_birthday():
    assert not is_adult(date(2008, 6, 16), date(2026, 6, 15))
    assert is_adult(date(2008, 6, 15), date(2026, 6, 15))
    # Born on 29 February: eighteen on 1 March when the year has no 29 February, never a day early.
    assert not is_adult(date(2008, 2, 29), date(2026, 2, 28))
    assert is_adult(date(2008, 2, 29), date(2026, 3, 1))
    assert is_adult(date(2012, 2, 29), date(2030, 3, 1)) and not is_adult(
        date(2012, 2, 29), date(2030, 2, 28)
    )
    assert (
        age_on(date(1980, 2, 29), date(2026, 3, 1)) == 46
        and age_on(date(1980, 2, 29), date(2026, 2, 28)) == 45
    )


def test_problems_with_a_date_of_birth():
    today = date(2026, 6, 15)
    assert birth_date_problem(date(1990, 1, 1), today) == ""
    assert "future" in birth_date_problem(today + timedelta(days=1), today)
    assert "120 years" in birth_date_problem(date(1900, 1, 1), today)
    assert "18 or older" in birth_date_problem(date(2010, 1, 1), today)


@given(born=DAYS, on=DAYS)
def test_adult_exactly_when_eighteen_completed_years(born, on):
    if on < born:
        return
    assert is_adult(born, on) == (age_on(born, on) >= 18)
    # The eighteenth anniversary is the first day of majority.
    eighteenth = years_later(born, 18)
    assert age_on(born, eighteenth) == 18 and age_on(born, eighteenth - timedelta(days=1)) == 17
    assert is_adult(born, eighteenth) and not is_adult(born, eighteenth - timedelta(days=1))


@given(born=DAYS, on=DAYS, later=st.integers(min_value=0, max_value=4000))
def test_once_an_adult_always_an_adult(born, on, later):
    if on >= born and is_adult(born, on):
        assert is_adult(born, on + timedelta(days=later))
