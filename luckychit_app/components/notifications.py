"""The member's bell (the header's button to the notifications, with the unread count beside the
icon, never over it) and the notifications list's cards, each of which opens its notification."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.translate import t
from luckychit_app.state.notifications import LIST_PATH, TOAST_ID, BellState


def _count() -> rx.Var:
    return rx.cond(BellState.unread > 99, "99+", BellState.unread.to(str))


def bell(href: str = LIST_PATH, bell_id: str = "bell") -> rx.Component:
    """The header's bell: a 44 px tap target, the unread count as a badge to the icon's right (the
    icon stays whole), and a name that says the count to a screen reader. `href` is the reader's
    notifications page (the foreman's desktop one from foreman_shell)."""
    return rx.link(
        rx.hstack(
            rx.icon("bell", size=22),
            rx.cond(
                BellState.unread > 0,
                rx.badge(_count(), color_scheme="red", variant="solid", radius="full", id="unread-count"),
            ),
            spacing="1",
            align="center",
        ),
        href=href,
        aria_label=rx.cond(
            BellState.unread > 0,
            t("nav.notifications") + ": " + _count() + " " + t("bell.unread"),
            t("nav.notifications"),
        ),
        color=rx.color("gray", 12),
        min_width="44px",
        min_height="44px",
        display="flex",
        align_items="center",
        justify_content="center",
        id=bell_id,
    )


def _line(value: rx.Var, **props: object) -> rx.Component:
    """A line of a card: spans, since a card is a button or a link (phrasing content only)."""
    return rx.text(value, as_="span", display="block", **props)


def _card_body(n: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            _line(n["title"], weight="bold", flex="1"),
            rx.cond(n["new"] != "", rx.badge(t("bell.new"), color_scheme="red", variant="soft")),
            width="100%",
            align="start",
        ),
        rx.cond(n["body"] != "", _line(n["body"], size="2")),
        rx.hstack(
            _line(n["when"], size="1", color_scheme="gray", flex="1"),
            rx.cond(n["link"] != "", rx.icon("chevron-right", size=16, aria_hidden="true")),
            width="100%",
            align="center",
        ),
        spacing="1",
        width="100%",
        align="start",
    )


CARD_STYLE = {
    "width": "100%",
    "text_align": "left",
    "cursor": "pointer",
    "font": "inherit",
    "color": "inherit",
}


def notification_card(n: rx.Var) -> rx.Component:
    """One notification: tapping it marks it read and opens its link (a payment's receipt, a
    draw's page); a download (a no-dues certificate) is a plain link the browser fetches."""
    classes = rx.cond(n["new"] != "", "notification new", "notification")
    highlight = rx.cond(n["new"] != "", rx.color("accent", 2), "transparent")
    return rx.cond(
        n["link"].startswith("/api/"),
        rx.card(
            download_link(_card_body(n), href=n["link"]),
            as_child=True,
            class_name=classes,
            background=highlight,
            **CARD_STYLE,
        ),
        rx.card(
            rx.el.button(_card_body(n), type="button", on_click=BellState.open_item(n["id"])),
            as_child=True,
            class_name=classes,
            background=highlight,
            **CARD_STYLE,
        ),
    )


def notification_list() -> rx.Component:
    return rx.vstack(
        rx.cond(
            BellState.unread > 0,
            rx.button(
                rx.icon("check-check", size=16),
                t("bell.mark_all_read"),
                on_click=BellState.mark_all_read,
                variant="soft",
                size="2",
                id="mark-all-read",
            ),
        ),
        rx.cond(
            BellState.items.length() > 0,
            rx.foreach(BellState.items, notification_card),
            rx.cond(
                BellState.listed,
                rx.text(t("home.no_notifications"), id="no-notifications"),
                rx.center(rx.spinner(), width="100%", padding="24px"),
            ),
        ),
        spacing="3",
        width="100%",
        align="stretch",
        id="notification-list",
        # Tells a test (and a screen reader's busy state) that the list has been read and marked.
        custom_attrs={"aria-busy": rx.cond(BellState.listed, "false", "true")},
        # The list shows what a toast announced: a toast still on screen goes.
        on_mount=rx.toast.dismiss(TOAST_ID),
    )
