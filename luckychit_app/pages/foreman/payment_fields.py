"""Form and table pieces that the tabs of a group's payments page share, so each tab's forms post the
same field names and its tables look alike."""

from __future__ import annotations

import reflex as rx


def hidden_input(name: str, value: rx.Var) -> rx.Component:
    return rx.el.input(type="hidden", name=name, value=value)


def method_select(name: str = "method", options: tuple[str, ...] = ("cash", "bank")) -> rx.Component:
    return rx.select(list(options), name=name, default_value=options[0], size="1")


def table_header(*cells: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(c) for c in cells]))
