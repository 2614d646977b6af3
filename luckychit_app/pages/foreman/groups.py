"""Foreman: list of groups (/f/groups), new-group form, and one group's page with its tabs
Members / Collections / Draws / Payouts / Settings."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell, notice_callout
from luckychit_app.pages.foreman.collections import collections_tab
from luckychit_app.pages.foreman.dashboard import loading_block, pager
from luckychit_app.pages.foreman.members import members_tab
from luckychit_app.pages.foreman.reports import export_links
from luckychit_app.state.dashboard import GroupsListState
from luckychit_app.state.foreman import GroupPageState, NewGroupState
from luckychit_app.state.group_tabs import CollectionGridState, GroupSettingsState

STATUS_COLOURS = {"forming": "amber", "active": "green", "completed": "gray", "cancelled": "red"}


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(k, rx.badge(k.capitalize(), color_scheme=c)) for k, c in STATUS_COLOURS.items()],
        rx.badge(status),
    )


def _group_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["name"], href="/f/groups/" + row["id"], weight="medium")),
        rx.table.cell(row["kind"]),
        rx.table.cell(row["value"]),
        rx.table.cell(row["members"]),
        rx.table.cell(_status_badge(row["status"])),
        rx.table.cell(row["stage"]),
        rx.table.cell(
            rx.cond(
                row["collection"] != "—",
                rx.vstack(
                    rx.hstack(
                        rx.text(row["collection"], size="2"),
                        rx.text(row["collection_pct"], size="2", weight="bold"),
                        spacing="2",
                    ),
                    rx.progress(value=row["pct_value"].to(int), max=100, color_scheme="green", size="1"),
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
                    rx.input(name="search", placeholder="Search groups", max_length=80, width="220px"),
                    rx.select.root(
                        rx.select.trigger(placeholder="Any status"),
                        rx.select.content(
                            rx.select.item("Any status", value="any"),
                            *[rx.select.item(k.capitalize(), value=k) for k in STATUS_COLOURS],
                        ),
                        name="status",
                        default_value="any",
                    ),
                    rx.button("Filter", type="submit", variant="soft"),
                    spacing="2",
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


def _input(label: str, name: str, hint: str = "", **props: object) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", html_for=name),
        rx.input(name=name, id=name, width="100%", **props),
        rx.cond(NewGroupState.error_field == name, rx.text(NewGroupState.error, color="red", size="1")),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        spacing="1",
        width="100%",
    )


def new_group_page() -> rx.Component:
    return foreman_shell(
        error_callout(NewGroupState.error),
        rx.form(
            rx.vstack(
                _input("Group name", "name", required=True, max_length=80, placeholder="Diwali Savings 2026"),
                rx.vstack(
                    rx.text("Draw type", size="2", weight="medium"),
                    rx.segmented_control.root(
                        rx.segmented_control.item("Lucky draw", value="lucky"),
                        rx.segmented_control.item("Auction", value="auction"),
                        value=NewGroupState.kind,
                        on_change=NewGroupState.set_kind,
                        id="kind",
                    ),
                    spacing="1",
                ),
                rx.grid(
                    _input(
                        "Chit value (₹)",
                        "chit_value",
                        "Must divide evenly among the tickets.",
                        required=True,
                        input_mode="decimal",
                        placeholder="1,00,000",
                    ),
                    _input(
                        "Tickets (members × months)",
                        "tickets",
                        "2 to 100",
                        required=True,
                        input_mode="numeric",
                        placeholder="20",
                    ),
                    _input(
                        "Foreman commission (%)",
                        "commission_pct",
                        "0 to 7% of the chit value each month.",
                        default_value="5",
                    ),
                    _input("Draw day of month", "draw_day", "1 to 28", default_value="10"),
                    rx.cond(
                        NewGroupState.kind == "auction",
                        _input(
                            "Maximum discount (%)", "max_discount_pct", "At most 40%.", default_value="30"
                        ),
                    ),
                    rx.cond(
                        NewGroupState.kind == "auction",
                        _input("Minimum bid step (₹)", "min_bid_step", default_value="100"),
                    ),
                    _input("Grace days before late fee", "grace_days", default_value="0"),
                    _input(
                        "Flat late fee per month (₹)",
                        "late_fee_flat",
                        "Used when late fee is flat.",
                        default_value="0",
                    ),
                    _input("UPI ID for direct payments", "upi_vpa", "Optional, like name@bank."),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                rx.hstack(
                    rx.text("Late fee", size="2", weight="medium"),
                    rx.select(["none", "flat", "interest"], name="late_fee_mode", default_value="none"),
                    rx.text("Interest % per month", size="2"),
                    rx.input(name="late_fee_interest_pct", default_value="0", width="80px"),
                    align="center",
                    wrap="wrap",
                ),
                rx.checkbox("Foreman takes the first chit (month 1, no discount)", name="foreman_first_chit"),
                rx.button("Create group", type="submit", size="3", id="create-group"),
                spacing="4",
                width="100%",
                max_width="720px",
            ),
            on_submit=NewGroupState.submit,
            reset_on_submit=False,
        ),
        title="New chit group",
    )


def _stat(label: str, value: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray"),
            rx.text(value, size="4", weight="bold"),
            spacing="1",
        ),
        min_width="150px",
    )


# Each tab's content lives in its own function (or module), so the engineers who own the draws,
# payouts and members/collections work can each change their tab without touching the others.


def draws_tab() -> rx.Component:
    """Draws: history, the next commitment, and the draw actions."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(h)
                    for h in ("Month", "Status", "Commitment", "Winner", "Prize", "")
                ]
            )
        ),
        rx.table.body(
            rx.foreach(
                GroupPageState.draws,
                lambda d: rx.table.row(
                    rx.table.cell(d["month"]),
                    rx.table.cell(d["status"]),
                    rx.table.cell(rx.code(d["commitment"])),
                    rx.table.cell(d["winner"]),
                    rx.table.cell(d["prize"]),
                    rx.table.cell(
                        rx.link(
                            rx.button(
                                rx.cond(d["status"] == "completed", "Result", "Open draw"),
                                size="1",
                                variant=rx.cond(d["status"] == "completed", "soft", "solid"),
                            ),
                            href="/f/draws/" + d["id"],
                            class_name="open-draw",
                        )
                    ),
                    class_name="draw-row",
                ),
            )
        ),
        width="100%",
        variant="surface",
    )


