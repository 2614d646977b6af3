"""Who may subscribe to a chit: adults only, judged from the date of birth given at KYC.

A chit agreement is a contract (Chit Funds Act 1982 s.2(b)), and a minor is not competent to
contract (Indian Contract Act 1872 s.11; a minor's agreement is void, Mohori Bibee v Dharmodas Ghose,
1903). A person domiciled in India attains majority on completing eighteen years of age (Indian
Majority Act 1875 s.3). Pure: no database, no clock; the caller passes the day to judge on.
"""

from __future__ import annotations

from datetime import date

MAJORITY_YEARS = 18
"""Indian Majority Act 1875 s.3: majority on completing eighteen years of age."""
OLDEST_YEARS = 120
"""A date of birth further back than this is a typing mistake, not a member."""


def years_later(born: date, years: int) -> date:
    """The anniversary `years` after `born`; one born on 29 February completes the year on 1 March
    in a year without that day (the later day: nobody is taken for an adult a day early)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def age_on(born: date, on: date) -> int:
    """Completed years of age on the day `on` (0 before the first birthday)."""
    years = on.year - born.year
    return years if years_later(born, years) <= on else years - 1


def is_adult(born: date, on: date) -> bool:
    """Whether one born on `born` has completed eighteen years on `on` (Indian Majority Act 1875
    s.3), so may enter a chit agreement (Indian Contract Act 1872 s.11)."""
    return years_later(born, MAJORITY_YEARS) <= on


def birth_date_problem(born: date, on: date) -> str:
    """Why `born` cannot be accepted as an adult member's date of birth on the day `on`, or "".
    The messages are the services' (English; i18n has their Hindi)."""
    if born > on:
        return "The date of birth cannot be in the future."
    if age_on(born, on) >= OLDEST_YEARS:
        return "Check the date of birth: it is more than 120 years ago."
    if not is_adult(born, on):
        # Indian Majority Act 1875 s.3 and Indian Contract Act 1872 s.11: a minor cannot contract.
        return "Members must be 18 or older: a minor cannot enter a chit agreement."
    return ""
