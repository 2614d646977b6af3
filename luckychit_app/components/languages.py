"""The language pickers, all read from the one list `luckychit_app.locales.LANGUAGES`: the member's
and the sign-in pages' choice (six cards, each language named in its own script), and the items of
the foreman's and staff's selects for a new member's language."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from luckychit_app.locales import LANGUAGES


def language_cards(value: rx.Var, on_change: Callable, *, id: str, **props: object) -> rx.Component:
    """Six radio cards, three to a row on a phone (390 px) and six on a wider screen: the names are
    short but in six scripts, and a segmented control of six did not fit a phone's width. Each card
    is a radio (role="radio") named by its text, so a screen reader reads "தமிழ், radio"."""
    return rx.radio_cards.root(
        *[
            rx.radio_cards.item(
                rx.text(language.native, size="2", lang=language.code),
                value=language.code,
                padding="6px 4px",
                id=f"{id}-{language.code}",
            )
            for language in LANGUAGES
        ],
        value=value,
        on_value_change=on_change,
        columns=rx.breakpoints(initial="3", sm="6"),
        gap="2",
        size="1",
        width="100%",
        id=id,
        **props,
    )


def language_select_items() -> list[rx.Component]:
    """rx.select items for every language ("English", "हिन्दी", "தமிழ்", …), values the codes."""
    return [rx.select.item(language.native, value=language.code) for language in LANGUAGES]
