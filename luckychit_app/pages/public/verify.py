"""Public verify page: every check of a draw's stored proof, its fingerprint against the one recorded
at the draw, a box for any proof file, and the verifier to run at home. No sign-in needed."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import named_upload
from luckychit_app.components.downloads import download_link
from luckychit_app.components.draw_animation import auction_words_card
from luckychit_app.components.shells import back_into_app
from luckychit_app.components.translate import t
from luckychit_app.state.verify import VerifyState

UPLOAD_ID = "proof-upload"


def _check(c: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(
            c["ok"] == "yes",
            rx.icon("circle-check", color=rx.color("green", 10), size=22, flex_shrink="0"),
            rx.icon("circle-x", color=rx.color("red", 10), size=22, flex_shrink="0"),
        ),
        rx.vstack(
            rx.text(c["label"], weight="bold", size="2"),
            rx.text(c["detail"], size="1", color_scheme="gray", overflow_wrap="anywhere"),
            spacing="0",
            min_width="0",
        ),
        align="start",
        width="100%",
        class_name=rx.cond(c["ok"] == "yes", "check check-pass", "check check-fail"),
        id="check-" + c["name"],
    )


def _sha_row(r: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(
                r["ok"] == "yes",
                rx.icon("circle-check", color=rx.color("green", 10), size=16),
                rx.icon("circle-x", color=rx.color("red", 10), size=16),
            ),
            rx.text(r["label"], size="2", weight="medium"),
            align="center",
        ),
        rx.code(r["value"], word_break="break-all", size="1"),
        spacing="1",
        width="100%",
    )


def _verdict(ok: rx.Var, good: rx.Var, bad: rx.Var, id_: str) -> rx.Component:
    return rx.callout(
        rx.cond(ok, good, bad),
        icon=rx.cond(ok, "shield-check", "shield-alert"),
        color_scheme=rx.cond(ok, "green", "red"),
        size="3",
        width="100%",
        id=id_,
    )


def _stored_proof() -> rx.Component:
    info = VerifyState.info
    return rx.vstack(
        rx.heading(
            info["group_name"], " · ", t("verify.month"), " ", info["month"], size="5", id="verify-title"
        ),
        rx.cond(
            VerifyState.completed,
            rx.vstack(
                _verdict(
                    VerifyState.all_ok,
                    t("verify.valid"),
                    t("verify.invalid"),
                    "verdict",
                ),
                rx.text(
                    t("verify.winner"),
                    " ",
                    info["winner_ticket"],
                    " · ",
                    info["eligible_count"],
                    " ",
                    rx.cond(
                        info["eligible_count"] == "1", t("verify.eligible_one"), t("verify.eligible_many")
                    ),
                    " · ",
                    t("verify.drawn"),
                    " ",
                    info["drawn_at"],
                    size="2",
                ),
                auction_words_card(VerifyState.auction_words),
                rx.card(
                    rx.vstack(rx.foreach(VerifyState.checks, _check), spacing="3", width="100%"),
                    width="100%",
                ),
                rx.card(
                    rx.vstack(
                        rx.text(t("verify.fingerprint"), weight="bold"),
                        rx.foreach(VerifyState.sha_rows, _sha_row),
                        spacing="3",
                        width="100%",
                    ),
                    width="100%",
                    id="sha-card",
                ),
                rx.flex(
                    download_link(
                        rx.button(rx.icon("download"), t("verify.download_proof"), size="3"),
                        href="/api/draws/" + info["id"] + "/proof.json",
                        id="download-proof",
                    ),
                    download_link(
                        rx.button(
                            rx.icon("file-code"), t("verify.download_verifier"), size="3", variant="soft"
                        ),
                        href="/api/verify.py",
                        filename="verify.py",
                        id="download-verifier",
                    ),
                    wrap="wrap",
                    spacing="3",
                ),
                spacing="3",
                width="100%",
            ),
            rx.callout.root(
                rx.callout.icon(rx.icon("lock")),
                rx.callout.text(
                    t("verify.not_yet"),
                    " ",
                    info["committed_at"],
                    ": ",
                    rx.code(info["commitment"], word_break="break-all"),
                ),
                width="100%",
                id="not-yet",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _check_any() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("verify.check_any"), size="4"),
            rx.text(
                t("verify.check_any_note"),
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    rx.el.label(
                        rx.text(t("verify.paste_label"), size="2", weight="medium"), html_for="proof-text"
                    ),
                    rx.text_area(
                        name="proof",
                        id="proof-text",
                        placeholder='{"version": 1, ...}',
                        rows="5",
                        width="100%",
                        font_family="monospace",
                    ),
                    rx.button(t("verify.check_pasted"), size="3", id="check-pasted"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=VerifyState.check_pasted,
                width="100%",
            ),
            named_upload(
                rx.upload(
                    rx.vstack(
                        rx.icon("upload", size=20),
                        rx.text(t("verify.choose_file"), size="2", id="choose-proof-file"),
                        align="center",
                        spacing="1",
                    ),
                    id=UPLOAD_ID,
                    accept={"application/json": [".json"]},
                    max_files=1,
                    multiple=False,
                    on_drop=VerifyState.check_upload(rx.upload_files(upload_id=UPLOAD_ID)),
                    border=f"1px dashed {rx.color('gray', 7)}",
                    padding="16px",
                    border_radius="8px",
                    width="100%",
                    cursor="pointer",
                ),
                "choose-proof-file",
            ),
            rx.cond(
                VerifyState.pasted_error != "",
                rx.callout(VerifyState.pasted_error, icon="triangle_alert", color_scheme="red", width="100%"),
            ),
            rx.cond(
                VerifyState.pasted_done,
                rx.vstack(
                    _verdict(
                        VerifyState.pasted_ok,
                        t("verify.pasted_valid"),
                        t("verify.pasted_invalid"),
                        "pasted-verdict",
                    ),
                    rx.foreach(VerifyState.pasted_checks, _check),
                    rx.text(
                        t("verify.proof_sha"),
                        " ",
                        rx.code(VerifyState.pasted_sha, word_break="break-all"),
                        size="1",
                    ),
                    spacing="3",
                    width="100%",
                    id="pasted-result",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _run_it_yourself() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("verify.run_title"), size="4"),
            rx.text(
                t("verify.run_intro"),
                size="2",
            ),
            rx.code("python verify.py PROOF.json", size="2"),
            rx.text(
                t("verify.run_note"),
                size="1",
                color_scheme="gray",
            ),
            download_link(t("verify.download_verifier"), href="/api/verify.py", filename="verify.py"),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def verify_page() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.link(
                rx.heading("LuckyChit", size="5", color=rx.color("accent", 11)), href="/", underline="none"
            ),
            rx.spacer(),
            back_into_app(),  # opened from the app: the way back into it
            rx.text(t("verify.header"), size="2", color_scheme="gray"),
            padding="12px 16px",
            align="center",
            border_bottom=f"1px solid {rx.color('gray', 5)}",
        ),
        rx.vstack(
            rx.cond(
                VerifyState.error != "",
                rx.callout(
                    VerifyState.error, icon="triangle_alert", color_scheme="red", width="100%", id="error"
                ),
            ),
            rx.cond(VerifyState.has_draw & (VerifyState.error == ""), _stored_proof()),
            _check_any(),
            _run_it_yourself(),
            padding="16px",
            spacing="4",
            width="100%",
        ),
        max_width="720px",
        margin="0 auto",
    )
