"""Foreman pages: group list, group creation, one group's page."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services.access import Actor
from luckychit_app.services.groups.setup import activate_group, create_group
from luckychit_app.services.groups.terms import discount_warning
from luckychit_app.services.people import companies
from luckychit_app.services.reporting import views
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, page_actor


class NewGroupState(SessionState):
    error: str = ""
    error_field: str = ""
    kind: str = "lucky"
    branches: list[dict[str, str]] = []  # the owner's branches; the form asks only when there are several
    # s.21(1)(a): the foreman's first chit is the Act's default; the box starts ticked.
    foreman_first: bool = True
    period: str = "monthly"  # the chit agreement's (s.6): monthly, fortnightly or weekly
    discount_warning: str = ""  # above 40 %: allowed (the agreement's), but the foreman is warned
    _created_id: str = ""  # the group this tab just created, for the group page's confirmation

    @rx.event
    async def load_branches(self) -> None:
        actor = await current_actor(self)
        try:
            self.branches = await run_service(lambda s: companies.branch_choices(s, actor=actor))
        except Failed:
            self.branches = []  # the page's guard sends a non-owner away; the form still works

    @rx.event
    def set_kind(self, value: str | list[str]) -> None:
        self.kind = value if value in ("lucky", "auction") else "lucky"

    @rx.event
    def set_foreman_first(self, value: bool | str) -> None:
        self.foreman_first = value is True or value in ("on", "true")

    @rx.event
    def set_period(self, value: str | list[str]) -> None:
        self.period = value if value in ("monthly", "fortnightly", "weekly") else "monthly"

    @rx.event
    def check_max_discount(self, value: str) -> None:
        """Warn (never refuse) as the foreman types a maximum discount above 40 %."""
        self.discount_warning = discount_warning(value)

    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        self.error, self.error_field = "", ""
        actor = await current_actor(self)
        data = {
            **(form if isinstance(form, dict) else {}),
            "kind": self.kind,
            "period": self.period,
            "foreman_first_chit": self.foreman_first,
        }
        try:
            group_id = await run_service(lambda s: create_group(s, actor=actor, form=data).id)
        except Failed as exc:
            self.error, self.error_field = exc.message, exc.field or ""
            return None
        self._created_id = str(group_id)  # the group page confirms it (GroupPageState.load)
        return rx.redirect(f"/f/groups/{group_id}")


class GroupPageState(SessionState):
    group: dict = {}
    draws: list[dict[str, str]] = []
    loading: bool = True
    error: str = ""
    notice: str = ""

    def _group_id(self) -> str:
        return str(self.group_id)

    async def _refresh(self, actor: Actor | None) -> None:
        gid = self._group_id()
        try:
            page = await run_service(lambda s: views.group_page(s, actor=actor, group_id=gid))
        except Failed as exc:
            self.group, self.draws = {}, []
            self.error = exc.message
            return
        self.draws = page.pop("draws")
        self.group = {k: v for k, v in page.items() if k not in ("members", "requests")}

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """The group page's first load: the page guard for the tabs' loads that follow it."""
        self.loading, self.error, self.notice = True, "", ""
        actor, away = await page_actor(self, "foreman")
        if away:
            return away
        await self._refresh(actor)
        form = await self.get_state(NewGroupState)
        if self.group and form._created_id == self._group_id():
            # Just made by the new-group form in this tab: say so, and what comes next (issue 16).
            form._created_id = ""
            self.notice = (
                f"Group “{self.group.get('name', '')}” created. Add its members, then start it "
                "from this page."
            )
        self.loading = False
        return None

    @rx.event
    async def refresh(self) -> None:
        """Re-read the header and draws after a tab (members, collections, settings) changed them."""
        await self._refresh(await current_actor(self))

    @rx.event
    async def activate(self) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        gid = self._group_id()
        try:
            await run_service(lambda s: activate_group(s, actor=actor, group_id=gid))
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = "The group has started: month 1 is open and its draw commitment is published."
        await self._refresh(actor)
