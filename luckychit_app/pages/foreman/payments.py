"""Foreman: one group's money (/f/groups/[group_id]/payments). Cash position from the books; the UPI
confirm/reject queue; the overdue list with days late; receipts with refunds. The Collect tab (cash/bank
entry and "mark all paid") is pages/foreman/payments_collect.py, the Prizes tab (security and release)
pages/foreman/payments_prizes.py. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell, notice_callout
from luckychit_app.components.tables import hidden_input, table_header
from luckychit_app.pages.foreman.payments_collect import collect_tab
from luckychit_app.pages.foreman.payments_prizes import prizes_tab
from luckychit_app.state.group_payments import PAGE_TABS
from luckychit_app.state.group_payments import ForemanPaymentsState as S


def _stat(label: str, value: rx.Var, id_: str | None = None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray"),
            rx.text(value, size="5", weight="bold", id=id_),
            spacing="1",
        ),
        width="100%",
    )


def _upi_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["ticket_no"]),
        rx.table.cell(row["name"]),
        rx.table.cell(rx.code(row["utr"])),
        rx.table.cell(row["submitted"]),
        rx.table.cell(
            rx.form(
                rx.hstack(
                    hidden_input("payment_id", row["id"]),
                    rx.input(name="amount", default_value=row["rupees"], size="1", width="100px"),
                    rx.button(
                        "Confirm", type="submit", size="1", color_scheme="green", class_name="confirm-upi"
                    ),
                    spacing="2",
                ),
                on_submit=S.confirm_upi,
                reset_on_submit=False,
            )
        ),
        rx.table.cell(
            rx.form(
                rx.hstack(
                    hidden_input("payment_id", row["id"]),
                    rx.input(
                        name="reason",
                        placeholder="Why (shown to the member)",
                        size="1",
                        width="180px",
                        required=True,
                    ),
                    rx.button(
                        "Reject",
                        type="submit",
                        size="1",
                        color_scheme="red",
                        variant="soft",
                        class_name="reject-upi",
                    ),
                    spacing="2",
                ),
                on_submit=S.reject_upi,
                reset_on_submit=False,
            )
        ),
        class_name="upi-row",
    )


def _upi_tab() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Check each UTR against your bank or UPI app before confirming. Confirming posts the money and "
            "issues the receipt; the amount can be corrected to what actually arrived.",
            size="2",
        ),
        rx.cond(
            S.upi_queue.length() > 0,
            rx.table.root(
                table_header("Ticket", "Member", "UTR", "Submitted", "Confirm (₹ received)", "Reject"),
                rx.table.body(rx.foreach(S.upi_queue, _upi_row)),
                width="100%",
                variant="surface",
                id="upi-table",
            ),
            rx.callout("No UPI payments are waiting.", icon="check", color_scheme="green"),
        ),
        spacing="3",
        width="100%",
    )


def _overdue_tab() -> rx.Component:
    return rx.cond(
        S.overdue.length() > 0,
        rx.table.root(
            table_header(
                "Ticket", "Member", "Mobile", "Month", "Due on", "Unpaid", "Days late", "Late fee accruing"
            ),
            rx.table.body(
                rx.foreach(
                    S.overdue,
                    lambda r: rx.table.row(
                        rx.table.cell(r["ticket_no"]),
                        rx.table.cell(r["name"]),
                        rx.table.cell(r["mobile"]),
                        rx.table.cell(r["month"]),
                        rx.table.cell(r["due_date"]),
                        rx.table.cell(r["outstanding"]),
                        rx.table.cell(rx.badge(r["days_late"], " days", color_scheme="red")),
                        rx.table.cell(r["late_fee"]),
                        class_name="overdue-row",
                    ),
                )
            ),
            width="100%",
            variant="surface",
            id="overdue-table",
        ),
        rx.callout("Nobody is overdue.", icon="check", color_scheme="green"),
    )


def _payment_row(p: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                p["has_receipt"].to(bool), rx.link(p["receipt_no"], href="/receipts/" + p["id"].to(str)), "—"
            )
        ),
        rx.table.cell(p["date"]),
        rx.table.cell(p["ticket_no"]),
        rx.table.cell(p["name"]),
        rx.table.cell(p["amount"]),
        rx.table.cell(p["method"]),
        rx.table.cell(p["status"]),
        rx.table.cell(rx.text(p["note"], size="1")),
        rx.table.cell(
            rx.cond(
                p["refundable"] != "",
                rx.button(
                    "Refund",
                    size="1",
                    variant="soft",
                    color_scheme="orange",
                    on_click=S.open_refund(p["id"], p["refundable_rupees"]),
                    class_name="refund",
                ),
            )
        ),
        class_name="payment-row",
    )


def _refund_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Refund a payment"),
            rx.dialog.description(
                "For a duplicate or wrongly captured payment. Online money goes back through the gateway; "
                "cash, bank and UPI money you hand back yourself.",
                size="2",
            ),
            rx.form(
                rx.vstack(
                    rx.text("Amount (₹), at most ", S.refund_max, size="2"),
                    rx.input(name="amount", default_value=S.refund_max, id="refund-amount", required=True),
                    rx.input(
                        name="reason", placeholder="Reason", id="refund-reason", required=True, max_length=200
                    ),
                    rx.hstack(
                        rx.button(
                            "Cancel",
                            variant="soft",
                            color_scheme="gray",
                            type="button",
                            on_click=S.close_refund,
                        ),
                        rx.button(
                            "Refund", type="submit", color_scheme="orange", loading=S.busy, id="refund-submit"
                        ),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    padding_top="12px",
                ),
                on_submit=S.refund,
                reset_on_submit=False,
            ),
        ),
        open=S.refund_for != "",
        on_open_change=lambda _open: S.close_refund(),
    )


def _payments_tab() -> rx.Component:
    return rx.vstack(
        rx.table.root(
            table_header("Receipt", "Date", "Ticket", "Member", "Amount", "Method", "Status", "Note", ""),
            rx.table.body(rx.foreach(S.payments, _payment_row)),
            width="100%",
            variant="surface",
            id="payments-table",
        ),
        _refund_dialog(),
        width="100%",
    )


def group_payments_page() -> rx.Component:
    c = S.cash
    return foreman_shell(
        rx.hstack(
            rx.link("← Group", href="/f/groups/" + S.group["id"].to(str), size="2"),
            rx.text(S.group["name"], weight="bold", id="payments-group"),
            rx.text(S.group["stage"], color_scheme="gray"),
            spacing="3",
            align="center",
        ),
        error_callout(S.error),
        notice_callout(S.notice),
        rx.cond(
            S.warning != "",
            rx.callout(S.warning, icon="triangle_alert", color_scheme="orange", width="100%", id="warning"),
        ),
        rx.cond(
            S.loading,
            rx.spinner(),
            rx.vstack(
                rx.grid(
                    _stat("Cash held for the group", c["cash"], id_="cash-held"),
                    _stat("Cash with staff", c["with_staff"], id_="cash-with-staff"),
                    _stat("Owed by members", c["owed"]),
                    _stat("Advances held", c["advances"]),
                    _stat("Prizes payable", c["prizes_payable"]),
                    _stat("Your commission", c["commission"]),
                    _stat("Late fees", c["late_fees"]),
                    _stat("Refunds in flight", c["refunds_in_flight"]),
                    columns=rx.breakpoints(initial="2", md="4", xl="8"),
                    spacing="3",
                    width="100%",
                ),
                rx.text("All figures are balances of the group's books.", size="1", color_scheme="gray"),
                rx.tabs.root(
                    rx.tabs.list(
                        rx.tabs.trigger("Collect", value="collect"),
                        rx.tabs.trigger("UPI to confirm (", S.upi_queue.length(), ")", value="upi"),
                        rx.tabs.trigger("Overdue (", S.overdue.length(), ")", value="overdue"),
                        rx.tabs.trigger("Receipts & refunds", value="payments"),
                        rx.tabs.trigger("Prizes", value="prizes"),
                    ),
                    rx.tabs.content(collect_tab(), value="collect", padding_top="12px"),
                    rx.tabs.content(_upi_tab(), value="upi", padding_top="12px"),
                    rx.tabs.content(_overdue_tab(), value="overdue", padding_top="12px"),
                    rx.tabs.content(_payments_tab(), value="payments", padding_top="12px"),
                    rx.tabs.content(prizes_tab(), value="prizes", padding_top="12px"),
                    default_value=PAGE_TABS[0],
                    on_change=S.tab_changed,
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        title="Payments",
    )
