"""Member: the Payments tab. What each ticket owes now with Pay buttons, my payments with their
receipts, and the passbook of a ticket (read from the books)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, member_shell
from luckychit_app.components.translate import t
from luckychit_app.state.passbook import PassbookState

STATUS_COLOURS = {
    "captured": "green",
    "refunded": "gray",
    "pending": "amber",
    "failed": "red",
    "rejected": "red",
}


def _ticket_card(tk: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(tk["group"], weight="medium"),
                rx.spacer(),
                rx.badge(t("group.ticket"), " ", tk["ticket_no"]),
                width="100%",
            ),
            rx.hstack(
                rx.heading(tk["total"], size="6"),
                rx.text(
                    rx.cond(tk["has_due"].to(bool), t("payments.due_now"), t("payments.nothing_due")),
                    size="2",
                    color_scheme="gray",
                ),
                align="baseline",
                spacing="2",
            ),
            rx.cond(tk["overdue"] != "", rx.text(tk["overdue"], size="2", color=rx.color("red", 11))),
            rx.cond(tk["has_fees"].to(bool), rx.text(t("payments.includes_fees"), " ", tk["fees"], size="1")),
            rx.cond(
                tk["advance"] != "",
                rx.text(t("payments.advance_paid"), " ", tk["advance"], size="1", color_scheme="green"),
            ),
            rx.cond(
                tk["pending"] != "",
                rx.text(t("payments.upi_waiting"), " ", tk["pending"], size="1", color=rx.color("amber", 11)),
            ),
            rx.link(
                rx.button(
                    rx.icon("wallet"),
                    rx.cond(tk["has_due"].to(bool), t("payments.pay_now"), t("payments.pay_ahead")),
                    size="3",
                    width="100%",
                    variant=rx.cond(tk["has_due"].to(bool), "solid", "soft"),
                ),
                href="/m/pay/" + tk["ticket_id"].to(str),
                width="100%",
                class_name="pay-now",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="ticket-due",
    )


def _payment_row(p: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(p["amount"], " · ", p["method"], weight="medium", size="2"),
            rx.text(
                p["group"],
                " · T",
                p["ticket_no"],
                " · ",
                # The time keeps its "IST" on its own line's end, never alone on the next.
                rx.text.span(p["date"], white_space="nowrap", class_name="pay-when"),
                size="1",
                color_scheme="gray",
            ),
            rx.cond(p["note"] != "", rx.text(p["note"], size="1", color=rx.color("red", 11))),
            spacing="0",
            align="start",
            min_width="0",
        ),
        rx.spacer(),
        rx.vstack(
            rx.match(
                p["status_code"],
                *[(k, rx.badge(p["status"], color_scheme=c)) for k, c in STATUS_COLOURS.items()],
                rx.badge(p["status"]),
            ),
            rx.cond(
                p["has_receipt"].to(bool),
                rx.link(
                    t("payments.receipt"),
                    " ",
                    p["receipt"],
                    href="/receipts/" + p["id"].to(str),
                    size="2",
                    white_space="nowrap",
                    class_name="receipt-link",
                ),
            ),
            spacing="1",
            align="end",
        ),
        width="100%",
        padding_y="8px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="my-payment",
    )


def _book_line(line: rx.Var) -> rx.Component:
    colour = rx.match(
        line["sign"], ("due", rx.color("red", 11)), ("paid", rx.color("green", 11)), rx.color("accent", 11)
    )
    return rx.hstack(
        rx.vstack(
            rx.text(line["text"], size="2", weight="medium"),
            rx.text(
                line["date"], size="1", color_scheme="gray", white_space="nowrap", class_name="line-date"
            ),
            spacing="0",
            align="start",
            min_width="0",
        ),
        rx.spacer(),
        rx.vstack(
            rx.text(line["amount"], size="2", weight="medium", color=colour, white_space="nowrap"),
            rx.text(line["balance"], size="1", color_scheme="gray", white_space="nowrap"),
            spacing="0",
            align="end",
        ),
        width="100%",
        padding_y="6px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="passbook-line",
    )


def _past_item(tk: rx.Var) -> rx.Component:
    return rx.select.item(
        tk["group"].to(str) + " · T" + tk["ticket_no"].to(str) + " · " + tk["state"].to(str),
        value=tk["ticket_id"].to(str),
    )


def _left_and_refund() -> rx.Component:
    """For a ticket no longer the member's: how it ended (removed, exited, transferred) and the
    refund set aside for them (Chit Funds Act s.30), with the history kept readable."""
    book = PassbookState.book
    return rx.cond(
        book.contains("left") & (book["left"] != ""),
        rx.callout(
            rx.vstack(
                rx.text(book["left"], weight="medium"),
                rx.cond(
                    book["refund"] != "",
                    rx.text(t("passbook.refund_label"), " ", book["refund"], id="passbook-refund"),
                ),
                rx.text(t("passbook.read_only"), size="1"),
                spacing="1",
            ),
            icon="info",
            color_scheme="gray",
            size="1",
            width="100%",
        ),
    )


def _certificate() -> rx.Component:
    """A closed group's no-dues certificate (issue 15), once the foreman has closed it."""
    book = PassbookState.book
    return rx.cond(
        book.contains("certificate") & (book["certificate"] != ""),
        rx.link(
            rx.hstack(rx.icon("file-check", size=18), rx.text(t("passbook.no_dues")), spacing="2"),
            href=book["certificate"],
            is_external=True,
            id="passbook-no-dues",
        ),
    )


