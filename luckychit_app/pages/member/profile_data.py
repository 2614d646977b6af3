"""The "My data" card of the member's profile page: a copy of their data (a zip download) and the
erasure of their personal data, behind a confirmation, with the reasons it is refused now
(Digital Personal Data Protection Act 2023 s.11, s.12; services/people/data_rights.py)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.shells import error_callout
from luckychit_app.components.translate import t
from luckychit_app.state.data_rights import DataRightsState


def _confirmation() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("rights.confirm_title")),
            rx.alert_dialog.description(t("rights.confirm_body")),
            rx.hstack(
                rx.button(t("rights.cancel"), variant="soft", on_click=DataRightsState.cancel),
                rx.button(
                    t("rights.confirm"),
                    color_scheme="red",
                    on_click=DataRightsState.erase,
                    id="erase-confirm",
                ),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
        ),
        open=DataRightsState.confirming,
    )


def data_rights_section() -> rx.Component:
    """Inside the profile page's cards: the erase button is disabled while there are reasons."""
    return rx.vstack(
        rx.text(t("rights.intro"), size="2"),
        error_callout(DataRightsState.error),
        download_link(
            rx.button(t("rights.download"), variant="soft", width="100%", size="3"),
            href="/api/me/data.zip",
            width="100%",
            id="download-my-data",
        ),
        rx.cond(
            DataRightsState.blockers.length() > 0,
            rx.vstack(
                rx.text(t("rights.cannot_erase"), size="2", weight="medium"),
                rx.foreach(
                    DataRightsState.blockers, lambda why: rx.text("• ", why, size="2", color_scheme="gray")
                ),
                spacing="1",
                width="100%",
                id="erase-blockers",
            ),
        ),
        rx.button(
            t("rights.erase"),
            on_click=DataRightsState.ask,
            disabled=DataRightsState.blockers.length() > 0,
            color_scheme="red",
            variant="soft",
            width="100%",
            size="3",
            id="erase-my-data",
        ),
        _confirmation(),
        spacing="3",
        width="100%",
    )
