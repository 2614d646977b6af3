"""The foreman's draw console (desktop): publish entropy, run the lucky draw or the auction, watch the
animation with the members, then print the minutes. Also the printable minutes page itself."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.draw_animation import commitment_card, draw_animation, result_card
from luckychit_app.components.shells import error_callout, foreman_shell, notice_callout
from luckychit_app.state.draws import DrawState, MinutesState


def _eligibility_row(t: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(t["ticket_no"]),
        rx.table.cell(t["name"]),
        rx.table.cell(
            rx.cond(
                t["eligible"] == "yes",
                rx.badge("Eligible", color_scheme="green"),
                rx.badge(
                    rx.cond(t["status"] == "active", "Not eligible", t["status"]),
                    color_scheme=rx.cond(t["status"] == "active", "amber", "red"),
                ),
            )
        ),
        rx.table.cell(rx.text(t["reason"], size="2")),
        class_name="eligibility-row",
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


def _lucky_panel() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.button(
                rx.icon("dices"),
                "Conduct draw",
                size="4",
                on_click=DrawState.conduct,
                loading=DrawState.busy,
                disabled=DrawState.info["eligible_count"] == "0",
                id="conduct",
            ),
            rx.text(DrawState.info["eligible_count"], " eligible ticket(s)", color_scheme="gray"),
            align="center",
            spacing="4",
        ),
        rx.text(
            "Pressing the button closes the phrases, freezes the eligible list below, draws with the "
            "committed seed and reveals it. Members with this draw open on their phones watch it live.",
            size="2",
            color_scheme="gray",
        ),
        spacing="3",
        width="100%",
    )


def _auction_panel() -> rx.Component:
    info = DrawState.info
    open_form = rx.form(
        rx.hstack(
            rx.input(name="minutes", id="auction-minutes", default_value="30", width="90px", size="3"),
            rx.text("minutes from now, or at", color_scheme="gray"),
            rx.input(
                name="closes_at",
                id="auction-closes-at",
                type="datetime-local",
                step="1",
                size="3",
                title="Closing time in IST, to the second (leave empty to use the minutes)",
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
                        rx.text(DrawState.bid_count, " bid(s)", size="2"),
                        rx.text(DrawState.closes_in, size="2", id="closes-in"),
                        rx.text("Closing time ", info["closes_at"], size="1", color_scheme="gray"),
                        spacing="1",
                    ),
                    spacing="6",
                    align="center",
                ),
                rx.form(
                    rx.hstack(
                        rx.el.select(
                            _ticket_options(),
                            name="ticket_id",
                            id="inperson-ticket",
                            style={"padding": "8px", "border-radius": "8px"},
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
                rx.hstack(
                    rx.button(
                        rx.icon("gavel"),
                        "Close auction",
                        size="4",
                        color_scheme="green",
                        on_click=DrawState.close_auction,
                        loading=DrawState.busy,
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
                open_form,
                spacing="3",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _entropy_card() -> rx.Component:
    info = DrawState.info
    return rx.card(
        rx.vstack(
            rx.text("Entropy", weight="bold"),
            rx.text(info["phrases_count"], " member phrase(s) so far (shown after the draw).", size="2"),
            rx.text(
                "Public value: ",
                rx.cond(info["public_value"] != "", rx.code(info["public_value"]), "none"),
                size="2",
                id="public-value",
            ),
            rx.form(
                rx.vstack(
                    rx.input(
                        name="public_value",
                        id="public-value-input",
                        placeholder="drand round 1234567: 5ad1…",
                        width="100%",
                    ),
                    rx.button("Save public value", variant="soft", width="100%"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=DrawState.set_public_value,
                reset_on_submit=True,
                width="100%",
            ),
            rx.text(
                "A value nobody controls, typed in before the draw: a drand beacon round or an official "
                "lottery result.",
                size="1",
                color_scheme="gray",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def foreman_draw_page() -> rx.Component:
    info = DrawState.info
    main = rx.vstack(
        rx.cond(
            DrawState.anim_running,
            rx.card(
                draw_animation(DrawState.anim_label, DrawState.anim_landed, "Members watch this live"),
                width="100%",
            ),
            rx.cond(
                DrawState.has_result,
                result_card(
                    info["id"], DrawState.result, info["kind"] == "auction", False, DrawState.is_manager
                ),
                rx.cond(
                    DrawState.is_open,
                    rx.card(
                        rx.cond(DrawState.can_conduct, _lucky_panel(), _auction_panel()),
                        width="100%",
                    ),
                ),
            ),
        ),
        rx.cond(
            DrawState.is_open & ~DrawState.anim_running,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Ticket", "Member", "Status", "Eligibility")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(DrawState.tickets, _eligibility_row)),
                width="100%",
                variant="surface",
                id="eligibility",
            ),
        ),
        spacing="4",
        width="100%",
        flex="2",
    )
    side = rx.vstack(
        commitment_card(info),
        rx.cond(DrawState.is_open & ~DrawState.anim_running, _entropy_card()),
        rx.cond(
            DrawState.has_result,
            rx.card(
                rx.vstack(
                    rx.text("Inputs revealed", weight="bold"),
                    rx.text("Phrases: ", DrawState.result["phrases"], size="2"),
                    rx.text("Public value: ", DrawState.result["public_value"], size="2"),
                    rx.text("Server seed:", size="2"),
                    rx.code(DrawState.result["server_seed"], word_break="break-all"),
                    rx.cond(
                        DrawState.result["next_draw_id"] != "",
                        rx.link("Next month's draw →", href="/f/draws/" + DrawState.result["next_draw_id"]),
                    ),
                    spacing="2",
                    width="100%",
                ),
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
        flex="1",
        min_width="300px",
    )
    return foreman_shell(
        # Unmounts with the page: stops this page's live loop when the user goes elsewhere.
        rx.box(on_unmount=DrawState.leave, display="none"),
        error_callout(DrawState.error),
        notice_callout(DrawState.notice),
        rx.cond(
            DrawState.loading,
            rx.spinner(),
            rx.cond(
                info.contains("id"),
                rx.vstack(
                    rx.hstack(
                        rx.link("← ", info["group_name"], href="/f/groups/" + info["group_id"]),
                        rx.badge(info["status_label"], id="draw-status"),
                        align="center",
                        spacing="3",
                    ),
                    rx.hstack(
                        rx.heading(
                            info["group_name"], " · month ", info["month"], " of ", info["months"], size="6"
                        ),
                        rx.cond(
                            DrawState.is_open,
                            rx.badge(
                                rx.icon("smartphone", size=14),
                                DrawState.watching,
                                " member(s) watching live",
                                color_scheme="blue",
                                size="2",
                                id="watching",
                            ),
                        ),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                    ),
                    rx.text(
                        info["mode_label"],
                        " · chit value ",
                        info["chit_value"],
                        " · commission ",
                        info["commission"],
                        color_scheme="gray",
                    ),
                    rx.flex(
                        main,
                        side,
                        spacing="5",
                        width="100%",
                        direction=rx.breakpoints(initial="column", md="row"),
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
        ),
        title="Draw",
    )


# --------------------------------------------------------------------------------------------------
# Minutes (printable)
# --------------------------------------------------------------------------------------------------

PRINT_CSS = """
@media print {
  .no-print { display: none !important; }
  body { background: white !important; }
  .minutes { box-shadow: none !important; border: none !important; }
}
"""


def _row(label: str | rx.Var, value: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(label, width="38%"),
        rx.table.cell(value),
    )


def minutes_page() -> rx.Component:
    m = MinutesState.info
    return rx.box(
        rx.el.style(PRINT_CSS),
        rx.cond(
            MinutesState.error != "",
            rx.callout(MinutesState.error, icon="triangle_alert", color_scheme="red", id="error"),
        ),
        rx.cond(
            MinutesState.loading,
            rx.spinner(),
            rx.cond(
                m.contains("id"),
                rx.vstack(
                    rx.hstack(
                        rx.button(rx.icon("printer"), "Print", on_click=MinutesState.print_page),
                        rx.link(rx.button("Verify this draw", variant="soft"), href="/verify/" + m["id"]),
                        rx.button("Back", variant="ghost", on_click=rx.call_script("history.back()")),
                        class_name="no-print",
                        spacing="3",
                    ),
                    rx.heading("Minutes of the draw", size="7"),
                    rx.text(
                        m["group_name"],
                        " · month ",
                        m["month"],
                        " of ",
                        m["months"],
                        " · ",
                        m["mode_label"],
                        size="4",
                    ),
                    rx.text("Foreman: ", m["foreman"], " · chit value ", m["chit_value"], size="2"),
                    rx.callout.root(
                        rx.callout.icon(rx.icon("fingerprint")),
                        rx.callout.text(
                            rx.text("Proof SHA-256 (the fingerprint of the published proof)", weight="bold"),
                            rx.code(
                                m["proof_sha256"], size="3", word_break="break-all", id="minutes-proof-sha"
                            ),
                            rx.text(
                                "verify.py prints this hash; /verify/",
                                m["id"],
                                " compares it with the one recorded at the draw. A proof with any other "
                                "hash is not the proof of this draw.",
                                size="1",
                            ),
                        ),
                        width="100%",
                    ),
                    rx.table.root(
                        rx.table.body(
                            _row("Started", m["started_at"]),
                            _row("Ended", m["ended_at"]),
                            _row(
                                "Members online at the draw",
                                m["members_online"] + " (" + m["online_names"] + ")",
                            ),
                            _row("Winner", rx.text(m["winner"], weight="bold", id="minutes-winner")),
                            _row("How", m["kind_note"]),
                            _row("Discount", m["discount"]),
                            _row("Prize", m["prize"]),
                            _row("Foreman's commission", m["commission"]),
                            _row("Dividend per ticket", m["dividend"]),
                            _row("Rounding remainder", m["remainder"]),
                            _row("Net installment this month", m["net_installment"]),
                            _row("Commitment", rx.code(m["commitment"], word_break="break-all")),
                            _row("Proof SHA-256", rx.code(m["proof_sha256"], word_break="break-all")),
                            _row("Server seed (revealed)", rx.code(m["server_seed"], word_break="break-all")),
                            _row("Member phrases", m["phrases"]),
                            _row("Public value", m["public_value"]),
                        ),
                        width="100%",
                        variant="surface",
                    ),
                    rx.cond(
                        MinutesState.closed_automatically,
                        rx.callout(
                            "This auction closed by itself at its announced closing time.",
                            icon="clock",
                            color_scheme="blue",
                            id="minutes-closed-automatically",
                        ),
                    ),
                    rx.cond(
                        MinutesState.closed_early,
                        rx.callout(
                            "The foreman closed this auction before its announced closing time.",
                            icon="info",
                            color_scheme="amber",
                        ),
                    ),
                    rx.cond(
                        m["bids_set_aside"] != "0",
                        rx.text(
                            m["bids_set_aside"],
                            " bid(s) set aside: the bidder's ticket was no longer eligible at the close.",
                            size="2",
                        ),
                    ),
                    rx.heading("Timeline", size="4"),
                    rx.table.root(
                        rx.table.body(
                            rx.foreach(MinutesState.timeline, lambda t: _row(t["label"], t["value"]))
                        ),
                        width="100%",
                        variant="surface",
                    ),
                    rx.heading("Eligible list frozen at the draw", size="4"),
                    rx.flex(
                        rx.foreach(
                            MinutesState.eligible,
                            lambda e: rx.badge(
                                "Ticket ",
                                e["ticket_no"],
                                " ",
                                e["name"],
                                color_scheme=rx.cond(e["won"] == "yes", "green", "gray"),
                                size="2",
                            ),
                        ),
                        wrap="wrap",
                        spacing="2",
                    ),
                    rx.cond(
                        MinutesState.has_bids,
                        rx.vstack(
                            rx.heading("Bids", size="4"),
                            rx.table.root(
                                rx.table.header(
                                    rx.table.row(
                                        *[
                                            rx.table.column_header_cell(h)
                                            for h in ("Time", "Ticket", "Member", "Discount", "How")
                                        ]
                                    )
                                ),
                                rx.table.body(
                                    rx.foreach(
                                        MinutesState.bids,
                                        lambda b: rx.table.row(
                                            rx.table.cell(b["at"]),
                                            rx.table.cell(b["ticket_no"]),
                                            rx.table.cell(b["name"]),
                                            rx.table.cell(b["amount"]),
                                            rx.table.cell(b["how"]),
                                        ),
                                    )
                                ),
                                width="100%",
                                variant="surface",
                            ),
                            width="100%",
                        ),
                    ),
                    rx.text(
                        "Anyone can check this draw at /verify/",
                        m["id"],
                        ": the proof's SHA-256 must equal the one above.",
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.grid(
                        rx.vstack(rx.box(height="48px"), rx.divider(), rx.text("Foreman", size="2")),
                        rx.vstack(rx.box(height="48px"), rx.divider(), rx.text("Member witness", size="2")),
                        rx.vstack(rx.box(height="48px"), rx.divider(), rx.text("Member witness", size="2")),
                        columns="3",
                        spacing="6",
                        width="100%",
                    ),
                    rx.text("Printed ", m["printed_at"], size="1", color_scheme="gray"),
                    spacing="4",
                    width="100%",
                    class_name="minutes",
                ),
            ),
        ),
        max_width="860px",
        margin="0 auto",
        padding=["16px", "32px"],
    )
