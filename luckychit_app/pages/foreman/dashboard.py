"""The foreman's home (/f): four statistics cards, the collection and outstanding charts and recent
activity (the pending-actions page the fourth card opens is pages/foreman/actions.py). Layout only."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell, loading_block
from luckychit_app.components.stat_card import percent_bar, stat_card
from luckychit_app.state.charts import CHART_CONFIG
from luckychit_app.state.dashboard import DashboardState


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
                percent_bar(c["month_pct_value"], width="100%"),
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
