"""The dashboard's statistics card: a figure, what it means, and a link to the list behind it."""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import FunctionStringVar


def stat_card(
    title: str,
    value: rx.Var | str,
    note: rx.Var | str,
    *,
    icon: str,
    href: str,
    card_id: str,
    colour: str = "teal",
    extra: rx.Component | None = None,
    exact: rx.Var | str = "",
) -> rx.Component:
    """A whole-card link (opens its list) that stays one click target for mouse and keyboard.
    `exact`: the unrounded figure behind a compact value ("₹7,05,000" behind "₹7.05L"), on hover."""
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(title, size="2", weight="medium", color_scheme="gray"),
                    rx.spacer(),
                    rx.box(
                        rx.icon(icon, size=18),
                        padding="6px",
                        border_radius="8px",
                        background=rx.color(colour, 3),
                        color=rx.color(colour, 11),
                        display="flex",
                    ),
                    width="100%",
                    align="center",
                ),
                rx.heading(
                    value,
                    size="7",
                    class_name="stat-value",
                    title=exact if isinstance(exact, rx.Var) or exact else None,
                ),
                extra if extra is not None else rx.fragment(),
                rx.text(note, size="1", color_scheme="gray"),
                spacing="2",
                width="100%",
            ),
            width="100%",
            height="100%",
            _hover={"box_shadow": f"0 0 0 2px {rx.color(colour, 7)}"},
        ),
        href=href,
        underline="none",
        color="inherit",
        id=card_id,
        class_name="stat-card",
        width="100%",
    )


def percent_bar(percent: rx.Var, **props: object) -> rx.Component:
    """A progress bar for a whole percentage that rows carry as a display string ("64"). Radix's
    Progress accepts only a number (a string renders an indeterminate sweep and logs "Invalid prop
    `value`"), and `.to(int)` only retypes the Var, so the browser converts it; before its state
    has loaded (undefined, NaN) the bar shows 0, never a NaN that Radix warns about."""
    value = FunctionStringVar.create("((v) => Number(v) || 0)").call(percent).to(int)
    props.setdefault("aria_label", "Collected this month")  # a progressbar needs a name (axe)
    return rx.progress(value=value, max=100, color_scheme="green", **props)
