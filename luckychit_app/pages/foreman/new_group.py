"""Foreman: the new-group form (/f/groups/new): name, lucky draw or auction, chit value and tickets,
commission, draw day, bid limits, late fees and UPI ID, and the terms the Act leaves to the chit
agreement (period, foreman's first chit, forfeiture, default and removal; docs/agreement_terms.md).
Layout only; the services check every term."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell
from luckychit_app.components.tables import branch_options
from luckychit_app.state.foreman import NewGroupState


def _input(label: str, name: str, hint: str = "", **props: object) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", custom_attrs={"htmlFor": name}),
        rx.input(name=name, id=name, width="100%", **props),
        rx.cond(NewGroupState.error_field == name, rx.text(NewGroupState.error, color="red", size="1")),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        spacing="1",
        width="100%",
    )


def _choice(label: str, name: str, options: list[tuple[str, str]], hint: str = "") -> rx.Component:
    """A native select sent with the form under ``name`` (the first option is the default)."""
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", custom_attrs={"htmlFor": name}),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options],
            name=name,
            id=name,
            style={"padding": "8px", "border-radius": "8px", "width": "100%"},
        ),
        rx.cond(NewGroupState.error_field == name, rx.text(NewGroupState.error, color="red", size="1")),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        spacing="1",
        width="100%",
    )


def _period_and_draw_day() -> rx.Component:
    """How often instalments fall due; the draw day of the month matters to monthly groups only."""
    return rx.fragment(
        rx.vstack(
            rx.text(
                "Instalments", size="2", weight="medium", as_="label", custom_attrs={"htmlFor": "period"}
            ),
            rx.select.root(
                rx.select.trigger(id="period"),
                rx.select.content(
                    rx.select.item("Monthly", value="monthly"),
                    rx.select.item("Fortnightly (every 14 days)", value="fortnightly"),
                    rx.select.item("Weekly (every 7 days)", value="weekly"),
                ),
                value=NewGroupState.period,
                on_change=NewGroupState.set_period,
            ),
            rx.text("One instalment per ticket, whatever the period.", size="1", color_scheme="gray"),
            spacing="1",
            width="100%",
        ),
        rx.cond(
            NewGroupState.period == "monthly",
            _input("Draw day of month", "draw_day", "1 to 28", default_value="10"),
            rx.text(
                "Instalments fall due every period from the start date, on its weekday; the draw day of "
                "the month is not used.",
                size="1",
                color_scheme="gray",
            ),
        ),
    )


def _agreement_terms() -> rx.Component:
    """The terms the Chit Funds Act leaves to the chit agreement (s.6)."""
    return rx.vstack(
        rx.heading("Agreement terms", size="3"),
        rx.checkbox(
            "Foreman takes the first chit (month 1's whole chit amount, no commission; s.21(1)(a))",
            checked=NewGroupState.foreman_first,
            on_change=NewGroupState.set_foreman_first,
            class_name="foreman-first-chit",  # no id or name: the state sends it, ticked or not
        ),
        rx.cond(
            NewGroupState.kind == "auction",
            rx.checkbox(
                "A ticket in arrears when a month settles gets no dividend that month",
                name="forfeit_dividend_when_late",
                id="forfeit_dividend_when_late",
            ),
        ),
        rx.grid(
            rx.cond(
                NewGroupState.kind == "auction",
                _choice(
                    "Rounding remainder of the dividend",
                    "remainder_to",
                    [("carry", "Kept for the group, paid at closing"), ("foreman", "To the foreman")],
                    "The foreman's part never takes his income above 7% of the chit value.",
                ),
            ),
            _input(
                "Unpaid instalments before default",
                "default_after",
                "1 to 12: then the ticket may be declared defaulted (s.28).",
                default_value="3",
                input_mode="numeric",
            ),
            _input(
                "Deduction from a removed subscriber (%)",
                "removal_deduction_pct",
                "0 to 5% of the chit value (s.30).",
                default_value="5",
            ),
            _choice(
                "A removed subscriber's refund is paid",
                "removed_refund_at",
                [("close", "At the group's close"), ("substitution", "When a substitute joins")],
            ),
            _choice(
                "Late fees go to",
                "late_fee_pool_to",
                [("foreman", "The foreman"), ("members", "The members, shared at the close")],
            ),
            # The Act has every draw held on the agreement's date (s.16(1), s.6(1)(h)); the agreement
            # says whether a draw before it is only warned about or refused (issue 16).
            _choice(
                "A draw before its date",
                "early_draw",
                [("warn", "Warn me, then allow it"), ("refuse", "Refuse it until the date")],
                "Each draw's date is its instalment's due date (Chit Funds Act s.16).",
            ),
            _choice(
                "GST on the commission",
                "gst_recovery",
                [("prize", "Recovered from the prize"), ("foreman", "Borne by the foreman")],
                "Charged only when the company has a GSTIN (18% since 18-07-2022).",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _branch_select() -> rx.Component:
    """The branch the group belongs to (its receipts and cash book), asked only when there are several."""
    return rx.cond(
        NewGroupState.branches.length() > 1,
        rx.vstack(
            rx.text("Branch", size="2", weight="medium", as_="label", custom_attrs={"htmlFor": "branch_id"}),
            rx.el.select(
                branch_options(NewGroupState.branches),
                name="branch_id",
                id="branch_id",
                style={"padding": "8px", "border-radius": "8px", "width": "100%"},
            ),
            rx.cond(
                NewGroupState.error_field == "branch_id",
                rx.text(NewGroupState.error, color="red", size="1"),
            ),
            spacing="1",
            width="100%",
        ),
    )


def new_group_page() -> rx.Component:
    return foreman_shell(
        error_callout(NewGroupState.error),
        rx.form(
            rx.vstack(
                _input("Group name", "name", required=True, max_length=80, placeholder="Diwali Savings 2026"),
                _branch_select(),
                rx.vstack(
                    rx.text("Draw type", size="2", weight="medium", id="kind-label"),
                    rx.segmented_control.root(
                        rx.segmented_control.item("Lucky draw", value="lucky"),
                        rx.segmented_control.item("Auction", value="auction"),
                        value=NewGroupState.kind,
                        on_change=NewGroupState.set_kind,
                        id="kind",
                        aria_labelledby="kind-label",
                    ),
                    spacing="1",
                ),
                rx.grid(
                    _input(
                        "Chit value (₹)",
                        "chit_value",
                        "Must divide evenly among the tickets.",
                        required=True,
                        input_mode="decimal",
                        placeholder="1,00,000",
                    ),
                    _input(
                        "Tickets (members × months)",
                        "tickets",
                        "2 to 100",
                        required=True,
                        input_mode="numeric",
                        placeholder="20",
                    ),
                    _input(
                        "Foreman commission (%)",
                        "commission_pct",
                        "0 to 7% of the chit value each month.",
                        default_value="5",
                    ),
                    _period_and_draw_day(),
                    rx.cond(
                        NewGroupState.kind == "auction",
                        rx.vstack(
                            _input(
                                "Maximum discount (%)",
                                "max_discount_pct",
                                "The agreement's ceiling: up to 50% (usually at most 40%).",
                                default_value="30",
                                on_change=NewGroupState.check_max_discount,
                            ),
                            rx.cond(
                                NewGroupState.discount_warning != "",
                                rx.callout(
                                    NewGroupState.discount_warning,
                                    icon="triangle_alert",
                                    color_scheme="amber",
                                    size="1",
                                    id="max-discount-warning",
                                ),
                            ),
                            width="100%",
                        ),
                    ),
                    rx.cond(
                        NewGroupState.kind == "auction",
                        _input("Minimum bid step (₹)", "min_bid_step", default_value="100"),
                    ),
                    _input("Grace days before late fee", "grace_days", default_value="0"),
                    _input(
                        "Flat late fee per month (₹)",
                        "late_fee_flat",
                        "Used when late fee is flat.",
                        default_value="0",
                    ),
                    _input("UPI ID for direct payments", "upi_vpa", "Optional, like name@bank."),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                rx.hstack(
                    rx.text(
                        "Late fee",
                        size="2",
                        weight="medium",
                        as_="label",
                        custom_attrs={"htmlFor": "late_fee_mode"},
                    ),
                    rx.select.root(
                        rx.select.trigger(id="late_fee_mode"),
                        rx.select.content(
                            rx.select.item("None", value="none"),
                            rx.select.item("Flat, per month", value="flat"),
                            rx.select.item("Interest", value="interest"),
                        ),
                        name="late_fee_mode",
                        default_value="none",
                    ),
                    rx.text(
                        "Interest % per month",
                        size="2",
                        as_="label",
                        custom_attrs={"htmlFor": "late_fee_interest_pct"},
                    ),
                    rx.input(
                        name="late_fee_interest_pct",
                        id="late_fee_interest_pct",
                        default_value="0",
                        width="80px",
                    ),
                    align="center",
                    wrap="wrap",
                ),
                _agreement_terms(),
                rx.button("Create group", type="submit", size="3", id="create-group"),
                spacing="4",
                width="100%",
                max_width="720px",
            ),
            on_submit=NewGroupState.submit,
            reset_on_submit=False,
        ),
        title="New chit group",
    )
