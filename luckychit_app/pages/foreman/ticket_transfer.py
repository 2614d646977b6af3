"""Transfer of a ticket (issue 15), for a group page's Members tab: a "Transfer" button per ticket
row and the dialog it opens. The same ticket passes to the new holder with its dues, advance and
any prize not yet paid; the earlier holder's history stays readable for both; a prized ticket's
security is replaced by the new holder's. Layout only (state/ticket_transfer.py)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.languages import language_select_items
from luckychit_app.components.member_forms import password_callout
from luckychit_app.components.shells import error_callout
from luckychit_app.pages.foreman.payment_fields import deposit_inputs, guarantor_inputs
from luckychit_app.state.ticket_transfer import TicketTransferState as S

T = S.ticket


def transfer_button(m: rx.Var) -> rx.Component:
    """For a row of the members table (member_directory rows: ticket_id, status, is_foreman)."""
    return rx.cond(
        (m["status"] != "removed") & (m["is_foreman"] == "") & (m["group_live"] == "yes"),
        rx.button(
            "Transfer",
            size="1",
            variant="soft",
            color_scheme="violet",
            on_click=S.open_transfer(m["ticket_id"]),
            class_name="transfer",
        ),
    )


def _security_fields() -> rx.Component:
    """A prized ticket's new security (s.21(1)(e), s.31): the earlier holder's is marked replaced."""
    return rx.cond(
        T["needs_security"] == "yes",
        rx.vstack(
            rx.text(
                "The new holder's security: remaining dues ",
                rx.text.span(T["remaining"], weight="bold"),
                ", security needed ",
                rx.text.span(T["needed"], weight="bold"),
                " (4/3; 3/2 for property). The present security is marked replaced.",
                size="2",
            ),
            rx.hstack(
                rx.select.root(
                    rx.select.trigger(aria_label="Kind of security"),
                    rx.select.content(
                        rx.select.item("Guarantor", value="guarantor"),
                        rx.select.item("Deposit", value="deposit"),
                        rx.select.item("Property (3/2 cover)", value="property"),
                        rx.cond(
                            T["prize_payable"] == "yes",
                            rx.select.item("Deduct future installments", value="deduct_future"),
                        ),
                    ),
                    name="kind",
                    default_value="guarantor",
                ),
                rx.input(
                    name="value",
                    aria_label="Value of the security (₹)",
                    placeholder="Value ₹",
                    width="130px",
                    required=True,
                ),
                rx.input(
                    name="description",
                    aria_label="Details of the security",
                    placeholder="Details (optional for a guarantor)",
                    width="100%",
                ),
                spacing="2",
                width="100%",
            ),
            rx.text("For a guarantor security, the guarantor:", size="1", color_scheme="gray"),
            rx.grid(*guarantor_inputs(S.today, size="2"), columns="2", spacing="2", width="100%"),
            rx.text(
                "For a deposit, how the money came in (held for the new holder, s.21(1)(e)):",
                size="1",
                color_scheme="gray",
            ),
            deposit_inputs(S.today, keep_from_prize=T["prize_payable"] == "yes", size="2"),
            spacing="2",
            width="100%",
            class_name="transfer-security",
        ),
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(
                "Held by ", rx.text.span(T["holder"], weight="bold"), " (", T["holder_mobile"], ")", size="2"
            ),
            rx.cond(T["history"] != "", rx.text("Earlier: ", T["history"], size="1", color_scheme="gray")),
            rx.cond(T["prize"] != "", rx.callout(T["prize"], icon="trophy", size="1", width="100%")),
            rx.text(
                "The new holder: one of your members (their mobile is enough) or a person new to LuckyChit "
                "(name and mobile; an account is created).",
                size="2",
            ),
            rx.hstack(
                rx.input(
                    name="mobile", placeholder="Mobile", type="tel", required=True, id="transfer-mobile"
                ),
                rx.input(
                    name="name", placeholder="Name (for a new person)", max_length=80, id="transfer-name"
                ),
                rx.select.root(
                    rx.select.trigger(placeholder="Language"),
                    rx.select.content(*language_select_items()),
                    name="language",
                    default_value="en",
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.input(
                name="reason",
                placeholder="Reason for the transfer (recorded with your consent)",
                required=True,
                max_length=200,
                width="100%",
                id="transfer-reason",
            ),
            _security_fields(),
            rx.hstack(
                rx.button(
                    "Cancel", variant="soft", color_scheme="gray", type="button", on_click=S.close_transfer
                ),
                rx.button("Transfer", type="submit", loading=S.busy, id="transfer-submit"),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.submit,
        reset_on_submit=False,
    )


def _done() -> rx.Component:
    return rx.vstack(
        rx.callout(S.done, icon="check", color_scheme="green", width="100%", id="transfer-done"),
        rx.cond(
            S.warning != "",
            rx.callout(S.warning, icon="triangle_alert", color_scheme="orange", width="100%"),
        ),
        password_callout(S.new_password, S.share_link),
        rx.hstack(rx.button("Close", on_click=S.close_transfer), justify="end", width="100%"),
        spacing="3",
        width="100%",
    )


def transfer_dialog() -> rx.Component:
    """Place once on the page that shows transfer_button rows."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(
                    T["ticket_no"],
                    rx.text("Transfer ticket ", T["ticket_no"], " of ", T["group"]),
                    "Transfer",
                )
            ),
            rx.dialog.description(
                "The same ticket passes to the new holder with its dues, advance and any prize not yet "
                "paid; the payments made so far stay in the earlier holder's passbook.",
                size="2",
            ),
            rx.vstack(
                error_callout(S.error, id="transfer-error"),
                rx.cond(S.done != "", _done(), rx.cond(T["ticket_no"], _form())),
                spacing="3",
                padding_top="12px",
                width="100%",
            ),
            max_width="640px",
        ),
        open=S.dialog_open,
        on_open_change=lambda _open: S.close_transfer(),
    )
