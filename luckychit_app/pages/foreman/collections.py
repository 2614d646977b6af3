"""Collections: the group page's member × month grid (click a cell to record a payment) and the
overdue list across groups (/f/collections) with WhatsApp and bulk reminders. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.pager import pager
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block, notice_callout
from luckychit_app.components.stat_card import percent_bar
from luckychit_app.components.tables import hidden_input
from luckychit_app.pages.foreman.payment_fields import cash_override_input
from luckychit_app.state.dashboard import CollectionsState as C
from luckychit_app.state.group_tabs import CollectionGridState as G

CELL_COLOURS = {"paid": "green", "partial": "amber", "overdue": "red", "upcoming": "gray"}


def _cell(c: rx.Var) -> rx.Component:
    colour = rx.match(
        c["status"],
        *[(k, rx.color(v, 4)) for k, v in CELL_COLOURS.items()],
        rx.color("gray", 2),
    )
    text_colour = rx.match(
        c["status"],
        *[(k, rx.color(v, 11)) for k, v in CELL_COLOURS.items()],
        rx.color("gray", 11),
    )
    return rx.match(
        c["kind"],
        (
            "head",
            rx.box(
                rx.text(c["text"], size="1", weight="bold"),
                title=c["title"],
                padding="6px 4px",
                text_align="center",
                position="sticky",
                top="0",
                background=rx.color("gray", 2),
            ),
        ),
        (
            "name",
            rx.box(
                rx.text(c["text"], size="2", weight="medium", trim="both", white_space="nowrap"),
                title=c["title"],
                padding="6px 8px",
                overflow="hidden",
                text_overflow="ellipsis",
                position="sticky",
                left="0",
                background=rx.color("gray", 1),
                z_index="1",
            ),
        ),
        rx.box(
            rx.text(c["text"], size="1", weight="medium"),
            title=c["title"],
            background=colour,
            color=text_colour,
            border_radius="6px",
            min_height="30px",
            display="flex",
            align_items="center",
            justify_content="center",
            cursor=rx.cond(c["ticket_id"] != "", "pointer", "default"),
            on_click=G.open_cell(c["ticket_id"], c["month"], c["amount"], c["title"], c["seen"]),
            class_name="grid-cell cell-" + c["status"].to(str),
            custom_attrs={"data-ticket": c["ticket_id"], "data-month": c["month"]},
            _hover={"outline": rx.cond(c["ticket_id"] != "", f"2px solid {rx.color('accent', 8)}", "none")},
        ),
    )


def _legend() -> rx.Component:
    return rx.hstack(
        *[
            rx.hstack(
                rx.box(width="14px", height="14px", border_radius="4px", background=rx.color(colour, 4)),
                rx.text(label, " ", G.counts[key], size="1"),
                spacing="1",
                align="center",
            )
            for key, colour, label in (
                ("paid", "green", "Paid"),
                ("partial", "amber", "Partly paid"),
                ("overdue", "red", "Overdue"),
                ("upcoming", "gray", "Upcoming"),
            )
        ],
        rx.spacer(),
        rx.text(
            "Click a coloured cell with dues to record cash or a bank payment.", size="1", color_scheme="gray"
        ),
        spacing="4",
        width="100%",
        wrap="wrap",
    )


def _pay_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Record a payment"),
            rx.dialog.description(G.pay_label, size="2"),
            rx.form(
                rx.vstack(
                    rx.text(
                        "Amount (₹)",
                        size="2",
                        weight="medium",
                        as_="label",
                        custom_attrs={"htmlFor": "pay-amount"},
                    ),
                    rx.input(
                        name="amount",
                        default_value=G.pay_amount,
                        key=G.pay_ticket + G.pay_amount,
                        input_mode="decimal",
                        required=True,
                        id="pay-amount",
                        width="100%",
                    ),
                    rx.text("Method", size="2", weight="medium", id="pay-method-label"),
                    # Each item draws its own label beside its radio (Radix Themes), so no extra text.
                    rx.radio_group.root(
                        rx.hstack(
                            rx.radio_group.item("Cash", value="cash"),
                            rx.radio_group.item("Bank transfer", value="bank"),
                            spacing="4",
                            align="center",
                        ),
                        name="method",
                        default_value="cash",
                        aria_labelledby="pay-method-label",
                        id="pay-method",
                    ),
                    rx.text(
                        "Reference (optional)",
                        size="2",
                        weight="medium",
                        as_="label",
                        custom_attrs={"htmlFor": "pay-reference"},
                    ),
                    rx.input(
                        name="reference",
                        placeholder="Cheque or transfer number",
                        max_length=100,
                        width="100%",
                        id="pay-reference",
                    ),
                    cash_override_input(size="2", input_id="pay-cash-override"),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Record and issue receipt", type="submit", id="pay-submit"),
                        hidden_input("request_key", G.pay_key),
                        justify="end",
                        width="100%",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=G.record,
                reset_on_submit=True,
            ),
        ),
        open=G.pay_open,
        on_open_change=G.set_pay_open,
    )


def collections_tab() -> rx.Component:
    """The group page's Collections tab."""
    return rx.vstack(
        error_callout(G.error),
        notice_callout(G.notice),
        _legend(),
        rx.cond(
            G.loading,
            loading_block(),
            rx.box(
                rx.grid(
                    rx.foreach(G.cells, _cell),
                    grid_template_columns=G.grid_template,
                    gap="3px",
                    min_width="max-content",
                ),
                overflow_x="auto",
                width="100%",
                # The grid scrolls inside this box: its own width must not count when the page lays
                # out (a long group's months would otherwise widen the whole page past the window).
                contain="inline-size",
                max_height="70vh",
                overflow_y="auto",
                id="collection-grid",
                border=f"1px solid {rx.color('gray', 4)}",
                border_radius="8px",
                padding="4px",
            ),
        ),
        pager(G, "grid-pager"),
        _pay_dialog(),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


# --- the overdue list ---------------------------------------------------------------------------


def _overdue_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(rx.text(r["name"], weight="medium"), rx.text(r["mobile"], size="1"), spacing="0")
        ),
        rx.table.cell(rx.link(r["group"], href="/f/groups/" + r["group_id"])),
        rx.table.cell(r["ticket_no"]),
        rx.table.cell(rx.text(r["amount"], weight="bold", color="red")),
        rx.table.cell(r["since"]),
        rx.table.cell(r["days"]),
        rx.table.cell(r["language"]),
        rx.table.cell(
            rx.button(
                rx.icon("message-circle", size=14),
                "WhatsApp",
                size="1",
                color_scheme="green",
                on_click=C.whatsapp(r["ticket_id"]),
                class_name="remind-whatsapp",
            )
        ),
        class_name="overdue-row",
    )


