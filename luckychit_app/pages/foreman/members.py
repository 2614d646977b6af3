"""Members: the group page's Members tab (add one, bulk add from CSV, invite link and QR, join
requests, suspend / reinstate / remove with a reason) and the directory of every member (/f/members).
Layout only; the states call the services."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.shells import error_callout, foreman_shell, notice_callout
from luckychit_app.pages.foreman.dashboard import loading_block, pager
from luckychit_app.state.dashboard import MembersDirectoryState
from luckychit_app.state.group_tabs import GroupMembersState as S

TICKET_BADGES = {"active": "green", "suspended": "orange", "pending": "amber", "removed": "gray"}
KYC_BADGES = {"verified": "green", "submitted": "blue", "rejected": "red", "none": "gray"}


def ticket_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(k, rx.badge(k.capitalize(), color_scheme=c)) for k, c in TICKET_BADGES.items()],
        rx.badge(status),
    )


def kyc_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[
            (k, rx.badge("No KYC" if k == "none" else k.capitalize(), color_scheme=c, variant="soft"))
            for k, c in KYC_BADGES.items()
        ],
        rx.badge(status),
    )


def _dues_cell(m: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(m["dues"], weight=rx.cond(m["overdue"] != "", "bold", "regular")),
        rx.cond(
            m["overdue"] != "",
            rx.text("overdue since ", m["overdue_since"], size="1", color="red"),
        ),
        spacing="0",
    )


def _actions(m: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(
            m["status"] == "active",
            rx.button(
                "Suspend",
                size="1",
                variant="soft",
                color_scheme="orange",
                on_click=S.ask_status(m["ticket_id"], "suspended", m["name"]),
                class_name="suspend",
            ),
        ),
        rx.cond(
            m["status"] == "suspended",
            rx.button(
                "Reinstate",
                size="1",
                variant="soft",
                on_click=S.ask_status(m["ticket_id"], "active", m["name"]),
                class_name="reinstate",
            ),
        ),
        rx.cond(
            (m["status"] != "removed") & (m["group_forming"] == "yes") & (m["is_foreman"] == ""),
            rx.button(
                "Remove",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=S.ask_status(m["ticket_id"], "removed", m["name"]),
                class_name="remove",
            ),
        ),
        spacing="2",
    )


def _member_row(m: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(m["ticket_no"]),
        rx.table.cell(
            rx.vstack(
                rx.text(m["name"], weight="medium"),
                rx.text(m["reason"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(m["mobile"]),
        rx.table.cell(ticket_badge(m["status"])),
        rx.table.cell(m["prized"]),
        rx.table.cell(_dues_cell(m)),
        rx.table.cell(kyc_badge(m["kyc"])),
        rx.table.cell(_actions(m)),
        class_name="member-row",
    )


def _status_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.action_title),
            rx.dialog.description(
                rx.cond(
                    S.action_status == "active",
                    "The member becomes eligible again once their dues are paid.",
                    "The member's history stays intact. Tell them why; the reason is recorded.",
                ),
                size="2",
            ),
            rx.form(
                rx.vstack(
                    rx.input(
                        name="reason",
                        placeholder=rx.cond(
                            S.action_status == "active", "Reason (optional)", "Reason (required)"
                        ),
                        max_length=200,
                        width="100%",
                        id="status-reason",
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Confirm", type="submit", id="confirm-status"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.confirm_status,
                reset_on_submit=True,
            ),
        ),
        open=S.action_open,
        on_open_change=S.set_action_open,
    )


def _add_one() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Add a member", size="3"),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="name", placeholder="Member name", required=True, max_length=80, id="member-name"
                    ),
                    rx.input(
                        name="mobile", placeholder="Mobile", type="tel", required=True, id="member-mobile"
                    ),
                    rx.select.root(
                        rx.select.trigger(placeholder="Language"),
                        rx.select.content(
                            rx.select.item("English", value="en"), rx.select.item("हिन्दी", value="hi")
                        ),
                        name="language",
                        default_value="en",
                    ),
                    rx.button(rx.icon("user-plus", size=16), "Add member", type="submit", id="add-member"),
                    wrap="wrap",
                    spacing="2",
                ),
                on_submit=S.add_member,
                reset_on_submit=True,
            ),
            rx.cond(
                S.new_password != "",
                rx.callout(
                    rx.vstack(
                        rx.text("One-time password (shown once): ", rx.code(S.new_password, id="otp")),
                        rx.link(
                            rx.hstack(rx.icon("message-circle", size=16), "Send sign-in details on WhatsApp"),
                            href=S.share_link,
                            is_external=True,
                            id="share-whatsapp",
                        ),
                        spacing="1",
                    ),
                    icon="key-round",
                    color_scheme="blue",
                    width="100%",
                ),
            ),
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


def _bulk() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Add many from CSV", size="3"),
            rx.text(
                "One member per line: name, mobile, and optionally en or hi for their language. "
                "Rows with a problem are listed with the reason; the others are added.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    rx.text_area(
                        name="csv",
                        placeholder="name,mobile,language\nAsha Rao,9876543210,en\nRavi Kumar,9123456780,hi",
                        rows="4",
                        width="100%",
                        id="bulk-csv",
                    ),
                    rx.hstack(
                        rx.button("Import pasted rows", type="submit", variant="soft", id="bulk-import"),
                        rx.upload(
                            rx.button("Choose a CSV file", type="button", variant="outline"),
                            id="bulk-file",
                            accept={"text/csv": [".csv"], "text/plain": [".txt"]},
                            max_files=1,
                            border="none",
                            padding="0",
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


def _invite() -> rx.Component:
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


def _requests() -> rx.Component:
    return rx.cond(
        S.requests.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading("Join requests", size="3"),
                rx.foreach(
                    S.requests,
                    lambda r: rx.hstack(
                        rx.text(r["name"], weight="medium"),
                        rx.text(r["mobile"]),
                        rx.text(r["message"], color_scheme="gray"),
                        rx.text(r["when"], size="1", color_scheme="gray"),
                        rx.spacer(),
                        rx.button(
                            "Approve", size="1", on_click=S.decide(r["id"], True), class_name="approve"
                        ),
                        rx.button(
                            "Reject",
                            size="1",
                            color_scheme="red",
                            variant="soft",
                            on_click=S.decide(r["id"], False),
                        ),
                        align="center",
                        width="100%",
                        class_name="join-request",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
    )


def members_table(rows: rx.Var, row: object, headers: tuple[str, ...], table_id: str) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, row)),
        width="100%",
        variant="surface",
        id=table_id,
    )


def members_tab() -> rx.Component:
    """The group page's Members tab."""
    return rx.vstack(
        error_callout(S.error),
        notice_callout(S.notice),
        rx.cond(
            S.is_forming,
            rx.vstack(
                rx.grid(
                    _add_one(),
                    _invite(),
                    columns=rx.breakpoints(initial="1", lg="2"),
                    spacing="3",
                    width="100%",
                ),
                _bulk(),
                spacing="3",
                width="100%",
            ),
        ),
        _requests(),
        rx.form(
            rx.hstack(
                rx.input(
                    name="search", placeholder="Search name or mobile", max_length=80, id="member-search"
                ),
                rx.button("Search", type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=S.filter,
        ),
        rx.cond(
            S.loading,
            loading_block(),
            members_table(
                S.rows,
                _member_row,
                ("Ticket", "Member", "Mobile", "Status", "Prized", "Dues", "KYC", "Actions"),
                "members-table",
            ),
        ),
        pager(S, "members-pager"),
        _status_dialog(),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


# --- the directory ------------------------------------------------------------------------------

D = MembersDirectoryState


def _directory_row(m: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(m["name"], weight="medium")),
        rx.table.cell(m["mobile"]),
        rx.table.cell(rx.link(m["group"], href="/f/groups/" + m["group_id"])),
        rx.table.cell(m["ticket_no"]),
        rx.table.cell(ticket_badge(m["status"])),
        rx.table.cell(m["prized"]),
        rx.table.cell(_dues_cell(m)),
        rx.table.cell(kyc_badge(m["kyc"])),
        class_name="directory-row",
    )


def members_directory_page() -> rx.Component:
    return foreman_shell(
        error_callout(D.error),
        rx.form(
            rx.hstack(
                rx.input(name="search", placeholder="Search name or mobile", max_length=80, width="260px"),
                rx.select.root(
                    rx.select.trigger(placeholder="Any status"),
                    rx.select.content(
                        rx.select.item("Any status", value="any"),
                        *[
                            rx.select.item(s.capitalize(), value=s)
                            for s in ("active", "suspended", "pending", "removed")
                        ],
                    ),
                    name="status",
                    default_value="any",
                ),
                rx.button("Filter", type="submit", variant="soft"),
                spacing="2",
                wrap="wrap",
            ),
            on_submit=D.filter,
        ),
        rx.text(
            "To add members, open a forming group; join requests appear under Pending actions.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            D.loading,
            loading_block(),
            members_table(
                D.rows,
                _directory_row,
                ("Member", "Mobile", "Group", "Ticket", "Status", "Prized", "Dues", "KYC"),
                "directory-table",
            ),
        ),
        pager(D, "directory-pager"),
        title="Members",
    )
