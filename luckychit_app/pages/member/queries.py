"""Member queries: raise one on a payment or a draw, and follow the foreman's answers."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import NATIVE_SELECT_STYLE, control_label
from luckychit_app.components.shells import error_callout, member_shell
from luckychit_app.components.translate import t
from luckychit_app.components.wording import counted
from luckychit_app.state.queries import QueriesState, ThreadState


def member_queries_page() -> rx.Component:
    return member_shell(
        error_callout(QueriesState.error),
        rx.foreach(
            QueriesState.threads,
            lambda q: rx.link(
                rx.card(
                    rx.vstack(
                        rx.hstack(
                            rx.text(q["title"], weight="bold"),
                            rx.spacer(),
                            rx.badge(q["status"]),
                            width="100%",
                        ),
                        rx.text(q["subject"], size="2", color_scheme="gray"),
                        rx.text(
                            counted(q["messages"], t("queries.message"), t("queries.messages")),
                            " · ",
                            q["updated"],
                            size="1",
                            color_scheme="gray",
                        ),
                        spacing="1",
                        width="100%",
                    ),
                    width="100%",
                ),
                href="/m/queries/" + q["id"],
                underline="none",
                width="100%",
                class_name="query-row",
            ),
        ),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(t("queries.ask"), size="4"),
                    rx.cond(
                        QueriesState.subjects.length() > 0,
                        rx.vstack(
                            control_label(t("queries.about"), "query-subject"),
                            rx.el.select(
                                rx.foreach(
                                    QueriesState.subjects,
                                    lambda o: rx.el.option(o["label"], value=o["value"]),
                                ),
                                value=QueriesState.subject,
                                on_change=QueriesState.choose,
                                name="subject",
                                id="query-subject",
                                style={**NATIVE_SELECT_STYLE, "text_overflow": "ellipsis"},
                            ),
                            # A phone's picker cuts a long subject: the whole of the chosen one, date
                            # and all, is written out under it.
                            rx.text(
                                QueriesState.subject_label,
                                size="2",
                                color_scheme="gray",
                                id="query-subject-full",
                            ),
                            spacing="1",
                            width="100%",
                        ),
                        rx.text(t("queries.nothing"), size="2"),
                    ),
                    control_label(t("queries.subject"), "query-title"),
                    rx.input(
                        name="title",
                        max_length=120,
                        required=True,
                        width="100%",
                        size="3",
                        id="query-title",
                    ),
                    control_label(t("queries.what"), "query-body"),
                    rx.text_area(
                        name="body",
                        max_length=1000,
                        required=True,
                        width="100%",
                        id="query-body",
                    ),
                    rx.button(t("queries.send"), type="submit", size="3", width="100%", id="query-send"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=QueriesState.raise_query,
                width="100%",
            ),
            width="100%",
        ),
        title=t("queries.title"),
        tab="profile",
    )


def member_thread_page() -> rx.Component:
    return member_shell(
        error_callout(ThreadState.error),
        rx.heading(ThreadState.thread["title"], size="5", id="thread-title"),
        rx.text(
            ThreadState.thread["subject"], " · ", ThreadState.thread["status"], size="2", color_scheme="gray"
        ),
        rx.foreach(
            ThreadState.messages,
            lambda m: rx.card(
                rx.vstack(
                    rx.text(m["author"], " · ", m["at"], size="1", color_scheme="gray"),
                    rx.text(m["body"]),
                    spacing="1",
                ),
                width="90%",
                align_self=rx.cond(m["by_member"] != "", "flex-end", "flex-start"),
                background=rx.cond(m["by_member"] != "", rx.color("accent", 3), rx.color("gray", 3)),
                class_name="message",
            ),
        ),
        rx.cond(
            ThreadState.thread["is_closed"].to(bool),
            rx.text(t("queries.closed")),
            rx.form(
                rx.vstack(
                    control_label(t("queries.your_reply"), "reply-body"),
                    rx.text_area(
                        name="body",
                        max_length=1000,
                        required=True,
                        width="100%",
                        id="reply-body",
                    ),
                    rx.button(t("queries.reply"), type="submit", size="3", width="100%", id="reply-send"),
                    width="100%",
                ),
                on_submit=ThreadState.reply,
                reset_on_submit=True,
                width="100%",
            ),
        ),
        title=t("queries.thread_title"),
        tab="profile",
    )
