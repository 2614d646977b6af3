"""Foreman: the company page (/f/company). The collection dashboards by branch and by person, the
branches, the staff with the invitation form, and which agent collects from which member. Layout
only; the dashboard tables (components/tables.py) are shared with the staff's branch page."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.control_label import control_label
from luckychit_app.components.shells import error_callout, foreman_shell, loading_block, notice_callout
from luckychit_app.components.tables import agent_table, branch_options, branch_table, data_table
from luckychit_app.pages.foreman.company_gst import gst_section
from luckychit_app.state.company import ROLE_CHOICES
from luckychit_app.state.company import CompanyState as S

SELECT_STYLE = {"padding": "6px 8px", "border-radius": "6px", "min-width": "160px", "max-width": "100%"}


def _section(title: str, *children: rx.Component, **props: object) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(title, size="4"), *children, spacing="3", width="100%"),
        width="100%",
        **props,
    )


def _field(label: str, control: rx.Component) -> rx.Component:
    """A control under its label, the label tied to the control's id (every control here has one)."""
    return rx.vstack(control_label(label, str(control.id), size="1"), control, spacing="1")


def _form_row(*controls: rx.Component, on_submit: rx.EventHandler, key: rx.Var | None = None) -> rx.Component:
    """A row of labelled fields and its button (wrapping on a narrow screen). What was typed stays
    after a refused submit, so it can be corrected; a new `key` after success clears the form."""
    return rx.form(
        rx.hstack(*controls, spacing="3", align="end", wrap="wrap"),
        on_submit=on_submit,
        reset_on_submit=False,
        key=key,
    )


def _feedback(where: str) -> rx.Component:
    """The last action's error or notice, in the section it came from ("" for the page's own)."""
    return rx.cond(S.where == where, rx.fragment(error_callout(S.error), notice_callout(S.notice)))


def _one_time_password() -> rx.Component:
    return rx.cond(
        S.one_time.contains("password"),
        rx.callout(
            rx.vstack(
                rx.text(
                    "One-time password for ",
                    S.one_time["name"],
                    " (",
                    S.one_time["mobile"],
                    "): ",
                    rx.code(S.one_time["password"], size="4", id="invite-password-value"),
                ),
                rx.text(
                    "Hand it over in person; it is not sent by SMS and is shown only now. They choose "
                    "their own password at first sign-in.",
                    size="2",
                ),
                spacing="1",
            ),
            icon="key-round",
            color_scheme="amber",
            width="100%",
            id="invite-password",
        ),
    )


def _branches() -> rx.Component:
    def row(b: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(b["name"], weight="medium")),
            rx.table.cell(rx.badge(b["code"], variant="soft")),
            rx.table.cell(b["address"]),
            rx.table.cell(b["groups"]),
            rx.table.cell(b["staff"]),
            class_name="company-branch",
        )

    return _section(
        "Branches",
        _feedback("branches"),
        data_table(
            ("Branch", "Code", "Address", "Groups", "Staff"),
            S.branches,
            row,
            "branches-table",
        ),
        _form_row(
            _field("Name", rx.input(name="name", id="branch-name", max_length=60, required=True)),
            _field(
                "Code (on receipts)",
                rx.input(name="code", id="branch-code", max_length=8, required=True, width="110px"),
            ),
            _field("Address", rx.input(name="address", id="branch-address", max_length=200)),
            rx.button("Add branch", type="submit", loading=S.busy, id="branch-submit"),
            on_submit=S.add_branch,
            key=S.form_key.to(str),
        ),
    )


def _staff_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r["name"], weight="medium")),
        rx.table.cell(r["mobile"]),
        rx.table.cell(r["role_label"]),
        rx.table.cell(r["branch"]),
        rx.table.cell(
            rx.cond(
                r["active"] == "yes",
                rx.badge("Active", color_scheme="green"),
                rx.badge("Stopped", color_scheme="gray"),
            )
        ),
        rx.table.cell(r["cash"]),
        rx.table.cell(
            rx.cond(
                r["active"] == "yes",
                rx.button(
                    "Stop",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    loading=S.busy,
                    on_click=S.set_active(r["id"], False),
                    class_name="staff-deactivate",
                ),
                rx.button(
                    "Restart",
                    size="1",
                    variant="soft",
                    loading=S.busy,
                    on_click=S.set_active(r["id"], True),
                    class_name="staff-activate",
                ),
            )
        ),
        class_name="staff-row",
    )


def _role_select(select_id: str) -> rx.Component:
    return _field(
        "Role",
        rx.el.select(
            *[rx.el.option(label, value=key) for key, label in ROLE_CHOICES],
            name="role",
            id=select_id,
            style=SELECT_STYLE,
        ),
    )


def _branch_select(select_id: str) -> rx.Component:
    return _field(
        "Branch",
        rx.el.select(
            branch_options(S.branches),
            rx.el.option("All branches (accountant)", value=""),
            name="branch_id",
            id=select_id,
            style=SELECT_STYLE,
        ),
    )


