"""The printable minutes of one draw (/draws/[draw_id]/minutes), for the group's foreman and members:
who was eligible, the bids, the winner, the proof's fingerprint and lines for signatures. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.wording import counted
from luckychit_app.state.minutes import MinutesState

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
                            _row("GST on the commission", m["gst"]),
                            _row("Dividend per ticket", m["dividend"]),
                            _row("Rounding remainder", m["remainder"]),
                            _row("Net installment this month", m["net_installment"]),
                            _row("Commitment", rx.code(m["commitment"], word_break="break-all")),
                            _row("Proof SHA-256", rx.code(m["proof_sha256"], word_break="break-all")),
                            _row("Server seed (revealed)", rx.code(m["server_seed"], word_break="break-all")),
                            _row("Member phrases", m["phrases"]),
                            _row("Public beacon", m["public_value"]),
                            rx.cond(
                                m["chain_head"] != "",
                                _row(
                                    "Bid chain head",
                                    rx.code(m["chain_head"], word_break="break-all", id="minutes-chain-head"),
                                ),
                            ),
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
                            counted(m["bids_set_aside"], "bid", "bids"),
                            " set aside: the bidder's ticket was no longer eligible at the close.",
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
