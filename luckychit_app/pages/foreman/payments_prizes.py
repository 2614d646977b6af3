"""The Prizes tab of a group's payments page: each month's prize with its arrears, the security the
winner gives (recorded here; a guarantor security names its guarantors, shown with masked KYC; a
deposit is money received by cash, bank or UPI, or kept from the prize, and shows as "held ₹X"), the
release form, and for a prized subscriber in default the written demand (s.32-s.33), which also
sends a recovery notice to each guarantor, then the dues recovered from the deposit (s.21(1)(e)).
Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.tables import hidden_input
from luckychit_app.pages.foreman.payment_fields import deposit_inputs, guarantor_inputs, method_select
from luckychit_app.state.group_payments import ForemanPaymentsState as S


def _security_line(s: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(
            "• ",
            s["kind"],
            ": ",
            s["value"],
            " (",
            s["description"],
            ")",
            rx.cond(s["deposit"] != "", rx.text.span(" — ", s["deposit"], color_scheme="gray")),
            rx.cond(s["replaced"] != "", rx.text.span(" — ", s["replaced"], color_scheme="gray")),
            size="2",
        ),
        rx.cond(
            s["guarantors"] != "",
            rx.text("Guarantors: ", s["guarantors"], size="1", color_scheme="gray", class_name="guarantors"),
        ),
        spacing="0",
    )


def _recover_form(p: rx.Var) -> rx.Component:
    """After the written demand: the dues recovered from the deposit (s.21(1)(e), s.32)."""
    return rx.form(
        rx.hstack(
            hidden_input("ticket_id", p["ticket_id"]),
            hidden_input("request_key", p["recover_key"]),
            rx.text("Recover up to ", p["recover_max"], " from the deposit: ₹", size="1"),
            rx.input(
                name="amount",
                aria_label="Amount to recover from the deposit (₹)",
                default_value=p["recover_rupees"],
                size="1",
                width="100px",
            ),
            rx.button(
                "Recover from deposit",
                type="submit",
                size="1",
                color_scheme="red",
                disabled=S.busy,
                class_name="recover-deposit",
            ),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        on_submit=S.recover_deposit,
        reset_on_submit=False,
        key=p["recover_key"].to(str),
    )


def _security_forms(p: rx.Var) -> rx.Component:
    security_form = rx.form(
        rx.vstack(
            rx.hstack(
                hidden_input("payout_id", p["id"]),
                hidden_input("security_seen", p["security_seen"]),
                rx.select.root(
                    rx.select.trigger(aria_label="Kind of security"),
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
                rx.input(
                    name="value",
                    aria_label="Value of the security (₹)",
                    placeholder="Value ₹",
                    size="1",
                    width="110px",
                    required=True,
                ),
                rx.input(
                    name="description",
                    aria_label="Details of the security",
                    placeholder="Details (document, account…; optional for a guarantor)",
                    size="1",
                    width="300px",
                ),
                rx.button(
                    "Record security", type="submit", size="1", variant="soft", class_name="add-security"
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.text("For a guarantor security, the guarantor (s.31):", size="1", color_scheme="gray"),
            rx.hstack(*guarantor_inputs(S.today), spacing="2", wrap="wrap", align="center"),
            rx.text(
                "For a deposit, how the money came in (it is held for the member, s.21(1)(e)):",
                size="1",
                color_scheme="gray",
            ),
            deposit_inputs(S.today, keep_from_prize=True),
            spacing="1",
        ),
        on_submit=S.add_security,
        reset_on_submit=True,
    )
    guarantor_form = rx.form(
        rx.hstack(
            hidden_input("payout_id", p["id"]),
            rx.hstack(*guarantor_inputs(S.today), spacing="2", wrap="wrap", align="center"),
            rx.button("Add guarantor", type="submit", size="1", variant="soft", class_name="add-guarantor"),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        on_submit=S.add_guarantor,
        reset_on_submit=True,
    )
    return rx.vstack(
        security_form,
        rx.cond(
            p["has_guarantor"].to(bool),
            rx.vstack(
                rx.text("Another guarantor for the guarantor security:", size="1", color_scheme="gray"),
                guarantor_form,
                spacing="1",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _default_panel(p: rx.Var) -> rx.Component:
    """A prized subscriber with dues past their date: what the written demand will ask for."""
    return rx.cond(
        p["overdue"] != "",
        rx.callout(
            rx.vstack(
                rx.text(
                    "In default: ",
                    rx.text.span(p["overdue"], weight="bold"),
                    " overdue; future subscriptions ",
                    rx.text.span(p["future"], weight="bold"),
                    ". A prized subscriber owes all future subscriptions once given a written demand "
                    "(s.32-s.33); each guarantor gets a recovery notice by SMS.",
                    size="2",
                ),
                rx.cond(
                    p["defaulted"] != "",
                    rx.text("First demand sent on ", p["defaulted"], ".", size="1"),
                ),
                rx.cond(p["can_recover"].to(bool), _recover_form(p)),
                rx.cond(
                    p["demanded_today"].to(bool),
                    rx.text("A demand went out today.", size="1", weight="medium"),
                    rx.button(
                        "Send written demand",
                        size="1",
                        color_scheme="red",
                        variant="soft",
                        disabled=~p["can_demand"].to(bool) | S.busy,
                        on_click=S.demand_default(p["ticket_id"].to(str)),
                        class_name="demand-default",
                    ),
                ),
                spacing="1",
            ),
            icon="triangle_alert",
            color_scheme="red",
            size="1",
            class_name="prize-default",
        ),
    )


def _prize_card(p: rx.Var) -> rx.Component:
    release_form = rx.form(
        rx.hstack(
            hidden_input("payout_id", p["id"]),
            method_select(options=("bank", "upi", "cash")),
            rx.input(
                name="reference",
                aria_label="Prize's bank or UPI reference",
                placeholder="Bank/UPI reference",
                size="1",
                width="170px",
            ),
            rx.input(
                name="paid_on",
                aria_label="Prize paid on",
                type="date",
                default_value=S.today,
                max=S.today,
                size="1",
                width="140px",
            ),
            rx.text("Keep for arrears ₹", size="1"),
            rx.input(
                name="deduction",
                aria_label="Keep for arrears (₹)",
                default_value=p["arrears_rupees"],
                size="1",
                width="100px",
            ),
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
    securities = rx.foreach(p["securities"].to(list[dict[str, str]]), _security_line)
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
                    securities,
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
                    _security_forms(p),
                    release_form,
                    spacing="2",
                    width="100%",
                ),
                rx.vstack(
                    rx.text(p["paid"], size="2", color_scheme="gray"),
                    securities,
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.cond(
                p["deposit_held"] != "",
                rx.text("Security deposit ", p["deposit_held"], size="2", class_name="deposit-held"),
            ),
            _default_panel(p),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="prize-card",
    )


def prizes_tab() -> rx.Component:
    return rx.cond(
        S.prizes_unread,
        rx.spinner(),  # the rows are read when the tab opens (ForemanPaymentsState.tab_changed)
        rx.cond(
            S.prizes.length() > 0,
            rx.vstack(rx.foreach(S.prizes, _prize_card), spacing="3", width="100%"),
            rx.callout("No draws yet, so no prizes to pay.", icon="info"),
        ),
    )
