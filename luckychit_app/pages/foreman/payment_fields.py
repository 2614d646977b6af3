"""Form pieces that the tabs of a group's payments page share, so each tab's forms post the same field
names (the hidden inputs and table headers they also use are components/tables.py's)."""

from __future__ import annotations

import reflex as rx


def method_select(
    name: str = "method", options: tuple[str, ...] = ("cash", "bank"), label: str = "Payment method"
) -> rx.Component:
    """The method select; its accessible name is ``label`` (it sits in table rows and cards where a
    visible label beside every select would be noise)."""
    return rx.select(
        list(options), name=name, default_value=options[0], size="1", custom_attrs={"aria-label": label}
    )
