"""Foreman: one group's money. Cash position from the books; cash/bank entry one ticket at a time
and "mark all paid for this month"; the UPI confirm/reject queue; the overdue list with days late;
receipts with refunds; prizes with security and release."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell, notice_callout
from luckychit_app.state.payments import ForemanPaymentsState as S


def _stat(label: str, value: rx.Var, id_: str | None = None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray"),
            rx.text(value, size="5", weight="bold", id=id_),
            spacing="1",
        ),
        width="100%",
    )


def _hidden(name: str, value: rx.Var) -> rx.Component:
    return rx.el.input(type="hidden", name=name, value=value)


def _method_select(name: str = "method", options: tuple[str, ...] = ("cash", "bank")) -> rx.Component:
    return rx.select(list(options), name=name, default_value=options[0], size="1")


def _header(*cells: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(c) for c in cells]))


# --- collect ---------------------------------------------------------------------------------------


def _due_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["ticket_no"]),
        rx.table.cell(
            rx.vstack(
                rx.text(row["name"], weight="medium"),
                rx.text(row["status"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row["owes"], weight="medium"),
                rx.cond(
                    row["fees"] != "",
                    rx.text("incl. late fee ", row["fees"], size="1", color=rx.color("red", 11)),
                ),
                rx.cond(
                    row["advance"] != "", rx.text("advance ", row["advance"], size="1", color_scheme="green")
                ),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.form(
                rx.hstack(
                    _hidden("ticket_id", row["ticket_id"]),
                    rx.input(
                        name="amount",
                        default_value=row["owes_rupees"],
                        placeholder="Amount ₹",
                        input_mode="decimal",
                        size="1",
                        width="110px",
                        required=True,
                    ),
                    _method_select(),
                    rx.input(
                        name="reference", placeholder="Reference", size="1", width="120px", max_length=100
                    ),
                    rx.input(
                        name="received_on",
                        type="date",
                        default_value=S.today,
                        max=S.today,
                        size="1",
                        width="140px",
                    ),
                    rx.button("Record", type="submit", size="1", loading=S.busy, class_name="record-payment"),
                    spacing="2",
                    align="center",
                ),
                on_submit=S.record,
                reset_on_submit=False,
                # Remount when the amount owed changes, so the box shows the new default.
                key=row["ticket_id"].to(str) + ":" + row["owes_rupees"].to(str),
            )
        ),
        class_name="due-row",
    )


def _mark_all() -> rx.Component:
    return rx.fragment(
        rx.button(
            rx.icon("list-checks"),
            "Mark all paid for month ",
            S.group["month"],
            variant="soft",
            on_click=S.open_mark_all,
            id="mark-all",
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title("Mark every ticket paid"),
                rx.dialog.description(
                    "Records, with a receipt each, what every ticket still owes up to this month (late fees "
                    "included). Use it after collecting the whole month at a meeting.",
                    size="2",
                ),
                rx.form(
                    rx.vstack(
                        rx.hstack(
                            rx.text("Up to month", size="2"),
                            rx.input(
                                name="month", default_value=S.group["month"].to(str), width="70px", size="2"
                            ),
                            _method_select(),
                            rx.input(name="reference", placeholder="Reference (optional)", size="2"),
                            spacing="2",
                            align="center",
                            wrap="wrap",
                        ),
                        rx.hstack(
                            rx.button(
                                "Cancel",
                                variant="soft",
                                color_scheme="gray",
                                type="button",
                                on_click=S.close_mark_all,
                            ),
                            rx.button("Record all", type="submit", loading=S.busy, id="mark-all-confirm"),
                            justify="end",
                            width="100%",
                        ),
                        spacing="3",
                        padding_top="12px",
                    ),
                    on_submit=S.mark_all,
                    reset_on_submit=False,
                    key=S.group["month"].to(str),
                ),
            ),
            open=S.mark_all_open,
            on_open_change=lambda _open: S.close_mark_all(),
        ),
    )


def _collect_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(
                "Cash and bank money you received. Each entry issues the next receipt number at once.",
                size="2",
            ),
            rx.spacer(),
            _mark_all(),
            width="100%",
            align="center",
        ),
        rx.table.root(
            _header("Ticket", "Member", "Owes now", "Record a payment"),
            rx.table.body(rx.foreach(S.dues, _due_row)),
            width="100%",
            variant="surface",
            id="dues-table",
        ),
        spacing="3",
        width="100%",
    )


# --- UPI queue -------------------------------------------------------------------------------------------


def _upi_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["ticket_no"]),
        rx.table.cell(row["name"]),
        rx.table.cell(rx.code(row["utr"])),
        rx.table.cell(row["submitted"]),
        rx.table.cell(
            rx.form(
                rx.hstack(
                    _hidden("payment_id", row["id"]),
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
                    _hidden("payment_id", row["id"]),
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
                _header("Ticket", "Member", "UTR", "Submitted", "Confirm (₹ received)", "Reject"),
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


# --- overdue ----------------------------------------------------------------------------------------------


def _overdue_tab() -> rx.Component:
    return rx.cond(
        S.overdue.length() > 0,
        rx.table.root(
            _header(
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


# --- receipts and refunds ---------------------------------------------------------------------------------


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
            _header("Receipt", "Date", "Ticket", "Member", "Amount", "Method", "Status", "Note", ""),
            rx.table.body(rx.foreach(S.payments, _payment_row)),
            width="100%",
            variant="surface",
            id="payments-table",
        ),
        _refund_dialog(),
        width="100%",
    )


# --- prizes -------------------------------------------------------------------------------------------------


def _prize_card(p: rx.Var) -> rx.Component:
    security_form = rx.form(
        rx.hstack(
            _hidden("payout_id", p["id"]),
            rx.select.root(
                rx.select.trigger(),
                rx.select.content(
                    rx.select.item("Guarantor", value="guarantor"),
                    rx.select.item("Deposit", value="deposit"),
                    rx.select.item("Property (3/2 cover)", value="property"),
                    rx.select.item("Deduct future installments", value="deduct_future"),
                ),
                name="kind",
                default_value="guarantor",
                size="1",
            ),
            rx.input(name="value", placeholder="Value ₹", size="1", width="110px", required=True),
            rx.input(
                name="description",
                placeholder="Details (name, document, account…)",
                size="1",
                width="260px",
                required=True,
            ),
            rx.button("Record security", type="submit", size="1", variant="soft", class_name="add-security"),
            spacing="2",
            wrap="wrap",
        ),
        on_submit=S.add_security,
        reset_on_submit=True,
    )
    release_form = rx.form(
        rx.hstack(
            _hidden("payout_id", p["id"]),
            _method_select(options=("bank", "upi", "cash")),
            rx.input(name="reference", placeholder="Bank/UPI reference", size="1", width="170px"),
            rx.input(
                name="paid_on", type="date", default_value=S.today, max=S.today, size="1", width="140px"
            ),
            rx.text("Keep for arrears ₹", size="1"),
            rx.input(name="deduction", default_value=p["arrears_rupees"], size="1", width="100px"),
            rx.button(
                "Release prize", type="submit", size="1", color_scheme="green", class_name="release-prize"
            ),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        on_submit=S.release,
        reset_on_submit=False,
        key=p["id"].to(str) + ":" + p["arrears_rupees"].to(str),
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Month ", p["month"], ": ticket ", p["ticket_no"], " · ", p["name"], size="3"),
                rx.spacer(),
                rx.heading(p["gross"], size="4"),
                rx.badge(p["status"], color_scheme=rx.cond(p["payable"].to(bool), "amber", "green")),
                width="100%",
                align="center",
            ),
            rx.cond(
                p["payable"].to(bool),
                rx.vstack(
                    rx.text(
                        "Arrears now ",
                        rx.text.span(p["arrears"], weight="bold"),
                        " · remaining dues ",
                        rx.text.span(p["remaining"], weight="bold"),
                        " · security needed (4/3) ",
                        rx.text.span(p["needed"], weight="bold"),
                        size="2",
                    ),
                    rx.foreach(
                        p["securities"].to(list[dict[str, str]]),
                        lambda s: rx.text(
                            "• ", s["kind"], ": ", s["value"], " (", s["description"], ")", size="2"
                        ),
                    ),
                    rx.cond(
                        p["warning"] != "",
                        rx.callout(
                            p["warning"],
                            icon="triangle_alert",
                            color_scheme="orange",
                            size="1",
                            class_name="security-warning",
                        ),
                    ),
                    rx.cond(
                        p["cash_short"].to(bool),
                        rx.callout(
                            "The group's cash is less than this payout; collect the month's dues first.",
                            icon="info",
                            color_scheme="amber",
                            size="1",
                        ),
                    ),
                    security_form,
                    release_form,
                    spacing="2",
                    width="100%",
                ),
                rx.text(p["paid"], size="2", color_scheme="gray"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="prize-card",
    )


def _prizes_tab() -> rx.Component:
    return rx.cond(
        S.prizes.length() > 0,
        rx.vstack(rx.foreach(S.prizes, _prize_card), spacing="3", width="100%"),
        rx.callout("No draws yet, so no prizes to pay.", icon="info"),
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
                    _stat("Owed by members", c["owed"]),
                    _stat("Advances held", c["advances"]),
                    _stat("Prizes payable", c["prizes_payable"]),
                    _stat("Your commission", c["commission"]),
                    _stat("Late fees", c["late_fees"]),
                    _stat("Refunds in flight", c["refunds_in_flight"]),
                    columns=rx.breakpoints(initial="2", md="4", xl="7"),
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
                    rx.tabs.content(_collect_tab(), value="collect", padding_top="12px"),
                    rx.tabs.content(_upi_tab(), value="upi", padding_top="12px"),
                    rx.tabs.content(_overdue_tab(), value="overdue", padding_top="12px"),
                    rx.tabs.content(_payments_tab(), value="payments", padding_top="12px"),
                    rx.tabs.content(_prizes_tab(), value="prizes", padding_top="12px"),
                    default_value="collect",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        title="Payments",
    )