def payouts_tab() -> rx.Component:
    """Payouts: prizes, security and release live on the group's payments page (pages/foreman/payments.py)."""
    return rx.vstack(
        rx.text(
            "Collect cash and bank payments, confirm UPI payments, refund, see who is overdue, and release "
            "prizes with the winner's security on the group's payments page.",
            color_scheme="gray",
        ),
        rx.link(
            rx.button(rx.icon("indian-rupee"), "Open payments and prizes"),
            href="/f/groups/" + GroupPageState.group["id"].to(str) + "/payments",
            id="open-payments",
        ),
        spacing="3",
    )


def settings_tab() -> rx.Component:
    """Settings: name and UPI ID (terms are fixed once the group runs), exports and statement."""
    st = GroupSettingsState.settings
    return rx.vstack(
        error_callout(GroupSettingsState.error),
        notice_callout(GroupSettingsState.notice),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Name and UPI", size="3"),
                    rx.text("Group name", size="2", weight="medium"),
                    rx.input(
                        name="name",
                        default_value=st["name"],
                        key=st["name"],
                        max_length=80,
                        required=True,
                        id="settings-name",
                    ),
                    rx.text("UPI ID for direct payments", size="2", weight="medium"),
                    rx.input(
                        name="upi_vpa",
                        default_value=st["upi_vpa"],
                        key=st["upi_vpa"],
                        placeholder="name@bank",
                        max_length=60,
                    ),
                    rx.button("Save", type="submit", id="settings-save"),
                    spacing="2",
                    max_width="420px",
                ),
                on_submit=GroupSettingsState.save,
                reset_on_submit=False,
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Terms", size="3"),
                rx.cond(
                    st["terms_locked"] == "yes",
                    rx.text(
                        "The terms are fixed now that the group has started.", size="2", color_scheme="gray"
                    ),
                ),
                rx.grid(
                    *[
                        rx.vstack(
                            rx.text(label, size="1", color_scheme="gray"), rx.text(st[key]), spacing="0"
                        )
                        for label, key in (
                            ("Type", "kind"),
                            ("Chit value", "value"),
                            ("Tickets", "tickets"),
                            ("Commission", "commission"),
                            ("Draw day", "draw_day"),
                            ("Late fee", "late_fee"),
                            ("Started", "start"),
                        )
                    ],
                    columns="4",
                    spacing="3",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Reports", size="3"),
                export_links(GroupPageState.group["id"]),
                spacing="2",
            ),
            width="100%",
        ),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


def group_page() -> rx.Component:
    g = GroupPageState.group
    return foreman_shell(
        error_callout(GroupPageState.error),
        notice_callout(GroupPageState.notice),
        rx.cond(
            GroupPageState.loading,
            loading_block(),
            rx.vstack(
                rx.hstack(
                    rx.heading(g["name"], size="6", id="group-name"),
                    _status_badge(g["status"]),
                    rx.text(g["stage"], color_scheme="gray"),
                    rx.spacer(),
                    rx.cond(
                        g["can_activate"],
                        rx.button(
                            "Start the group (opens month 1)",
                            color_scheme="green",
                            on_click=GroupPageState.activate,
                            id="activate",
                        ),
                    ),
                    align="center",
                    spacing="3",
                    width="100%",
                ),
                rx.flex(
                    _stat("Chit value", g["value"]),
                    _stat("Installment", g["installment"]),
                    _stat("Type", g["kind"]),
                    _stat("Commission", g["commission"]),
                    _stat("Members", g["seats"]),
                    _stat("Draw day", g["draw_day"]),
                    wrap="wrap",
                    spacing="3",
                ),
                rx.tabs.root(
                    rx.tabs.list(
                        rx.tabs.trigger("Members", value="members"),
                        rx.tabs.trigger("Collections", value="collections"),
                        rx.tabs.trigger("Draws", value="draws"),
                        rx.tabs.trigger("Payouts", value="payouts"),
                        rx.tabs.trigger("Settings", value="settings"),
                    ),
                    rx.tabs.content(members_tab(), value="members"),
                    rx.tabs.content(collections_tab(), value="collections"),
                    rx.tabs.content(draws_tab(), value="draws", padding_top="12px"),
                    rx.tabs.content(payouts_tab(), value="payouts", padding_top="12px"),
                    rx.tabs.content(settings_tab(), value="settings"),
                    default_value="members",
                    on_change=CollectionGridState.tab_changed,
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title="Group",
    )
