"""How screens word a count: "1 draw due", "2 draws due", never "1 draws due" or "draw(s)".

One helper for every count a screen, a notice or an export shows (issue 16), so the singular and
the plural are chosen in one place. Numbers are grouped the Indian way (1,00,000), as amounts are.
"""

from __future__ import annotations

from babel.numbers import format_decimal


def count_text(count: int) -> str:
    """A whole count with Indian digit grouping: 7 -> "7", 125000 -> "1,25,000". Below a thousand
    there is nothing to group, and Babel's ~45 us a call was 3 ms of every dashboard load (its
    feed words ~50 counts)."""
    if -1000 < count < 1000:
        return str(count)
    return format_decimal(count, format="#,##,##0", locale="en_IN")


def plural(count: int, one: str, many: str | None = None) -> str:
    """The count and the words that go with it: plural(1, "draw due", "draws due") -> "1 draw due",
    plural(3, "member") -> "3 members". `many` defaults to `one` + "s"; pass it whenever the plural
    is not that ("query"/"queries", "draw due"/"draws due"). Only exactly one is singular: "0 members"."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"plural() counts whole numbers, not {count!r}")
    words = one if count == 1 else (many if many is not None else one + "s")
    return f"{count_text(count)} {words}"
