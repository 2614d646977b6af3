"""A form control's visible name tied to the control (`<label for=…>`), so a screen reader reads it
and Playwright's `get_by_label` finds the control (issue 16, item 24). A placeholder is not a name.
Also the look of a native `<select>` on the member's phone pages (a border, a 16 px font)."""

from __future__ import annotations

import reflex as rx

# A native picker drawn like the text boxes around it: a border, the page's colours, a 16 px font
# (a phone zooms into a smaller one).
NATIVE_SELECT_STYLE = {
    "width": "100%",
    "padding": "10px",
    "border_radius": "8px",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "font_size": "16px",
}


def control_label(
    text: str | rx.Var, control_id: str, *, size: str = "2", weight: str = "medium"
) -> rx.Component:
    """The label of the control whose `id` is `control_id` (its text as a span: a label holds
    phrasing content only)."""
    return rx.el.label(rx.text.span(text, size=size, weight=weight), html_for=control_id)
