"""/s/cash: cash in hand, the hand-over form (notes and coins counted into a live total), the
hand-overs waiting for this person to count, and the branch's day cash book for those who read it.
Layout only (state/cash.py). Staff see it in the phone shell, the owner in the foreman's."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import (
    error_callout,
    foreman_shell,
    loading_block,
    notice_callout,
    staff_shell,
)
from luckychit_app.components.tables import branch_options, data_table, hidden_input
from luckychit_app.state.cash import DENOMS
from luckychit_app.state.cash import CashState as S
from luckychit_app.state.session import SessionState

TITLE = "Cash"
RECEIPT_COLUMNS = ("receipt", "member", "group", "amount_text", "recorded_by", "held_by")
HANDOVER_COLUMNS = (
    "from_name",
    "to_name",
    "declared_text",
    "counted_text",
    "difference_text",
    "status",
    "note",
)
BOOK_COLUMNS = (
    ("Holder", "name"),
    ("Opening", "opening_text"),
    ("Collected", "collected_text"),
    ("Received", "received_text"),
    ("Handed over", "handed_over_text"),
    ("Adjusted", "adjusted_text"),
    ("Closing", "closing_text"),
)


def _count_box(prefix: str, denomination: str, on_change: bool) -> rx.Component:
    """One note or coin: its label and a box for how many (a number pad on a phone)."""
    box = rx.input(
        name=f"{prefix}-{denomination}",
        id=f"{prefix}-{denomination}",
        type="number",
        min=0,
        step=1,
        input_mode="numeric",
        placeholder="0",
        size="2",
        width="90px",
        on_change=(lambda value: S.set_count(denomination, value)) if on_change else None,
    )
    return rx.hstack(
        rx.text(f"₹{int(denomination):,}", size="2", width="56px", weight="medium"),
        box,
        spacing="2",
        align="center",
    )


def _count_grid(prefix: str, on_change: bool = False) -> rx.Component:
    return rx.grid(
        *[_count_box(prefix, d, on_change) for d in DENOMS],
        columns=rx.breakpoints(initial="2", sm="3", md="5"),
        spacing="2",
        width="100%",
    )


def _in_hand() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Cash in hand", size="2", color_scheme="gray"),
            rx.text(S.in_hand, size="8", weight="bold", id="cash-in-hand"),
            rx.foreach(
                S.in_hand_groups,
                lambda g: rx.text(g["name"], ": ", g["amount_text"], size="2", class_name="in-hand-group"),
            ),
            rx.cond(
                S.mine.contains("id"),
                rx.hstack(
                    rx.text(
                        "Waiting for ",
                        S.mine["to_name"],
                        " to count ",
                        S.mine["declared_text"],
                        " (",
                        S.mine["breakdown"],
                        ")",
                        size="2",
                        id="my-handover",
                    ),
                    rx.button(
                        "Cancel",
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        loading=S.busy,
                        on_click=S.cancel_handover(S.mine["id"]),
                        id="cancel-handover",
                    ),
                    align="center",
                    wrap="wrap",
                ),
            ),
            spacing="2",
        ),
        width="100%",
    )


def _handover_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Hand over cash", size="4"),
                rx.el.select(
                    rx.el.option("Hand to…", value=""),
                    rx.foreach(S.receivers, lambda r: rx.el.option(r["label"], value=r["user_id"])),
                    name="handover-to",
                    id="handover-to",
                    required=True,
                    style={"width": "100%", "padding": "10px", "font-size": "16px"},
                ),
                rx.text("How many of each note and coin:", size="2"),
                _count_grid("denom", on_change=True),
                rx.input(name="note", placeholder="Note (optional)", max_length=200, width="100%"),
                rx.hstack(
                    rx.text("Total ", rx.text.strong(S.live_total, id="handover-total"), size="4"),
                    rx.spacer(),
                    rx.button("Hand over", type="submit", size="3", loading=S.busy, id="handover-submit"),
                    width="100%",
                    align="center",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=S.start_handover,
            reset_on_submit=False,
            key=S.form_version.to(str),
        ),
        width="100%",
    )


def _waiting_card(w: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(w["from_name"], " hands you ", rx.text.strong(w["declared_text"]), size="3"),
            rx.text(w["breakdown"], " · ", w["created_at"], size="1", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    hidden_input("handover_id", w["id"]),
                    rx.text("Count the notes and coins you received:", size="2"),
                    _count_grid("count"),
                    rx.button("Confirm count", type="submit", loading=S.busy, id="confirm-" + w["id"]),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.confirm_handover,
                reset_on_submit=False,
            ),
            rx.form(
                rx.hstack(
                    hidden_input("handover_id", w["id"]),
                    rx.input(name="reason", placeholder="Why you refuse it", max_length=180, size="2"),
                    rx.button(
                        "Reject",
                        type="submit",
                        variant="soft",
                        color_scheme="red",
                        loading=S.busy,
                        id="reject-" + w["id"],
                    ),
                    spacing="2",
                    align="center",
                ),
                on_submit=S.reject_handover,
                reset_on_submit=False,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="handover-" + w["id"],
        class_name="handover-waiting",
    )


def _book_table() -> rx.Component:
    t = S.book_totals
    return data_table(
        tuple(label for label, _ in BOOK_COLUMNS),
        S.book_holders,
        lambda h: rx.table.row(
            *[rx.table.cell(h[key]) for _, key in BOOK_COLUMNS], class_name="cashbook-holder"
        ),
        "cashbook-rows",
        last=rx.table.row(
            rx.table.cell(rx.text.strong("Total")),
            *[rx.table.cell(rx.text.strong(t[key])) for _, key in BOOK_COLUMNS[1:]],
        ),
    )


def _book() -> rx.Component:
    till = S.book_till
    return rx.vstack(
        rx.heading("Day cash book", size="5"),
        rx.hstack(
            rx.cond(
                S.branches.length() > 1,
                rx.el.select(
                    branch_options(S.branches),
                    value=S.book_branch,
                    on_change=S.pick_branch,
                    name="cashbook-branch",
                    id="cashbook-branch",
                    aria_label="Cash book of branch",
                    style={"padding": "8px", "font-size": "16px"},
                ),
            ),
            rx.input(
                type="date",
                name="cashbook-date",
                id="cashbook-date",
                aria_label="Cash book of the day",
                value=S.book_date,
                max=S.today,
                on_change=S.pick_date,
                width="170px",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        error_callout(S.book_error, id="cashbook-error"),
        rx.text(S.book_title, weight="medium"),
        _book_table(),
        rx.text(
            "Till (the branch's group cash; bank, UPI and online money included): opened ",
            till["opening_text"],
            ", handed in ",
            till["handed_in_text"],
            ", other ",
            till["other_text"],
            ", closed ",
            till["closing_text"],
            ".",
            size="2",
            id="cashbook-till",
        ),
        rx.vstack(
            rx.heading("To look at", size="3"),
            rx.cond(
                S.book_flags.length() > 0,
                rx.foreach(
                    S.book_flags,
                    lambda f: rx.callout(f, icon="flag", color_scheme="orange", size="1", width="100%"),
                ),
                rx.text("Nothing: every hand-over matched and nobody holds cash.", size="2"),
            ),
            spacing="2",
            width="100%",
            id="cashbook-flags",
        ),
        rx.heading("Cash receipts (", S.book_receipts.length(), ")", size="3"),
        data_table(
            ("Receipt", "Member", "Group", "Amount", "Recorded by", "Held by"),
            S.book_receipts,
            lambda r: rx.table.row(*[rx.table.cell(r[k]) for k in RECEIPT_COLUMNS]),
            "cashbook-receipts",
            variant="ghost",
        ),
        rx.heading("Hand-overs (", S.book_handovers.length(), ")", size="3"),
        data_table(
            ("From", "To", "Declared", "Counted", "Difference", "Status", "Note"),
            S.book_handovers,
            lambda h: rx.table.row(*[rx.table.cell(h[k]) for k in HANDOVER_COLUMNS]),
            "cashbook-handovers",
            variant="ghost",
        ),
        spacing="3",
        width="100%",
    )


def _body() -> list[rx.Component]:
    return [
        error_callout(S.error),
        notice_callout(S.notice),
        rx.cond(
            S.loading,
            loading_block(),
            rx.vstack(
                _in_hand(),
                rx.cond(
                    S.holds_cash & (S.receivers.length() > 0) & ~S.mine.contains("id"),
                    _handover_form(),
                ),
                rx.cond(S.handover_result != "", rx.text(S.handover_result, size="2", id="handover-result")),
                rx.cond(
                    S.waiting.length() > 0,
                    rx.vstack(
                        rx.heading("Waiting for you", size="4"),
                        rx.foreach(S.waiting, _waiting_card),
                        spacing="2",
                        width="100%",
                        id="waiting-for-you",
                    ),
                ),
                rx.cond(S.branches.length() > 0, _book()),  # those who read a branch's book
                spacing="4",
                width="100%",
            ),
        ),
    ]


def cash_page() -> rx.Component:
    return rx.cond(
        SessionState.role == "foreman",
        foreman_shell(*_body(), title=TITLE),
        staff_shell(*_body(), title=TITLE),
    )
