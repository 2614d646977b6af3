"""Form pieces that the tabs of a group's payments page share, so each tab's forms post the same field
names (the hidden inputs and table headers they also use are components/tables.py's)."""

from __future__ import annotations

import reflex as rx


def method_select(name: str = "method", options: tuple[str, ...] = ("cash", "bank")) -> rx.Component:
    return rx.select(list(options), name=name, default_value=options[0], size="1")
