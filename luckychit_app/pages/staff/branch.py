"""Staff: the branch dashboard (/s/branch) for branch managers and accountants, the same tables as the
owner's company page, scoped by the services to the reader's branch. Layout only; readable on a phone
(the tables scroll sideways inside their boxes, the page does not)."""

from __future__ import annotations

import reflex as rx

from luckychit_app.components.downloads import download_link
from luckychit_app.components.shells import error_callout, role_gated, staff_shell
from luckychit_app.components.tables import agent_table, branch_table
from luckychit_app.pages.foreman.reports import EXPORTS
from luckychit_app.state.branch_dashboard import BranchDashboardState as S


def _block(title: str, body: rx.Component) -> rx.Component:
    return rx.vstack(rx.heading(title, size="3"), body, spacing="2", width="100%")


def _download(label: str, href: rx.Var) -> rx.Component:
    return download_link(label, href=href, class_name="export-link")


def _statement(href: rx.Var) -> rx.Component:
    """The statement is a printable page of its own: a new tab, outside the app's routing."""
    return rx.el.a("Statement", href=href, target="_blank", rel="noopener", class_name="export-link")


def _books_row(g: rx.Var) -> rx.Component:
    """One group's downloads: the four CSV files and the printable statement."""
    base = "/api/reports/" + g["id"].to(str) + "/"
    return rx.card(
        rx.vstack(
            rx.text(g["name"], weight="bold", size="2"),
            rx.text(g["branch"], " · ", g["status_label"], size="1", color_scheme="gray"),
            rx.flex(
                *[_download(label, base + f"{kind}.csv") for kind, label in EXPORTS],
                _statement(base + "statement"),
                gap="12px",
                wrap="wrap",
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="books-row",
    )


def branch_dashboard_page() -> rx.Component:
    return staff_shell(
        error_callout(S.error),
        role_gated(
            S.loading,
            S.allowed,
            rx.vstack(
                rx.hstack(
                    rx.text("As of ", S.as_of, size="1", color_scheme="gray"),
                    rx.spacer(),
                    rx.button(
                        rx.icon("refresh-cw", size=14),
                        "Refresh",
                        size="1",
                        variant="soft",
                        on_click=S.load,
                        id="branch-refresh",
                    ),
                    width="100%",
                    align="center",
                ),
                _block("Collections", branch_table(S.branch_rows)),
                _block("By person", agent_table(S.agent_rows)),
                _block(
                    "Books to download",
                    rx.vstack(rx.foreach(S.group_rows, _books_row), spacing="2", width="100%", id="books"),
                ),
                spacing="4",
                width="100%",
            ),
            refusal="Not available for your role.",
            refusal_id="branch-not-available",
        ),
        title="Branch",
    )
