"""The installment calendar: which date each of a group's N installments falls due.

A group pays one installment per ticket, every period (the period is the chit agreement's, s.6):

* monthly: installments fall due on the group's draw day, because the draw (or auction) of month k is
  where month k's money is needed; a lucky draw also requires month k's installment to be paid
  before it. Draw days are limited to 1..28 so every calendar month has the date and no clamping is
  needed.
* fortnightly / weekly: installment k falls due k × 14 (or k × 7) days after the start date, so the
  draws keep the start date's weekday and members get one period's notice before the first
  installment. The draw day is ignored (it is kept, valid, for a group's record only).

The code keeps the word "month" for the k-th period of any group, as the database does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.terms import (
    MAX_DRAW_DAY,
    MIN_DRAW_DAY,
    PERIOD_DAYS,
    PERIODS,
    GroupTerms,
    validate_terms,
)


@dataclass(frozen=True)
class ScheduledInstallment:
    """One month's installment for every ticket: month number (1-based), due date, amount in paise.

    ``amount`` is the full installment; in auction groups the net amount (after the month's
    dividend) is only known once that month's auction settles.
    """

    month: int
    due_date: date
    amount: int


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    """(year, month) moved ``count`` calendar months forward."""
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _check_period(period: object) -> None:
    if not isinstance(period, str) or period not in PERIODS:
        raise DomainError(f"The period must be one of {', '.join(PERIODS)}, not {period!r}.", field="period")


def due_date_for(start: date, month: int, draw_day: int, period: str = "monthly") -> date:
    """Due date of installment ``month`` for a group starting on ``start`` with draws on ``draw_day``.

    Monthly: month 1 falls in ``start``'s calendar month when the draw day has not yet passed
    (``start.day <= draw_day``), otherwise in the next calendar month, so members always get the
    start date's notice before the first installment; month k is k-1 calendar months after month 1.
    Fortnightly / weekly: ``start`` + k × 14 (or 7) days; ``draw_day`` is checked but not used.
    """
    _check_period(period)
    if not isinstance(start, date):
        raise DomainError(f"The start date must be a date, not {start!r}.", field="start_date")
    if not _is_int(month) or month < 1:
        raise DomainError(f"Month numbers start at 1, not {month!r}.", field="month")
    if not _is_int(draw_day) or not MIN_DRAW_DAY <= draw_day <= MAX_DRAW_DAY:
        raise DomainError(
            f"The draw day must be between {MIN_DRAW_DAY} and {MAX_DRAW_DAY}, not {draw_day!r}.",
            field="draw_day",
        )
    if period in PERIOD_DAYS:
        return start + timedelta(days=month * PERIOD_DAYS[period])
    offset = month - 1 if start.day <= draw_day else month
    year, calendar_month = _add_months(start.year, start.month, offset)
    return date(year, calendar_month, draw_day)


def build_schedule(terms: GroupTerms, start: date) -> list[ScheduledInstallment]:
    """All N installments of a group, month 1 first, each at the full installment ``V / N``."""
    validate_terms(terms)
    return [
        ScheduledInstallment(
            month=month,
            due_date=due_date_for(start, month, terms.draw_day, terms.period),
            amount=terms.installment,
        )
        for month in range(1, terms.tickets + 1)
    ]


def month_due_on_or_before(start: date, draw_day: int, as_of: date, period: str = "monthly") -> int:
    """The last month (period) number whose due date is on or before ``as_of`` (0 before the first).

    Services use this to find the current month, e.g. which installments are overdue today. The
    result is not capped at the group's duration; callers cap it at N.
    """
    first = due_date_for(start, 1, draw_day, period)
    if as_of < first:
        return 0
    if period in PERIOD_DAYS:
        return (as_of - start).days // PERIOD_DAYS[period]
    months = (as_of.year - first.year) * 12 + (as_of.month - first.month)
    if as_of.day < draw_day:
        months -= 1
    return months + 1
