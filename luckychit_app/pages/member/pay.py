"""Member: pay one ticket (online, or UPI with QR / deep link and UTR), and the test gateway's
checkout screen used when no Razorpay keys are configured."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import control_label
from luckychit_app.components.shells import centered_card, error_callout, member_shell, notice_callout
from luckychit_app.components.translate import t
from luckychit_app.state.member_pay import MemberPayState
from luckychit_app.state.test_checkout import TestCheckoutState


def _due_line(line: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(t("pay.month"), " ", line["month"], weight="medium", size="2"),
            rx.text(
                t("pay.due"),
                " ",
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
                line["fee"] != "",
                rx.text(t("pay.late_fee_plus"), " ", line["fee"], size="1", color=rx.color("red", 11)),
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
            rx.text(p["group"], " · ", t("group.ticket"), " ", p["ticket_no"], size="2", color_scheme="gray"),
            rx.heading(p["total"], size="8", id="pay-total"),
            rx.cond(
                p["has_due"].to(bool),
                rx.text(t("pay.has_due"), size="2"),
                rx.text(t("pay.nothing_due"), size="2", color_scheme="green"),
            ),
            rx.cond(p["advance"] != "", rx.text(t("pay.advance"), " ", p["advance"], size="2")),
            rx.cond(
                p["pending"] != "",
                rx.text(
                    t("pay.pending_upi"),
                    " ",
                    p["pending"],
                    size="2",
                    color=rx.color("amber", 11),
                    id="pending-upi",
                ),
            ),
            rx.cond(p["fees_unpaid"] != "", rx.text(t("pay.fees_included"), " ", p["fees_unpaid"], size="2")),
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
            control_label(t("pay.amount_label"), "pay-amount"),
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
            rx.text(t("pay.part_note"), size="1", color_scheme="gray"),
            rx.cond(
                MemberPayState.error_field == "amount",
                rx.text(MemberPayState.error, color=rx.color("red", 11), size="1"),
            ),
            rx.button(
                rx.icon("credit-card"),
                t("pay.online"),
                type="submit",
                loading=MemberPayState.busy,
                size="4",
                width="100%",
                id="pay-online",
            ),
            rx.text(
                t("pay.online_note"),
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
            rx.heading(t("pay.upi_title"), size="4"),
            rx.text(t("pay.upi_to"), " ", rx.code(p["vpa"]), size="2"),
            rx.cond(
                MemberPayState.upi_link != "",
                rx.vstack(
                    rx.button(
                        rx.el.a(rx.icon("smartphone"), t("pay.upi_app"), href=MemberPayState.upi_link),
                        as_child=True,
                        size="3",
                        width="100%",
                        id="upi-link",
                    ),
                    rx.center(
                        rx.image(
                            src=MemberPayState.upi_qr,
                            alt=t("pay.upi_qr_alt"),
                            width="200px",
                            height="200px",
                            id="upi-qr",
                        ),
                        width="100%",
                    ),
                    rx.text(
                        t("pay.upi_scan"),
                        size="1",
                        color_scheme="gray",
                        text_align="center",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                rx.text(t("pay.upi_enter_amount"), size="2", color_scheme="gray"),
            ),
            rx.form(
                rx.vstack(
                    control_label(t("pay.utr_label"), "utr"),
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
                        t("pay.utr_submit"),
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
        rx.link(t("pay.back"), href="/m/payments", size="2"),
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
        title=t("pay.title"),
        tab="payments",
    )


def test_checkout_page() -> rx.Component:
    o = TestCheckoutState.order
    return centered_card(
        rx.hstack(
            rx.icon("shield-check", color=rx.color("accent", 11)),
            rx.heading(t("checkout.title"), size="4"),
            align="center",
        ),
        rx.callout(
            t("checkout.demo"),
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
                    rx.text(t("checkout.order"), " ", rx.code(o["order_id"]), size="1", color_scheme="gray"),
                    rx.button(
                        rx.icon("check"),
                        t("checkout.pay"),
                        " ",
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
                        t("checkout.fail"),
                        on_click=TestCheckoutState.fail,
                        disabled=TestCheckoutState.busy,
                        size="3",
                        width="100%",
                        variant="soft",
                        color_scheme="red",
                        id="test-pay-failure",
                    ),
                    rx.link(t("checkout.cancel"), href="/m/payments", size="2"),
                    spacing="3",
                    width="100%",
                    align="center",
                ),
            ),
        ),
    )
