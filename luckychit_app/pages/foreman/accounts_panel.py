"""For your accountant (on /f/reports, issue 19): the financial year's statements in short, with
the printable page and CSV files, and the Tally file of a range of days. Layout only; the files come
from api/accounts.py through download links."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.state.accounts import AccountsState as A

STATEMENT_FILES = (
    ("trial-balance", "Trial balance"),
    ("receipts-payments", "Receipts and payments"),
    ("commission-gst", "Commission and GST by month"),
)


def _statements() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.el.select(
                rx.foreach(A.years, lambda y: rx.el.option(y["label"], value=y["value"])),
                value=A.year,
                on_change=A.choose_year,
                id="fy-select",
                aria_label="Financial year",
                style={"padding": "6px", "font-size": "15px"},
            ),
            rx.text("as at", size="2"),
            rx.input(
                type="date",
                id="fy-as-of",
                aria_label="Statements as at",
                value=A.as_of,
                min=A.first,
                max=A.last,
                on_change=A.choose_day,
                width="170px",
            ),
            rx.link(
                rx.button(rx.icon("printer", size=14), "Statements", size="1", variant="outline"),
                href=A.statements_href,
                is_external=True,
                id="fy-statements",
            ),
            *[
                download_link(
                    rx.button(rx.icon("download", size=14), label, size="1", variant="soft"),
                    href=A.csv_prefix + kind + A.csv_suffix,
                    id=f"fy-{kind}",
                )
                for kind, label in STATEMENT_FILES
            ],
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.grid(
            rx.foreach(
                A.summary,
                lambda item: rx.vstack(
                    rx.text(item["label"], size="1", color_scheme="gray"),
                    rx.text(item["value"], weight="medium"),
                    spacing="0",
                ),
            ),
            columns="4",
            spacing="3",
            width="100%",
            id="fy-summary",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(h) for h in ("Month", "Commission income", "GST charged")]
                )
            ),
            rx.table.body(
                rx.foreach(
                    A.months,
                    lambda m: rx.table.row(
                        rx.table.cell(m["month"]), rx.table.cell(m["commission"]), rx.table.cell(m["gst"])
                    ),
                )
            ),
            size="1",
            variant="surface",
            id="fy-months",
        ),
        spacing="3",
        width="100%",
    )


def _tally() -> rx.Component:
    return rx.hstack(
        rx.text("Tally vouchers from", size="2"),
        rx.input(
            type="date",
            id="tally-from",
            aria_label="Tally file from",
            value=A.tally_from,
            on_change=A.set_tally_from,
            width="170px",
        ),
        rx.text("to", size="2"),
        rx.input(
            type="date",
            id="tally-to",
            aria_label="Tally file to",
            value=A.tally_to,
            on_change=A.set_tally_to,
            width="170px",
        ),
        rx.checkbox(
            "with opening balances (a new Tally company starting that day)",
            checked=A.openings,
            on_change=A.set_openings,
            id="tally-openings",
            size="1",
        ),
        download_link(
            rx.button(rx.icon("download", size=14), "Download Tally XML", size="1"),
            href=A.tally_href,
            id="tally-download",
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def accountant_panel() -> rx.Component:
    """The card on the Reports page."""
    return rx.card(
        rx.vstack(
            rx.heading("For your accountant", size="4"),
            rx.text(
                "Financial year April to March (Income-tax Act s.2(34)). Every figure is a sum of your "
                "groups' books; accounts carry readable names and their code. The Tally file imports "
                "into TallyPrime or Tally.ERP 9 (ledgers, then vouchers) and is checked to balance "
                "before it downloads.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(A.error != "", rx.callout(A.error, color_scheme="red", size="1", id="accounts-error")),
            rx.cond(A.loading, rx.spinner(), _statements()),
            rx.divider(),
            _tally(),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="accountant-panel",
    )
