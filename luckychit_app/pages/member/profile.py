"""Member profile and notifications pages (phone layout)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, member_shell, notice_callout
from luckychit_app.components.translate import t
from luckychit_app.state.profile import InboxPageState, ProfileState
from luckychit_app.state.session import SessionState


def _section(title: rx.Var, *children: rx.Component) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(title, size="4"), *children, spacing="3", width="100%"), width="100%")


def _kyc_status() -> rx.Component:
    return rx.match(
        ProfileState.kyc_status,
        ("verified", rx.badge(t("kyc.verified"), color_scheme="green")),
        ("submitted", rx.badge(t("kyc.submitted"), color_scheme="amber")),
        ("rejected", rx.badge(t("kyc.rejected"), color_scheme="red")),
        rx.badge(t("kyc.none"), color_scheme="gray"),
    )


def member_profile_page() -> rx.Component:
    return member_shell(
        error_callout(ProfileState.error),
        notice_callout(ProfileState.notice),
        _section(
            SessionState.user_name,
            rx.hstack(
                rx.text(t("profile.language"), weight="medium"),
                rx.spacer(),
                rx.segmented_control.root(
                    rx.segmented_control.item("English", value="en"),
                    rx.segmented_control.item("हिन्दी", value="hi"),
                    value=SessionState.language,
                    on_change=ProfileState.set_language,
                    id="language",
                ),
                width="100%",
                align="center",
            ),
            rx.link(
                rx.button(t("profile.my_queries"), variant="soft", width="100%", size="3"),
                href="/m/queries",
                width="100%",
            ),
            rx.link(
                rx.button(t("profile.change_password"), variant="soft", width="100%", size="3"),
                href="/change-password",
                width="100%",
            ),
        ),
        _section(
            t("profile.kyc"),
            rx.hstack(rx.text(t("profile.kyc_status")), _kyc_status(), align="center"),
            rx.cond(
                ProfileState.pan_masked != "",
                rx.text(t("profile.pan"), ": ", rx.code(ProfileState.pan_masked)),
            ),
            rx.cond(
                ProfileState.aadhaar_masked != "",
                rx.text(
                    t("profile.aadhaar"), ": ", rx.code(ProfileState.aadhaar_masked, id="aadhaar-masked")
                ),
            ),
            rx.form(
                rx.vstack(
                    rx.input(
                        name="pan",
                        placeholder=t("profile.pan_placeholder"),
                        max_length=10,
                        width="100%",
                        size="3",
                        auto_complete="off",
                    ),
                    rx.input(
                        name="aadhaar",
                        placeholder=t("profile.aadhaar_placeholder"),
                        input_mode="numeric",
                        max_length=14,
                        width="100%",
                        size="3",
                        auto_complete="off",
                    ),
                    rx.button(t("profile.save_kyc"), type="submit", width="100%", size="3", id="save-kyc"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=ProfileState.submit_kyc,
                reset_on_submit=True,
                width="100%",
            ),
            rx.text(t("profile.kyc_note"), size="1", color_scheme="gray"),
        ),
        _section(
            t("profile.notifications"),
            rx.hstack(
                rx.text(t("profile.sms")),
                rx.spacer(),
                rx.switch(checked=ProfileState.notify_sms, on_change=ProfileState.toggle_sms),
                width="100%",
            ),
            rx.hstack(
                rx.text(t("profile.email")),
                rx.spacer(),
                rx.switch(checked=ProfileState.notify_email, on_change=ProfileState.toggle_email),
                width="100%",
            ),
        ),
        _section(
            t("profile.sessions"),
            rx.foreach(
                ProfileState.sessions,
                lambda d: rx.hstack(
                    rx.vstack(
                        rx.text(d["device"], size="2"),
                        rx.text(d["since"], size="1", color_scheme="gray"),
                        spacing="0",
                    ),
                    rx.spacer(),
                    rx.cond(
                        d["current"] != "",
                        rx.badge(t("profile.this_device")),
                        rx.button(
                            t("profile.sign_out_device"),
                            size="1",
                            variant="soft",
                            on_click=ProfileState.revoke(d["id"]),
                        ),
                    ),
                    width="100%",
                    align="center",
                    class_name="device-row",
                ),
            ),
            rx.button(
                t("profile.sign_out"), on_click=SessionState.logout, width="100%", size="3", id="logout"
            ),
            rx.button(
                t("profile.sign_out_everywhere"),
                on_click=SessionState.logout_everywhere,
                width="100%",
                size="3",
                color_scheme="red",
                variant="soft",
                id="logout-everywhere",
            ),
        ),
        title=t("profile.title"),
    )


def member_notifications_page() -> rx.Component:
    return member_shell(
        rx.cond(
            InboxPageState.items.length() > 0,
            rx.foreach(
                InboxPageState.items,
                lambda n: rx.card(
                    rx.vstack(
                        rx.text(n["title"], weight="bold"),
                        rx.cond(n["body"] != "", rx.text(n["body"], size="2")),
                        rx.text(n["when"], size="1", color_scheme="gray"),
                        spacing="1",
                    ),
                    width="100%",
                    class_name="notification",
                ),
            ),
            rx.text(t("home.no_notifications")),
        ),
        title=t("home.notifications"),
    )
