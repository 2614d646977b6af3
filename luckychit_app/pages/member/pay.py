"""Member: pay one ticket (online, or UPI with QR / deep link and UTR), and the test gateway's
checkout screen used when no Razorpay keys are configured."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import centered_card, error_callout, member_shell, notice_callout
from luckychit_app.state.payments import MemberPayState, TestCheckoutState


def _due_line(line: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text("Month ", line["month"], weight="medium", size="2"),
            rx.text(
                "Due ",
                line["due_date"],
                rx.cond(line["late"] != "", rx.text.span(" · ", line["late"], color=rx.color("red", 11))),
                size="1",
                color_scheme="gray",
            ),
            spacing="0",
            align="start",
        ),
        rx.spacer(),
        rx.vstack(
            rx.text(line["amount"], weight="medium", size="2"),
            rx.cond(
                line["fee"] != "", rx.text("+ late fee ", line["fee"], size="1", color=rx.color("red", 11))
            ),
            spacing="0",
            align="end",
        ),
        width="100%",
        padding_y="6px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="due-line",
    )


def _due_card() -> rx.Component:
    p = MemberPayState.page
    return rx.card(
        rx.vstack(
            rx.text(p["group"], " · Ticket ", p["ticket_no"], size="2", color_scheme="gray"),
            rx.heading(p["total"], size="8", id="pay-total"),
            rx.cond(
                p["has_due"].to(bool),
                rx.text("Due now, oldest first. Pay before the draw to stay eligible.", size="2"),
                rx.text("Nothing is due. You can still pay ahead.", size="2", color_scheme="green"),
            ),
            rx.cond(p["advance"] != "", rx.text("Advance already paid: ", p["advance"], size="2")),
            rx.cond(
                p["pending"] != "",
                rx.text(
                    "UPI payment waiting for the foreman's confirmation: ",
                    p["pending"],
                    size="2",
                    color=rx.color("amber", 11),
                    id="pending-upi",
                ),
            ),
            rx.cond(
                p["pending"] != "",
                rx.text(
                    "UPI payment waiting for the foreman's confirmation: ",
                    p["pending"],
                    size="2",
                    color=rx.color("amber", 11),
                    id="pending-upi",
                ),
            ),
            rx.cond(
                p["fees_unpaid"] != "", rx.text("Includes late fees charged: ", p["fees_unpaid"], size="2")
            ),
            rx.foreach(MemberPayState.lines, _due_line),
            spacing="2",
            width="100%",
        ),
        width="100%",
        background=rx.cond(p["has_due"].to(bool), rx.color("amber", 2), rx.color("green", 2)),
    )


def _pay_online_form() -> rx.Component:
    """Amount and "Pay online now" in one form, so the button always pays what the box shows."""
    return rx.form(
        rx.vstack(
            rx.text("Amount to pay (₹)", size="2", weight="medium", as_="label", html_for="pay-amount"),
            rx.input(
                name="amount",
                default_value=MemberPayState.amount,
                # Keeps the UPI link and QR in step with the amount typed.
                on_blur=MemberPayState.set_amount,
                id="pay-amount",
                input_mode="decimal",
                size="3",
                width="100%",
                required=True,
            ),
            rx.text("You may pay part now; it settles your oldest due first.", size="1", color_scheme="gray"),
            rx.cond(
                MemberPayState.error_field == "amount",
                rx.text(MemberPayState.error, color=rx.color("red", 11), size="1"),
            ),
            rx.button(
                rx.icon("credit-card"),
                "Pay online now",
                type="submit",
                loading=MemberPayState.busy,
                size="4",
                width="100%",
                id="pay-online",
            ),
            rx.text(
                "UPI, cards and net banking through the payment gateway; the receipt comes at once.",
                size="1",
                color_scheme="gray",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=MemberPayState.pay_online,
        reset_on_submit=False,
        width="100%",
    )


def _upi_card() -> rx.Component:
    p = MemberPayState.page
    return rx.card(
        rx.vstack(
            rx.heading("Pay by UPI", size="4"),
            rx.text("To ", rx.code(p["vpa"]), size="2"),
            rx.cond(
                MemberPayState.upi_link != "",
                rx.vstack(
                    rx.button(
                        rx.el.a(rx.icon("smartphone"), "Pay with UPI app", href=MemberPayState.upi_link),
                        as_child=True,
                        size="3",
                        width="100%",
                        id="upi-link",
                    ),
                    rx.center(
                        rx.image(
                            src=MemberPayState.upi_qr,
                            alt="UPI QR code",
                            width="200px",
                            height="200px",
                            id="upi-qr",
                        ),
                        width="100%",
                    ),
                    rx.text(
                        "On another phone? Scan the code with any UPI app.",
                        size="1",
                        color_scheme="gray",
                        text_align="center",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                rx.text("Enter an amount to get the UPI link.", size="2", color_scheme="gray"),
            ),
            rx.form(
                rx.vstack(
                    rx.text(
                        "After paying, enter the 12-digit UTR (UPI reference) from your app:",
                        size="2",
                        as_="label",
                        html_for="utr",
                    ),
                    rx.input(
                        name="utr",
                        id="utr",
                        input_mode="numeric",
                        max_length=14,
                        placeholder="123456789012",
                        size="3",
                        width="100%",
                    ),
                    rx.cond(
                        MemberPayState.error_field == "utr",
                        rx.text(MemberPayState.error, color=rx.color("red", 11), size="1"),
                    ),
                    rx.button(
                        "I have paid: send for confirmation",
                        type="submit",
                        variant="soft",
                        size="3",
                        width="100%",
                        loading=MemberPayState.busy,
                        id="submit-utr",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=MemberPayState.submit_utr,
                reset_on_submit=True,
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def member_pay_page() -> rx.Component:
    return member_shell(
        rx.link("← Payments", href="/m/payments", size="2"),
        error_callout(rx.cond(MemberPayState.error_field == "", MemberPayState.error, "")),
        notice_callout(MemberPayState.notice),
        rx.cond(
            MemberPayState.loading,
            rx.spinner(),
            rx.cond(
                MemberPayState.page.contains("group"),
                rx.vstack(
                    _due_card(),
                    _pay_online_form(),
                    rx.cond(MemberPayState.page["has_upi"].to(bool), _upi_card()),
                    spacing="3",
                    width="100%",
                ),
            ),
        ),
        title="Pay",
    )


def test_checkout_page() -> rx.Component:
    o = TestCheckoutState.order
    return centered_card(
        rx.hstack(
            rx.icon("shield-check", color=rx.color("accent", 11)),
            rx.heading("LuckyChit test gateway", size="4"),
            align="center",
        ),
        rx.callout(
            "Demo mode: no real money moves. This screen stands in for Razorpay Checkout.",
            icon="info",
            color_scheme="amber",
            size="1",
        ),
        error_callout(TestCheckoutState.error),
        rx.cond(
            TestCheckoutState.loading,
            rx.spinner(),
            rx.cond(
                o.contains("order_id"),
                rx.vstack(
                    rx.text(o["group"], " · ", o["description"], size="2", color_scheme="gray"),
                    rx.heading(o["amount"], size="8", id="checkout-amount"),
                    rx.text("Order ", rx.code(o["order_id"]), size="1", color_scheme="gray"),
                    rx.button(
                        rx.icon("check"),
                        "Pay ",
                        o["amount"],
                        on_click=TestCheckoutState.succeed,
                        loading=TestCheckoutState.busy,
                        size="4",
                        width="100%",
                        color_scheme="green",
                        id="test-pay-success",
                    ),
                    rx.button(
                        rx.icon("x"),
                        "Simulate a failed payment",
                        on_click=TestCheckoutState.fail,
                        disabled=TestCheckoutState.busy,
                        size="3",
                        width="100%",
                        variant="soft",
                        color_scheme="red",
                        id="test-pay-failure",
                    ),
                    rx.link("Cancel and go back", href="/m/payments", size="2"),
                    spacing="3",
                    width="100%",
                    align="center",
                ),
            ),
        ),
    )
