"""One source of "now" (aware UTC) and the Indian calendar the members live by."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

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


def to_ist(moment: datetime) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(IST)


def format_date(day: date) -> str:
    """DD-MM-YYYY, as Indian paperwork writes dates."""
    return day.strftime("%d-%m-%Y")


def format_datetime_ist(moment: datetime, *, seconds: bool = False) -> str:
    """DD-MM-YYYY HH:MM IST; with ``seconds`` HH:MM:SS (an auction closes to the second)."""
    return to_ist(moment).strftime("%d-%m-%Y %H:%M:%S IST" if seconds else "%d-%m-%Y %H:%M IST")
