"""Sign-in, sign-up and password change pages, in English or Hindi as chosen on them."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.chart_library import chart_prefetch
from luckychit_app.components.shells import BRAND, centered_card, error_callout, notice_callout
from luckychit_app.pages.public.language import field, language_picker, t
from luckychit_app.state.auth_pages import ChangePasswordState, LoginState, SignupCodeState, SignupState
from luckychit_app.state.session import SessionState


def login_page() -> rx.Component:
    password_form = rx.form(
        rx.vstack(
            field(
                "public.mobile",
                "mobile",
                "tel",
                placeholder=t("public.mobile_hint"),
                input_mode="numeric",
                auto_complete="username",
                required=True,
            ),
            field("public.password", "password", "password", auto_complete="current-password", required=True),
            rx.button(
                t("public.sign_in"),
                type="submit",
                size="3",
                width="100%",
                loading=LoginState.busy,
                id="sign-in",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=LoginState.submit,
        reset_on_submit=False,
        width="100%",
    )
    code_form = rx.cond(
        LoginState.code_sent_to == "",
        rx.form(
            rx.vstack(
                rx.el.label(
                    rx.text(t("public.code_mobile"), size="2", weight="medium"), html_for="code-mobile"
                ),
                rx.hstack(
                    rx.input(
                        name="mobile",
                        placeholder=t("public.mobile_hint"),
                        type="tel",
                        input_mode="numeric",
                        flex="1",
                        id="code-mobile",
                    ),
                    rx.button(t("public.send_code"), type="submit", variant="soft", id="send-code"),
                    width="100%",
                ),
                spacing="1",
                width="100%",
            ),
            on_submit=LoginState.send_code,
            width="100%",
        ),
        rx.form(
            rx.vstack(
                field("public.code", "code", "text", input_mode="numeric", max_length=6),
                rx.hstack(
                    rx.button(t("public.sign_in_code"), type="submit", id="code-sign-in"),
                    rx.button(
                        t("public.use_password"),
                        variant="ghost",
                        on_click=LoginState.use_password,
                        type="button",
                    ),
                ),
                width="100%",
            ),
            on_submit=LoginState.submit_code,
            width="100%",
        ),
    )
    return centered_card(
        language_picker(),
        rx.heading(BRAND, size="8", color=rx.color("accent", 11)),
        rx.text(t("public.tagline"), color_scheme="gray"),
        error_callout(LoginState.error),
        notice_callout(LoginState.notice),
        password_form,
        rx.link(t("public.forgot"), href="/forgot-password", size="2", id="forgot-password"),
        rx.separator(),
        code_form,
        rx.text(t("public.foreman_q"), " ", rx.link(t("public.create_foreman"), href="/signup"), size="2"),
        chart_prefetch(),  # the dashboard's chart library, fetched while a foreman signs in
    )


def signup_steps(
    account_fields: rx.Component, submit: rx.Component, on_submit: rx.EventHandler
) -> rx.Component:
    """Both sign-ups in two steps: the mobile number gets a code (SignupCodeState), then the code,
    the account's fields and `submit` make the account (`on_submit`)."""
    return rx.vstack(
        error_callout(SignupCodeState.error),
        notice_callout(SignupCodeState.notice),
        rx.cond(
            SignupCodeState.code_sent_to == "",
            rx.form(
                rx.vstack(
                    field(
                        "public.signup_mobile",
                        "mobile",
                        "tel",
                        placeholder=t("public.mobile_hint"),
                        input_mode="numeric",
                        auto_complete="tel",
                        required=True,
                    ),
                    rx.button(
                        t("public.send_code"), type="submit", size="3", width="100%", id="signup-send-code"
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=SignupCodeState.send,
                width="100%",
            ),
            rx.form(
                rx.vstack(
                    field(
                        "public.signup_code",
                        "code",
                        "text",
                        input_mode="numeric",
                        max_length=6,
                        auto_complete="one-time-code",
                        required=True,
                    ),
                    account_fields,
                    submit,
                    rx.button(
                        t("public.other_number"),
                        variant="ghost",
                        type="button",
                        on_click=SignupCodeState.change_number,
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=on_submit,
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


def password_fields() -> rx.Component:
    """A new password, typed twice (a new account's, a forgotten one's replacement)."""
    return rx.vstack(
        field("public.new_password", "password", "password", required=True, auto_complete="new-password"),
        field("public.repeat_password", "confirm", "password", required=True, auto_complete="new-password"),
        spacing="3",
        width="100%",
    )


def account_fields() -> rx.Component:
    """A new account's name and password (the mobile number is the one the code went to)."""
    return rx.vstack(
        field("public.your_name", "name", required=True, max_length=80, auto_complete="name"),
        password_fields(),
        spacing="3",
        width="100%",
    )


def signup_page() -> rx.Component:
    return centered_card(
        language_picker(),
        rx.heading(t("public.create_foreman"), size="6"),
        signup_steps(
            account_fields(),
            rx.button(t("public.create_account"), type="submit", size="3", width="100%", id="sign-up"),
            SignupState.submit,
        ),
        rx.link(t("public.back_to_sign_in"), href="/login", size="2"),
    )


def change_password_page() -> rx.Component:
    return centered_card(
        language_picker(),
        rx.heading(t("password.title"), size="6"),
        rx.cond(
            SessionState.must_change,
            rx.text(t("password.one_time"), color_scheme="gray"),
        ),
        error_callout(ChangePasswordState.error),
        rx.form(
            rx.vstack(
                field(
                    "password.current", "current", "password", required=True, auto_complete="current-password"
                ),
                field("password.new", "new", "password", required=True, auto_complete="new-password"),
                field("password.repeat", "confirm", "password", required=True, auto_complete="new-password"),
                rx.button(t("password.save"), type="submit", size="3", width="100%", id="save-password"),
                spacing="3",
                width="100%",
            ),
            on_submit=ChangePasswordState.submit,
            width="100%",
        ),
    )


def index_page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), min_height="100vh")
