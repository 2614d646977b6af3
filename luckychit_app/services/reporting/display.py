"""How the foreman's screens word numbers and times: percentages that never round up to a finished
100%, "12 min ago" in India's time zone, and paise as the rupee text a form accepts back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from luckychit_app.clock import format_date, to_ist, utcnow


def pct(part: int, whole: int) -> str:
    """Whole percent, rounded down so 99.6% never shows as a finished 100%."""
    return f"{part * 100 // whole}%" if whole else "—"


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '12 min ago', '3 h ago', 'yesterday 18:05', or the IST date for older events."""
    at = to_ist(moment)
    now_ist = to_ist(now or utcnow())
    seconds = int((now_ist - at).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if at.date() == now_ist.date():
        return f"{seconds // 3600} h ago"
    if at.date() == now_ist.date() - timedelta(days=1):
        return f"yesterday {at:%H:%M}"
    return f"{format_date(at.date())} {at:%H:%M}"


def rupees_for_form(paise: int) -> str:
    """Paise as the rupee text the payment form accepts (no grouping, two decimals only if needed)."""
    whole, rest = divmod(paise, 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}"


def stage_label(status: str, current_month: int, tickets: int, closed_at: datetime | None = None) -> str:
    """What the foreman reads beside a group's status badge: where a running group is, when a
    closed one closed; nothing that would only repeat the badge ("Forming Forming")."""
    if status == "active":
        return f"Month {current_month} of {tickets}"
    if status == "completed":
        return f"All {tickets} months held: settle and close"
    if status == "closed" and closed_at is not None:
        return f"on {format_date(to_ist(closed_at).date())}"
    return ""
