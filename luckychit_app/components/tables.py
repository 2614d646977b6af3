"""Table and form pieces the foreman's and the staff's pages share, so their tables look alike and
their forms post the same kinds of fields: a header row, a compact table that scrolls sideways inside
its box, the collection dashboards by branch and by person (the owner's company page and the staff's
branch page), a hidden form value and a branch's <option>s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import reflex as rx


def hidden_input(name: str, value: rx.Var) -> rx.Component:
    return rx.el.input(type="hidden", name=name, value=value)


def branch_options(rows: rx.Var) -> rx.Component:
    """One <option> per branch (rows with "id" and "name"), for a branch <select>."""
    return rx.foreach(rows, lambda b: rx.el.option(b["name"], value=b["id"]))


def table_header(*cells: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(c) for c in cells]))


def scroll_box(table: rx.Component) -> rx.Component:
    """A table that scrolls sideways inside its box on a narrow screen; the page never does."""
    # contain: its width never counts towards the page's (a wide table cannot widen the shell).
    return rx.box(table, width="100%", overflow_x="auto", style={"contain": "inline-size"})


def data_table(
    columns: tuple[str, ...],
    rows: rx.Var,
    row: Callable[[rx.Var], rx.Component],
    table_id: str,
    *,
    last: rx.Component | None = None,
    variant: Literal["surface", "ghost"] = "surface",
) -> rx.Component:
    """A compact table of `rows` (one `row` each, then `last`, a totals row, say) under `columns`,
    scrolling inside its box."""
    return scroll_box(
        rx.table.root(
            table_header(*columns),
            rx.table.body(rx.foreach(rows, row), *([last] if last is not None else [])),
            width="100%",
            variant=variant,
            size="1",
            id=table_id,
        )
    )


def branch_table(rows: rx.Var) -> rx.Component:
    """Collections per branch: today, this month, cash in staff hands, dues owed and overdue."""

    def row(r: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(
                rx.hstack(
                    rx.text(r["name"], weight=rx.cond(r["id"] == "", "bold", "medium")),
                    rx.cond(r["code"] != "", rx.badge(r["code"], variant="soft")),
                    spacing="2",
                )
            ),
            rx.table.cell(r["today"]),
            rx.table.cell(r["month"]),
            rx.table.cell(r["cash_with_staff"]),
            rx.table.cell(r["outstanding"]),
            rx.table.cell(r["overdue"]),
            class_name="branch-row",
        )

    return data_table(
        ("Branch", "Today", "This month", "Cash with staff", "Dues owed", "Overdue"),
        rows,
        row,
        "branch-rows",
    )


def agent_table(rows: rx.Var) -> rx.Component:
    """Collections per person: today, this month, cash in hand and the last confirmed hand-over."""

    def row(r: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(
                rx.vstack(
                    rx.text(r["name"], weight="medium"),
                    rx.text(r["role"], size="1", color_scheme="gray"),
                    spacing="0",
                )
            ),
            rx.table.cell(r["branch"]),
            rx.table.cell(r["today"]),
            rx.table.cell(r["month"]),
            rx.table.cell(rx.text(r["cash"], weight="medium")),
            rx.table.cell(r["last_handover"]),
            class_name="agent-row",
        )

    return rx.cond(
        rows.length() > 0,
        data_table(
            ("Person", "Branch", "Today", "This month", "Cash in hand", "Last hand-over"),
            rows,
            row,
            "agent-rows",
        ),
        rx.text("No collecting staff yet.", size="2", color_scheme="gray", id="agent-rows"),
    )
