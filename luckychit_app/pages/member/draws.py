"""Member phone pages for draws: the list of my groups' draws, and one draw's live page (watch the
draw, add a phrase, bid in an auction, then verify)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import NATIVE_SELECT_STYLE, control_label
from luckychit_app.components.draw_animation import (
    auction_words_card,
    chain_head_line,
    commitment_card,
    draw_animation,
    result_card,
)
from luckychit_app.components.shells import error_callout, member_shell, notice_callout
from luckychit_app.components.translate import t
from luckychit_app.components.wording import counted
from luckychit_app.state.live_draw import DrawState
from luckychit_app.state.member_draws import MemberDrawsState


def _past_row(d: rx.Var) -> rx.Component:
    """A past draw: its own page (prize, commission, the minutes) and its verification."""
    return rx.hstack(
        rx.vstack(
            rx.text(t("pay.month"), " ", d["month"], " · ", d["winner"], size="2", weight="medium"),
            rx.text(
                d["prize"],
                " · ",
                rx.text.span(d["date"], white_space="nowrap"),
                size="1",
                color_scheme="gray",
            ),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.hstack(
            rx.link(
                rx.button(t("draws.details"), size="2", variant="outline"),
                href="/m/draws/" + d["id"],
                class_name="draw-details",
            ),
            rx.link(rx.button(t("draws.verify"), size="2", variant="soft"), href="/verify/" + d["id"]),
            spacing="2",
            flex_shrink="0",
        ),
        width="100%",
        align="center",
        class_name="past-draw",
    )


def _group_draws(g: rx.Var) -> rx.Component:
    current = g["current"].to(dict[str, str])
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading(g["name"], size="4"), rx.spacer(), rx.badge(g["kind"]), width="100%"),
            rx.text(
                rx.cond(
                    g["tickets"].to(str).contains(","), t("draws.your_tickets_list"), t("draws.your_ticket")
                ),
                " ",
                g["tickets"],
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                g["has_current"] == "yes",
                rx.vstack(
                    rx.link(
                        rx.button(
                            rx.icon("radio"),
                            current["open_label"],
                            size="3",
                            width="100%",
                        ),
                        href="/m/draws/" + current["id"],
                        width="100%",
                        class_name="open-draw",
                    ),
                    rx.text(
                        current["status"],
                        rx.cond(
                            current["closes_at"] != "",
                            rx.text.span(" ", t("draws.until"), " ", current["closes_at"]),
                            "",
                        ),
                        " · ",
                        t("draws.commitment"),
                        " ",
                        rx.code(current["commitment"]),
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.foreach(g["past"].to(list[dict[str, str]]), _past_row),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="draw-group",
    )


def member_draws_page() -> rx.Component:
    return member_shell(
        error_callout(MemberDrawsState.error),
        rx.cond(
            MemberDrawsState.loading,
            rx.spinner(),
            rx.cond(
                MemberDrawsState.groups.length() > 0,
                rx.vstack(rx.foreach(MemberDrawsState.groups, _group_draws), spacing="3", width="100%"),
                rx.text(t("draws.no_groups")),
            ),
        ),
        title=t("draws.title"),
        tab="draws",
    )


def _ticket_line(tk: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(
            t("group.ticket"),
            " ",
            tk["ticket_no"],
            color_scheme=rx.cond(tk["eligible"] == "yes", "green", "amber"),
        ),
        rx.text(tk["reason"], size="2"),
        align="center",
        width="100%",
    )


def _bid_line(b: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(
            t("group.ticket"), " ", b["ticket_no"], weight=rx.cond(b["mine"] == "yes", "bold", "regular")
        ),
        rx.cond(b["in_person"] == "yes", rx.badge(t("draws.in_person"), color_scheme="gray")),
        rx.spacer(),
        rx.text(b["amount"], weight="medium"),
        rx.text(b["at"], size="1", color_scheme="gray"),
        width="100%",
        align="center",
        class_name="bid-row",
    )


def _auction_card() -> rx.Component:
    info = DrawState.info
    eligible = DrawState.tickets.to(list[dict[str, str]])
    return rx.card(
        rx.vstack(
            rx.text(t("draws.auction"), weight="bold"),
            rx.cond(
                DrawState.is_bidding,
                rx.vstack(
                    rx.text(t("draws.best_bid"), size="2", color_scheme="gray"),
                    rx.heading(DrawState.best_bid, size="8", id="best-bid"),
                    rx.text(
                        counted(DrawState.bid_count, t("draws.bid_one"), t("draws.bids_count")),
                        " · ",
                        DrawState.closes_in,
                        size="2",
                        id="closes-in",
                    ),
                    rx.text(t("draws.closes_at"), " ", info["closes_at"], size="1", color_scheme="gray"),
                    chain_head_line(DrawState.chain_head),
                    rx.cond(
                        ~DrawState.bidding_over,
                        rx.form(
                            rx.vstack(
                                control_label(t("draws.bid_ticket"), "bid-ticket"),
                                rx.el.select(
                                    rx.foreach(
                                        eligible,
                                        lambda tk: rx.el.option(
                                            t("group.ticket"), " ", tk["ticket_no"], value=tk["ticket_id"]
                                        ),
                                    ),
                                    name="ticket_id",
                                    id="bid-ticket",
                                    style=NATIVE_SELECT_STYLE,
                                ),
                                control_label(t("draws.bid_amount"), "bid-amount"),
                                rx.input(
                                    name="discount",
                                    id="bid-amount",
                                    placeholder=info["next_min_rupees"],
                                    input_mode="decimal",
                                    size="3",
                                    width="100%",
                                ),
                                rx.text(
                                    t("draws.next_bid"),
                                    " ",
                                    info["next_min"],
                                    " · ",
                                    t("draws.limits"),
                                    " ",
                                    info["min_bid"],
                                    "–",
                                    info["max_bid"],
                                    ", ",
                                    t("draws.step"),
                                    " ",
                                    info["step"],
                                    size="1",
                                    color_scheme="gray",
                                ),
                                rx.cond(
                                    DrawState.bid_error != "",
                                    rx.text(DrawState.bid_error, color="red", size="2", id="bid-error"),
                                ),
                                rx.button(t("draws.place_bid"), size="3", width="100%", id="place-bid"),
                                spacing="2",
                                width="100%",
                            ),
                            on_submit=DrawState.place_bid,
                            reset_on_submit=True,
                            width="100%",
                        ),
                        rx.text(
                            rx.cond(
                                DrawState.bid_count == "0",
                                t("draws.bidding_closed_no_bid"),
                                t("draws.bidding_closed"),
                            ),
                            size="2",
                            id="bidding-closed",
                        ),
                    ),
                    spacing="2",
                    width="100%",
                ),
                rx.text(t("draws.not_opened"), size="2"),
            ),
            rx.cond(
                DrawState.bids.length() > 0,
                rx.vstack(rx.foreach(DrawState.bids, _bid_line), spacing="1", width="100%", id="bids"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _phrase_card() -> rx.Component:
    info = DrawState.info
    return rx.card(
        rx.vstack(
            control_label(t("draws.phrase_title"), "phrase", size="3", weight="bold"),
            rx.text(
                t("draws.phrase_note"),
                " ",
                counted(info["phrases_count"], t("draws.phrase_so_far"), t("draws.phrases_so_far")),
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                info["my_phrase"] != "",
                rx.text(t("draws.your_phrase"), " “", info["my_phrase"], "”", size="2", id="my-phrase"),
            ),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="phrase",
                        id="phrase",
                        placeholder=t("draws.phrase_placeholder"),
                        size="3",
                        flex="1",
                    ),
                    rx.button(t("draws.add"), size="3", id="add-phrase"),
                    width="100%",
                ),
                on_submit=DrawState.add_phrase,
                reset_on_submit=True,
                width="100%",
            ),
            rx.cond(DrawState.phrase_error != "", rx.text(DrawState.phrase_error, color="red", size="2")),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def _open_draw() -> rx.Component:
    return rx.vstack(
        rx.cond(
            DrawState.info["kind"] == "auction",
            rx.cond(DrawState.info["mode"] == "auction", _auction_card()),
            rx.callout(
                t("draws.waiting"),
                icon="radio",
                width="100%",
                id="waiting",
            ),
        ),
        rx.card(
            rx.vstack(
                rx.text(t("draws.your_tickets"), weight="bold"),
                rx.foreach(DrawState.tickets, _ticket_line),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        _phrase_card(),
        commitment_card(DrawState.info),
        spacing="3",
        width="100%",
    )


def member_draw_page() -> rx.Component:
    info = DrawState.info
    return member_shell(
        # Unmounts with the page: stops this page's live loop when the user goes elsewhere.
        rx.box(on_unmount=DrawState.leave, display="none"),
        rx.link(t("draws.back"), href="/m/draws", size="2", id="back-to-draws"),
        error_callout(DrawState.error),
        notice_callout(DrawState.notice),
        rx.cond(
            DrawState.loading,
            rx.spinner(),
            rx.cond(
                info.contains("id"),
                rx.vstack(
                    rx.hstack(
                        rx.vstack(
                            rx.heading(info["group_name"], size="5", id="draw-group"),
                            rx.text(
                                info["month_of"],
                                " · ",
                                info["mode_label"],
                                size="2",
                                color_scheme="gray",
                            ),
                            spacing="0",
                        ),
                        rx.spacer(),
                        rx.badge(info["status_label"], id="draw-status"),
                        width="100%",
                        align="center",
                    ),
                    rx.cond(
                        DrawState.anim_running,
                        rx.card(
                            draw_animation(
                                DrawState.anim_label, DrawState.anim_landed, t("draws.live_caption")
                            ),
                            width="100%",
                        ),
                        rx.cond(
                            DrawState.has_result,
                            rx.vstack(
                                result_card(
                                    info["id"],
                                    DrawState.result,
                                    info["kind"] == "auction",
                                    DrawState.winner_is_me,
                                    False,
                                ),
                                auction_words_card(DrawState.auction_words),
                                rx.cond(
                                    DrawState.result["next_draw_id"] != "",
                                    rx.link(
                                        t("draws.next_month"),
                                        href="/m/draws/" + DrawState.result["next_draw_id"],
                                    ),
                                ),
                                commitment_card(info),
                                spacing="3",
                                width="100%",
                            ),
                            rx.cond(DrawState.is_open, _open_draw()),
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
        ),
        title=t("draws.draw_title"),
        tab="draws",
    )
