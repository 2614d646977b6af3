"""Cleaning of user-typed values. Everything from a form or a browser event passes through here,
whatever type it arrives as (text, amounts, dates, search boxes, paging values); failures carry the
form field's name and a message to show."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from luckychit_app.clock import IST
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import parse_rupees
from luckychit_app.services.errors import ServiceError

MOBILE_RE = re.compile(r"^[6-9]\d{9}$")
REQUEST_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
UPI_VPA_RE = re.compile(r"^[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z][a-zA-Z0-9]{1,64}$")


def clean_text(value: object, *, field: str, label: str, min_len: int = 1, max_len: int = 80) -> str:
    if not isinstance(value, str):
        raise ServiceError(f"{label} must be text.", field)
    text = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text):  # Cs: lone surrogates
        raise ServiceError(f"{label} contains characters that are not allowed.", field)
    text = re.sub(r"\s+", " ", text)
    if len(text) < min_len:
        raise ServiceError(
            f"{label} is required." if min_len <= 1 else f"{label} must be at least {min_len} characters.",
            field,
        )
    if len(text) > max_len:
        raise ServiceError(f"{label} must be at most {max_len} characters.", field)
    return text


def clean_name(value: object, field: str = "name") -> str:
    return clean_text(value, field=field, label="Name", min_len=2, max_len=80)


def clean_mobile(value: object, field: str = "mobile") -> str:
    """Indian mobile numbers: 10 digits starting 6-9; +91 / 0 prefixes and spaces are accepted."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ServiceError("Enter a 10-digit mobile number.", field)
    digits = re.sub(r"[\s\-()]", "", str(value))
    if len(digits) > 20:
        raise ServiceError("Enter a 10-digit mobile number.", field)
    if digits.startswith("+91"):
        digits = digits[3:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not MOBILE_RE.fullmatch(digits):
        raise ServiceError(
            "Enter a valid 10-digit Indian mobile number (it starts with 6, 7, 8 or 9).", field
        )
    return digits


def clean_password(value: object, field: str = "password") -> str:
    if not isinstance(value, str):
        raise ServiceError("Password must be text.", field)
    if len(value) < 8:
        raise ServiceError("Password must be at least 8 characters.", field)
    if len(value.encode()) > 72:
        raise ServiceError("Password must be at most 72 bytes.", field)
    if not (re.search(r"[A-Za-z]", value) and re.search(r"\d", value)):
        raise ServiceError("Password needs at least one letter and one digit.", field)
    return value


def clean_int(value: object, *, field: str, label: str, lo: int, hi: int) -> int:
    if isinstance(value, bool):
        raise ServiceError(f"{label} must be a whole number.", field)
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"-?\d{1,12}", value):
            raise ServiceError(f"{label} must be a whole number.", field)
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ServiceError(f"{label} must be a whole number.", field)
    if not lo <= value <= hi:
        raise ServiceError(f"{label} must be between {lo} and {hi}.", field)
    return value


def clean_percent_bp(value: object, *, field: str, label: str, hi_bp: int) -> int:
    """A percentage typed as "5" or "2.5" (at most two decimals), returned in basis points."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ServiceError(f"{label} must be a percentage.", field)
    text = str(value).strip().rstrip("%").strip()
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", text):
        raise ServiceError(f"{label} must be a percentage like 5 or 2.5.", field)
    whole, _, frac = text.partition(".")
    bp = int(whole) * 100 + int((frac + "00")[:2])
    if bp > hi_bp:
        raise ServiceError(f"{label} must be at most {hi_bp / 100:g}%.", field)
    return bp


def clean_vpa(value: object, field: str = "upi_vpa") -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or not UPI_VPA_RE.fullmatch(value.strip()):
        raise ServiceError("Enter a UPI ID like name@bank.", field)
    return value.strip()


def clean_date(value: object, *, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ServiceError(f"{label} must be a date.", field)


IST_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")


def clean_ist_datetime(value: object, *, field: str, label: str) -> datetime:
    """A wall-clock time in India as a browser's datetime-local input sends it ("2026-12-01T18:30"
    or with seconds), returned as aware UTC. The members' calendar is IST whatever the browser's zone."""
    if isinstance(value, str) and IST_DATETIME_RE.fullmatch(value.strip()):
        try:
            naive = datetime.fromisoformat(value.strip().replace(" ", "T"))
        except ValueError:
            pass
        else:
            return naive.replace(tzinfo=IST).astimezone(UTC)
    raise ServiceError(f"{label} must be a date and time like 01-12-2026 18:30.", field)


def clean_amount(value: object, field: str = "amount") -> int:
    """A rupee amount typed into a payment form ("15,000", "99.50", or whole rupees as an int), in
    paise; zero, negative and malformed amounts are refused."""
    try:
        return parse_rupees(value if not isinstance(value, int) else str(value))
    except DomainError as exc:
        raise ServiceError(f"Amount: {exc}", field) from exc


MAX_PAGE = 100


def page_window(offset: object, limit: object, *, max_limit: int = MAX_PAGE) -> tuple[int, int]:
    """A safe (offset, limit) from browser-supplied paging values: lists are always paged on the
    server, and a crafted event must not ask for a million rows or a negative page."""
    values = []
    for value, lo, hi in ((offset, 0, 10_000_000), (limit, 1, max_limit)):
        if isinstance(value, bool):
            raise ServiceError("Invalid page.")
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 9:
            value = int(value.strip())
        if not isinstance(value, int):
            raise ServiceError("Invalid page.")
        values.append(min(max(value, lo), hi))
    return values[0], values[1]


def clean_search(value: object) -> str:
    """A search box's text, trimmed; LIKE wildcards are escaped so they match literally."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 80:
        raise ServiceError("Search text must be at most 80 characters.", "search")
    return value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def clean_request_key(value: object, message: str) -> str:
    """A money form's idempotency key (8-64 letters, digits, `_` or `-`), made when the form was
    drawn and sent with every submission of it: a second click or a retry sends the same key, and
    the service returns what the first one recorded instead of recording it again."""
    if not isinstance(value, str) or not REQUEST_KEY_RE.fullmatch(value):
        raise ServiceError(message)
    return value
