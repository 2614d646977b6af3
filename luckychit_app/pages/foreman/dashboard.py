"""The foreman's home (/f): four statistics cards, the collection and outstanding charts and recent
activity (the pending-actions page the fourth card opens is pages/foreman/actions.py). Layout only.

The charts draw with plotly's basic bundle (`rx.plotly.basic`: bar, scatter and pie traces; 0.36 MB
gzipped instead of the full plotly.js's 1.38 MB), see components/chart_library.py."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from luckychit_app.components.chart_library import chart_preload
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block
from luckychit_app.components.stat_card import percent_bar, stat_card
from luckychit_app.state.charts import CHART_CONFIG, COLLECTION_HEIGHT
from luckychit_app.state.dashboard import DashboardState


def _cards() -> rx.Component:
    c = DashboardState.cards
    # Each badge's words come with its count from the service ("1 draw due", "2 draws due").
    pending = rx.flex(
        *[
            rx.cond(
                c[key] != "0",
                rx.badge(c[f"{key}_label"], color_scheme=colour, variant="soft", class_name="pending-badge"),
            )
            for key, colour in (
                ("overdue", "red"),
                ("upi", "amber"),
                ("joins", "blue"),
                ("draws", "violet"),
                ("payouts", "teal"),
                ("queries", "orange"),
                ("changes", "crimson"),
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
            # The card's detail gives the exact figures; the rounded one says them on hover.
            rx.text.span(
                c["month_collected_exact"],
                " of ",
                c["month_due_exact"],
                " due in ",
                c["month_label"],
                id="collection-exact",
            ),
            icon="indian-rupee",
            href="/f/collections",
            card_id="card-collection",
            colour="green",
            exact=c["month_collected_exact"] + " collected of " + c["month_due_exact"] + " due",
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
        # GST on the commission (issue 19): shown once the company has charged any.
        rx.cond(
            c["gst_payable"] != "",
            rx.text(
                "GST on commission this month ",
                rx.text.strong(c["gst_month"]),
                " · GST payable ",
                rx.text.strong(c["gst_payable"]),
                size="2",
                color_scheme="gray",
                id="dashboard-gst",
                grid_column="1 / -1",
            ),
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
            rx.link(
                item["text"],
                href=item["link"],
                size="2",
                weight="medium",
                color=rx.color("gray", 12),
                title=item["detail"],  # a folded burst's names; a single event's own words
            ),
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


def _chart_slot(chart: rx.Component, *, height: rx.Var | str, slot_id: str) -> rx.Component:
    """A chart's place on the page, as tall as the chart will be, with a pulsing placeholder until
    plotly has drawn into it (on a first visit its script still has to load, unless the sign-in
    page fetched it: components/chart_library.py): no blank white box and no jump in the layout.
    Pure CSS (`:has`), so the placeholder costs no event."""
    return rx.box(
        chart,
        position="relative",
        width="100%",
        min_height=height,
        id=slot_id,
        class_name="chart-slot",
        style={
            "&:not(:has(.main-svg))::before": {
                "content": '"Drawing the chart…"',
                "position": "absolute",
                "inset": "0",
                "display": "flex",
                "align_items": "center",
                "justify_content": "center",
                "background": rx.color("gray", 3),
                "color": rx.color("gray", 10),
                "border_radius": "var(--radius-3)",
                "font_size": "var(--font-size-2)",
                "animation": "rt-skeleton-pulse 1000ms infinite alternate-reverse",  # Radix Themes' own
            },
        },
    )


def _panel(title: str, *children: rx.Component, **props: object) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(title, size="4"), *children, spacing="3", width="100%"),
        width="100%",
        **props,
    )


def dashboard_page() -> rx.Component:
    return foreman_shell(
        chart_preload(),  # the chart library loads beside the dashboard's data, not after it
        error_callout(DashboardState.error),
        rx.cond(
            DashboardState.loading,
            loading_block("Loading your dashboard…"),
            rx.vstack(
                _cards(),
                rx.grid(
                    _panel(
                        "Collected vs due, last 12 months",
                        _chart_slot(
                            rx.plotly.basic(
                                data=DashboardState.collection_fig.to(go.Figure),
                                config=CHART_CONFIG,
                                width="100%",
                                id="collection-chart",
                            ),
                            height=f"{COLLECTION_HEIGHT}px",
                            slot_id="collection-slot",
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
                            _chart_slot(
                                rx.plotly.basic(
                                    data=DashboardState.outstanding_fig.to(go.Figure),
                                    config=CHART_CONFIG,
                                    width="100%",
                                    id="outstanding-chart",
                                ),
                                height=DashboardState.outstanding_height,
                                slot_id="outstanding-slot",
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
