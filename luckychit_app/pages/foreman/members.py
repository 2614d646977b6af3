"""The directory of every member across the foreman's groups (/f/members), searchable and filtered by
ticket status (adding members happens on a forming group's Members tab). Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.pager import pager
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block
from luckychit_app.pages.foreman.member_cells import dues_cell, kyc_badge, members_table, ticket_badge
from luckychit_app.state.dashboard import MembersDirectoryState

D = MembersDirectoryState


def _directory_row(m: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(m["name"], weight="medium")),
        rx.table.cell(m["mobile"]),
        rx.table.cell(rx.link(m["group"], href="/f/groups/" + m["group_id"])),
        rx.table.cell(m["ticket_no"]),
        rx.table.cell(ticket_badge(m["status"])),
        rx.table.cell(m["prized"]),
        rx.table.cell(dues_cell(m)),
        rx.table.cell(kyc_badge(m["kyc"])),
        class_name="directory-row",
    )


def members_directory_page() -> rx.Component:
    return foreman_shell(
        error_callout(D.error),
        rx.form(
            rx.hstack(
                rx.input(name="search", placeholder="Search name or mobile", max_length=80, width="260px"),
                rx.select.root(
                    rx.select.trigger(placeholder="Any status"),
                    rx.select.content(
                        rx.select.item("Any status", value="any"),
                        *[
                            rx.select.item(s.capitalize(), value=s)
                            for s in ("active", "suspended", "pending", "removed")
                        ],
                    ),
                    name="status",
                    default_value="any",
                ),
                rx.button("Filter", type="submit", variant="soft"),
                spacing="2",
                wrap="wrap",
            ),
            on_submit=D.filter,
        ),
        rx.text(
            "To add members, open a forming group; join requests appear under Pending actions.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            D.loading,
            loading_block(),
            members_table(
                D.rows,
                _directory_row,
                ("Member", "Mobile", "Group", "Ticket", "Status", "Prized", "Dues", "KYC"),
                "directory-table",
            ),
        ),
        pager(D, "directory-pager"),
        title="Members",
    )