def _past_card(tk: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(
                    tk["group"], " · ", t("group.ticket"), " ", tk["ticket_no"], weight="medium", size="2"
                ),
                rx.text(tk["state"], size="1", color_scheme="gray"),
                rx.cond(tk["refund"] != "", rx.text(tk["refund"], size="1", color=rx.color("accent", 11))),
                spacing="0",
                align="start",
            ),
            rx.spacer(),
            rx.button(
                t("passbook.title"),
                size="1",
                variant="soft",
                on_click=PassbookState.select_ticket(tk["ticket_id"].to(str)),
            ),
            width="100%",
            align="center",
        ),
        width="100%",
        class_name="past-ticket",
    )


def _passbook() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(t("passbook.title"), size="4"),
            rx.spacer(),
            rx.cond(
                PassbookState.tickets.length() + PassbookState.past.length() > 1,
                rx.select.root(
                    rx.select.trigger(aria_label=t("passbook.choose_ticket"), id="passbook-ticket"),
                    rx.select.content(
                        rx.foreach(
                            PassbookState.tickets,
                            lambda t: rx.select.item(
                                t["group"].to(str) + " · T" + t["ticket_no"].to(str),
                                value=t["ticket_id"].to(str),
                            ),
                        ),
                        rx.foreach(PassbookState.past, _past_item),
                    ),
                    value=PassbookState.selected,
                    on_change=PassbookState.select_ticket,
                    size="2",
                ),
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            PassbookState.book.contains("balance"),
            rx.vstack(
                rx.text(
                    PassbookState.book["group"],
                    " · ",
                    t("group.ticket"),
                    " ",
                    PassbookState.book["ticket_no"],
                    " · ",
                    t("passbook.balance"),
                    " ",
                    rx.text.span(PassbookState.book["balance"], weight="bold", id="passbook-balance"),
                    size="2",
                ),
                rx.cond(
                    PassbookState.book["prize_unpaid"] != "",
                    rx.text(t("passbook.prize_waiting"), " ", PassbookState.book["prize_unpaid"], size="2"),
                ),
                _left_and_refund(),
                _certificate(),
                rx.vstack(rx.foreach(PassbookState.book_lines, _book_line), spacing="0", width="100%"),
                rx.text(
                    t("passbook.legend"),
                    size="1",
                    color_scheme="gray",
                ),
                spacing="2",
                width="100%",
            ),
            rx.text(t("passbook.empty"), size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
    )


def member_payments_page() -> rx.Component:
    return member_shell(
        error_callout(PassbookState.error),
        rx.cond(
            PassbookState.loading,
            rx.spinner(),
            rx.vstack(
                rx.cond(
                    PassbookState.tickets.length() > 0,
                    rx.foreach(PassbookState.tickets, _ticket_card),
                    rx.text(t("payments.no_groups"), size="2", color_scheme="gray"),
                ),
                rx.cond(
                    PassbookState.past.length() > 0,
                    rx.vstack(
                        rx.heading(t("passbook.past"), size="4", padding_top="8px"),
                        rx.foreach(PassbookState.past, _past_card),
                        spacing="2",
                        width="100%",
                    ),
                ),
                rx.heading(t("payments.mine"), size="4", padding_top="8px"),
                rx.cond(
                    PassbookState.payments.length() > 0,
                    rx.vstack(rx.foreach(PassbookState.payments, _payment_row), spacing="0", width="100%"),
                    rx.text(t("payments.none"), size="2", color_scheme="gray"),
                ),
                _passbook(),
                spacing="3",
                width="100%",
            ),
        ),
        title=t("payments.title"),
        tab="payments",
    )
