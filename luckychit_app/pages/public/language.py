"""The language of the pages before sign-in: their text (`t`) follows the choice made on them (kept
in this browser), and the picker that makes it. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.languages import language_cards
from luckychit_app.components.translate import phrase
from luckychit_app.state.auth_pages import PublicLanguageState
from luckychit_app.state.session import SessionState

LANGUAGE = rx.cond(PublicLanguageState.chosen == "", SessionState.language, PublicLanguageState.chosen)
"""The choice made on these pages in this browser; before any, the language of whoever signed in last
in this tab (state/auth_pages.chosen_language, the same rule on the server)."""


def t(key: str) -> rx.Var:
    """Text that follows the language chosen before sign-in (English until one is chosen)."""
    return phrase(key, LANGUAGE)


def language_picker() -> rx.Component:
    """The six languages, each in its own script, at the top of every page before sign-in."""
    return rx.hstack(
        rx.icon("languages", size=16, color=rx.color("gray", 11), aria_hidden="true", flex_shrink="0"),
        language_cards(
            LANGUAGE,
            PublicLanguageState.choose,
            id="public-language",
            aria_label="Language / भाषा / மொழி / భాష / ಭಾಷೆ / ഭാഷ",
        ),
        align="center",
        width="100%",
    )


def field(label_key: str, name: str, kind: str = "text", **props: object) -> rx.Component:
    """A form box with its label tied to it (`<label for=…>`); the box's id is its name."""
    return rx.vstack(
        rx.el.label(rx.text(t(label_key), size="2", weight="medium"), html_for=name),
        rx.input(name=name, id=name, type=kind, size="3", width="100%", **props),
        spacing="1",
        width="100%",
    )
