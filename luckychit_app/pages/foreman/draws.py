"""The foreman's draw console (desktop): publish entropy, run the lucky draw or the auction (its panel
is pages/foreman/draw_auction.py), watch the animation with the members, then print the minutes
(pages/minutes.py). Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.draw_animation import commitment_card, draw_animation, result_card
from luckychit_app.components.shells import error_callout, foreman_shell, notice_callout
from luckychit_app.pages.foreman.draw_auction import auction_panel, early_callout
from luckychit_app.state.live_draw import DrawState

TICKET_STATUS_COLOURS = {"active": "green", "pending": "gray", "suspended": "red", "removed": "gray"}


def _eligibility_row(t: rx.Var) -> rx.Component:
    """Status is the ticket's own (Active, Suspended); Eligibility says whether it is in this draw
    and, when not, why: each column says something the other does not (issue 16)."""
    return rx.table.row(
        rx.table.cell(t["ticket_no"]),
        rx.table.cell(t["name"]),
        rx.table.cell(
            rx.match(
                t["status"],
                *[(k, rx.badge(k.capitalize(), color_scheme=c)) for k, c in TICKET_STATUS_COLOURS.items()],
                rx.badge(t["status"]),
            )
        ),
        rx.table.cell(
            rx.cond(
                t["eligible"] == "yes",
                rx.badge("Eligible", color_scheme="green", variant="soft"),
                rx.hstack(
                    rx.badge("Not eligible", color_scheme="amber", variant="soft"),
                    rx.text(t["reason"], size="2"),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
            )
        ),
        class_name="eligibility-row",
    )


def _conduct_button(label: str, **props: object) -> rx.Component:
    return rx.button(
        rx.icon("dices"),
        label,
        size="4",
        on_click=DrawState.conduct,
        loading=DrawState.busy,
        disabled=(DrawState.info["eligible_count"] == "0") | (DrawState.info["early"] == "refuse"),
        id="conduct",
        **props,
    )


def _lucky_panel() -> rx.Component:
    early = DrawState.info["early"]
    return rx.vstack(
        early_callout(),
        rx.hstack(
            rx.cond(
                early == "warn",
                _conduct_button("Conduct the draw early", color_scheme="amber"),
                _conduct_button("Conduct draw"),
            ),
            rx.text(
                DrawState.info["eligible_count"],
                rx.cond(DrawState.info["eligible_count"] == "1", " eligible ticket", " eligible tickets"),
                color_scheme="gray",
            ),
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


def _entropy_card() -> rx.Component:
    info = DrawState.info
    return rx.card(
        rx.vstack(
            rx.text("Entropy", weight="bold"),
            rx.text(
                info["phrases_count"],
                rx.cond(info["phrases_count"] == "1", " member phrase", " member phrases"),
                " so far (shown after the draw).",
                size="2",
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
                        rx.cond(DrawState.can_conduct, _lucky_panel(), auction_panel()),
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
                    rx.text(DrawState.result["public_value"], size="2"),
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
                                rx.cond(
                                    DrawState.watching == "1",
                                    " member watching live",
                                    " members watching live",
                                ),
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
                    # The month's date in the chit agreement (s.6(1)(h)), when the Act has it held (s.16(1)).
                    rx.cond(
                        info["draw_date"] != "",
                        rx.hstack(
                            rx.icon("calendar", size=16),
                            rx.text("Draw date ", rx.text.strong(info["draw_date"]), id="draw-date"),
                            rx.cond(
                                info["draw_when"] != "",
                                rx.text("(", info["draw_when"], ")", color_scheme="gray"),
                            ),
                            align="center",
                            spacing="2",
                        ),
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
