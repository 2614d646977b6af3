"""Reports (/f/reports): per group, CSV exports of members, dues, payments and the ledger, and the
printable statement. The files come from authenticated routes in api/reports.py. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.pager import pager
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block
from luckychit_app.pages.foreman.accounts_panel import accountant_panel
from luckychit_app.state.dashboard import GroupsListState as R

EXPORTS = (("members", "Members"), ("dues", "Dues"), ("payments", "Payments"), ("ledger", "Ledger"))


def export_links(group_id: rx.Var) -> rx.Component:
    """Download links for one group (used here and on the group's Settings tab)."""
    return rx.hstack(
        *[
            download_link(
                rx.button(rx.icon("download", size=14), label, size="1", variant="soft"),
                href="/api/reports/" + group_id.to(str) + "/" + kind + ".csv",
                class_name=f"export-{kind}",
            )
            for kind, label in EXPORTS
        ],
        rx.link(
            rx.button(rx.icon("printer", size=14), "Statement", size="1", variant="outline"),
            href="/api/reports/" + group_id.to(str) + "/statement",
            is_external=True,
            class_name="export-statement",
        ),
        spacing="2",
        wrap="wrap",
    )


def _row(g: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(g["name"], href="/f/groups/" + g["id"], weight="medium")),
        rx.table.cell(g["stage"]),
        rx.table.cell(export_links(g["id"])),
        class_name="report-row",
    )


def reports_page() -> rx.Component:
    return foreman_shell(
        error_callout(R.error),
        rx.text(
            "CSV files open in any spreadsheet: amounts in ₹ with Indian grouping, dates DD-MM-YYYY (IST). "
            "The statement is a printable page with the group's terms, books, members and draws.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            R.loading,
            loading_block(),
            rx.table.root(
                rx.table.header(
                    rx.table.row(*[rx.table.column_header_cell(h) for h in ("Group", "Stage", "Downloads")])
                ),
                rx.table.body(rx.foreach(R.rows, _row)),
                width="100%",
                variant="surface",
                id="reports-table",
            ),
        ),
        pager(R, "reports-pager"),
        accountant_panel(),
        title="Reports",
    )
