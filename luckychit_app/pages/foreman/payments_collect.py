"""The Collect tab of a group's payments page: what each ticket owes with a cash/bank entry form per
ticket, and "mark all paid for this month" for a meeting's collection. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.tables import hidden_input, table_header
from luckychit_app.pages.foreman.payment_fields import cash_override_input, method_select
from luckychit_app.state.group_payments import ForemanPaymentsState as S


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
                    hidden_input("ticket_id", row["ticket_id"]),
                    hidden_input("request_key", S.pay_key + "-" + row["ticket_id"].to(str)),
                    hidden_input("seen", row["seen"]),
                    rx.input(
                        name="amount",
                        default_value=row["owes_rupees"],
                        placeholder="Amount ₹",
                        aria_label="Amount received (₹)",
                        input_mode="decimal",
                        size="1",
                        width="110px",
                        required=True,
                    ),
                    method_select(),
                    rx.input(
                        name="reference",
                        placeholder="Reference",
                        aria_label="Bank or UPI reference",
                        size="1",
                        width="120px",
                        max_length=100,
                    ),
                    rx.input(
                        name="received_on",
                        type="date",
                        aria_label="Received on",
                        default_value=S.today,
                        max=S.today,
                        size="1",
                        width="140px",
                    ),
                    rx.button("Record", type="submit", size="1", loading=S.busy, class_name="record-payment"),
                    spacing="2",
                    align="center",
                ),
                # Cash of ₹2 lakh or more from the member today was refused (s.269ST): the reason.
                rx.cond(
                    S.override_for == row["ticket_id"].to(str),
                    rx.box(cash_override_input(width="100%"), padding_top="6px", max_width="560px"),
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
                            method_select(),
                            rx.input(name="reference", placeholder="Reference (optional)", size="2"),
                            spacing="2",
                            align="center",
                            wrap="wrap",
                        ),
                        rx.text(
                            "Cash of ₹2,00,000 or more from one member in a day is refused (Income-tax Act "
                            "s.269ST) unless you give the reason:",
                            size="1",
                            color_scheme="gray",
                        ),
                        cash_override_input(size="2"),
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


def collect_tab() -> rx.Component:
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
            table_header("Ticket", "Member", "Owes now", "Record a payment"),
            rx.table.body(rx.foreach(S.dues, _due_row)),
            width="100%",
            variant="surface",
            id="dues-table",
        ),
        spacing="3",
        width="100%",
    )
