"""The forgot-password page (/forgot-password): a code to the account's mobile, then a new password.
Layout only; state/recovery.ResetPasswordState does the work."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import centered_card, error_callout, notice_callout
from luckychit_app.pages.public.auth import password_fields
from luckychit_app.pages.public.language import field, language_picker, t
from luckychit_app.state.recovery import ResetPasswordState as R


def _number_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            field(
                "reset.mobile",
                "mobile",
                "tel",
                placeholder=t("public.mobile_hint"),
                input_mode="numeric",
                auto_complete="username",
                required=True,
            ),
            rx.button(t("public.send_code"), type="submit", size="3", width="100%", id="reset-send-code"),
            spacing="3",
            width="100%",
        ),
        on_submit=R.send,
        width="100%",
    )


def _password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(R.code_sent_to, weight="bold", id="reset-number"),
            field(
                "public.signup_code",
                "code",
                "text",
                input_mode="numeric",
                max_length=6,
                auto_complete="one-time-code",
                required=True,
            ),
            password_fields(),
            rx.button(t("reset.save"), type="submit", size="3", width="100%", id="reset-save"),
            rx.button(t("public.other_number"), variant="ghost", type="button", on_click=R.change_number),
            spacing="3",
            width="100%",
        ),
        on_submit=R.save_password,
        reset_on_submit=False,
        width="100%",
    )


def forgot_password_page() -> rx.Component:
    return centered_card(
        language_picker(),
        rx.heading(t("reset.title"), size="6"),
        rx.text(t("reset.intro"), color_scheme="gray", size="2"),
        error_callout(R.error),
        notice_callout(R.notice),
        rx.cond(R.code_sent_to == "", _number_step(), _password_step()),
        rx.link(t("public.back_to_sign_in"), href="/login", size="2"),
    )
