"""Money: parsing what people type, and displaying paise the way Indian users read amounts.

Every amount in LuckyChit is an ``int`` of paise. Floats are refused everywhere because binary
floating point cannot represent most paise values exactly (``0.1 + 0.2 != 0.3``), and a chit fund's
books must close to the paisa. ``Decimal`` is used only transiently while parsing and formatting.

Display uses Indian digit grouping (``₹1,00,000``, lakh and crore) through Babel's ``en_IN`` locale,
and the compact form (``₹2.5L``, ``₹1.25Cr``) used on small cards.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from luckychit_app.domain.errors import InvalidAmountError

PAISE_PER_RUPEE = 100
"""Paise in one rupee."""

MAX_PAISE = 10**13
"""Largest amount accepted anywhere (₹10,000 crore): far above any real chit, small enough to be safe."""

_LOCALE = "en_IN"
_WHOLE_PATTERN = "#,##,##0"
_PAISE_PATTERN = "#,##,##0.00"
_COMPACT_PATTERN = "#,##,##0.##"

# Integer part: plain digits, or commas in a valid international (1,000,000) or Indian (10,00,000)
# grouping. Anything else ("1,000,00") is refused because it is ambiguous: a European typing
# "1.000,00" or a slip of the finger would otherwise be read as an amount 100 times too large.
_INT_PART = r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3})"
_AMOUNT_RE = re.compile(rf"^(?P<int>{_INT_PART})?(?:\.(?P<frac>[0-9]*))?$", re.ASCII)
_LOOSE_NUMBER_RE = re.compile(r"^[0-9,]*(?:\.[0-9,]*)?$", re.ASCII)
_EXPONENT_RE = re.compile(r"^[0-9.,]*[0-9][0-9.,]*e[+-]?[0-9]+$", re.ASCII)
_CURRENCY_PREFIX_RE = re.compile(r"^(?:₹|rs\.?|inr)\s*", re.IGNORECASE)
_NON_FINITE_WORDS = ("nan", "inf", "infinity")
_MAX_INPUT_CHARS = 40
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " "})


def _fail(message: str, field: str | None) -> InvalidAmountError:
    return InvalidAmountError(message, field=field)


def _check_range(paise: int, *, allow_zero: bool, field: str | None) -> int:
    """Apply the rules shared by text and integer input: not negative, not zero (unless allowed), capped."""
    if paise < 0:
        raise _fail("The amount cannot be negative.", field)
    if paise == 0 and not allow_zero:
        raise _fail("The amount must be more than ₹0.", field)
    if paise > MAX_PAISE:
        raise _fail(f"The amount cannot be more than {format_inr(MAX_PAISE)} (₹10,000 crore).", field)
    return paise


def parse_rupees(text: str | int, *, allow_zero: bool = False, field: str | None = None) -> int:
    """Turn an amount a person typed in rupees into paise, or raise ``InvalidAmountError``.

    Accepts ``"1,00,000"``, ``"100,000"``, ``"2500.50"``, ``"₹ 5,000"``, ``"Rs. 5,000/-"`` and whole
    rupees as an ``int``. Refuses anything that could silently change the amount: floats (inexact),
    bools (``True`` is not ₹1), more than two decimals, exponent notation, NaN/infinity, odd comma
    placement, negatives, zero (unless ``allow_zero``) and amounts above ``MAX_PAISE``. ``field``
    names the form input so the UI can show the message beside it.
    """
    if isinstance(text, bool):
        raise _fail("Enter the amount as a number of rupees, not yes/no.", field)
    if isinstance(text, float):
        raise _fail(
            "Amounts must be given as text or whole rupees; floating-point numbers lose paise.",
            field,
        )
    if isinstance(text, int):
        if text > MAX_PAISE:  # avoid building a huge product from an absurd int
            raise _fail(f"The amount cannot be more than {format_inr(MAX_PAISE)} (₹10,000 crore).", field)
        return _check_range(text * PAISE_PER_RUPEE, allow_zero=allow_zero, field=field)
    if not isinstance(text, str):
        raise _fail("Enter the amount in rupees, for example 2,500 or 2500.50.", field)

    raw = text.translate(_SPACES).strip()
    if not raw:
        raise _fail("Enter an amount in rupees.", field)
    if len(raw) > _MAX_INPUT_CHARS:
        raise _fail("That amount is too long; enter rupees like 2,500 or 2500.50.", field)

    cleaned = _CURRENCY_PREFIX_RE.sub("", raw)
    negative = cleaned[:1] in ("-", "\u2212")
    if negative:
        cleaned = _CURRENCY_PREFIX_RE.sub("", cleaned[1:].lstrip())
    cleaned = cleaned.removesuffix("/-").replace(" ", "")

    lowered = cleaned.lower().lstrip("+")
    if lowered in _NON_FINITE_WORDS or lowered == "snan":
        raise _fail(f"{text.strip()!r} is not an amount; enter rupees like 2,500.", field)
    if _EXPONENT_RE.match(lowered):
        raise _fail("Write the amount in full digits, without exponent notation (100000, not 1e5).", field)

    match = _AMOUNT_RE.match(cleaned)
    if match is None or not any(ch.isdigit() for ch in cleaned):
        if _LOOSE_NUMBER_RE.match(cleaned) and any(ch.isdigit() for ch in cleaned):
            raise _fail(f"Check the commas in {text.strip()!r}: write 1,00,000 or 100,000 or 100000.", field)
        raise _fail(f"{text.strip()!r} is not an amount; enter rupees like 2,500 or 2500.50.", field)

    int_part = (match.group("int") or "0").replace(",", "")
    frac_part = (match.group("frac") or "").rstrip("0")
    if len(frac_part) > 2:
        raise _fail("Amounts can have at most 2 decimal places (paise).", field)
    if len(int_part.lstrip("0")) > 15:
        raise _fail(f"The amount cannot be more than {format_inr(MAX_PAISE)} (₹10,000 crore).", field)

    amount = Decimal(f"{int_part}.{frac_part or '0'}")
    paise = int(amount * PAISE_PER_RUPEE)
    if negative and paise != 0:
        raise _fail("The amount cannot be negative.", field)
    return _check_range(paise, allow_zero=allow_zero, field=field)


def _require_paise(paise: int) -> int:
    """Formatting a non-int is a programming error (a float sneaked in), not a user mistake."""
    if isinstance(paise, bool) or not isinstance(paise, int):
        raise TypeError(f"amounts are int paise, got {type(paise).__name__}")
    return paise


@functools.lru_cache(maxsize=16384, typed=True)
def format_inr(paise: int) -> str:
    """Show paise as rupees with Indian grouping: ``₹1,00,000``, ``₹1,00,000.50``, ``-₹500``, ``₹0``.

    Whole rupees drop the ``.00`` because that is how amounts are written on receipts and cards;
    paise are shown only when present, always with two digits. Cached: a passbook shows the same
    few installment amounts and balances over and over, and Babel's formatting is the slow part.
    """
    _require_paise(paise)
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(paise), PAISE_PER_RUPEE)
    if rest == 0:
        body = format_decimal(rupees, format=_WHOLE_PATTERN, locale=_LOCALE)
    else:
        body = format_decimal(Decimal(abs(paise)).scaleb(-2), format=_PAISE_PATTERN, locale=_LOCALE)
    return f"{sign}₹{body}"


# (paise in one unit, suffix), smallest first. One lakh is 100 thousand and one crore is 100 lakh,
# which the promotion step in format_inr_compact relies on.
_COMPACT_UNITS: tuple[tuple[int, str], ...] = (
    (1_000 * PAISE_PER_RUPEE, "K"),
    (1_00_000 * PAISE_PER_RUPEE, "L"),
    (1_00_00_000 * PAISE_PER_RUPEE, "Cr"),
)
_HUNDREDTH = Decimal("0.01")


def format_inr_compact(paise: int) -> str:
    """Short form for cards: ``₹45K``, ``₹2.5L``, ``₹1L``, ``₹1.25Cr``; under ₹1,000 same as ``format_inr``.

    At most two decimals (rounded half up) with trailing zeros dropped. A value that rounds up to
    the next unit is shown in that unit (₹99,999 is ``₹1L``, not ``₹100K``).
    """
    _require_paise(paise)
    magnitude = abs(paise)
    if magnitude < _COMPACT_UNITS[0][0]:
        return format_inr(paise)
    index = max(i for i, (unit, _) in enumerate(_COMPACT_UNITS) if magnitude >= unit)
    value = (Decimal(magnitude) / _COMPACT_UNITS[index][0]).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    if value >= 100 and index + 1 < len(_COMPACT_UNITS):
        index += 1
        value = (Decimal(magnitude) / _COMPACT_UNITS[index][0]).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    sign = "-" if paise < 0 else ""
    body = format_decimal(value, format=_COMPACT_PATTERN, locale=_LOCALE)
    return f"{sign}₹{body}{_COMPACT_UNITS[index][1]}"


def percent_bp(bp: int) -> str:
    """Show basis points as a percentage without noise: 500 -> ``5%``, 250 -> ``2.5%``, 125 -> ``1.25%``.

    Rates are stored as integer basis points (1 bp = 0.01 %) for the same reason amounts are paise.
    """
    if isinstance(bp, bool) or not isinstance(bp, int):
        raise TypeError(f"rates are int basis points, got {type(bp).__name__}")
    whole, hundredths = divmod(abs(bp), 100)
    sign = "-" if bp < 0 else ""
    if hundredths == 0:
        return f"{sign}{whole}%"
    return f"{sign}{whole}.{hundredths:02d}".rstrip("0") + "%"


def receipt_label(branch_code: str, receipt_no: int) -> str:
    """A receipt's printed number: the branch's code, then its number in that branch's gap-free
    series ("TNR/000012"), so two branches' receipt books never print the same number."""
    return f"{branch_code}/{receipt_no:06d}"