def collections_page() -> rx.Component:
    c = C.cards
    return foreman_shell(
        error_callout(C.error),
        notice_callout(C.notice),
        rx.grid(
            rx.card(
                rx.vstack(
                    rx.text("This month (", c["month_label"], ")", size="2", color_scheme="gray"),
                    rx.heading(
                        c["month_collected"],
                        " of ",
                        c["month_due"],
                        size="6",
                        title=c["month_collected_exact"] + " of " + c["month_due_exact"],
                    ),
                    percent_bar(c["month_pct_value"]),
                    # The exact figures a foreman reconciles cash against, beside the rounded heading.
                    rx.text(
                        c["month_pct"],
                        " collected: ",
                        c["month_collected_exact"],
                        " of ",
                        c["month_due_exact"],
                        size="2",
                        id="collection-exact",
                    ),
                    spacing="2",
                    width="100%",
                )
            ),
            rx.card(
                rx.vstack(
                    rx.text("Overdue now", size="2", color_scheme="gray"),
                    rx.heading(c["overdue_amount"], size="6", color="red"),
                    rx.text(c["overdue_tickets"], size="2"),
                    spacing="2",
                )
            ),
            rx.card(
                rx.vstack(
                    rx.text("Remind everyone overdue", size="2", color_scheme="gray"),
                    rx.text(
                        "Queues an SMS (and an email where members gave one) in each member's language. "
                        "Members reminded in the last 20 hours are skipped.",
                        size="1",
                    ),
                    rx.button(
                        rx.icon("send", size=16),
                        "Remind all overdue",
                        on_click=C.remind_all,
                        id="remind-all",
                        disabled=c["overdue"] == "0",
                    ),
                    spacing="2",
                )
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            C.loading,
            loading_block(),
            rx.cond(
                C.rows.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in (
                                    "Member",
                                    "Group",
                                    "Ticket",
                                    "Overdue",
                                    "Since",
                                    "Days",
                                    "Language",
                                    "",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(C.rows, _overdue_row)),
                    width="100%",
                    variant="surface",
                    id="overdue-table",
                ),
                rx.callout("Nobody is overdue. Well done!", icon="party-popper", color_scheme="green"),
            ),
        ),
        pager(C, "overdue-pager"),
        title="Collections",
    )
