"""/f/company: the owner's company page. Branches, staff (invite, stop, restart), which agent
collects from which member, and the collection dashboards by branch and by person.

Every handler re-checks the caller through the services (only the owner may invite or stop staff;
the owner or the branch's manager may assign). A new staff member's one-time password is shown once,
in `one_time`, and cleared by the next action or page load: it is never stored anywhere else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import reflex as rx
from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.domain.gst import financial_year
from luckychit_app.models import User
from luckychit_app.services.access import Actor
from luckychit_app.services.money import gst_documents
from luckychit_app.services.people import companies, gst_registration, staff
from luckychit_app.services.reporting import company_dashboard
from luckychit_app.state.acting import Acting
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, page_read

# The invitation form's roles, the most common first (the services check the value sent).
ROLE_CHOICES = tuple(
    (role, staff.ROLE_LABELS[role]) for role in ("agent", "clerk", "branch_manager", "accountant")
)


def _page(s: Session, actor: Actor | None, branch_id: str) -> dict[str, Any]:
    """Everything the page shows, in one transaction; the assignment lists are the chosen branch's
    (the first branch when none is chosen, or the chosen one is gone)."""
    summary = companies.company_summary(s, actor=actor)
    ids = [b["id"] for b in summary["branches"]]
    chosen = branch_id if branch_id in ids else (ids[0] if ids else "")
    return {
        "summary": summary,
        "staff": staff.list_staff(s, actor=actor),
        "by_branch": company_dashboard.collections_by_branch(s, actor=actor),
        "by_agent": company_dashboard.collections_by_agent(s, actor=actor),
        "branch": chosen,
        "members": staff.assignable_members(s, actor=actor, branch_id=chosen) if chosen else [],
        "agents": staff.branch_agents(s, actor=actor, branch_id=chosen) if chosen else [],
        "gst": gst_registration.registration(s, actor=actor),
        "invoices": gst_documents.invoice_rows(s, actor=actor, fy=financial_year(today_ist())),
        "years": [financial_year(today_ist()), financial_year(today_ist() - timedelta(days=365))],
    }


def _text(form: dict, name: str) -> object:
    """A form value as the browser sent it (the services check its type and content; the event
    guard, state/event_guard.py, has already refused a form that is not an object)."""
    return form.get(name, "")


class CompanyState(Acting, SessionState):
    """The owner's company page: branches, staff, agent assignments, dashboards."""

    company_name: str = ""
    branches: list[dict[str, str]] = []
    staff_rows: list[dict[str, str]] = []
    branch_rows: list[dict[str, str]] = []
    agent_rows: list[dict[str, str]] = []
    assign_branch: str = ""
    members: list[dict[str, str]] = []
    agents: list[dict[str, str]] = []
    one_time: dict[str, str] = {}  # the invited person's one-time password, shown once
    gst: dict[str, str] = {}  # the company's GST registration (issue 19)
    invoices: list[dict[str, str]] = []  # this financial year's tax invoices, newest first
    gst_years: list[str] = []  # the financial years whose GST summary may be downloaded
    loading: bool = True
    where: str = ""  # the section whose action the error or notice is about ("" for the page)
    form_key: int = 0  # bumped after a successful form, so the forms remount empty

    @rx.var
    def assigned(self) -> list[dict[str, str]]:
        """The chosen branch's members who have an agent (the current assignments table)."""
        return [dict(m) for m in self.members if m.get("agent_id")]

    def _show(self, data: dict[str, Any]) -> None:
        self.company_name = str(data["summary"]["name"])
        self.branches = list(data["summary"]["branches"])
        self.staff_rows, self.branch_rows, self.agent_rows = (
            data["staff"],
            data["by_branch"],
            data["by_agent"],
        )
        self.assign_branch, self.members, self.agents = data["branch"], data["members"], data["agents"]
        self.gst, self.invoices, self.gst_years = data["gst"], data["invoices"], data["years"]

    def _clear(self) -> None:
        self.company_name, self.branches, self.staff_rows = "", [], []
        self.branch_rows, self.agent_rows, self.members, self.agents = [], [], [], []
        self.gst, self.invoices, self.gst_years = {}, [], []

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.busy, self.error, self.notice = True, False, "", ""
        self.one_time, self.where = {}, ""
        chosen = self.assign_branch
        page = await page_read(self, "foreman", lambda s, actor: _page(s, actor, chosen))
        if page.away:
            return page.away
        if page.data is None:
            self._clear()
            self.error = page.error
        else:
            self._show(page.data)
        self.loading = False
        return None

    async def _refresh(self, actor: Actor | None) -> None:
        chosen = self.assign_branch
        try:
            self._show(await run_service(lambda s: _page(s, actor, chosen)))
        except Failed as exc:
            self._clear()
            self.error = exc.message

    def _act_begins(self) -> None:
        self.one_time = {}

    async def _act_in(self, where: str, fn: Callable[[Session, Actor | None], str]) -> bool:
        """`_act`, its message shown in the section `where` (next to the form the owner just used).
        True when the action succeeded."""
        if not self.busy:  # a tap while another action runs leaves that action's section
            self.where = where
        return await self._act(fn)

    @rx.event
    async def save_gst(self, form: dict) -> None:
        """The company's GSTIN, legal name and address (services/people/gst_registration checks them)."""

        def work(s: Session, actor: Actor | None) -> str:
            return gst_registration.save_registration(
                s,
                actor=actor,
                gstin=_text(form, "gstin"),
                legal_name=_text(form, "legal_name"),
                address=_text(form, "address"),
            )

        await self._act_in("gst", work)

    @rx.event
    async def add_branch(self, form: dict) -> None:
        def work(s: Session, actor: Actor | None) -> str:
            branch = companies.add_branch(
                s,
                actor=actor,
                name=_text(form, "name"),
                code=_text(form, "code"),
                address=_text(form, "address"),
            )
            return f"Branch {branch.name} ({branch.code}) added. It has its own receipt series."

        if await self._act_in("branches", work):
            self.form_key += 1

    @rx.event
    async def invite(self, form: dict) -> None:
        found: dict[str, str] = {}

        def work(s: Session, actor: Actor | None) -> str:
            row, password = staff.invite_staff(
                s,
                actor=actor,
                name=_text(form, "name"),
                mobile=_text(form, "mobile"),
                role=_text(form, "role"),
                branch_id=_text(form, "branch_id"),
                address=_text(form, "address"),
            )
            user = s.get(User, row.user_id)
            found.update(name=user.name, mobile=user.mobile, password=password)
            return f"{staff.ROLE_LABELS[row.role]} account created."

        if await self._act_in("staff", work):
            self.one_time = found
            self.form_key += 1

    @rx.event
    async def set_active(self, staff_id: str, active: bool) -> None:
        def work(s: Session, actor: Actor | None) -> str:
            row = staff.set_staff_active(s, actor=actor, staff_id=staff_id, active=active)
            return "Account restarted." if row.active else "Account stopped: its sessions have ended."

        await self._act_in("staff", work)

    @rx.event
    async def change_role(self, form: dict) -> None:
        def work(s: Session, actor: Actor | None) -> str:
            row = staff.change_staff_role(
                s,
                actor=actor,
                staff_id=_text(form, "staff_id"),
                role=_text(form, "role"),
                branch_id=_text(form, "branch_id"),
            )
            return f"Now a {staff.ROLE_LABELS[row.role].lower()}; it applies from their next action."

        await self._act_in("staff", work)

    @rx.event
    async def choose_branch(self, branch_id: str) -> None:
        """The branch whose members and agents the assignment form lists."""
        self.assign_branch = branch_id if isinstance(branch_id, str) else ""
        self.error, self.notice, self.one_time, self.where = "", "", {}, "assign"
        await self._refresh(await current_actor(self))

    @rx.event
    async def assign(self, form: dict) -> None:
        branch_id = self.assign_branch

        def work(s: Session, actor: Actor | None) -> str:
            staff.assign_member(
                s,
                actor=actor,
                branch_id=branch_id,
                member_id=_text(form, "member_id"),
                agent_id=_text(form, "agent_id"),
            )
            return "Agent assigned."

        await self._act_in("assign", work)

    @rx.event
    async def unassign(self, member_id: str) -> None:
        branch_id = self.assign_branch

        def work(s: Session, actor: Actor | None) -> str:
            staff.unassign_member(s, actor=actor, branch_id=branch_id, member_id=member_id)
            return "Agent removed: the member pays at the branch or online."

        await self._act_in("assign", work)
