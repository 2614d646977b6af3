"""The group page's Members tab: the ticket holders with suspend / reinstate / remove (with a reason),
join requests, search and paging; while the group is forming, the forms that add members
(pages/foreman/member_adding.py); while it runs, each ticket's default, removal with a substitute and
exit, and the refunds to subscribers who left (pages/foreman/ticket_changes.py). Layout only; the
states call the services."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.member_forms import join_requests_card
from luckychit_app.components.pager import pager
from luckychit_app.components.shells import error_callout, loading_block, notice_callout
from luckychit_app.pages.foreman.member_adding import add_one_form, bulk_add_form, invite_card
from luckychit_app.pages.foreman.member_cells import dues_cell, kyc_badge, members_table, ticket_badge
from luckychit_app.pages.foreman.ticket_changes import change_buttons, change_note, ticket_changes_panel
from luckychit_app.pages.foreman.ticket_transfer import transfer_button, transfer_dialog
from luckychit_app.state.foreman import GroupPageState
from luckychit_app.state.group_tabs import GroupMembersState as S

# Adding and removing members is for a forming group only. The page header's status changes the
# moment "Start the group" succeeds, so the forms go at once, before the tab has re-read its rows.
FORMING = S.is_forming & (GroupPageState.group["status"] == "forming")


def _actions(m: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(
            (m["status"] == "active") & (m["group_live"] == "yes"),
            rx.button(
                "Suspend",
                size="1",
                variant="soft",
                color_scheme="orange",
                on_click=S.ask_status(m["ticket_id"], "suspended", m["name"]),
                class_name="suspend",
            ),
        ),
        rx.cond(
            (m["status"] == "suspended") & (m["group_live"] == "yes"),
            rx.button(
                "Reinstate",
                size="1",
                variant="soft",
                on_click=S.ask_status(m["ticket_id"], "active", m["name"]),
                class_name="reinstate",
            ),
        ),
        rx.cond(
            (m["status"] != "removed") & (m["group_forming"] == "yes") & (m["is_foreman"] == "") & FORMING,
            rx.button(
                "Remove",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=S.ask_status(m["ticket_id"], "removed", m["name"]),
                class_name="remove",
            ),
        ),
        change_buttons(m),
        transfer_button(m),
        spacing="2",
        wrap="wrap",
    )


def _member_row(m: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(m["ticket_no"]),
        rx.table.cell(
            rx.vstack(
                rx.text(m["name"], weight="medium"),
                rx.text(m["reason"], size="1", color_scheme="gray"),
                change_note(m),
                spacing="0",
            )
        ),
        rx.table.cell(m["mobile"]),
        rx.table.cell(ticket_badge(m["status"])),
        rx.table.cell(m["prized"]),
        rx.table.cell(dues_cell(m)),
        rx.table.cell(kyc_badge(m["kyc"])),
        rx.table.cell(_actions(m)),
        class_name="member-row",
    )


def _status_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.action_title),
            rx.dialog.description(
                rx.cond(
                    S.action_status == "active",
                    "The member becomes eligible again once their dues are paid.",
                    "The member's history stays intact. Tell them why; the reason is recorded.",
                ),
                size="2",
            ),
            rx.form(
                rx.vstack(
                    rx.text(
                        rx.cond(S.action_status == "active", "Reason (optional)", "Reason (required)"),
                        size="2",
                        weight="medium",
                        as_="label",
                        custom_attrs={"htmlFor": "status-reason"},
                    ),
                    rx.input(name="reason", max_length=200, width="100%", id="status-reason"),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Confirm", type="submit", id="confirm-status"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.confirm_status,
                reset_on_submit=True,
            ),
        ),
        open=S.action_open,
        on_open_change=S.set_action_open,
    )


def _request(r: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(r["name"], weight="medium"),
        rx.text(r["mobile"]),
        rx.text(r["message"], color_scheme="gray"),
        rx.text(r["when"], size="1", color_scheme="gray"),
        rx.spacer(),
        rx.button("Approve", size="1", on_click=S.decide(r["id"], True), class_name="approve"),
        rx.button(
            "Reject",
            size="1",
            color_scheme="red",
            variant="soft",
            on_click=S.decide(r["id"], False),
        ),
        align="center",
        width="100%",
        class_name="join-request",
    )


def members_tab() -> rx.Component:
    """The group page's Members tab."""
    return rx.vstack(
        error_callout(S.error),
        notice_callout(S.notice),
        rx.cond(
            FORMING,
            rx.vstack(
                rx.grid(
                    add_one_form(),
                    invite_card(),
                    columns=rx.breakpoints(initial="1", lg="2"),
                    spacing="3",
                    width="100%",
                ),
                bulk_add_form(),
                spacing="3",
                width="100%",
            ),
        ),
        join_requests_card(S.requests, _request),
        rx.form(
            rx.hstack(
                rx.input(
                    name="search",
                    placeholder="Name or mobile",
                    max_length=80,
                    id="member-search",
                    aria_label="Search members by name or mobile",
                ),
                rx.button("Search", type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=S.filter,
        ),
        rx.cond(
            S.loading,
            loading_block(),
            members_table(
                S.rows,
                _member_row,
                ("Ticket", "Member", "Mobile", "Status", "Prized", "Dues", "KYC", "Actions"),
                "members-table",
            ),
        ),
        pager(S, "members-pager"),
        _status_dialog(),
        ticket_changes_panel(),
        transfer_dialog(),
        spacing="3",
        width="100%",
        padding_top="12px",
    )
