"""The end of a group's life on its page (issue 15), for the foreman's desktop: the "Close the group"
panel of a completed group (what blocks, who gets what, the refunds to pay, the close) and, once
closed, its papers (closing statement, no-dues certificates); the "Cancel the group" action of a
group that never started. Layout only: state/group_closing.py does the work."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, notice_callout
from luckychit_app.components.tables import hidden_input
from luckychit_app.pages.foreman.payment_fields import method_select
from luckychit_app.state.group_closing import GroupClosingState as S


def _papers() -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.button(rx.icon("printer", size=14), "Closing statement", size="2", variant="outline"),
            href=S.statement,
            is_external=True,
            id="closing-statement",
        ),
        rx.link(
            rx.button(rx.icon("file-down", size=14), "Statement PDF", size="2", variant="outline"),
            href=S.statement_pdf,
            is_external=True,
            id="closing-statement-pdf",
        ),
        spacing="2",
    )


def _blockers() -> rx.Component:
    return rx.cond(
        S.blockers.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("list-checks")),
            rx.callout.text(
                rx.text("Before the group can be settled and closed:", weight="bold"),
                rx.foreach(S.blockers, lambda b: rx.text("• ", b, size="2")),
            ),
            color_scheme="amber",
            width="100%",
            id="closing-blockers",
        ),
        rx.callout(
            "Every prize is released, every due is paid and no collector holds the group's cash.",
            icon="check",
            color_scheme="green",
            size="1",
            width="100%",
        ),
    )


def _preview() -> rx.Component:
    cells = ("ticket_no", "name", "carry", "late_fees", "advance", "deposit", "total")
    return rx.cond(
        S.shares.length() > 0,
        rx.vstack(
            rx.heading("Settlement for closing", size="3"),
            rx.text(
                "Remainders carried forward ",
                rx.text.span(S.plan["carry"], weight="bold"),
                " go to the members in equal shares (the odd paise to the lowest ticket numbers); the "
                "late-fee pool ",
                rx.text.span(S.plan["late_fees"], weight="bold"),
                " goes to ",
                S.plan["late_fees_to"],
                " as the agreement says; advances go back to who paid them, and what is left of a "
                "security deposit to its prized member (s.21(1)(e)).",
                size="2",
                color_scheme="gray",
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in (
                                "Ticket",
                                "Member",
                                "Remainders",
                                "Late fees",
                                "Advance",
                                "Deposit",
                                "Owed back",
                            )
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.shares,
                        lambda r: rx.table.row(*[rx.table.cell(r[c]) for c in cells], class_name="share-row"),
                    )
                ),
                width="100%",
                variant="surface",
                size="1",
            ),
            rx.button(
                "Settle for closing",
                on_click=S.settle,
                disabled=~S.can_settle | S.busy,
                loading=S.busy,
                id="settle-for-closing",
            ),
            spacing="2",
            width="100%",
        ),
    )


def _refund_row(r: rx.Var) -> rx.Component:
    pay_form = rx.form(
        rx.hstack(
            hidden_input("refund_id", r["id"]),
            method_select(options=("bank", "upi", "cash")),
            rx.input(name="reference", placeholder="Bank/UPI reference", size="1", width="160px"),
            rx.input(
                name="paid_on", type="date", default_value=S.today, max=S.today, size="1", width="140px"
            ),
            rx.button("Pay", type="submit", size="1", color_scheme="green", class_name="pay-refund"),
            spacing="2",
            align="center",
        ),
        on_submit=S.pay_refund,
        reset_on_submit=False,
    )
    return rx.table.row(
        rx.table.cell(r["ticket_no"]),
        rx.table.cell(r["name"]),
        rx.table.cell(r["kind"]),
        rx.table.cell(r["amount"]),
        rx.table.cell(
            rx.cond(r["due"] == "yes", pay_form, rx.text(r["paid"], size="2", color_scheme="gray"))
        ),
        class_name="refund-row",
    )


def _refunds() -> rx.Component:
    return rx.cond(
        S.refunds.length() > 0,
        rx.vstack(
            rx.heading("Refunds to pay before the close", size="3"),
            rx.cond(
                S.due_by != "",
                rx.text(
                    "A removed subscriber's money is paid within 15 days of the last draw, by ",
                    S.due_by,
                    " (Chit Funds Act s.30(3)).",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("Ticket", "Member", "For", "Amount", "")]
                    )
                ),
                rx.table.body(rx.foreach(S.refunds, _refund_row)),
                width="100%",
                variant="surface",
                size="1",
            ),
            spacing="2",
            width="100%",
        ),
    )


def _close_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Close the group?"),
            rx.alert_dialog.description(
                "The group's remaining cash, ",
                rx.text.span(S.to_foreman, weight="bold"),
                " (your commission and income), moves to your own cash; every member is told their "
                "no-dues certificate is ready. Nothing in the group can change afterwards.",
                size="2",
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Not yet", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Close the group", color_scheme="red", on_click=S.close_group, id="confirm-close"
                    )
                ),
                justify="end",
                spacing="3",
                padding_top="12px",
            ),
        ),
        open=S.close_open,
        on_open_change=S.set_close_open,
    )


def _completed() -> rx.Component:
    return rx.vstack(
        _blockers(),
        _preview(),
        _refunds(),
        rx.hstack(
            rx.button(
                rx.icon("lock", size=14),
                "Close the group",
                color_scheme="red",
                disabled=~S.can_close | S.busy,
                on_click=S.set_close_open(True),
                id="close-group",
            ),
            rx.text(
                rx.cond(
                    S.can_close,
                    "Everything is settled: closing moves " + S.to_foreman + " to your own cash.",
                    rx.cond(
                        S.settled,
                        "Pay the refunds due, then close.",
                        "Clear what blocks and settle first.",
                    ),
                ),
                size="2",
                color_scheme="gray",
            ),
            rx.spacer(),
            _papers(),
            align="center",
            width="100%",
        ),
        _close_dialog(),
        spacing="3",
        width="100%",
    )


def _closed() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge("Closed on ", S.closed_at, color_scheme="gray", size="2"),
            rx.text("Its books are settled to the paisa and nothing in it can change.", size="2"),
            rx.spacer(),
            _papers(),
            align="center",
            width="100%",
        ),
        rx.heading("No-dues certificates", size="3"),
        rx.flex(
            rx.foreach(
                S.certificates,
                lambda c: rx.link(
                    rx.button(
                        rx.icon("file-check", size=14),
                        "Ticket ",
                        c["ticket_no"],
                        " · ",
                        c["name"],
                        size="1",
                        variant="soft",
                    ),
                    href=c["url"],
                    is_external=True,
                    class_name="no-dues-link",
                ),
            ),
            wrap="wrap",
            spacing="2",
        ),
        spacing="3",
        width="100%",
    )


def closing_panel() -> rx.Component:
    """The panel of a completed or closed group; it reads itself when it appears."""
    return rx.card(
        rx.vstack(
            rx.heading(rx.cond(S.status == "closed", "The group is closed", "Close the group"), size="4"),
            error_callout(S.error, id="closing-error"),
            notice_callout(S.notice),
            rx.cond(
                S.loaded,
                rx.cond(S.status == "closed", _closed(), _completed()),
                rx.hstack(rx.spinner(), rx.text("Reading the books…", color_scheme="gray")),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        on_mount=S.load,
        id="closing-panel",
    )


def cancel_action() -> rx.Component:
    """The "Cancel the group" button of a forming group and its dialog (a reason is required)."""
    return rx.fragment(
        rx.button(
            "Cancel the group",
            variant="soft",
            color_scheme="red",
            on_click=S.set_cancel_open(True),
            id="cancel-group",
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title("Cancel this group?"),
                rx.dialog.description(
                    "For a group that never starts or cannot fill its seats. Anything collected for it is "
                    "refunded through the books (online money back through the gateway), every member "
                    "and applicant is told by SMS and in the app, and the group is kept read-only.",
                    size="2",
                ),
                error_callout(S.error, id="cancel-error"),
                rx.form(
                    rx.vstack(
                        rx.text_area(
                            name="reason",
                            placeholder="Reason (told to the members)",
                            max_length=200,
                            required=True,
                            width="100%",
                            id="cancel-reason",
                        ),
                        rx.hstack(
                            rx.dialog.close(
                                rx.button(
                                    "Keep the group", variant="soft", color_scheme="gray", type="button"
                                )
                            ),
                            rx.button(
                                "Cancel the group",
                                type="submit",
                                color_scheme="red",
                                loading=S.busy,
                                id="confirm-cancel",
                            ),
                            justify="end",
                            width="100%",
                        ),
                        spacing="3",
                        padding_top="8px",
                    ),
                    on_submit=S.cancel,
                    reset_on_submit=False,
                ),
            ),
            open=S.cancel_open,
            on_open_change=S.set_cancel_open,
        ),
    )
