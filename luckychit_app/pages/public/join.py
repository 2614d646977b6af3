"""The page an invite link opens, in English or Hindi as chosen on it."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import centered_card, error_callout, notice_callout
from luckychit_app.pages.public.auth import account_fields, signup_steps
from luckychit_app.pages.public.language import language_picker, t
from luckychit_app.state.join import JoinState


def _terms() -> rx.Component:
    p = JoinState.preview
    return rx.vstack(
        rx.heading(p["name"], size="6", id="join-group"),
        rx.text(t("join.run_by"), " ", p["foreman"], color_scheme="gray"),
        rx.text(
            rx.cond(p["kind_key"] == "auction", t("kind.auction"), t("kind.lucky")),
            " · ",
            p["value"],
            " · ",
            p["tickets"],
            " ",
            t("join.instalments_of"),
            " ",
            p["installment"],
        ),
        rx.text(p["seats_left"], " ", t("join.seats_left"), size="2", color_scheme="gray"),
        spacing="1",
    )


def join_page() -> rx.Component:
    signup = signup_steps(
        account_fields(),
        rx.button(t("join.submit"), type="submit", size="3", width="100%", id="join-submit"),
        JoinState.sign_up,
    )
    return centered_card(
        language_picker(),
        error_callout(JoinState.error),
        notice_callout(JoinState.notice),
        rx.cond(JoinState.preview.length() > 0, _terms()),
        rx.cond(
            JoinState.preview.length() > 0,
            rx.cond(
                JoinState.signed_in_member,
                rx.button(t("join.ask"), on_click=JoinState.ask, size="3", width="100%", id="join-ask"),
                rx.vstack(
                    signup,
                    rx.link(t("join.have_account"), href="/login", size="2"),
                    width="100%",
                ),
            ),
        ),
    )
