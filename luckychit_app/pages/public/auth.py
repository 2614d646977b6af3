"""Sign-in, sign-up and password change pages."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import BRAND, centered_card, error_callout, notice_callout
from luckychit_app.state.auth_pages import ChangePasswordState, LoginState, SignupState
from luckychit_app.state.session import SessionState


def _field(label: str, name: str, kind: str = "text", **props: object) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", html_for=name),
        rx.input(name=name, id=name, type=kind, size="3", width="100%", **props),
        spacing="1",
        width="100%",
    )


def login_page() -> rx.Component:
    password_form = rx.form(
        rx.vstack(
            _field(
                "Mobile number",
                "mobile",
                "tel",
                placeholder="10-digit mobile",
                input_mode="numeric",
                auto_complete="username",
                required=True,
            ),
            _field("Password", "password", "password", auto_complete="current-password", required=True),
            rx.button(
                "Sign in", type="submit", size="3", width="100%", loading=LoginState.busy, id="sign-in"
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
            rx.hstack(
                rx.input(
                    name="mobile",
                    placeholder="Mobile for a sign-in code",
                    type="tel",
                    flex="1",
                    id="code-mobile",
                ),
                rx.button("Send code", type="submit", variant="soft", id="send-code"),
                width="100%",
            ),
            on_submit=LoginState.send_code,
            width="100%",
        ),
        rx.form(
            rx.vstack(
                _field("6-digit code", "code", "text", input_mode="numeric", max_length=6),
                rx.hstack(
                    rx.button("Sign in with code", type="submit", id="code-sign-in"),
                    rx.button(
                        "Use password", variant="ghost", on_click=LoginState.use_password, type="button"
                    ),
                ),
                width="100%",
            ),
            on_submit=LoginState.submit_code,
            width="100%",
        ),
    )
    return centered_card(
        rx.heading(BRAND, size="8", color=rx.color("accent", 11)),
        rx.text("Chit funds you can trust: every rupee balanced, every draw provable.", color_scheme="gray"),
        error_callout(LoginState.error),
        notice_callout(LoginState.notice),
        password_form,
        rx.separator(),
        code_form,
        rx.text("Running chit groups? ", rx.link("Create a foreman account", href="/signup"), size="2"),
    )


def signup_page() -> rx.Component:
    return centered_card(
        rx.heading("Create a foreman account", size="6"),
        error_callout(SignupState.error),
        rx.form(
            rx.vstack(
                _field("Your name", "name", required=True, max_length=80),
                _field("Mobile number", "mobile", "tel", required=True),
                _field(
                    "Password (8+ characters, a letter and a digit)", "password", "password", required=True
                ),
                _field("Repeat password", "confirm", "password", required=True),
                rx.button("Create account", type="submit", size="3", width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=SignupState.submit,
            width="100%",
        ),
        rx.link("Back to sign in", href="/login", size="2"),
    )


def change_password_page() -> rx.Component:
    return centered_card(
        rx.heading("Choose your password", size="6"),
        rx.cond(
            SessionState.must_change,
            rx.text(
                "You signed in with a one-time password. Choose your own to continue.", color_scheme="gray"
            ),
        ),
        error_callout(ChangePasswordState.error),
        rx.form(
            rx.vstack(
                _field("Current (one-time) password", "current", "password", required=True),
                _field("New password", "new", "password", required=True),
                _field("Repeat new password", "confirm", "password", required=True),
                rx.button("Save password", type="submit", size="3", width="100%", id="save-password"),
                spacing="3",
                width="100%",
            ),
            on_submit=ChangePasswordState.submit,
            width="100%",
        ),
    )


def index_page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), min_height="100vh")
