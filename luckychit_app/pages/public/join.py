"""The page an invite link opens."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import centered_card, error_callout, notice_callout
from luckychit_app.state.join import JoinState


def _terms() -> rx.Component:
    p = JoinState.preview
    return rx.vstack(
        rx.heading(p["name"], size="6", id="join-group"),
        rx.text("Run by ", p["foreman"], color_scheme="gray"),
        rx.text(p["kind"], " · ", p["value"], " · ", p["tickets"], " months of ", p["installment"]),
        rx.text(p["seats_left"], " seats left", size="2", color_scheme="gray"),
        spacing="1",
    )


def join_page() -> rx.Component:
    signup = rx.form(
        rx.vstack(
            rx.input(name="name", placeholder="Your name", required=True, max_length=80, width="100%"),
            rx.input(name="mobile", placeholder="Mobile number", type="tel", required=True, width="100%"),
            rx.input(
                name="password",
                placeholder="Password (8+, a letter and a digit)",
                type="password",
                required=True,
                width="100%",
            ),
            rx.input(
                name="confirm", placeholder="Repeat password", type="password", required=True, width="100%"
            ),
            rx.button(
                "Create account and ask to join", type="submit", size="3", width="100%", id="join-submit"
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=JoinState.sign_up,
        width="100%",
    )
    return centered_card(
        error_callout(JoinState.error),
        notice_callout(JoinState.notice),
        rx.cond(JoinState.preview.length() > 0, _terms()),
        rx.cond(
            JoinState.preview.length() > 0,
            rx.cond(
                JoinState.signed_in_member,
                rx.button("Ask to join this group", on_click=JoinState.ask, size="3", width="100%"),
                rx.vstack(
                    signup,
                    rx.link("I already have an account: sign in", href="/login", size="2"),
                    width="100%",
                ),
            ),
        ),
    )
