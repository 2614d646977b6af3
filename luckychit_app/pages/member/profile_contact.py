"""The profile's messages section (issue 18, item 3): which channels payment reminders go to, and an
email address kept once a code sent to it proves it. Layout only; state/profile.ProfileState."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.translate import t
from luckychit_app.state.profile import ProfileState as P


def _label(key: str, control_id: str) -> rx.Component:
    return rx.el.label(rx.text(t(key), size="2", weight="medium"), html_for=control_id)


def _switch(key: str, control_id: str, checked: rx.Var, on_change: rx.EventHandler) -> rx.Component:
    return rx.hstack(
        _label(key, control_id),
        rx.spacer(),
        rx.switch(id=control_id, checked=checked, on_change=on_change),
        width="100%",
    )


def _email() -> rx.Component:
    """The proved address with a remove button; or the box that sends a code, then the code's box."""
    send = rx.form(
        rx.vstack(
            _label("contact.email_address", "contact-email"),
            rx.hstack(
                rx.input(
                    name="email",
                    id="contact-email",
                    type="email",
                    auto_complete="email",
                    max_length=120,
                    size="3",
                    flex="1",
                    min_width="0",
                ),
                rx.button(
                    t("public.send_code"), type="submit", variant="soft", size="3", id="email-send-code"
                ),
                width="100%",
            ),
            spacing="1",
            width="100%",
        ),
        on_submit=P.send_email_code,
        reset_on_submit=False,
        width="100%",
    )
    verify = rx.form(
        rx.vstack(
            rx.text(
                t("contact.code_sent_to"), " ", rx.text.strong(P.email_pending), size="2", id="email-pending"
            ),
            _label("public.code", "email-code"),
            rx.hstack(
                rx.input(
                    name="code",
                    id="email-code",
                    input_mode="numeric",
                    max_length=6,
                    auto_complete="one-time-code",
                    size="3",
                    flex="1",
                    min_width="0",
                ),
                rx.button(t("contact.verify"), type="submit", size="3", id="email-verify"),
                width="100%",
            ),
            rx.button(t("contact.other_address"), variant="ghost", type="button", on_click=P.cancel_email),
            spacing="2",
            width="100%",
        ),
        on_submit=P.verify_email,
        width="100%",
    )
    current = rx.hstack(
        rx.vstack(
            rx.text(t("contact.email_address"), size="2", weight="medium"),
            rx.text(P.email, size="2", id="contact-email-verified", word_break="break-all"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.button(
            t("contact.remove"), size="1", variant="soft", color_scheme="gray", on_click=P.remove_email
        ),
        width="100%",
        align="center",
    )
    return rx.cond(P.email_pending != "", verify, rx.cond(P.email != "", current, send))


def contact_section() -> rx.Component:
    return rx.vstack(
        rx.text(t("contact.reminders_on"), size="2", color_scheme="gray"),
        _switch("profile.sms", "notify-sms", P.notify_sms, P.toggle_sms),
        _switch("contact.whatsapp", "notify-whatsapp", P.notify_whatsapp, P.toggle_whatsapp),
        _switch("profile.email", "notify-email", P.notify_email, P.toggle_email),
        rx.text(t("contact.always_sent"), size="1", color_scheme="gray"),
        rx.separator(size="4"),
        _email(),
        spacing="3",
        width="100%",
    )
