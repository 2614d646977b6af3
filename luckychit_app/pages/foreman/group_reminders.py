"""The reminders card of a group's Settings tab: days, pause, and tomorrow's reminders. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, notice_callout
from luckychit_app.state.group_reminders import GroupRemindersState as R


def _row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["name"]),
        rx.table.cell(r["ticket_no"]),
        rx.table.cell(r["channel"]),
        rx.table.cell(r["language"]),
        rx.table.cell(r["amount"]),
        rx.table.cell(r["stage"]),
        rx.table.cell(rx.text(r["text"], size="1", color_scheme="gray")),
        class_name="reminder-row",
    )


def reminders_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Payment reminders", size="3"),
            rx.text(
                "Members who have not paid are reminded on these days from each due date (-3 is three "
                "days before, 0 the day itself, 7 a week late), by the channels they chose, in their "
                "language, between 9 am and 8 pm. Nobody gets the same reminder twice.",
                size="2",
                color_scheme="gray",
            ),
            error_callout(R.error, id="reminders-error"),
            notice_callout(R.notice),
            rx.form(
                rx.hstack(
                    rx.vstack(
                        rx.el.label(
                            rx.text("Days from the due date", size="2", weight="medium"),
                            html_for="reminder-days",
                        ),
                        rx.input(
                            name="days",
                            id="reminder-days",
                            default_value=R.days,
                            key=R.days,
                            max_length=60,
                            width="200px",
                        ),
                        spacing="1",
                    ),
                    rx.checkbox(
                        "Pause reminders for this group",
                        name="paused",
                        default_checked=R.paused,
                        key=R.paused.to(str),
                        id="reminders-paused",
                    ),
                    rx.button("Save reminders", type="submit", variant="soft", id="reminders-save"),
                    spacing="4",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=R.save,
                reset_on_submit=False,
            ),
            rx.heading("Tomorrow", size="2"),
            rx.cond(
                R.tomorrow.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Member", "Ticket", "Channel", "Language", "Amount", "When", "Text")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(R.tomorrow, _row)),
                    width="100%",
                    variant="surface",
                    id="reminders-tomorrow",
                ),
                rx.text(
                    rx.cond(R.paused, "Paused: nothing goes tomorrow.", "No reminders go tomorrow."),
                    size="2",
                    color_scheme="gray",
                    id="reminders-none",
                ),
            ),
            spacing="3",
            width="100%",
            on_mount=R.load,
        ),
        width="100%",
    )
