"""One source of "now" (aware UTC) and the Indian calendar the members live by."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, timezone

from babel.dates import format_date as babel_format_date

from luckychit_app.locales import BY_CODE

IST = timezone(timedelta(hours=5, minutes=30), "IST")


def utcnow() -> datetime:
    """Aware UTC; SQLModel's UTCDateTime columns store it as TIMESTAMPTZ (UTC text on SQLite)."""
    return datetime.now(UTC)


def today_ist() -> date:
    """Due dates and receipts follow the Indian calendar day, not the server's."""
    return datetime.now(IST).date()


def ist_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Indian calendar day as aware UTC instants [start, end): a "day's" receipts, cash book or
    audit rows are those of the IST day, whatever the server's zone (IST keeps no summer time, so
    every day is 24 hours)."""
    start = datetime.combine(day, time(), IST).astimezone(UTC)
    return start, start + timedelta(days=1)


def as_utc(moment: datetime) -> datetime:
    """A database time as aware UTC: SQLite gives it back naive, PostgreSQL aware; both are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_ist(moment: datetime) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(IST)


def format_date(day: date, lang: str = "") -> str:
    """DD-MM-YYYY, as Indian paperwork writes dates (the foreman's screens, English, and any caller
    that names no reader). For a reader of another of our languages, Babel's medium date in that
    language as written in India (CLDR: "12 மார்., 2026", "12 మార్చి, 2026", "2026, മാർ 12"): the
    month by its name in the reader's script, the numbers in Latin digits as money is printed."""
    if not lang or lang == "en" or lang not in BY_CODE:
        return day.strftime("%d-%m-%Y")
    return _local_date(day, BY_CODE[lang].locale)


@functools.lru_cache(maxsize=4096)
def _local_date(day: date, locale: str) -> str:
    """Cached: a passbook repeats the same few due dates, and Babel's formatting is the slow part."""
    return babel_format_date(day, "medium", locale=locale)


def format_datetime_ist(moment: datetime, *, seconds: bool = False, lang: str = "") -> str:
    """DD-MM-YYYY HH:MM IST; with ``seconds`` HH:MM:SS (an auction closes to the second). With a
    reader's `lang`, the date as `format_date` writes it for them; the time stays 24-hour IST."""
    local = to_ist(moment)
    clock = local.strftime("%H:%M:%S IST" if seconds else "%H:%M IST")
    return f"{format_date(local.date(), lang)} {clock}"
