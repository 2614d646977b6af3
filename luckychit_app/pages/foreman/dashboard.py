"""The foreman's home (/f): four statistics cards, the collection and outstanding charts, recent
activity; and the pending-actions page (/f/actions) the fourth card opens. Layout only."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from luckychit_app.components.charts import CHART_CONFIG
from luckychit_app.components.shells import error_callout, foreman_shell, notice_callout
from luckychit_app.components.stat_card import stat_card
from luckychit_app.state.dashboard import ActionsState, DashboardState

KIND_COLOURS = {
    "payment": "green",
    "upi": "amber",
    "draw": "violet",
    "join": "blue",
    "request": "orange",
    "payout": "teal",
}


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


def loading_block(label: str = "Loading…") -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(), rx.text(label, color_scheme="gray")), padding="48px", width="100%"
    )


def _cards() -> rx.Component:
    c = DashboardState.cards
    pending = rx.flex(
        *[
            rx.cond(
                c[key] != "0",
                rx.badge(c[key], " ", label, color_scheme=colour, variant="soft"),
            )
            for key, label, colour in (
                ("overdue", "overdue", "red"),
                ("upi", "UPI to confirm", "amber"),
                ("joins", "join requests", "blue"),
                ("draws", "draws due", "violet"),
                ("payouts", "payouts", "teal"),
                ("queries", "queries", "orange"),
            )
        ],
        wrap="wrap",
        gap="4px",
    )
    return rx.grid(
        stat_card(
            "Active Groups",
            c["active_groups"],
            c["groups_note"],
            icon="layout-grid",
            href="/f/groups",
            card_id="card-groups",
        ),
        stat_card(
            "Total Members",
            c["total_members"],
            c["members_note"],
            icon="users",
            href="/f/members",
            card_id="card-members",
            colour="blue",
        ),
        stat_card(
            "This Month's Collection",
            c["month_collected"],
            rx.text.span("of ", c["month_due"], " due in ", c["month_label"]),
            icon="indian-rupee",
            href="/f/collections",
            card_id="card-collection",
            colour="green",
            extra=rx.hstack(
                rx.progress(value=c["month_pct_value"].to(int), max=100, width="100%", color_scheme="green"),
                rx.text(c["month_pct"], size="2", weight="bold"),
                align="center",
                width="100%",
            ),
        ),
        stat_card(
            "Pending Actions",
            c["pending_total"],
            rx.cond(c["pending_total"] == "0", "Nothing waiting for you.", ""),
            icon="bell-ring",
            href="/f/actions",
            card_id="card-pending",
            colour="orange",
            extra=pending,
        ),
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
        spacing="4",
        width="100%",
    )


def _activity_item(item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.icon(item["icon"], size=16),
            padding="6px",
            border_radius="999px",
            background=rx.color("gray", 3),
            display="flex",
        ),
        rx.vstack(
            rx.link(item["text"], href=item["link"], size="2", weight="medium", color=rx.color("gray", 12)),
            rx.text(item["group"], " · ", item["when"], size="1", color_scheme="gray"),
            spacing="0",
            min_width="0",
        ),
        spacing="3",
        align="start",
        width="100%",
        class_name="activity-item",
        padding_y="6px",
        border_bottom=f"1px solid {rx.color('gray', 3)}",
    )


def _panel(title: str, *children: rx.Component, **props: object) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(title, size="4"), *children, spacing="3", width="100%"),
        width="100%",
        **props,
    )


def dashboard_page() -> rx.Component:
    return foreman_shell(
        error_callout(DashboardState.error),
        rx.cond(
            DashboardState.loading,
            loading_block("Loading your dashboard…"),
            rx.vstack(
                _cards(),
                rx.grid(
                    _panel(
                        "Collected vs due, last 12 months",
                        rx.plotly(
                            data=DashboardState.collection_fig.to(go.Figure),
                            config=CHART_CONFIG,
                            width="100%",
                            id="collection-chart",
                        ),
                        rx.text(
                            "Bars: money applied to the dues of each month, by how it was paid. "
                            "Dotted line: what fell due.",
                            size="1",
                            color_scheme="gray",
                        ),
                        grid_column=rx.breakpoints(initial="span 1", lg="span 2"),
                    ),
                    _panel(
                        "Recent activity",
                        rx.cond(
                            DashboardState.activity.length() > 0,
                            rx.vstack(
                                rx.foreach(DashboardState.activity, _activity_item),
                                spacing="0",
                                width="100%",
                                id="activity",
                            ),
                            rx.text("Nothing yet.", color_scheme="gray"),
                        ),
                        grid_row=rx.breakpoints(initial="auto", lg="span 2"),
                    ),
                    _panel(
                        "Outstanding dues by group",
                        rx.cond(
                            DashboardState.has_outstanding,
                            rx.plotly(
                                data=DashboardState.outstanding_fig.to(go.Figure),
                                width="100%",
                                id="outstanding-chart",
                            ),
                            rx.callout("Every due so far is paid.", icon="check", color_scheme="green"),
                        ),
                        grid_column=rx.breakpoints(initial="span 1", lg="span 2"),
                    ),
                    columns=rx.breakpoints(initial="1", lg="3"),
                    spacing="4",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title="Dashboard",
    )


# --- pending actions -------------------------------------------------------------------------


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
                        rx.text(c["overdue"], " tickets owe ", c["overdue_amount"], " past their due dates."),
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
                spacing="4",
                width="100%",
            ),
        ),
        title="Pending actions",
    )
