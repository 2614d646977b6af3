"""Foreman: one group's page (/f/groups/[group_id]): its terms, the start and cancel buttons while it
forms, the closing panel once its last draw is held, and its tabs Members / Collections / Draws /
Payouts / Settings. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell, loading_block, notice_callout
from luckychit_app.pages.foreman.collections import collections_tab
from luckychit_app.pages.foreman.group_closing import cancel_action, closing_panel
from luckychit_app.pages.foreman.group_members import members_tab
from luckychit_app.pages.foreman.group_paperwork import paperwork_tab
from luckychit_app.pages.foreman.group_reminders import reminders_card
from luckychit_app.pages.foreman.groups import group_status_badge
from luckychit_app.pages.foreman.reports import export_links
from luckychit_app.state.foreman import GroupPageState
from luckychit_app.state.group_draws import GroupDrawsState
from luckychit_app.state.group_tabs import CollectionGridState, GroupMembersState, GroupSettingsState


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


def _draw_date(d: rx.Var) -> rx.Component:
    """The month's date in the chit agreement, how far it is while the draw is open, and the day a
    draw was held when that was another day."""
    return rx.vstack(
        rx.text(d["date"], class_name="draw-date"),
        rx.cond(d["when"] != "", rx.text(d["when"], size="1", color_scheme="gray")),
        rx.cond(d["held"] != "", rx.text("held ", d["held"], size="1", color_scheme="amber")),
        spacing="0",
    )


def _draw_status(d: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.badge(
            d["status_label"],
            color_scheme=rx.match(
                d["status"], ("completed", "green"), ("cancelled", "gray"), ("scheduled", "gray"), "blue"
            ),
        ),
        rx.cond(
            d["early"] != "",
            rx.tooltip(
                rx.badge(
                    rx.cond(d["early"] == "refuse", "Not before its date", "Before its date"),
                    color_scheme=rx.cond(d["early"] == "refuse", "red", "amber"),
                    variant="soft",
                    class_name="draw-early",
                ),
                content=d["early_text"],
            ),
        ),
        spacing="1",
    )


def draws_tab() -> rx.Component:
    """Draws: every month's draw with its date (the chit agreement's; s.16(1) has it held then), the
    commitment, the result, and the way to the draw console."""
    return rx.vstack(
        error_callout(GroupDrawsState.error),
        rx.cond(
            GroupDrawsState.loading,
            loading_block(),
            rx.cond(
                GroupDrawsState.rows.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Month", "Draw date", "Status", "Commitment", "Winner", "Prize", "")
                            ]
                        )
                    ),
                    rx.table.body(
                        rx.foreach(
                            GroupDrawsState.rows,
                            lambda d: rx.table.row(
                                rx.table.cell(d["month"]),
                                rx.table.cell(_draw_date(d)),
                                rx.table.cell(_draw_status(d)),
                                rx.table.cell(
                                    rx.cond(d["id"] != "", rx.code(d["commitment"]), d["commitment"])
                                ),
                                rx.table.cell(d["winner"]),
                                rx.table.cell(d["prize"]),
                                rx.table.cell(
                                    # A month still to come has no draw yet (it opens with its month).
                                    rx.cond(
                                        d["id"] != "",
                                        rx.link(
                                            rx.button(
                                                rx.cond(d["status"] == "completed", "Result", "Open draw"),
                                                size="1",
                                                variant=rx.cond(d["status"] == "completed", "soft", "solid"),
                                            ),
                                            href="/f/draws/" + d["id"],
                                            class_name="open-draw",
                                        ),
                                    )
                                ),
                                class_name=rx.cond(d["id"] != "", "draw-row", "draw-row-later"),
                            ),
                        )
                    ),
                    width="100%",
                    variant="surface",
                    id="draws-table",
                ),
                rx.text(
                    "Month 1's draw and its commitment are published when the group starts.",
                    color_scheme="gray",
                    size="2",
                ),
            ),
        ),
        spacing="3",
        width="100%",
    )


def payouts_tab() -> rx.Component:
    """Payouts: prizes, security and release live on the group's payments page, in its Prizes tab
    (pages/foreman/payments_prizes.py)."""
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
                    rx.text(
                        "Group name",
                        size="2",
                        weight="medium",
                        as_="label",
                        custom_attrs={"htmlFor": "settings-name"},
                    ),
                    rx.input(
                        name="name",
                        default_value=st["name"],
                        key=st["name"],
                        max_length=80,
                        required=True,
                        id="settings-name",
                        width="100%",
                    ),
                    rx.text(
                        "UPI ID for direct payments",
                        size="2",
                        weight="medium",
                        as_="label",
                        custom_attrs={"htmlFor": "settings-upi"},
                    ),
                    rx.input(
                        name="upi_vpa",
                        default_value=st["upi_vpa"],
                        key=st["upi_vpa"],
                        placeholder="name@bank",
                        max_length=60,
                        id="settings-upi",
                        width="100%",
                    ),
                    rx.button("Save", type="submit", id="settings-save"),
                    spacing="2",
                    width="100%",
                    max_width="640px",
                ),
                on_submit=GroupSettingsState.save,
                reset_on_submit=False,
            ),
            width="100%",
        ),
        reminders_card(),
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
                            # The chit agreement's own terms (issue 15; docs/agreement_terms.md).
                            ("Instalments", "period"),
                            ("Maximum discount", "max_discount"),
                            ("Foreman's first chit", "foreman_first_chit"),
                            ("Rounding remainder to", "remainder_to"),
                            ("Dividend forfeited when in arrears", "forfeit_dividend_when_late"),
                            ("Default after", "default_after"),
                            ("Deduction on removal (s.30)", "removal_deduction"),
                            ("Removed subscriber refunded", "removed_refund_at"),
                            ("Late fees go to", "late_fee_pool_to"),
                            ("GST on the commission", "gst_recovery"),
                            ("A draw before its date (s.16)", "early_draw"),
                        )
                    ],
                    columns=rx.breakpoints(initial="2", md="4"),
                    spacing="3",
                    width="100%",
                ),
                rx.cond(
                    st["discount_warning"],
                    rx.callout(st["discount_warning"], icon="triangle_alert", color_scheme="amber", size="1"),
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
                    rx.heading(g["name"], size="7", id="group-name"),
                    group_status_badge(g["status"]),
                    rx.text(g["stage"], color_scheme="gray"),
                    rx.spacer(),
                    rx.cond(
                        g["can_activate"],
                        rx.button(
                            "Start the group (opens month 1)",
                            color_scheme="green",
                            # Then the tabs re-read at once (one after the other): the Members tab
                            # stops offering to add or remove, the Draws tab shows month 1's draw.
                            on_click=[
                                GroupPageState.activate,
                                GroupMembersState.load_quiet,
                                GroupDrawsState.load,
                            ],
                            id="activate",
                        ),
                    ),
                    rx.cond(g["status"] == "forming", cancel_action()),
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
                # The end of the group's life (issue 15): settle, pay the refunds, close; then its papers.
                rx.cond((g["status"] == "completed") | (g["status"] == "closed"), closing_panel()),
                rx.tabs.root(
                    rx.tabs.list(
                        rx.tabs.trigger("Members", value="members"),
                        rx.tabs.trigger("Collections", value="collections"),
                        rx.tabs.trigger("Draws", value="draws"),
                        rx.tabs.trigger("Payouts", value="payouts"),
                        rx.tabs.trigger("Settings", value="settings"),
                        rx.tabs.trigger("Paperwork", value="paperwork"),
                    ),
                    rx.tabs.content(members_tab(), value="members"),
                    rx.tabs.content(collections_tab(), value="collections"),
                    rx.tabs.content(draws_tab(), value="draws", padding_top="12px"),
                    rx.tabs.content(payouts_tab(), value="payouts", padding_top="12px"),
                    rx.tabs.content(settings_tab(), value="settings"),
                    rx.tabs.content(paperwork_tab(), value="paperwork"),
                    default_value="members",
                    on_change=CollectionGridState.tab_changed,
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title="",  # the group's own name heads the page
    )
