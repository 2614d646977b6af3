"""Draw-day widgets shared by the foreman's console and the member's phone: the animation (the server
changes ``label`` frame by frame; this only lays it out) and the result card with its Verify link."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.translate import t

DRUM_KEYFRAMES = """
@keyframes lc-pop { 0% { transform: scale(0.82); opacity: 0.55 } 100% { transform: scale(1); opacity: 1 } }
@keyframes lc-land {
  0% { transform: scale(1) } 50% { transform: scale(1.18) } 100% { transform: scale(1.08) }
}
"""


def draw_animation(label: rx.Var, landed: rx.Var, caption: rx.Var | str = "") -> rx.Component:
    """A big ticket number that the server cycles, slowing down, until it lands on the winner."""
    return rx.vstack(
        rx.el.style(DRUM_KEYFRAMES),
        rx.text(
            rx.cond(landed, t("draws.winner"), t("draws.drawing")),
            size="3",
            weight="bold",
            color=rx.cond(landed, rx.color("green", 11), rx.color("gray", 11)),
            id="draw-phase",
        ),
        rx.center(
            rx.text(label, size="9", weight="bold", id="draw-label", key=label),
            width=["180px", "220px"],
            height=["180px", "220px"],
            border_radius="50%",
            border=rx.cond(
                landed, f"6px solid {rx.color('green', 9)}", f"6px dashed {rx.color('accent', 8)}"
            ),
            background=rx.cond(landed, rx.color("green", 3), rx.color("accent", 2)),
            animation=rx.cond(landed, "lc-land 0.6s ease-out forwards", "lc-pop 0.12s ease-out"),
            box_shadow=rx.cond(landed, f"0 0 0 12px {rx.color('green', 4)}", "none"),
        ),
        rx.text(caption, size="2", color_scheme="gray", text_align="center"),
        align="center",
        spacing="4",
        width="100%",
        padding_y="24px",
        id="draw-animation",
    )


def _amount(label: str | rx.Var, value: rx.Var, **props: object) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="4", weight="bold", **props),
        spacing="0",
        min_width="120px",
    )


def result_card(
    draw_id: rx.Var, result: rx.Var, is_auction: rx.Var, winner_is_me: rx.Var, show_name: rx.Var
) -> rx.Component:
    """Who won, what they get, and how anyone can check it."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("trophy", color=rx.color("amber", 10), size=28),
                rx.heading(
                    rx.cond(winner_is_me, t("draws.you_won"), t("draws.ticket")),
                    " ",
                    result["winner_ticket"],
                    rx.cond(winner_is_me, "", rx.text.span(" ", t("draws.won"))),
                    size="6",
                    id="winner-heading",
                ),
                align="center",
                spacing="3",
            ),
            rx.cond(show_name, rx.text(result["winner_name"], size="4", weight="medium", id="winner-name")),
            rx.text(result["kind_note"], size="2", color_scheme="gray"),
            rx.flex(
                _amount(t("draws.prize"), result["prize"], id="result-prize", color=rx.color("green", 11)),
                rx.cond(is_auction, _amount(t("draws.discount"), result["discount"])),
                _amount(t("draws.commission"), result["commission"]),
                rx.cond(result["has_gst"] == "True", _amount(t("draws.gst"), result["gst"])),
                rx.cond(result["has_dividend"] == "True", _amount(t("draws.dividend"), result["dividend"])),
                rx.cond(is_auction, _amount(t("draws.net_installment"), result["net_installment"])),
                _amount(t("draws.members_online"), result["members_online"]),
                wrap="wrap",
                spacing="4",
            ),
            rx.text(t("draws.drawn_at"), " ", result["drawn_at"], size="2", color_scheme="gray"),
            rx.text(
                t("draws.proof_sha"),
                " ",
                rx.code(result["proof_sha256"], word_break="break-all"),
                size="1",
                color_scheme="gray",
            ),
            rx.flex(
                rx.link(
                    rx.button(
                        rx.icon("shield-check"), t("draws.verify_this"), size="3", color_scheme="green"
                    ),
                    href="/verify/" + draw_id,
                    id="verify-link",
                ),
                rx.link(
                    rx.button(rx.icon("file-text"), t("draws.minutes"), size="3", variant="soft"),
                    href="/draws/" + draw_id + "/minutes",
                ),
                download_link(
                    rx.button(rx.icon("download"), t("draws.proof_json"), size="3", variant="soft"),
                    href="/api/draws/" + draw_id + "/proof.json",
                ),
                wrap="wrap",
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="draw-result",
        background=rx.cond(winner_is_me, rx.color("green", 2), rx.color("gray", 1)),
    )


def commitment_card(info: rx.Var) -> rx.Component:
    """The commitment published when the month opened: the seed was fixed before anyone could bid."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("lock", size=18), rx.text(t("draws.commitment_title"), weight="bold"), align="center"
            ),
            rx.code(info["commitment"], word_break="break-all", id="commitment"),
            rx.text(t("draws.published"), " ", info["committed_at"], size="1", color_scheme="gray"),
            rx.text(info["beacon"], size="1", id="public-beacon"),
            rx.text(
                t("draws.commitment_note"),
                size="1",
                color_scheme="gray",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def auction_words_card(words: rx.Var) -> rx.Component:
    """An auction's proof retold in plain words (services.draws.auction_words), on the member's draw
    page and the public verify page; nothing for a lucky draw."""
    return rx.cond(
        words.length() > 0,
        rx.card(
            rx.vstack(
                rx.text(t("verify.auction_words"), weight="bold"),
                rx.foreach(words, lambda line: rx.text(line, size="2", class_name="auction-word")),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="auction-words",
        ),
    )


def chain_head_line(head: rx.Var) -> rx.Component:
    """The bid chain's head, live in the auction room: a member can note it and find it again in
    the proof and the minutes (docs/proofs.md)."""
    return rx.cond(
        head != "",
        rx.vstack(
            rx.text(t("draws.chain_head"), size="1", color_scheme="gray"),
            rx.code(head, word_break="break-all", size="1", id="chain-head"),
            rx.text(t("draws.chain_head_note"), size="1", color_scheme="gray"),
            spacing="1",
            width="100%",
        ),
    )
