"""The Indian financial year, April to March, that a foreman's accounts and income tax run on.

Income-tax Act 1961 s.2(34) read with s.3: income is taxed by "previous year", the financial year
immediately before the assessment year, and a financial year begins on 1 April (General Clauses Act
1897 s.3(21); a company's books follow the same year, Companies Act 2013 s.2(41)). The Income-tax
Act 2025, in force from 1 April 2026, calls the same twelve months the "tax year". So the foreman's
year-end statements are drawn up to 31 March, and "FY 2025-26" runs from 1 April 2025 to 31 March
2026, Indian calendar days (IST).

Pure: dates in, dates out. A year is named by the calendar year it starts in (2025 for 2025-26).
"""

from __future__ import annotations

import re
from datetime import date

from luckychit_app.domain.errors import DomainError

FIRST_MONTH = 4
"""April: the first month of every financial year (General Clauses Act 1897 s.3(21))."""
EARLIEST, LATEST = 2000, 2100
"""The years a browser may ask for: anything else is a forged or mistyped value."""

_LABEL_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fy_of(day: date) -> int:
    """The financial year a day falls in, named by its starting year: 31-03-2026 is in 2025
    (FY 2025-26), 01-04-2026 in 2026."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def fy_bounds(year: int) -> tuple[date, date]:
    """The first and last day of the financial year starting in ``year``: 1 April and 31 March."""
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)


def fy_label(year: int) -> str:
    """How Indian paperwork writes the year: "2025-26"."""
    return f"{year}-{(year + 1) % 100:02d}"


def fy_months(year: int) -> tuple[tuple[int, int], ...]:
    """The twelve (calendar year, month) pairs of the financial year, April first, March last."""
    return tuple((year + (m < FIRST_MONTH), m) for m in (*range(FIRST_MONTH, 13), *range(1, FIRST_MONTH)))


def month_label(year: int, month: int) -> str:
    """ "Apr 2025": a month as the statements name it."""
    return f"{_MONTHS[month - 1]} {year}"


def parse_fy(value: object) -> int:
    """The year a browser or a link names ("2025", "2025-26" or the int 2025) as its starting
    year; anything else, a "2025-27" or a year outside 2000-2100, is refused."""
    if isinstance(value, bool):
        raise DomainError("Choose a financial year.", field="fy")
    text = str(value).strip() if isinstance(value, int | str) else ""
    found = _LABEL_RE.match(text)
    if not found:
        raise DomainError("Choose a financial year like 2025-26.", field="fy")
    year = int(found.group(1))
    if found.group(2) is not None and int(found.group(2)) != (year + 1) % 100:
        raise DomainError("A financial year runs April to March, like 2025-26.", field="fy")
    if not EARLIEST <= year <= LATEST:
        raise DomainError(f"Choose a financial year between {EARLIEST} and {LATEST}.", field="fy")
    return year
