"""Page data as Reflex vars hold it on the draw pages: every value a string, so `rx.foreach` rows and
`rx.cond` tests work on plain text (a boolean becomes "yes" or "")."""

from __future__ import annotations

from typing import Any


def scalar_strings(data: dict[str, Any]) -> dict[str, str]:
    """The scalar fields of a page dict, each as a string (nested lists and dicts are left out)."""
    return {k: v if isinstance(v, str) else str(v) for k, v in data.items() if not isinstance(v, list | dict)}


def string_rows(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Rows for rx.foreach: every value a string (booleans become "yes" or "")."""
    return [
        {k: ("yes" if v is True else "" if v is False else str(v)) for k, v in row.items()} for row in rows
    ]
