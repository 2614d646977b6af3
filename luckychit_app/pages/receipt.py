"""A payment receipt: printable (the page's chrome hides in print) and downloadable as PDF."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.shells import error_callout, member_shell
from luckychit_app.components.translate import t
from luckychit_app.state.receipt import ReceiptState

PRINT_CSS = """
@media print {
  .no-print { display: none !important; }
  body { background: white !important; }
  .receipt-card { box-shadow: none !important; border: 1px solid #999 !important; }
}
"""


def _field(label: str | rx.Var, value: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray", min_width="110px"),
        rx.text(value, size="2", weight="medium"),
        width="100%",
        align="start",
    )


def _line(line: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(line["label"], size="2"),
        rx.spacer(),
        rx.text(line["amount"], size="2", weight="medium"),
        width="100%",
        padding_y="6px",
        border_bottom=f"1px dashed {rx.color('gray', 6)}",
        class_name="receipt-line",
    )


def _actions() -> rx.Component:
    r = ReceiptState.receipt
    return rx.hstack(
        rx.link(t("common.back"), href=ReceiptState.back, size="2"),
        rx.spacer(),
        rx.cond(
            r.contains("id"),
            rx.hstack(
                rx.button(
                    rx.icon("printer"),
                    t("receipt.print"),
                    on_click=ReceiptState.print_receipt,
                    variant="soft",
                    id="print",
                ),
                rx.button(
                    download_link(
                        rx.icon("file-down"), "PDF", href="/api/receipts/" + r["id"].to(str) + ".pdf"
                    ),
                    as_child=True,
                    id="receipt-pdf",
                ),
                spacing="2",
            ),
        ),
        width="100%",
        align="center",
        class_name="no-print",
    )


def _card() -> rx.Component:
    r = ReceiptState.receipt
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.heading(t("receipt.title"), size="5"),
                    rx.text(
                        r["foreman"],
                        " ",
                        t("receipt.foreman"),
                        " · ",
                        r["foreman_mobile"],
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="0",
                    align="start",
                ),
                rx.spacer(),
                rx.badge(
                    r["status"],
                    color_scheme=rx.cond(r["is_refunded"].to(bool), "gray", "green"),
                ),
                width="100%",
            ),
            rx.flex(
                rx.text(
                    t("receipt.no"),
                    " ",
                    rx.text.span(r["receipt_no"], id="receipt-no"),
                    weight="bold",
                ),
                rx.text(r["date"], size="2", white_space="nowrap"),
                justify="between",
                wrap="wrap",
                gap="1",
                width="100%",
            ),
            rx.divider(),
            _field(t("receipt.from"), r["member"]),
            _field(t("receipt.mobile"), r["mobile"]),
            _field(t("receipt.group"), r["group"]),
            _field(t("receipt.ticket"), r["ticket_no"]),
            _field(t("receipt.method"), r["method"]),
            _field(t("receipt.reference"), r["reference"]),
            _field(t("receipt.branch"), r["branch"]),
            _field(t("receipt.recorded_by"), r["recorded_by"]),
            rx.divider(),
            rx.heading(r["amount"], size="8", id="receipt-amount"),
            rx.text(r["amount_words"], size="2", style={"font_style": "italic"}),
            rx.vstack(rx.foreach(ReceiptState.lines, _line), spacing="0", width="100%"),
            rx.text(
                t("receipt.note"),
                size="1",
                color_scheme="gray",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        padding="20px",
        class_name="receipt-card",
        id="receipt",
    )


def _body() -> rx.Component:
    return rx.cond(ReceiptState.receipt.contains("id"), _card())


def _paid() -> rx.Component:
    """The member's confirmation above the receipt, and the ways on: home and the passbook."""
    return rx.callout(
        rx.vstack(
            rx.text(ReceiptState.paid_line, size="4", weight="bold", id="paid-confirmation"),
            rx.hstack(
                rx.link(
                    rx.button(rx.icon("house"), t("nav.home"), variant="soft", size="3", width="100%"),
                    href="/m",
                    flex="1",
                    id="receipt-home",
                ),
                rx.link(
                    rx.button(
                        rx.icon("book-open"), t("passbook.title"), variant="soft", size="3", width="100%"
                    ),
                    href="/m/payments",
                    flex="1",
                    id="receipt-passbook",
                ),
                spacing="2",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        icon="circle-check",
        color_scheme="green",
        width="100%",
        class_name="no-print",
    )


def _member_receipt() -> rx.Component:
    """A member reads their receipt in the phone frame (bottom tabs), under the confirmation."""
    return member_shell(
        rx.el.style(PRINT_CSS),
        error_callout(ReceiptState.error),
        rx.cond(ReceiptState.paid_line != "", _paid()),
        _body(),
        _actions(),
        title=t("payments.receipt"),
        tab="payments",
    )


def _staff_receipt() -> rx.Component:
    """The foreman, staff and the admin: the receipt alone, ready to print."""
    return rx.box(
        rx.el.style(PRINT_CSS),
        rx.vstack(
            _actions(),
            error_callout(ReceiptState.error),
            _body(),
            spacing="4",
            width="100%",
            max_width="560px",
            margin="0 auto",
            padding="16px",
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )


def receipt_page() -> rx.Component:
    return rx.cond(
        ReceiptState.loading,
        rx.center(rx.spinner(size="3"), padding="48px", width="100%"),
        rx.cond(ReceiptState.for_member, _member_receipt(), _staff_receipt()),
    )
