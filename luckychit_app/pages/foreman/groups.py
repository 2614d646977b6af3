"""Foreman: the list of groups (/f/groups), with each group's status badge (the group's own page is
pages/foreman/group.py, the new-group form pages/foreman/new_group.py). Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import control_label
from luckychit_app.components.pager import pager
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block
from luckychit_app.components.stat_card import percent_bar
from luckychit_app.state.dashboard import GroupsListState

STATUS_COLOURS = {
    "forming": "amber",
    "active": "green",
    "completed": "gray",
    "closed": "blue",
    "cancelled": "red",
}


def group_status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(k, rx.badge(k.capitalize(), color_scheme=c)) for k, c in STATUS_COLOURS.items()],
        rx.badge(status),
    )


def _group_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.link(row["name"], href="/f/groups/" + row["id"], weight="medium"),
                rx.cond(
                    row["branch"] != "",
                    rx.badge(row["branch"], variant="soft", class_name="group-branch"),
                ),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(row["kind"]),
        rx.table.cell(row["value"]),
        rx.table.cell(row["members"]),
        rx.table.cell(group_status_badge(row["status"])),
        rx.table.cell(row["stage"]),
        rx.table.cell(
            rx.cond(
                row["collection"] != "—",
                rx.vstack(
                    rx.hstack(
                        # Rounded to fit ("₹7.05L of ₹11L"); the exact figures on hover.
                        rx.text(row["collection"], size="2", title=row["collection_exact"]),
                        rx.text(row["collection_pct"], size="2", weight="bold"),
                        spacing="2",
                    ),
                    percent_bar(
                        row["pct_value"], size="1", aria_label="Collected this month in " + row["name"]
                    ),
                    spacing="1",
                    min_width="160px",
                ),
                rx.text("—"),
            )
        ),
        class_name="group-row",
    )


def groups_page() -> rx.Component:
    """All the foreman's groups, a page at a time, with this month's collection."""
    return foreman_shell(
        error_callout(GroupsListState.error),
        rx.hstack(
            rx.form(
                rx.hstack(
                    control_label("Name", "groups-search"),
                    rx.input(
                        name="search",
                        placeholder="Search groups",
                        max_length=80,
                        width="220px",
                        id="groups-search",
                    ),
                    control_label("Status", "groups-status"),
                    rx.select.root(
                        rx.select.trigger(placeholder="Any status", id="groups-status"),
                        rx.select.content(
                            rx.select.item("Any status", value="any"),
                            *[rx.select.item(k.capitalize(), value=k) for k in STATUS_COLOURS],
                        ),
                        name="status",
                        default_value="any",
                    ),
                    rx.button("Filter", type="submit", variant="soft"),
                    spacing="2",
                    align="center",
                ),
                on_submit=GroupsListState.filter,
            ),
            rx.spacer(),
            rx.link(rx.button(rx.icon("plus"), "New group"), href="/f/groups/new"),
            width="100%",
            wrap="wrap",
        ),
        rx.cond(
            GroupsListState.loading,
            loading_block(),
            rx.cond(
                GroupsListState.rows.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in (
                                    "Group",
                                    "Type",
                                    "Chit value",
                                    "Members",
                                    "Status",
                                    "Stage",
                                    "This month",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(GroupsListState.rows, _group_row)),
                    width="100%",
                    variant="surface",
                    id="groups-table",
                ),
                rx.callout("No groups yet. Create your first chit group.", icon="info"),
            ),
        ),
        pager(GroupsListState, "groups-pager"),
        title="Your chit groups",
    )
