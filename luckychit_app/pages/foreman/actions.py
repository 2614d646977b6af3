"""The foreman's pending-actions page (/f/actions), which the dashboard's fourth card opens: overdue
dues, UPI payments to confirm, join requests, draws due, payouts to release and member queries, each
linking to where it is handled. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell, loading_block, notice_callout
from luckychit_app.state.dashboard import ActionsState


def _section(title: str, count: rx.Var, icon: str, body: rx.Component, section_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=18),
                rx.heading(title, size="4"),
                rx.badge(count, variant="soft"),
                align="center",
                spacing="2",
            ),
            body,
            spacing="3",
            width="100%",
        ),
        width="100%",
        id=section_id,
    )


def _table(headers: list[str], rows: rx.Var, render: object) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, render)),
        width="100%",
        size="1",
    )


def _empty(rows: rx.Var, text: str, table: rx.Component) -> rx.Component:
    return rx.cond(rows.length() > 0, table, rx.text(text, color_scheme="gray", size="2"))


# The group's life (issue 15; Chit Funds Act s.28-s.30), from pending_actions.ticket_changes: each
# list is done on its group's Members tab. (key, title, icon, empty text, headers, row cells)
LIFE_SECTIONS = (
    (
        "defaults",
        "Defaults to declare",
        "file-warning",
        "No ticket has reached its agreement's unpaid instalments.",
        ["Member", "Group", "Ticket", "Unpaid", ""],
        ("member", "group", "ticket", "unpaid"),
    ),
    (
        "removals",
        "Notices run out: remove and substitute",
        "user-x",
        "No default notice has run out.",
        ["Member", "Group", "Ticket", "Notice sent", "Arrears", ""],
        ("member", "group", "ticket", "notice", "arrears"),
    ),
    (
        "refunds",
        "Refunds due to subscribers who left",
        "undo-2",
        "No refund is due.",
        ["Member", "Group", "Ticket", "Refund", "Since", ""],
        ("member", "group", "ticket", "amount", "since"),
    ),
    # Papers due to the Registrar (issue 19, item 6; services/paperwork/registrar.py), recorded on
    # the group's Paperwork tab: overdue first, then those due within a week.
    (
        "filings",
        "Papers to file with the Registrar",
        "file-text",
        "Nothing is due to the Registrar.",
        ["Paper", "Group", "Due", "Overdue", ""],
        ("paper", "group", "due", "overdue"),
    ),
)


def _life_section(
    key: str, title: str, icon: str, empty: str, headers: list[str], cells: tuple
) -> rx.Component:
    rows = ActionsState.lists[key].to(list[dict[str, str]])
    return rx.cond(
        ActionsState.lists.contains(key),
        _section(
            title,
            rows.length(),
            icon,
            _empty(
                rows,
                empty,
                _table(
                    headers,
                    rows,
                    lambda r: rx.table.row(
                        *[rx.table.cell(r[c]) for c in cells],
                        rx.table.cell(rx.link("Open members", href=r["link"])),
                    ),
                ),
            ),
            f"actions-{key}",
        ),
    )


def actions_page() -> rx.Component:
    c = ActionsState.counts
    return foreman_shell(
        error_callout(ActionsState.error),
        notice_callout(ActionsState.notice),
        rx.cond(
            ActionsState.loading,
            loading_block(),
            rx.vstack(
                _section(
                    "Overdue dues",
                    c["overdue"],
                    "alarm-clock",
                    rx.hstack(
                        rx.text(
                            c["overdue_tickets"],  # "1 ticket", "3 tickets" (home_dashboard.cards)
                            rx.cond(c["overdue"] == "1", " owes ", " owe "),
                            c["overdue_amount"],
                            " past the due date.",
                        ),
                        rx.spacer(),
                        rx.link(rx.button("Open collections and reminders"), href="/f/collections"),
                        width="100%",
                        align="center",
                    ),
                    "actions-overdue",
                ),
                _section(
                    "UPI payments to confirm",
                    c["upi"],
                    "smartphone",
                    _empty(
                        ActionsState.upi,
                        "No UPI payment is waiting.",
                        _table(
                            ["Member", "Group", "Ticket", "Amount", "UTR", "Sent", ""],
                            ActionsState.upi,
                            lambda r: rx.table.row(
                                rx.table.cell(r["member"]),
                                rx.table.cell(r["group"]),
                                rx.table.cell(r["ticket"]),
                                rx.table.cell(r["amount"]),
                                rx.table.cell(rx.code(r["utr"])),
                                rx.table.cell(r["when"]),
                                rx.table.cell(rx.link("Open group", href=r["link"])),
                            ),
                        ),
                    ),
                    "actions-upi",
                ),
                _section(
                    "Join requests",
                    c["joins"],
                    "user-round-plus",
                    _empty(
                        ActionsState.joins,
                        "No one is waiting to join.",
                        _table(
                            ["Person", "Mobile", "Group", "Message", "Asked", ""],
                            ActionsState.joins,
                            lambda r: rx.table.row(
                                rx.table.cell(r["member"]),
                                rx.table.cell(r["mobile"]),
                                rx.table.cell(r["group"]),
                                rx.table.cell(r["message"]),
                                rx.table.cell(r["when"]),
                                rx.table.cell(
                                    rx.hstack(
                                        rx.button(
                                            "Approve",
                                            size="1",
                                            on_click=ActionsState.decide(r["id"], True),
                                            class_name="approve",
                                        ),
                                        rx.button(
                                            "Reject",
                                            size="1",
                                            variant="soft",
                                            color_scheme="red",
                                            on_click=ActionsState.decide(r["id"], False),
                                        ),
                                    )
                                ),
                            ),
                        ),
                    ),
                    "actions-joins",
                ),
                _section(
                    "Draws due",
                    c["draws"],
                    "ticket",
                    _empty(
                        ActionsState.draws,
                        "No draw is due today.",
                        _table(
                            ["Group", "Month", "Type", "Draw date", ""],
                            ActionsState.draws,
                            lambda r: rx.table.row(
                                rx.table.cell(r["group"]),
                                rx.table.cell(r["month"]),
                                rx.table.cell(r["kind"]),
                                rx.table.cell(r["date"]),
                                rx.table.cell(rx.link("Open draws", href=r["link"])),
                            ),
                        ),
                    ),
                    "actions-draws",
                ),
                _section(
                    "Payouts to release",
                    c["payouts"],
                    "hand-coins",
                    _empty(
                        ActionsState.payouts,
                        "No prize is waiting to be paid.",
                        _table(
                            ["Group", "Month", "Winner", "Ticket", "Prize", ""],
                            ActionsState.payouts,
                            lambda r: rx.table.row(
                                rx.table.cell(r["group"]),
                                rx.table.cell(r["month"]),
                                rx.table.cell(r["member"]),
                                rx.table.cell(r["ticket"]),
                                rx.table.cell(r["amount"]),
                                rx.table.cell(rx.link("Open payouts", href=r["link"])),
                            ),
                        ),
                    ),
                    "actions-payouts",
                ),
                _section(
                    "Member queries",
                    c["queries"],
                    "message-circle-question",
                    _empty(
                        ActionsState.queries,
                        "No query is waiting for an answer.",
                        _table(
                            ["Subject", "Member", "Group", "Updated", ""],
                            ActionsState.queries,
                            lambda r: rx.table.row(
                                rx.table.cell(r["title"]),
                                rx.table.cell(r["member"]),
                                rx.table.cell(r["group"]),
                                rx.table.cell(r["when"]),
                                rx.table.cell(rx.link("Answer", href="/f/disputes?open=" + r["id"])),
                            ),
                        ),
                    ),
                    "actions-queries",
                ),
                *[_life_section(*section) for section in LIFE_SECTIONS],
                spacing="4",
                width="100%",
            ),
        ),
        title="Pending actions",
    )