def _change_form() -> rx.Component:
    """Another role or branch for someone (refused while they hold cash)."""
    return _form_row(
        _field(
            "Change a role or branch",
            rx.el.select(
                rx.foreach(S.staff_rows, lambda r: rx.el.option(r["name"], value=r["id"])),
                name="staff_id",
                id="change-staff",
                style=SELECT_STYLE,
            ),
        ),
        _role_select("change-role"),
        _branch_select("change-branch"),
        rx.button("Change", type="submit", variant="soft", loading=S.busy, id="change-submit"),
        on_submit=S.change_role,
    )


def _invite_form() -> rx.Component:
    return _form_row(
        _field("Name", rx.input(name="name", id="invite-name", max_length=80, required=True)),
        _field(
            "Mobile",
            rx.input(name="mobile", id="invite-mobile", input_mode="tel", max_length=14, required=True),
        ),
        _role_select("invite-role"),
        _branch_select("invite-branch"),
        _field("Address (optional)", rx.input(name="address", id="invite-address", max_length=200)),
        rx.button("Invite", type="submit", loading=S.busy, id="invite-submit"),
        on_submit=S.invite,
        key=S.form_key.to(str),
    )


def _staff() -> rx.Component:
    return _section(
        "Staff",
        _feedback("staff"),
        _one_time_password(),
        rx.cond(
            S.staff_rows.length() > 0,
            data_table(
                ("Name", "Mobile", "Role", "Branch", "Account", "Cash in hand", ""),
                S.staff_rows,
                _staff_row,
                "staff-table",
            ),
            rx.text("No staff yet.", size="2", color_scheme="gray"),
        ),
        rx.text(
            "Each person gets only what their role needs: agents collect from the members assigned to "
            "them, clerks collect and receive cash at the counter, branch managers also assign agents "
            "and read the branch's books, accountants only read the books. A stopped account is signed "
            "out at once; it can be stopped only after its cash is handed over.",
            size="1",
            color_scheme="gray",
        ),
        rx.heading("Invite a staff member", size="3"),
        _invite_form(),
        rx.cond(S.staff_rows.length() > 0, _change_form()),
    )


def _assignment_row(m: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(m["name"]),
        rx.table.cell(m["mobile"]),
        rx.table.cell(m["agent"]),
        rx.table.cell(
            rx.button(
                "Unassign",
                size="1",
                variant="soft",
                color_scheme="gray",
                loading=S.busy,
                on_click=S.unassign(m["member_id"]),
                class_name="unassign",
            )
        ),
        class_name="assignment-row",
    )


def _assignments() -> rx.Component:
    return _section(
        "Collection agents",
        _feedback("assign"),
        rx.hstack(
            control_label("Branch", "assign-branch", weight="regular"),
            rx.el.select(
                branch_options(S.branches),
                value=S.assign_branch,
                on_change=S.choose_branch,
                name="assign_branch",
                id="assign-branch",
                style=SELECT_STYLE,
            ),
            spacing="2",
            align="center",
        ),
        _form_row(
            _field(
                "Member",
                rx.el.select(
                    rx.foreach(S.members, lambda m: rx.el.option(m["label"], value=m["member_id"])),
                    name="member_id",
                    id="assign-member",
                    style=SELECT_STYLE,
                ),
            ),
            _field(
                "Agent",
                rx.el.select(
                    rx.foreach(S.agents, lambda a: rx.el.option(a["name"], value=a["id"])),
                    name="agent_id",
                    id="assign-agent",
                    style=SELECT_STYLE,
                ),
            ),
            rx.button("Assign", type="submit", loading=S.busy, id="assign-submit"),
            on_submit=S.assign,
            key=S.assign_branch,
        ),
        rx.cond(
            S.agents.length() == 0,
            rx.text("This branch has no active collection agent yet.", size="1", color_scheme="gray"),
        ),
        rx.cond(
            S.assigned.length() > 0,
            data_table(
                ("Member", "Mobile", "Agent", ""),
                S.assigned,
                _assignment_row,
                "assignments-table",
            ),
            rx.text("No member of this branch has an agent yet.", size="2", color_scheme="gray"),
        ),
    )


def company_page() -> rx.Component:
    """The owner's company: dashboards first (what a day needs), then the set-up sections."""
    return foreman_shell(
        rx.text(S.company_name, size="3", color_scheme="gray", id="company-name"),
        _feedback(""),
        rx.cond(
            S.loading,
            loading_block(),
            rx.vstack(
                _section("Collections by branch", branch_table(S.branch_rows)),
                _section("Collections by person", agent_table(S.agent_rows)),
                _staff(),
                _assignments(),
                _branches(),
                gst_section(_section, _field, _feedback),
                spacing="4",
                width="100%",
            ),
        ),
        title="Company",
    )
