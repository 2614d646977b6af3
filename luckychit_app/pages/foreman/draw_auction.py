"""The auction panel of the foreman's draw console: open bidding with a closing time, watch the best
bid, enter the bid of a member present in person, and close the auction. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.draw_animation import chain_head_line
from luckychit_app.state.live_draw import DrawState


def early_callout() -> rx.Component:
    """Before the draw's date: the group's agreement either lets the foreman go ahead after this
    warning or refuses the draw until then (services/draws/conducting.py; Chit Funds Act s.16(1))."""
    early = DrawState.info["early"]
    return rx.cond(
        early != "",
        rx.callout(
            DrawState.info["early_text"],
            icon=rx.cond(early == "refuse", "ban", "triangle_alert"),
            color_scheme=rx.cond(early == "refuse", "red", "amber"),
            width="100%",
            id="early-draw",
        ),
    )


def _ticket_options() -> rx.Component:
    return rx.foreach(
        DrawState.tickets,
        lambda t: rx.el.option("Ticket ", t["ticket_no"], " — ", t["name"], value=t["ticket_id"]),
    )


def _bid_row(b: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(b["at"]),
        rx.table.cell(b["ticket_no"]),
        rx.table.cell(b["name"]),
        rx.table.cell(b["amount"]),
        rx.table.cell(rx.cond(b["in_person"] == "yes", "In person", "Phone")),
        class_name="bid-row",
    )


def auction_panel() -> rx.Component:
    """The auction's controls: open bidding (or move its closing time), the best bid and the bids so
    far, the in-person bid form, and closing the auction."""
    info = DrawState.info
    open_form = rx.form(
        rx.hstack(
            rx.text(
                "Close in", as_="label", custom_attrs={"htmlFor": "auction-minutes"}, color_scheme="gray"
            ),
            rx.input(name="minutes", id="auction-minutes", default_value="30", width="90px", size="3"),
            rx.text("minutes, or at", color_scheme="gray"),
            rx.input(
                name="closes_at",
                id="auction-closes-at",
                type="datetime-local",
                step="1",
                size="3",
                title="Closing time in IST, to the second (leave empty to use the minutes)",
                aria_label="Closing time (IST)",
            ),
            rx.text("IST", color_scheme="gray"),
            rx.button(
                rx.cond(DrawState.is_bidding, "Move closing time", "Open bidding"),
                size="3",
                id="open-auction",
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        on_submit=DrawState.open_auction,
    )
    return rx.vstack(
        rx.cond(
            DrawState.is_bidding,
            rx.vstack(
                rx.hstack(
                    rx.vstack(
                        rx.text("Best bid (discount)", size="2", color_scheme="gray"),
                        rx.heading(DrawState.best_bid, size="8", id="best-bid"),
                        spacing="0",
                    ),
                    rx.vstack(
                        rx.text(
                            DrawState.bid_count,
                            rx.cond(DrawState.bid_count == "1", " bid", " bids"),
                            size="2",
                        ),
                        rx.text(DrawState.closes_in, size="2", id="closes-in"),
                        rx.text("Closing time ", info["closes_at"], size="1", color_scheme="gray"),
                        spacing="1",
                    ),
                    chain_head_line(DrawState.chain_head),
                    spacing="6",
                    align="center",
                ),
                rx.form(
                    rx.hstack(
                        rx.el.select(
                            _ticket_options(),
                            name="ticket_id",
                            id="inperson-ticket",
                            aria_label="Ticket of the member bidding in person",
                            style={"padding": "8px", "border-radius": "8px"},
                        ),
                        rx.text(
                            "Discount (₹)", as_="label", custom_attrs={"htmlFor": "inperson-amount"}, size="2"
                        ),
                        rx.input(
                            name="discount",
                            id="inperson-amount",
                            placeholder=info["next_min_rupees"],
                            width="140px",
                        ),
                        rx.button("Enter in-person bid", variant="soft", id="inperson-bid"),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                    ),
                    on_submit=DrawState.place_bid_in_person,
                    reset_on_submit=True,
                ),
                rx.cond(DrawState.bid_error != "", rx.text(DrawState.bid_error, color="red", size="2")),
                rx.text(
                    "Next bid at least ",
                    info["next_min"],
                    " · limits ",
                    info["min_bid"],
                    "–",
                    info["max_bid"],
                    ", step ",
                    info["step"],
                    size="1",
                    color_scheme="gray",
                ),
                early_callout(),
                rx.hstack(
                    rx.button(
                        rx.icon("gavel"),
                        "Close auction",
                        size="4",
                        color_scheme="green",
                        on_click=DrawState.close_auction,
                        loading=DrawState.busy,
                        # The group's agreement refuses a draw before its date (s.16(1)).
                        disabled=info["early"] == "refuse",
                        id="close-auction",
                    ),
                    rx.cond(
                        ~DrawState.bidding_over,
                        rx.text(
                            "Closing before the announced time is recorded in the minutes.",
                            size="2",
                            color_scheme="amber",
                        ),
                    ),
                    align="center",
                    spacing="3",
                ),
                rx.cond(
                    DrawState.bidding_over & (DrawState.bid_count == "0"),
                    rx.callout(
                        "The closing time has passed without a bid. Move the closing time later to take "
                        "bids, or enter a bid for a member present in person and close.",
                        icon="triangle_alert",
                        color_scheme="amber",
                        id="auction-unsold",
                    ),
                    rx.text(
                        rx.cond(
                            DrawState.bidding_over,
                            "Bidding has closed; settling the result…",
                            "At the closing time bidding stops and the auction settles by itself: "
                            "the highest discount wins, ties go to the verifiable lot.",
                        ),
                        size="2",
                        color_scheme="gray",
                        id="auto-close-note",
                    ),
                ),
                open_form,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Time", "Ticket", "Member", "Discount", "How")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(DrawState.bids, _bid_row)),
                    width="100%",
                    variant="surface",
                    id="bids",
                ),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                rx.text(
                    "Open bidding with a closing time. Eligible members bid from their phones; you can "
                    "enter bids for members present in person.",
                    size="2",
                ),
                early_callout(),
                open_form,
                spacing="3",
            ),
        ),
        spacing="3",
        width="100%",
    )
