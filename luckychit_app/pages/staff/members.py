"""/s/members: a branch's members on a phone (fine on a desk too). The group selector, the group's
join requests with Approve / Reject, the "Add member" form while it is forming with a free seat, and
the roster as cards (name, ticket, a call link, address, agent) with "Edit address". Layout only
(state/staff_members.py); nothing is wider than a 390 px screen (long text wraps)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import control_label
from luckychit_app.components.languages import language_select_items
from luckychit_app.components.member_forms import join_requests_card, password_callout
from luckychit_app.components.shells import error_callout, notice_callout, role_gated, staff_shell
from luckychit_app.domain.gst import GST_STATES
from luckychit_app.state.staff_members import StaffMembersState as S

NOT_AVAILABLE = "Not available for your role."
WRAP = {"overflow_wrap": "anywhere", "min_width": "0"}  # a long name or address wraps, never widens


def _line(icon: str, *body: rx.Component | rx.Var | str) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=16, color=rx.color("gray", 10), flex_shrink="0"),
        rx.text(*body, size="2", **WRAP),
        spacing="2",
        align="start",
    )


def _status(status: rx.Var, label: rx.Var) -> rx.Component:
    color = rx.match(
        status,
        ("active", "green"),
        ("forming", "blue"),
        ("pending", "amber"),
        ("suspended", "orange"),
        ("removed", "gray"),
        "gray",
    )
    return rx.badge(label, color_scheme=color, size="1", flex_shrink="0")


def _selector() -> rx.Component:
    return rx.vstack(
        control_label("Group", "roster-group"),
        rx.select.root(
            rx.select.trigger(
                placeholder="Choose a group", width="100%", max_width="100%", id="roster-group"
            ),
            rx.select.content(
                rx.foreach(
                    S.groups,
                    lambda g: rx.select.item(g["label"], value=g["id"], class_name="roster-group-option"),
                )
            ),
            name="roster-group",
            value=S.chosen_group,
            on_change=S.choose_group,
            size="3",
        ),
        spacing="1",
        width="100%",
    )


def _header() -> rx.Component:
    g = S.group
    return rx.hstack(
        rx.vstack(
            rx.text(g["name"], weight="bold", size="4", id="roster-group-name", **WRAP),
            rx.text(g["branch"], " · ", g["seats"], " seats taken", size="2", color_scheme="gray"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        _status(g["status"], g["status_label"]),
        width="100%",
        align="center",
        id="roster-header",
    )


def _request(r: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(r["name"], weight="medium", **WRAP),
        rx.text(r["mobile"], " · asked ", r["requested"], size="1", color_scheme="gray"),
        rx.cond(r["message"] != "", rx.text(r["message"], size="2", **WRAP)),
        rx.hstack(
            rx.button(
                "Approve",
                size="2",
                flex="1",
                on_click=S.decide(r["id"], True),
                id="approve-" + r["id"].to(str),
            ),
            rx.button(
                "Reject",
                size="2",
                flex="1",
                color_scheme="red",
                variant="soft",
                on_click=S.decide(r["id"], False),
                id="reject-" + r["id"].to(str),
            ),
            spacing="2",
            width="100%",
        ),
        spacing="1",
        width="100%",
        class_name="join-request",
    )


def _requests() -> rx.Component:
    return join_requests_card(S.requests, _request, id="join-requests")


def _password() -> rx.Component:
    """The new member's one-time password, as on the foreman's group page: shown once."""
    return password_callout(S.new_password, S.share_link)


def _add_form() -> rx.Component:
    field = {"size": "3", "width": "100%", "read_only": S.adding}
    return rx.card(
        rx.vstack(
            rx.heading("Add a member", size="3"),
            rx.form(
                rx.vstack(
                    rx.input(
                        name="add-name",
                        id="add-name",
                        aria_label="Member name",
                        placeholder="Member name",
                        required=True,
                        max_length=80,
                        **field,
                    ),
                    rx.input(
                        name="add-mobile",
                        id="add-mobile",
                        aria_label="Mobile",
                        placeholder="Mobile",
                        type="tel",
                        input_mode="numeric",
                        required=True,
                        max_length=16,
                        **field,
                    ),
                    rx.text_area(
                        name="add-address",
                        id="add-address",
                        aria_label="Address, for collection at the door (optional)",
                        placeholder="Address, for collection at the door (optional)",
                        max_length=200,
                        rows="2",
                        **field,
                    ),
                    rx.select.root(
                        rx.select.trigger(
                            placeholder="Language", width="100%", id="add-language", aria_label="Language"
                        ),
                        rx.select.content(*language_select_items()),
                        name="add-language",
                        default_value="en",
                        size="3",
                    ),
                    rx.button(
                        rx.icon("user-plus", size=16),
                        rx.cond(S.adding, "Adding…", "Add member"),
                        type="submit",
                        size="3",
                        width="100%",
                        disabled=S.adding,
                        id="add-submit",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.add_member,
                reset_on_submit=False,
                key=S.add_key,
                width="100%",
            ),
            _password(),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="add-member-card",
    )


def _adding() -> rx.Component:
    """The form while the group can take a member; otherwise why not (for those who manage)."""
    g = S.group
    return rx.cond(
        g["can_add"] == "yes",
        _add_form(),
        rx.vstack(
            _password(),
            rx.cond(
                g["can_edit"] == "yes",
                rx.text(
                    rx.cond(
                        g["forming"] == "yes",
                        "All seats of this group are taken.",
                        "Members can be added only while the group is forming.",
                    ),
                    size="2",
                    color_scheme="gray",
                    id="add-closed",
                ),
            ),
            spacing="2",
            width="100%",
        ),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row["name"], weight="bold", size="3", **WRAP),
                rx.spacer(),
                _status(row["status"], row["status_label"]),
                width="100%",
                align="center",
            ),
            rx.text(
                "Ticket ",
                row["ticket_no"],
                rx.cond(row["prized"] != "", " · prized in " + row["prized"].to(str), ""),
                size="2",
                color_scheme="gray",
            ),
            rx.link(
                _line("phone", row["mobile"]),
                href=row["tel"],
                underline="none",
                min_height="32px",
                display="flex",
                align_items="center",
                class_name="roster-call",
            ),
            _line("map-pin", rx.cond(row["address"] != "", row["address"], "No address yet")),
            _line("user-round", rx.cond(row["agent"] != "", "Agent: " + row["agent"].to(str), "No agent")),
            rx.cond(
                row["editable"] == "yes",
                rx.button(
                    rx.icon("pencil", size=14),
                    "Edit address",
                    size="2",
                    variant="soft",
                    on_click=S.open_address(row["ticket_id"]),
                    id="edit-address-" + row["ticket_id"].to(str),
                ),
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="roster-row",
    )


def _address_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Address of ", S.address_for["name"]),
            rx.dialog.description("Where the collection agent finds them. Leave empty to clear.", size="2"),
            rx.form(
                rx.vstack(
                    rx.text_area(
                        name="address",
                        id="address-input",
                        default_value=S.address_for["address"],
                        max_length=200,
                        rows="3",
                        width="100%",
                    ),
                    control_label("State (the place of supply for GST)", "address-state", size="2"),
                    rx.el.select(
                        rx.el.option("Not recorded (the company's state)", value=""),
                        *[rx.el.option(name, value=code) for code, name in GST_STATES.items()],
                        name="state",
                        id="address-state",
                        default_value=S.address_for["state"],
                        style={"padding": "6px 8px", "border-radius": "6px", "width": "100%"},
                    ),
                    error_callout(S.address_error, id="address-error"),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray", size="3")
                        ),
                        rx.button("Save", type="submit", size="3", flex="1", id="address-save"),
                        width="100%",
                        spacing="2",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.save_address,
                reset_on_submit=False,
                key=S.address_key,
                padding_top="12px",
            ),
            max_width="480px",
            id="address-dialog",
        ),
        open=S.address_open,
        on_open_change=S.set_address_open,
    )


def _roster() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(rx.foreach(S.rows, _row), spacing="3", width="100%", id="roster"),
        rx.text("No members in this group yet.", color_scheme="gray", id="roster-empty"),
    )


def _members() -> rx.Component:
    return rx.cond(
        S.groups.length() > 0,
        rx.vstack(
            _selector(),
            _header(),
            _requests(),
            _adding(),
            rx.heading("Members", size="3"),
            _roster(),
            spacing="3",
            width="100%",
        ),
        rx.text("Your branch has no groups yet.", color_scheme="gray", id="no-groups"),
    )


def staff_members_page() -> rx.Component:
    return staff_shell(
        error_callout(S.error),
        notice_callout(S.notice),
        role_gated(
            S.loading, S.allowed, _members(), refusal=NOT_AVAILABLE, refusal_id="members-not-available"
        ),
        _address_dialog(),
        title="Members",
    )
