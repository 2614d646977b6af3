"""The admin page's Messages tab: each recent outbox message with its channel, kind, masked
recipient, status (console-only deliveries say so), attempts, provider id, times and last error.
Layout only; pages/admin.py places it."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, loading_block
from luckychit_app.state.admin_messages import ANY
from luckychit_app.state.admin_messages import AdminMessagesState as M

FILTER_LABELS = (
    (ANY, "Any status"),
    ("queued", "Queued"),
    ("sending", "Sending"),
    ("sent", "Sent (provider)"),
    ("delivered", "Delivered"),
    ("console", "Console only"),
    ("failed", "Failed"),
)
COLUMNS = (
    "#",
    "Queued (IST)",
    "Channel",
    "Kind",
    "To",
    "Status",
    "Tries",
    "Provider id",
    "Sent",
    "Delivered",
)


def _status(value: rx.Var) -> rx.Component:
    return rx.badge(
        value,
        color_scheme=rx.match(
            value,
            ("delivered", "green"),
            ("sent", "blue"),
            ("failed", "red"),
            ("console only", "amber"),
            "gray",
        ),
        variant="soft",
    )


def _row(m: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.table.row(
            rx.table.cell(m["id"]),
            rx.table.cell(m["created"], white_space="nowrap"),
            rx.table.cell(m["channel"]),
            rx.table.cell(rx.code(m["kind"])),
            rx.table.cell(m["recipient"], white_space="nowrap"),
            rx.table.cell(_status(m["status"])),
            rx.table.cell(m["attempts"]),
            rx.table.cell(rx.text(m["provider"], " ", m["provider_id"], size="1", overflow_wrap="anywhere")),
            rx.table.cell(m["sent"], white_space="nowrap"),
            rx.table.cell(m["delivered"], white_space="nowrap"),
            class_name="message-row",
        ),
        rx.cond(
            (m["error"] != "") | (m["next"] != "—"),
            rx.table.row(
                rx.table.cell(
                    rx.text(
                        rx.cond(m["next"] != "—", rx.text.span("Next try ", m["next"], ". "), ""),
                        m["error"],
                        size="1",
                        color_scheme="red",
                        overflow_wrap="anywhere",
                    ),
                    col_span=len(COLUMNS),
                ),
                class_name="message-error",
            ),
        ),
    )


def messages_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.el.label(rx.text("Status", size="1", weight="medium"), html_for="message-status"),
            rx.select.root(
                rx.select.trigger(id="message-status"),
                rx.select.content(*[rx.select.item(label, value=value) for value, label in FILTER_LABELS]),
                value=M.message_status,
                on_change=M.filter_messages,
                name="message_status",
            ),
            rx.text(
                "The latest 100 messages, newest first. Recipients are masked.", size="1", color_scheme="gray"
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        error_callout(M.messages_error, id="messages-error"),
        rx.cond(
            M.messages_loading,
            loading_block(),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in COLUMNS])),
                rx.table.body(rx.foreach(M.messages, _row)),
                width="100%",
                size="1",
                variant="surface",
                id="messages-table",
            ),
        ),
        spacing="3",
        width="100%",
        padding_top="12px",
        on_mount=M.load_messages,
    )
