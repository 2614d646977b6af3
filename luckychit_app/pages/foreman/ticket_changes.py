"""The ticket changes of a running group on its Members tab (Chit Funds Act s.28-s.30): each ticket's
buttons (declare default, remove and substitute, exit at the member's request), the dialog that shows
the service's preview and asks the reason and the substitute, and the refunds to subscribers who
left, with a Pay form. Layout only; state/ticket_changes.py calls the services."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.member_forms import password_callout
from luckychit_app.components.shells import error_callout
from luckychit_app.pages.foreman.payment_fields import method_select
from luckychit_app.state.ticket_changes import TicketChangesState as S


def _flag(m: rx.Var, what: str) -> rx.Var:
    return S.flags[m["ticket_id"].to(str) + ":" + what]


def change_buttons(m: rx.Var) -> rx.Component:
    """The changes a ticket offers now (the service says which: non-prized, running group, ...)."""
    return rx.fragment(
        rx.cond(
            _flag(m, "default") == "yes",
            rx.button(
                "Declare default",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=S.open_change(m["ticket_id"], "default"),
                class_name="declare-default",
            ),
        ),
        rx.cond(
            _flag(m, "remove") == "yes",
            rx.button(
                "Remove and substitute",
                size="1",
                color_scheme="red",
                on_click=S.open_change(m["ticket_id"], "remove"),
                class_name="remove-substitute",
            ),
        ),
        rx.cond(
            _flag(m, "exit") == "yes",
            rx.button(
                rx.cond(m["is_foreman"] == "yes", "Seat a substitute", "Exit (member's request)"),
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=S.open_change(m["ticket_id"], "exit"),
                class_name="member-exit",
            ),
        ),
    )


def change_note(m: rx.Var) -> rx.Component:
    note = _flag(m, "note")
    return rx.cond(note, rx.text(note, size="1", color=rx.color("red", 11)))


def _money_line(label: str, value: rx.Var, *rest: object) -> rx.Component:
    return rx.text(label, " ", rx.text.span(value, weight="bold"), *rest, size="2")


def _default_body() -> rx.Component:
    p = S.preview
    return rx.vstack(
        _money_line("Unpaid past their due date:", p["overdue_count"], " instalments, ", p["arrears"]),
        rx.text(
            "The agreement allows a default after ",
            p["default_after"],
            " unpaid instalments. The member gets the written notice (Chit Funds Act s.28) by SMS and in "
            "the app; if they pay the arrears within 7 days they keep the ticket, after that you may "
            "remove them and seat a substitute.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            p["default_blocker"] != "",
            rx.callout(p["default_blocker"], icon="info", color_scheme="amber", size="1"),
            rx.form(
                rx.vstack(
                    rx.input(
                        name="reason",
                        placeholder="Reason (required)",
                        max_length=200,
                        width="100%",
                        id="default-reason",
                    ),
                    _confirm("Declare default and send the notice", "confirm-default"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.confirm_default,
                reset_on_submit=True,
            ),
        ),
        spacing="3",
        width="100%",
    )


def _confirm(label: str, button_id: str) -> rx.Component:
    return rx.hstack(
        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
        rx.button(label, type="submit", color_scheme="red", id=button_id),
        justify="end",
        width="100%",
    )


def _substitute_fields() -> rx.Component:
    return rx.vstack(
        rx.text("Who takes the seat", size="2", weight="medium"),
        rx.radio_group.root(
            rx.hstack(
                rx.radio_group.item(value="member"),
                rx.text("A member of your groups", size="2"),
                rx.radio_group.item(value="new"),
                rx.text("A new person", size="2"),
                rx.cond(
                    S.preview["company_seat"] != "yes",
                    rx.fragment(
                        rx.radio_group.item(value="company"), rx.text("The company holds it", size="2")
                    ),
                ),
                align="center",
                spacing="2",
            ),
            name="substitute",
            value=S.sub_kind,
            on_change=S.set_sub_kind,
        ),
        rx.match(
            S.sub_kind,
            (
                "member",
                rx.select.root(
                    rx.select.trigger(placeholder="Choose the member", width="100%"),
                    rx.select.content(
                        rx.foreach(S.choices, lambda c: rx.select.item(c["label"], value=c["id"]))
                    ),
                    name="member_id",
                ),
            ),
            (
                "new",
                rx.hstack(
                    rx.input(name="name", placeholder="Name", max_length=80, id="substitute-name"),
                    rx.input(name="mobile", placeholder="Mobile", type="tel", id="substitute-mobile"),
                    spacing="2",
                ),
            ),
            rx.text(
                "The company holds the ticket and pays its instalments until you find a substitute; the "
                "refund then waits for the group's close (s.30(3)): ",
                S.preview["payable_company"],
                ".",
                size="2",
                color_scheme="gray",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _change_body() -> rx.Component:
    p = S.preview
    blocker = rx.cond(S.dialog == "remove", p["remove_blocker"], p["exit_blocker"])
    return rx.vstack(
        rx.cond(p["notice"] != "", rx.text(p["notice"], size="2")),
        rx.cond(
            p["paid_up"] == "yes",
            rx.callout(
                "The member has paid the arrears named in the notice: confirming keeps them in the group "
                "and lifts the default (s.28(1)).",
                icon="info",
                size="1",
            ),
        ),
        _money_line(
            "The substitute pays now:", p["taken_over"], " (", p["months"], "), then ", p["next"], " a month."
        ),
        _money_line(
            "The subscriber leaving gets back:",
            p["refund"],
            " — the ",
            p["contributed"],
            " they paid towards the ticket (",
            p["owed"],
            " of its dues left unpaid), less the deduction ",
            p["deduction"],
            " (",
            p["deduction_rule"],
            "); payable ",
            p["payable"],
            ".",
        ),
        rx.cond(
            blocker != "",
            rx.callout(blocker, icon="info", color_scheme="amber", size="1"),
            rx.form(
                rx.vstack(
                    rx.cond(
                        S.dialog == "remove",
                        rx.input(
                            name="reason",
                            placeholder="Reason (required)",
                            max_length=200,
                            width="100%",
                            id="remove-reason",
                        ),
                    ),
                    _substitute_fields(),
                    _confirm(
                        rx.cond(
                            S.dialog == "remove",
                            "Remove and seat the substitute",
                            "Close and seat the substitute",
                        ),
                        "confirm-change",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.confirm_change,
                reset_on_submit=True,
            ),
        ),
        spacing="3",
        width="100%",
    )


def change_dialog() -> rx.Component:
    p = S.preview
    title = rx.match(
        S.dialog,
        ("default", "Declare ticket " + p["ticket_no"].to(str) + " in default"),
        ("remove", "Remove ticket " + p["ticket_no"].to(str) + " and seat a substitute"),
        "Ticket " + p["ticket_no"].to(str) + ": exit at the member's request",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(p["name"], size="2", color_scheme="gray"),
            rx.cond(S.dialog == "default", _default_body(), _change_body()),
            max_width="640px",
        ),
        open=S.dialog != "",
        on_open_change=S.set_dialog_open,
    )


def _refund_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["ticket_no"]),
        rx.table.cell(r["name"]),
        rx.table.cell(r["kind"]),
        rx.table.cell(r["contributed"]),
        rx.table.cell(r["deduction"]),
        rx.table.cell(rx.text(r["amount"], weight="bold")),
        rx.table.cell(
            rx.vstack(
                rx.text(r["when"], size="1"),
                rx.cond(
                    r["cash_short"] == "yes", rx.text("The group's cash is short", size="1", color="red")
                ),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.cond(
                r["payable"] == "yes",
                rx.button("Pay", size="1", on_click=S.open_refund(r["id"]), class_name="pay-refund"),
            )
        ),
        class_name="refund-row",
    )


def _pay_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Pay the refund"),
            rx.dialog.description(S.refund_label, size="2"),
            rx.form(
                rx.vstack(
                    rx.hstack(
                        method_select(options=("bank", "upi", "cash")),
                        rx.input(name="reference", placeholder="Bank/UPI reference", max_length=100),
                        rx.input(name="paid_on", type="date", default_value=S.today, max=S.today),
                        spacing="2",
                        wrap="wrap",
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(
                            "Record the payment", type="submit", color_scheme="green", id="confirm-refund"
                        ),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.pay_refund,
                reset_on_submit=True,
            ),
        ),
        open=S.refund_open,
        on_open_change=S.set_refund_open,
    )


def refunds_card() -> rx.Component:
    """Refunds to subscribers who left (s.30): paid, payable now, or kept for the group's close."""
    return rx.cond(
        S.refunds.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading("Refunds to subscribers who left", size="3"),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in (
                                    "Ticket",
                                    "Subscriber",
                                    "Why",
                                    "Paid in",
                                    "Deduction",
                                    "Refund",
                                    "When",
                                    "",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(S.refunds, _refund_row)),
                    width="100%",
                    size="1",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="subscriber-refunds",
        ),
    )


def ticket_changes_panel() -> rx.Component:
    """Messages, the new substitute's one-time password, the refunds and both dialogs; loads the
    tab's ticket changes when it appears."""
    return rx.vstack(
        error_callout(S.error, id="ticket-change-error"),
        rx.cond(
            S.notice != "",
            rx.callout(S.notice, icon="check", color_scheme="green", width="100%", id="ticket-change-notice"),
        ),
        password_callout(S.new_password, S.share_link),
        refunds_card(),
        change_dialog(),
        _pay_dialog(),
        spacing="3",
        width="100%",
        on_mount=S.load,
    )
