"""Form pieces that the tabs of a group's payments page and the ticket-transfer dialog share, so each
form posts the same field names (the hidden inputs and table headers they also use are
components/tables.py's)."""

from __future__ import annotations

import reflex as rx

# How the select names each way money moves (services/money/payment_methods.py METHOD_LABELS' words;
# pages do not import services).
_METHOD_NAMES = {"cash": "Cash", "bank": "Bank transfer", "upi": "UPI"}


def method_select(
    name: str = "method", options: tuple[str, ...] = ("cash", "bank"), label: str = "Payment method"
) -> rx.Component:
    """The method select, each method by its name ("Bank transfer", not "bank"); its accessible name
    is ``label`` (it sits in table rows and cards where a visible label beside every select would be
    noise)."""
    return rx.select.root(
        rx.select.trigger(aria_label=label),
        rx.select.content(*[rx.select.item(_METHOD_NAMES[o], value=o) for o in options]),
        name=name,
        default_value=options[0],
        size="1",
    )


def guarantor_inputs(today: rx.Var, size: str = "1") -> list[rx.Component]:
    """One guarantor's boxes (services/money/guarantors.py FIELDS, each with a "g_" prefix), for a
    prize's security and a prized ticket's transfer; the caller lays them out."""
    box = {"size": size}
    return [
        rx.input(
            name="g_name", aria_label="Guarantor's name", placeholder="Guarantor's name", max_length=80, **box
        ),
        rx.input(name="g_mobile", aria_label="Guarantor's mobile", placeholder="Mobile", type="tel", **box),
        rx.input(
            name="g_relation",
            aria_label="Guarantor's relation to the member",
            placeholder="Relation",
            max_length=40,
            **box,
        ),
        rx.input(
            name="g_kyc",
            aria_label="Guarantor's PAN or Aadhaar",
            placeholder="PAN or Aadhaar",
            max_length=20,
            **box,
        ),
        rx.hstack(
            rx.text("Signed on", size=size),
            rx.input(name="g_signed_on", aria_label="Guarantee signed on", type="date", max=today, **box),
            align="center",
            spacing="2",
        ),
    ]


def deposit_inputs(today: rx.Var, keep_from_prize: rx.Var | bool, size: str = "1") -> rx.Component:
    """How a security deposit came in (services/money/security_deposits.py; s.21(1)(e)): paid by
    cash, bank or UPI with its reference and date, or kept back from the prize when it is released
    (offered while `keep_from_prize` holds)."""
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(aria_label="How the deposit came in"),
            rx.select.content(
                rx.select.item("Cash", value="cash"),
                rx.select.item("Bank transfer", value="bank"),
                rx.select.item("UPI", value="upi"),
                rx.cond(keep_from_prize, rx.select.item("Keep from the prize", value="prize")),
            ),
            name="deposit_method",
            default_value="cash",
            size=size,
        ),
        rx.input(
            name="deposit_reference",
            aria_label="Deposit's bank or UPI reference",
            placeholder="Bank/UPI reference",
            size=size,
            width="170px",
        ),
        rx.text("Received on", size=size),
        rx.input(
            name="deposit_received_on",
            aria_label="Deposit received on",
            type="date",
            default_value=today,
            max=today,
            size=size,
            width="140px",
        ),
        spacing="2",
        wrap="wrap",
        align="center",
    )


CASH_OVERRIDE_LABEL = (
    "Reason for taking ₹2 lakh or more in cash from this member today (Income-tax Act s.269ST)"
)


def cash_override_input(size: str = "1", width: str = "100%", input_id: str = "") -> rx.Component:
    """The reason the recorder gives for accepting cash of ₹2,00,000 or more from one member in a day
    (services/money/cash_limit.py: refused without one, kept on the payment and in the audit log)."""
    return rx.input(
        name="cash_override",
        aria_label=CASH_OVERRIDE_LABEL,
        placeholder="Reason for cash of ₹2 lakh or more today (s.269ST)",
        max_length=200,
        size=size,
        width=width,
        **({"id": input_id} if input_id else {}),
    )
