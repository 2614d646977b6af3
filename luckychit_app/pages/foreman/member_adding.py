"""Adding people to a forming group, on the group page's Members tab: one member at a time, many from a
CSV (each row added or listed with its problem), and the invite link with its QR code. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.languages import language_select_items
from luckychit_app.components.member_forms import password_callout
from luckychit_app.locales import CODES
from luckychit_app.state.group_tabs import GroupMembersState as S


def _field(label: str, control_id: str, control: rx.Component) -> rx.Component:
    """A control with its label above it, tied to it by the control's id."""
    return rx.vstack(
        rx.text(label, size="1", weight="medium", as_="label", custom_attrs={"htmlFor": control_id}),
        control,
        spacing="1",
    )


def add_one_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Add a member", size="3"),
            rx.form(
                rx.hstack(
                    _field(
                        "Member name",
                        "member-name",
                        rx.input(name="name", required=True, max_length=80, id="member-name"),
                    ),
                    _field(
                        "Mobile",
                        "member-mobile",
                        rx.input(
                            name="mobile",
                            type="tel",
                            required=True,
                            id="member-mobile",
                            placeholder="98765 43210",
                        ),
                    ),
                    _field(
                        "Language",
                        "member-language",
                        rx.select.root(
                            rx.select.trigger(id="member-language"),
                            rx.select.content(*language_select_items()),
                            name="language",
                            default_value="en",
                        ),
                    ),
                    rx.button(rx.icon("user-plus", size=16), "Add member", type="submit", id="add-member"),
                    wrap="wrap",
                    spacing="2",
                    align="end",
                ),
                on_submit=S.add_member,
                reset_on_submit=True,
            ),
            password_callout(S.new_password, S.share_link),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _bulk_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["line"]),
        rx.table.cell(r["name"]),
        rx.table.cell(r["mobile"]),
        rx.table.cell(
            rx.cond(
                r["ok"] == "yes",
                rx.hstack(rx.badge("Added", color_scheme="green"), rx.text("ticket ", r["ticket"], size="2")),
                rx.text(r["error"], color="red", size="2"),
            )
        ),
        rx.table.cell(
            rx.cond(
                r["password"] != "",
                rx.hstack(
                    rx.code(r["password"]),
                    rx.link("WhatsApp", href=r["share"], is_external=True, size="2"),
                ),
            )
        ),
        class_name=rx.cond(r["ok"] == "yes", "bulk-ok", "bulk-error"),
    )


def bulk_add_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Add many from CSV", size="3"),
            rx.text(
                f"One member per line: name, mobile, and optionally their language ({', '.join(CODES)}). "
                "Rows with a problem are listed with the reason; the others are added.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    rx.text(
                        "Rows to import",
                        size="1",
                        weight="medium",
                        as_="label",
                        custom_attrs={"htmlFor": "bulk-csv"},
                    ),
                    rx.text_area(
                        name="csv",
                        placeholder="name,mobile,language\nAsha Rao,9876543210,en\nRavi Kumar,9123456780,hi",
                        rows="4",
                        width="100%",
                        id="bulk-csv",
                    ),
                    rx.hstack(
                        rx.button("Import pasted rows", type="submit", variant="soft", id="bulk-import"),
                        # The upload's own file input has no name of its own: the label around it
                        # gives it the button's words (the button opens it; the label adds no click).
                        rx.el.label(
                            rx.upload(
                                rx.button("Choose a CSV file", type="button", variant="outline"),
                                id="bulk-file",
                                accept={"text/csv": [".csv"], "text/plain": [".txt"]},
                                max_files=1,
                                border="none",
                                padding="0",
                            ),
                            display="inline-block",
                        ),
                        rx.button(
                            "Upload file",
                            type="button",
                            variant="soft",
                            on_click=S.bulk_upload(rx.upload_files(upload_id="bulk-file")),
                            id="bulk-upload",
                        ),
                        rx.text(rx.selected_files("bulk-file"), size="1", color_scheme="gray"),
                        wrap="wrap",
                        spacing="2",
                        align="center",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.bulk_paste,
                reset_on_submit=False,
            ),
            rx.cond(S.bulk_summary != "", rx.text(S.bulk_summary, weight="medium", id="bulk-summary")),
            rx.cond(
                S.bulk_results.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Line", "Name", "Mobile", "Result", "Password")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(S.bulk_results, _bulk_row)),
                    size="1",
                    width="100%",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def invite_card() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.image(src=S.invite_qr, width="132px", height="132px", alt="Invite QR code", id="invite-qr"),
            rx.vstack(
                rx.heading("Invite link", size="3"),
                rx.text(
                    "Share the link or let people scan the code; they sign up and ask to join.", size="2"
                ),
                rx.code(S.invite_link, id="invite-link"),
                rx.hstack(
                    rx.button(
                        rx.icon("copy", size=14),
                        "Copy link",
                        size="1",
                        variant="soft",
                        on_click=rx.set_clipboard(S.invite_link),
                    ),
                    rx.link(
                        rx.button(
                            rx.icon("message-circle", size=14), "Share on WhatsApp", size="1", variant="soft"
                        ),
                        href="https://wa.me/?text=" + S.invite_link.to(str),
                        is_external=True,
                    ),
                ),
                spacing="2",
            ),
            spacing="4",
            align="center",
        ),
        width="100%",
    )
