"""/s: the staff desk on a phone. Today's date and totals, a search box, one card per member to visit
(call and WhatsApp links, a big "Collect ₹X" button), and the collect sheet: amount, Cash or UPI
(with the UTR), Record, then the receipt with a link to share it. Layout only (state/desk.py)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, role_gated, staff_shell
from luckychit_app.state.desk import DeskState as S

NO_COLLECTING = "Your role does not collect; see Cash and Branch."


def _badge(row: rx.Var) -> rx.Component:
    return rx.match(
        row["state"],
        ("overdue", rx.badge("Overdue since ", row["overdue_since"], color_scheme="red", size="2")),
        ("due", rx.badge("Due", color_scheme="amber", size="2")),
        rx.badge("Paid", color_scheme="green", size="2"),
    )


def _contact(
    label: str, icon: str, href: rx.Var, class_name: str, color: str, *, external: bool = False
) -> rx.Component:
    """A link styled as a soft button (a button inside a link is not valid HTML); `external` opens it
    in a new tab (WhatsApp), leaving the desk open."""
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18), rx.text(label, size="2", weight="medium"), spacing="2", align="center"
        ),
        href=href,
        is_external=external,
        underline="none",
        padding="10px 14px",
        min_height="44px",
        border_radius="8px",
        display="flex",
        align_items="center",
        color=rx.color(color, 11),
        background=rx.color(color, 3),
        class_name=class_name,
    )


def _card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row["name"], weight="bold", size="4"),
                rx.spacer(),
                _badge(row),
                width="100%",
                align="center",
            ),
            rx.text(row["group"], " · Ticket ", row["ticket_no"], size="2", color_scheme="gray"),
            rx.cond(
                row["overdue"] != "",
                rx.text("Overdue ", row["overdue"], size="2", color=rx.color("red", 11), weight="medium"),
            ),
            rx.cond(row["fees"] != "", rx.text("Includes late fees ", row["fees"], size="1")),
            rx.cond(
                row["address"] != "",
                rx.hstack(
                    rx.icon("map-pin", size=16, color=rx.color("gray", 10)),
                    rx.text(row["address"], size="2"),
                    spacing="2",
                    align="start",
                ),
            ),
            rx.hstack(
                _contact("Call", "phone", row["tel"], "desk-call", "blue"),
                _contact(
                    "WhatsApp", "message-circle", row["whatsapp"], "desk-whatsapp", "green", external=True
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.button(
                "Collect ",
                row["collect"],
                size="4",
                width="100%",
                on_click=S.open_collect(row["ticket_id"]),
                id="collect-" + row["ticket_id"].to(str),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="desk-row",
    )


def _method(label: str, value: str) -> rx.Component:
    chosen = S.method == value
    return rx.button(
        label,
        type="button",
        size="3",
        flex="1",
        variant=rx.cond(chosen, "solid", "outline"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=S.set_method(value),
        id=f"collect-method-{value}",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Amount received (₹)", size="2", weight="medium"),
            rx.input(
                name="collect-amount",
                id="collect-amount",
                default_value=S.sheet["amount"],
                input_mode="decimal",
                size="3",
                width="100%",
                required=True,
                read_only=S.pending,
            ),
            rx.hstack(
                _method("Cash", "cash"), _method("UPI", "upi"), width="100%", spacing="2", role="group"
            ),
            rx.cond(
                S.method == "upi",
                rx.input(
                    name="collect-utr",
                    id="collect-utr",
                    placeholder="12-digit UTR from the member's UPI app",
                    input_mode="numeric",
                    max_length=16,
                    size="3",
                    width="100%",
                    read_only=S.pending,
                ),
            ),
            rx.cond(
                S.needs_reason & (S.method == "cash"),
                rx.input(
                    name="cash_override",
                    id="collect-override",
                    aria_label="Reason for taking ₹2 lakh or more in cash from this member today "
                    "(Income-tax Act s.269ST)",
                    placeholder="Reason for cash of ₹2 lakh or more today (s.269ST)",
                    max_length=200,
                    size="3",
                    width="100%",
                    read_only=S.pending,
                ),
            ),
            rx.cond(
                S.pending,
                rx.callout(
                    "Recording… keep this screen open. If the line drops, tap Record again: it will not be "
                    "recorded twice.",
                    icon="loader",
                    color_scheme="blue",
                    width="100%",
                    id="collect-pending",
                ),
            ),
            error_callout(S.sheet_error, id="collect-error"),
            rx.hstack(
                rx.button(
                    "Cancel",
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    size="3",
                    disabled=S.pending,
                    on_click=S.close_sheet,
                ),
                rx.button(
                    rx.cond(S.pending, "Recording…", "Record"),
                    type="submit",
                    size="3",
                    flex="1",
                    disabled=S.pending,
                    id="collect-submit",
                ),
                width="100%",
                spacing="2",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.record,
        reset_on_submit=False,
        key=S.opened,
    )


def _result() -> rx.Component:
    return rx.vstack(
        rx.callout(
            rx.text(
                "Recorded ",
                S.result["amount"],
                " from ",
                S.result["name"],
                ". Receipt ",
                S.result["receipt"],
                " has been sent to the member.",
            ),
            icon="check",
            color_scheme="green",
            width="100%",
        ),
        rx.link("Open receipt ", S.result["receipt"], href=S.result["url"], id="collect-receipt"),
        _contact(
            "Share on WhatsApp", "message-circle", S.result["share"], "desk-whatsapp", "green", external=True
        ),
        rx.button("Done", size="3", width="100%", on_click=S.close_sheet, id="collect-done"),
        spacing="3",
        width="100%",
        id="collect-result",
    )


def _sheet() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Collect from ", S.sheet["name"]),
            rx.dialog.description(
                S.sheet["group"],
                " · Ticket ",
                S.sheet["ticket_no"],
                " · to collect ",
                S.sheet["collect"],
                size="2",
            ),
            rx.box(rx.cond(S.recorded, _result(), _form()), padding_top="12px", width="100%"),
            max_width="480px",
            id="collect-sheet",
        ),
        open=S.sheet_open,
        on_open_change=lambda _open: S.close_sheet(),
    )


def _search() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                name="search",
                id="desk-search",
                aria_label="Search members by name or mobile",
                placeholder="Search name or mobile",
                default_value=S.search,
                max_length=80,
                size="3",
                flex="1",
            ),
            rx.button(rx.icon("search"), type="submit", size="3", variant="soft", aria_label="Search"),
            width="100%",
            spacing="2",
        ),
        on_submit=S.find,
        reset_on_submit=False,
        width="100%",
    )


def _desk() -> rx.Component:
    t = S.totals
    return rx.vstack(
        rx.text(S.today, size="2", color_scheme="gray", id="desk-date"),
        rx.hstack(
            rx.vstack(
                rx.text("To collect from", size="1", color_scheme="gray"),
                rx.text(
                    t["count"],
                    rx.cond(t["count"] == "1", " member", " members"),
                    size="4",
                    weight="bold",
                    id="desk-count",
                ),
                spacing="0",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text("Due in all", size="1", color_scheme="gray"),
                rx.text(t["total"], size="4", weight="bold", id="desk-total"),
                spacing="0",
                align="end",
            ),
            width="100%",
        ),
        rx.cond(t["overdue"] != "0", rx.text(t["overdue"], " overdue", size="2", color=rx.color("red", 11))),
        _search(),
        rx.cond(
            S.rows.length() > 0,
            rx.vstack(rx.foreach(S.rows, _card), spacing="3", width="100%", id="desk-list"),
            rx.text("Nobody to collect from.", color_scheme="gray", id="desk-empty"),
        ),
        rx.cond(t["capped"] != "", rx.text("Showing the first 300; search to find others.", size="1")),
        spacing="3",
        width="100%",
    )


def desk_page() -> rx.Component:
    return staff_shell(
        error_callout(S.error),
        role_gated(S.loading, S.collects, _desk(), refusal=NO_COLLECTING, refusal_id="desk-no-collect"),
        _sheet(),
        title="Today",
    )
