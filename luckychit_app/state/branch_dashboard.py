"""/s/branch: a branch manager's or accountant's collection dashboard, their branch's (or, for a
company-wide accountant, every branch's) figures as the owner sees them on /f/company.

The services decide who may read it: agents and clerks are refused, and the page says the view is not
available for their role instead of showing an error."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from luckychit_app.clock import format_datetime_ist, utcnow
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.reporting import branch_roster, company_dashboard
from luckychit_app.state.session import SessionState, page_read


def _read(s: Session, actor: Actor) -> dict[str, Any]:
    """Both tables in one transaction, or `allowed` False for a role the services refuse."""
    try:
        return {
            "allowed": True,
            "branches": company_dashboard.collections_by_branch(s, actor=actor),
            "people": company_dashboard.collections_by_agent(s, actor=actor),
            # The groups whose books (CSV exports, printable statement) this reader may download.
            "groups": branch_roster.branch_groups(s, actor=actor),
        }
    except NotAllowed:
        return {"allowed": False, "branches": [], "people": [], "groups": []}


class BranchDashboardState(SessionState):
    """The branch's collections today and this month, cash with staff, dues; per person."""

    branch_rows: list[dict[str, str]] = []
    agent_rows: list[dict[str, str]] = []
    group_rows: list[dict[str, str]] = []
    allowed: bool = True
    as_of: str = ""
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error = True, ""
        page = await page_read(self, "staff", _read)
        if page.away:
            return page.away
        data = page.data or {"allowed": True, "branches": [], "people": [], "groups": []}
        self.error = page.error
        self.allowed = bool(data["allowed"])
        self.branch_rows, self.agent_rows, self.group_rows = data["branches"], data["people"], data["groups"]
        self.as_of = format_datetime_ist(utcnow())
        self.loading = False
        return None
