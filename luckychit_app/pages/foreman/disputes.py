"""Member queries (/f/disputes): the list of threads in the foreman's groups and the open thread,
where the foreman answers or closes it. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import control_label
from luckychit_app.components.pager import pager
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block, notice_callout
from luckychit_app.components.wording import counted
from luckychit_app.state.dashboard import DisputesState as D

STATUS_COLOURS = {"open": "orange", "answered": "blue", "closed": "gray"}


def _status(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(k, rx.badge(k.capitalize(), color_scheme=c)) for k, c in STATUS_COLOURS.items()],
        rx.badge(status),
    )


def _thread_row(t: rx.Var) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(rx.text(t["title"], weight="medium"), rx.spacer(), _status(t["status"]), width="100%"),
            rx.text(t["member"], " · ", t["group"], size="1", color_scheme="gray"),
            rx.text(
                t["subject"],
                " · ",
                counted(t["messages"], "message", "messages"),
                " · ",
                t["updated"],
                size="1",
                color_scheme="gray",
            ),
            spacing="1",
            width="100%",
        ),
        on_click=D.open(t["id"]),
        padding="10px",
        border_radius="8px",
        cursor="pointer",
        background=rx.cond(D.current["id"] == t["id"], rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        class_name="thread-row",
        width="100%",
    )


def _message(m: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(m["author"], " · ", m["at"], size="1", color_scheme="gray"),
        rx.text(m["body"], size="2", white_space="pre-wrap"),
        background=rx.cond(m["by_member"] == "yes", rx.color("gray", 3), rx.color("accent", 3)),
        padding="10px 12px",
        border_radius="10px",
        max_width="85%",
        align_self=rx.cond(m["by_member"] == "yes", "flex-start", "flex-end"),
        class_name="thread-message",
    )


def _thread() -> rx.Component:
    return rx.cond(
        D.current.contains("id"),
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(D.current["title"], size="4"),
                    rx.spacer(),
                    _status(D.current["status"]),
                    width="100%",
                ),
                rx.text(
                    D.current["member"],
                    " · ",
                    D.current["group"],
                    " · ",
                    D.current["subject"],
                    size="2",
                    color_scheme="gray",
                ),
                rx.vstack(rx.foreach(D.messages, _message), spacing="2", width="100%", id="thread"),
                rx.cond(
                    D.current["closed"] == "yes",
                    rx.callout("This query is closed.", icon="lock"),
                    rx.form(
                        rx.vstack(
                            control_label("Your answer", "reply"),
                            rx.text_area(
                                name="body",
                                placeholder="Write to the member",
                                rows="3",
                                width="100%",
                                max_length=1000,
                                id="reply",
                            ),
                            rx.hstack(
                                rx.button(
                                    "Close query",
                                    type="button",
                                    variant="soft",
                                    color_scheme="gray",
                                    on_click=D.close,
                                ),
                                rx.button("Send answer", type="submit", id="send-reply"),
                                justify="end",
                                width="100%",
                            ),
                            width="100%",
                        ),
                        on_submit=D.reply,
                        reset_on_submit=True,
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        rx.card(
            rx.text("Choose a query on the left to read and answer it.", color_scheme="gray"), width="100%"
        ),
    )


def disputes_page() -> rx.Component:
    return foreman_shell(
        error_callout(D.error),
        notice_callout(D.notice),
        rx.segmented_control.root(
            rx.segmented_control.item("All", value="all"),
            rx.segmented_control.item("Open", value="open"),
            rx.segmented_control.item("Answered", value="answered"),
            rx.segmented_control.item("Closed", value="closed"),
            default_value="all",
            on_change=D.set_status_filter,
            aria_label="Show queries",
        ),
        rx.cond(
            D.loading,
            loading_block(),
            rx.grid(
                rx.vstack(
                    rx.cond(
                        D.rows.length() > 0,
                        rx.vstack(rx.foreach(D.rows, _thread_row), spacing="1", width="100%"),
                        rx.text("No queries.", color_scheme="gray"),
                    ),
                    pager(D, "disputes-pager"),
                    width="100%",
                ),
                _thread(),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
        ),
        title="Member queries",
    )
