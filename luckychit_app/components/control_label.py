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


def named_upload(upload: rx.Component, labelled_by: str) -> rx.Component:
    """`rx.upload` whose file input is named by the element with id `labelled_by` (Reflex builds the
    input itself and passes it no props, so the name is set on it here)."""
    zone = upload.children[0]
    file_input = next(c for c in zone.children if str(getattr(c, "type", "")) == '"file"')
    file_input.custom_attrs = {**file_input.custom_attrs, "aria-labelledby": labelled_by}
    return upload
