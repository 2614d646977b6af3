"""Member profile page (phone layout)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.languages import language_cards
from luckychit_app.components.shells import error_callout, member_shell, notice_callout
from luckychit_app.components.translate import t
from luckychit_app.pages.member.profile_contact import contact_section
from luckychit_app.pages.member.profile_data import data_rights_section
from luckychit_app.state.profile import RELATIONS, ProfileState
from luckychit_app.state.session import SessionState

SELECT_STYLE = {
    "width": "100%",
    "height": "40px",
    "padding": "0 10px",
    "font-size": "16px",
    "border": "1px solid var(--gray-a7)",
    "border-radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
}
"""A native select (a phone shows its own picker) drawn like the text boxes beside it."""


def _section(title: rx.Var, *children: rx.Component) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(title, size="4"), *children, spacing="3", width="100%"), width="100%")


def _kyc_status() -> rx.Component:
    return rx.match(
        ProfileState.kyc_info["status"],
        ("verified", rx.badge(t("kyc.verified"), color_scheme="green")),
        ("submitted", rx.badge(t("kyc.submitted"), color_scheme="amber")),
        ("rejected", rx.badge(t("kyc.rejected"), color_scheme="red")),
        rx.badge(t("kyc.none"), color_scheme="gray"),
    )


def _label(key: str, control_id: str) -> rx.Component:
    """A visible label tied to its control (`<label for=…>`), so screen readers name the control."""
    return rx.el.label(rx.text(t(key), size="2", weight="medium"), html_for=control_id)


def _box(key: str, name: str, control_id: str, **props: object) -> rx.Component:
    return rx.vstack(
        _label(key, control_id),
        rx.input(name=name, id=control_id, width="100%", size="3", auto_complete="off", **props),
        spacing="1",
        width="100%",
    )


def _relation_name(relation: rx.Var) -> rx.Component:
    return rx.match(relation, *[(r, t(f"relation.{r}")) for r in RELATIONS], relation)


def _kyc_saved() -> rx.Component:
    k = ProfileState.kyc_info
    return rx.vstack(
        rx.cond(
            k["review_note"] != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("message-square-warning")),
                rx.callout.text(t("profile.review_reason"), " ", k["review_note"]),
                color_scheme="red",
                size="1",
                width="100%",
                id="kyc-review-note",
            ),
        ),
        rx.cond(k["pan"] != "", rx.text(t("profile.pan"), ": ", rx.code(k["pan"]))),
        rx.cond(
            k["aadhaar"] != "",
            rx.text(t("profile.aadhaar"), ": ", rx.code(k["aadhaar"], id="aadhaar-masked")),
        ),
        rx.cond(
            k["date_of_birth"] != "",
            rx.text(t("profile.date_of_birth"), ": ", rx.text.span(k["date_of_birth"], id="dob-saved")),
        ),
        rx.cond(
            k["bank_account"] != "",
            rx.text(
                t("profile.paid_to"),
                ": ",
                rx.code(k["bank_account"], id="bank-masked"),
                " · IFSC ",
                rx.code(k["ifsc"]),
            ),
        ),
        rx.cond(
            k["nominee_name"] != "",
            rx.text(
                t("profile.nominee"),
                ": ",
                rx.text.span(k["nominee_name"], id="nominee-saved"),
                " (",
                _relation_name(k["nominee_relation"]),
                ")",
            ),
        ),
        spacing="1",
        width="100%",
    )


def _kyc_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _box("profile.pan", "pan", "kyc-pan", placeholder="ABCPE1234F", max_length=10),
            _box(
                "profile.aadhaar",
                "aadhaar",
                "kyc-aadhaar",
                placeholder=t("profile.aadhaar_placeholder"),
                input_mode="numeric",
                max_length=14,
            ),
            _box("profile.date_of_birth", "date_of_birth", "kyc-dob", type="date"),
            _box(
                "profile.bank_account",
                "bank_account",
                "kyc-bank-account",
                input_mode="numeric",
                max_length=22,
            ),
            _box("profile.ifsc", "ifsc", "kyc-ifsc", placeholder="SBIN0001234", max_length=11),
            _box("profile.nominee_name", "nominee_name", "kyc-nominee", max_length=80),
            rx.vstack(
                _label("profile.nominee_relation", "kyc-relation"),
                rx.el.select(
                    # The words as the `label` attribute: an option's text must be plain text, and a
                    # component inside it breaks the page's hydration (React error 418).
                    rx.el.option(value="", label=t("profile.relation_choose")),
                    *[rx.el.option(value=r, label=t(f"relation.{r}")) for r in RELATIONS],
                    name="nominee_relation",
                    id="kyc-relation",
                    default_value="",
                    style=SELECT_STYLE,
                ),
                spacing="1",
                width="100%",
            ),
            rx.button(t("profile.save_kyc"), type="submit", width="100%", size="3", id="save-kyc"),
            spacing="2",
            width="100%",
        ),
        on_submit=ProfileState.submit_kyc,
        reset_on_submit=False,
        key=ProfileState.kyc_form,
        width="100%",
    )


def member_profile_page() -> rx.Component:
    return member_shell(
        error_callout(ProfileState.error),
        notice_callout(ProfileState.notice),
        _section(
            SessionState.user_name,
            rx.vstack(
                rx.text(t("profile.language"), weight="medium", id="language-label"),
                language_cards(
                    SessionState.language,
                    ProfileState.set_language,
                    id="language",
                    custom_attrs={"aria-labelledby": "language-label"},
                ),
                spacing="2",
                width="100%",
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
            _kyc_saved(),
            _kyc_form(),
            rx.text(t("profile.kyc_blank_keeps"), size="1", color_scheme="gray"),
            rx.text(t("profile.kyc_note"), size="1", color_scheme="gray"),
        ),
        _section(t("profile.notifications"), contact_section()),
        _section(t("rights.title"), data_rights_section()),
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
