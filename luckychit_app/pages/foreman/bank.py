"""Foreman: bank reconciliation (/f/bank). Import a statement file from net banking, then each deposit
with its status (matched to a payment, doubtful, unmatched, confirmed from this line) and, where the
line shows a pending UPI payment's money arrived, its Confirm button. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import named_upload
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block, notice_callout
from luckychit_app.components.tables import data_table, hidden_input
from luckychit_app.state.bank_reconciliation import BankReconciliationState as S

UPLOAD_ID = "bank-file"
BADGE_COLOURS = {"confirmed": "green", "matched": "teal", "doubtful": "amber", "unmatched": "red"}


def _count(label: str, key: str, colour: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray", weight="medium"),
            rx.heading(S.counts[key], size="6", id=f"count-{key}"),
            spacing="1",
        ),
        border_top=f"3px solid {rx.color(colour, 9)}",
        min_width="150px",
    )


def _badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[
            (key, rx.badge(label, color_scheme=colour, variant="soft"))
            for key, colour in BADGE_COLOURS.items()
        ],
        rx.badge(label),
    )


def _confirm(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["confirm_id"] != "",
        rx.form(
            hidden_input("line_id", row["id"]),
            hidden_input("payment_id", row["confirm_id"]),
            rx.button(
                row["confirm_label"], type="submit", size="1", loading=S.busy, class_name="confirm-line"
            ),
            on_submit=S.confirm,
            reset_on_submit=False,
        ),
    )


def _line(row: rx.Var) -> rx.Component:
    return rx.cond(
        (S.show == "all")
        | (S.show == row["status"])
        | ((S.show == "matched") & (row["status"] == "confirmed")),
        rx.table.row(
            rx.table.cell(row["day"], white_space="nowrap"),
            rx.table.cell(
                rx.vstack(
                    rx.text(row["narration"], size="2", word_break="break-word"),
                    rx.text("Ref ", row["ref"], size="1", color_scheme="gray"),
                    spacing="0",
                ),
                max_width="360px",
            ),
            rx.table.cell(row["amount"], white_space="nowrap"),
            rx.table.cell(_badge(row["status"], row["label"])),
            rx.table.cell(
                rx.vstack(
                    rx.text(row["payment"], size="2"),
                    rx.text(row["reason"], size="1", color_scheme="gray"),
                    spacing="0",
                ),
                max_width="360px",
            ),
            rx.table.cell(_confirm(row)),
            class_name="bank-line",
            custom_attrs={"data-status": row["status"]},
        ),
    )


def _import_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["file"]),
        rx.table.cell(row["account"]),
        rx.table.cell(row["span"]),
        rx.table.cell(row["lines"]),
    )


def _uploader() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Import a statement", size="4"),
            rx.text(
                "Download the account's statement from net banking as CSV (Excel saved as CSV) or OFX "
                "and upload it unchanged. Lines already imported are skipped, so an overlapping "
                "period is safe.",
                size="2",
                color_scheme="gray",
            ),
            rx.hstack(
                named_upload(
                    rx.upload(
                        rx.button(
                            "Choose a statement file", type="button", variant="outline", id="choose-bank-file"
                        ),
                        id=UPLOAD_ID,
                        accept={
                            "text/csv": [".csv"],
                            "text/plain": [".txt"],
                            "application/x-ofx": [".ofx", ".qfx"],
                        },
                        max_files=1,
                        multiple=False,
                        border="none",
                        padding="0",
                    ),
                    "choose-bank-file",
                ),
                rx.text(rx.selected_files(UPLOAD_ID), size="1", color_scheme="gray"),
                rx.button(
                    "Import",
                    type="button",
                    loading=S.busy,
                    on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
                    id="bank-import",
                ),
                spacing="3",
                align="center",
                wrap="wrap",
                key=S.upload_key.to(str),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _filter() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("All", value="all"),
        rx.segmented_control.item("Matched", value="matched"),
        rx.segmented_control.item("Doubtful", value="doubtful"),
        rx.segmented_control.item("Unmatched", value="unmatched"),
        value=S.show,
        on_change=S.set_show,
        aria_label="Show deposits",
        id="bank-filter",
    )


def bank_page() -> rx.Component:
    return foreman_shell(
        error_callout(S.error),
        notice_callout(S.notice),
        _uploader(),
        rx.cond(
            S.loading,
            loading_block(),
            rx.vstack(
                rx.hstack(
                    _count("Matched", "matched", "teal"),
                    _count("Doubtful", "doubtful", "amber"),
                    _count("Unmatched", "unmatched", "red"),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.text(
                    "Deposits are matched by the UPI reference (UTR) in the narration first, then by amount "
                    "within 2 days. Confirm a UPI payment here only when its line shows the money.",
                    size="2",
                    color_scheme="gray",
                ),
                _filter(),
                rx.cond(
                    S.rows.length() > 0,
                    data_table(
                        ("Date", "Narration", "Amount", "Status", "Payment", ""),
                        S.rows,
                        _line,
                        "bank-lines",
                    ),
                    rx.text("No deposits imported yet.", color_scheme="gray", id="bank-empty"),
                ),
                rx.cond(
                    S.imports.length() > 0,
                    rx.vstack(
                        rx.heading("Latest imports", size="3"),
                        data_table(
                            ("File", "Account", "Period", "Lines"), S.imports, _import_row, "bank-imports"
                        ),
                        spacing="2",
                        width="100%",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title="Bank reconciliation",
    )
