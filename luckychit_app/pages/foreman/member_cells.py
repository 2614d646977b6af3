"""Cells and the table that the group page's Members tab and the members directory share, so a ticket's
status, KYC and dues read the same in both."""

from __future__ import annotations

import reflex as rx

TICKET_BADGES = {"active": "green", "suspended": "orange", "pending": "amber", "removed": "gray"}


KYC_BADGES = {"verified": "green", "submitted": "blue", "rejected": "red", "none": "gray"}


def ticket_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(k, rx.badge(k.capitalize(), color_scheme=c)) for k, c in TICKET_BADGES.items()],
        rx.badge(status),
    )


def kyc_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[
            (k, rx.badge("No KYC" if k == "none" else k.capitalize(), color_scheme=c, variant="soft"))
            for k, c in KYC_BADGES.items()
        ],
        rx.badge(status),
    )


def dues_cell(m: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(m["dues"], weight=rx.cond(m["overdue"] != "", "bold", "regular")),
        rx.cond(
            m["overdue"] != "",
            rx.text("overdue since ", m["overdue_since"], size="1", color="red"),
        ),
        spacing="0",
    )


def members_table(rows: rx.Var, row: object, headers: tuple[str, ...], table_id: str) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, row)),
        width="100%",
        variant="surface",
        id=table_id,
    )
