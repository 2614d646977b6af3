"""Admin pages (/admin): platform totals and system health, users and foremen (activate /
deactivate with a reason), and audit-log search. Layout only."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.pager import pager
from luckychit_app.components.shells import BRAND, error_callout, loading_block, notice_callout
from luckychit_app.pages.admin_messages import messages_tab
from luckychit_app.state.admin import AdminState as A
from luckychit_app.state.session import SessionState


def _labelled(label: str, control_id: str, control: rx.Component) -> rx.Component:
    """A filter with its visible label tied to it (`<label for=…>`)."""
    return rx.vstack(
        rx.el.label(rx.text(label, size="1", weight="medium"), html_for=control_id),
        control,
        spacing="1",
    )


def _figure(label: str, value: rx.Var, note: rx.Var | str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray"),
            rx.heading(value, size="6"),
            rx.text(note, size="1", color_scheme="gray"),
            spacing="1",
        ),
        width="100%",
    )


def _overview() -> rx.Component:
    t, h = A.totals, A.health
    return rx.vstack(
        # Production without a message provider: said first and plainly (issue 18).
        rx.cond(
            h.contains("outbox_banner") & (h["outbox_banner"] != ""),
            rx.callout(h["outbox_banner"], icon="triangle_alert", color_scheme="red", id="delivery-banner"),
        ),
        rx.heading("Platform totals", size="4"),
        rx.grid(
            _figure("Foremen", t["foremen"], rx.text.span(t["inactive"], " accounts inactive")),
            _figure("Members", t["members"], rx.text.span(t["tickets"], " tickets held")),
            _figure(
                "Groups running",
                t["groups_active"],
                rx.text.span(t["groups_forming"], " forming · ", t["groups_completed"], " completed"),
            ),
            _figure("Chit value running", t["value_running"]),
            _figure("Collected (all time)", t["collected"], "payments posted to group cash"),
            _figure("Prizes paid out", t["paid_out"]),
            _figure("Foreman commission", t["commission"]),
            _figure("Dues receivable", t["receivable"], "negative means advances"),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
            width="100%",
            id="platform-totals",
        ),
        rx.heading("System health", size="4"),
        rx.card(
            rx.grid(
                *[
                    rx.vstack(
                        rx.text(label, size="1", color_scheme="gray"),
                        rx.text(h[key], weight="medium"),
                        spacing="0",
                    )
                    for label, key in (
                        ("Database", "database"),
                        ("Latency", "db_latency"),
                        ("Migration", "revision"),
                        ("Live sessions", "sessions"),
                        ("Outbox queued", "outbox_queued"),
                        ("Sent by a provider", "outbox_sent"),
                        ("Delivered (reported)", "outbox_delivered"),
                        ("Console only (not delivered)", "outbox_console"),
                        ("Outbox failed", "outbox_failed"),
                        ("Oldest queued", "outbox_oldest"),
                        ("Audit rows", "audit_rows"),
                        ("Last audit entry", "audit_last"),
                        ("Last send error", "outbox_last_error"),
                        ("Checked", "checked_at"),
                    )
                ],
                columns=rx.breakpoints(initial="2", md="4"),
                spacing="3",
                width="100%",
            ),
            rx.text(
                "Message providers: ", h["outbox_channels"], size="1", color_scheme="gray", padding_top="8px"
            ),
            width="100%",
            id="system-health",
        ),
        rx.cond(
            h["outbox_ok"] == "yes",
            rx.callout("Messages are being delivered.", icon="check", color_scheme="green"),
            rx.callout(
                "Some messages failed or wait longer than 10 minutes: check the sender settings.",
                icon="triangle_alert",
                color_scheme="amber",
            ),
        ),
        rx.hstack(
            rx.button(
                rx.icon("shield-check", size=16),
                "Verify audit chain and books",
                on_click=A.run_checks,
                loading=A.checking,
                id="run-checks",
            ),
            rx.cond(
                A.checks.contains("audit"),
                rx.vstack(
                    rx.text(A.checks["audit"], color=rx.cond(A.checks["audit_ok"] == "yes", "green", "red")),
                    rx.text(
                        A.checks["ledger"], color=rx.cond(A.checks["ledger_ok"] == "yes", "green", "red")
                    ),
                    spacing="0",
                    id="check-results",
                ),
            ),
            spacing="4",
            align="center",
        ),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


def _user_row(u: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(u["name"], weight="medium")),
        rx.table.cell(u["mobile"]),
        rx.table.cell(rx.badge(u["role"], variant="soft")),
        rx.table.cell(rx.cond(u["role"] == "foreman", u["groups"], u["tickets"])),
        rx.table.cell(u["created"]),
        rx.table.cell(
            rx.cond(
                u["active"] == "yes",
                rx.badge("Active", color_scheme="green"),
                rx.badge("Inactive", color_scheme="red"),
            )
        ),
        rx.table.cell(
            rx.cond(
                u["is_self"] == "yes",
                rx.text("you", size="1", color_scheme="gray"),
                rx.cond(
                    u["active"] == "yes",
                    rx.button(
                        "Deactivate",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=A.ask_deactivate(u["id"], u["name"]),
                        class_name="deactivate",
                    ),
                    rx.button(
                        "Activate",
                        size="1",
                        variant="soft",
                        on_click=A.activate(u["id"]),
                        class_name="activate",
                    ),
                ),
            )
        ),
        class_name="user-row",
    )


def _users() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                _labelled(
                    "Search",
                    "user-search",
                    rx.input(
                        name="search",
                        id="user-search",
                        placeholder="Name or mobile",
                        max_length=80,
                        width="240px",
                    ),
                ),
                _labelled(
                    "Role",
                    "user-role",
                    rx.select.root(
                        rx.select.trigger(id="user-role"),
                        rx.select.content(
                            rx.select.item("Any role", value="any"),
                            rx.select.item("Foremen", value="foreman"),
                            rx.select.item("Members", value="member"),
                            rx.select.item("Admins", value="admin"),
                        ),
                        name="role",
                        default_value="any",
                    ),
                ),
                rx.button("Search", type="submit", variant="soft", id="user-search-submit"),
                spacing="3",
                align="end",
            ),
            on_submit=A.filter_users,
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h)
                        for h in ("Name", "Mobile", "Role", "Groups / tickets", "Joined", "Status", "")
                    ]
                )
            ),
            rx.table.body(rx.foreach(A.users, _user_row)),
            width="100%",
            variant="surface",
            id="users-table",
        ),
        pager(A, "users-pager"),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title("Deactivate ", A.dialog_name),
                rx.dialog.description(
                    "They are signed out everywhere and cannot sign in until reactivated; history stays.",
                    size="2",
                ),
                rx.form(
                    rx.vstack(
                        _labelled(
                            "Reason (required)",
                            "deactivate-reason",
                            rx.input(name="reason", id="deactivate-reason", max_length=200, width="100%"),
                        ),
                        rx.hstack(
                            rx.dialog.close(
                                rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                            ),
                            rx.button(
                                "Deactivate", type="submit", color_scheme="red", id="confirm-deactivate"
                            ),
                            justify="end",
                            width="100%",
                        ),
                        spacing="3",
                    ),
                    on_submit=A.confirm_deactivate,
                    reset_on_submit=True,
                ),
            ),
            open=A.dialog_open,
            on_open_change=A.set_dialog_open,
        ),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


def _audit() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                *[
                    _labelled(
                        label,
                        f"audit-{name}",
                        rx.input(name=name, id=f"audit-{name}", width=width, **props),
                    )
                    for label, name, width, props in (
                        ("Action", "action", "180px", {"placeholder": "e.g. payment.", "max_length": 60}),
                        ("Who", "who", "180px", {"placeholder": "Name or mobile", "max_length": 80}),
                        (
                            "Object type",
                            "object_type",
                            "130px",
                            {"placeholder": "e.g. user", "max_length": 30},
                        ),
                        ("Object id", "object_id", "100px", {"max_length": 40}),
                        ("From", "date_from", "150px", {"type": "date"}),
                        ("To", "date_to", "150px", {"type": "date"}),
                    )
                ],
                rx.button("Search", type="submit", variant="soft", id="audit-search"),
                spacing="2",
                align="end",
                wrap="wrap",
            ),
            on_submit=A.search_audit,
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h)
                        for h in ("#", "When (IST)", "Who", "Action", "Object", "Detail")
                    ]
                )
            ),
            rx.table.body(
                rx.foreach(
                    A.audit_rows,
                    lambda r: rx.table.row(
                        rx.table.cell(r["id"]),
                        rx.table.cell(r["at"], white_space="nowrap"),
                        rx.table.cell(r["who"]),
                        rx.table.cell(rx.code(r["action"])),
                        rx.table.cell(r["object"]),
                        rx.table.cell(rx.text(r["detail"], size="1", overflow_wrap="anywhere")),
                        class_name="audit-row",
                    ),
                )
            ),
            width="100%",
            size="1",
            variant="surface",
            id="audit-table",
        ),
        rx.hstack(
            rx.text(A.audit_page_label, size="2", color_scheme="gray"),
            rx.spacer(),
            rx.button(
                "Previous",
                size="1",
                variant="soft",
                disabled=A.audit_page <= 1,
                on_click=A.set_audit_page(A.audit_page - 1),
            ),
            rx.text("Page ", A.audit_page, " of ", A.audit_page_count, size="2"),
            rx.button(
                "Next",
                size="1",
                variant="soft",
                disabled=A.audit_page >= A.audit_page_count,
                on_click=A.set_audit_page(A.audit_page + 1),
            ),
            width="100%",
            align="center",
        ),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


def admin_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(BRAND, " admin", size="6", color=rx.color("accent", 11)),
            rx.spacer(),
            rx.text(SessionState.user_name, size="2", color_scheme="gray"),
            rx.button("Sign out", on_click=SessionState.logout, variant="soft", id="logout"),
            width="100%",
            align="center",
        ),
        error_callout(A.error),
        notice_callout(A.notice),
        rx.cond(
            A.loading,
            loading_block(),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("Overview", value="overview"),
                    rx.tabs.trigger("Users", value="users"),
                    rx.tabs.trigger("Audit log", value="audit"),
                    rx.tabs.trigger("Messages", value="messages"),
                ),
                rx.tabs.content(_overview(), value="overview"),
                rx.tabs.content(_users(), value="users"),
                rx.tabs.content(_audit(), value="audit"),
                rx.tabs.content(messages_tab(), value="messages"),
                default_value="overview",
                width="100%",
            ),
        ),
        padding="32px",
        spacing="4",
        width="100%",
        max_width="1280px",
        margin="0 auto",
    )
