"""Previous / next for a server-paged list: the foreman's lists and the admin's users and audit log
share it, so every paged list reads and behaves the same."""

from __future__ import annotations

import reflex as rx


def pager(state: type[rx.State], element_id: str) -> rx.Component:
    """Previous / next for a server-paged list (the state holds page, page_count, page_label)."""
    return rx.hstack(
        rx.text(state.page_label, size="2", color_scheme="gray"),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16),
            "Previous",
            size="1",
            variant="soft",
            disabled=state.page <= 1,
            on_click=state.set_page(state.page - 1),
        ),
        rx.text("Page ", state.page, " of ", state.page_count, size="2"),
        rx.button(
            "Next",
            rx.icon("chevron-right", size=16),
            size="1",
            variant="soft",
            disabled=state.page >= state.page_count,
            on_click=state.set_page(state.page + 1),
            class_name="next-page",
        ),
        align="center",
        width="100%",
        id=element_id,
    )
