"""The Prizes tab of a group's payments page: each month's prize with its arrears, the security the
winner still has to give (recorded here), and the release form. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.tables import hidden_input
from luckychit_app.pages.foreman.payment_fields import method_select
from luckychit_app.state.group_payments import ForemanPaymentsState as S


def _prize_card(p: rx.Var) -> rx.Component:
    security_form = rx.form(
        rx.hstack(
            hidden_input("payout_id", p["id"]),
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
            hidden_input("payout_id", p["id"]),
            method_select(options=("bank", "upi", "cash")),
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


def prizes_tab() -> rx.Component:
    return rx.cond(
        S.prizes.length() > 0,
        rx.vstack(rx.foreach(S.prizes, _prize_card), spacing="3", width="100%"),
        rx.callout("No draws yet, so no prizes to pay.", icon="info"),
    )
