"""Foreman pages: group list, group creation, one group's page."""

from __future__ import annotations

import urllib.parse

import reflex as rx

from luckychit_app.services import groups, members, views
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import current_actor


class ForemanGroupsState(rx.State):
    rows: list[dict[str, str]] = []
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> None:
        self.loading = True
        actor = await current_actor(self)
        try:
            self.rows = await run_service(lambda s: views.foreman_groups(s, actor=actor))
            self.error = ""
        except Failed as exc:
            self.rows, self.error = [], exc.message
        self.loading = False


class NewGroupState(rx.State):
    error: str = ""
    error_field: str = ""
    kind: str = "lucky"

    @rx.event
    def set_kind(self, value: str | list[str]) -> None:
        self.kind = value if value in ("lucky", "auction") else "lucky"

    @rx.event
    async def submit(self, form: dict) -> rx.event.EventSpec | None:
        self.error, self.error_field = "", ""
        actor = await current_actor(self)
        data = {**form, "kind": self.kind}
        try:
            group_id = await run_service(lambda s: groups.create_group(s, actor=actor, form=data).id)
        except Failed as exc:
            self.error, self.error_field = exc.message, exc.field or ""
            return None
        return rx.redirect(f"/f/groups/{group_id}")


class GroupPageState(rx.State):
    group: dict = {}
    members: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []
    draws: list[dict[str, str]] = []
    loading: bool = True
    error: str = ""
    notice: str = ""
    new_password: str = ""
    share_link: str = ""

    def _group_id(self) -> str:
        return str(self.router.page.params.get("group_id", ""))

    async def _refresh(self) -> None:
        actor = await current_actor(self)
        gid = self._group_id()
        try:
            page = await run_service(lambda s: views.group_page(s, actor=actor, group_id=gid))
        except Failed as exc:
            self.group, self.members, self.requests, self.draws = {}, [], [], []
            self.error = exc.message
            return
        self.members, self.requests, self.draws = page.pop("members"), page.pop("requests"), page.pop("draws")
        self.group = page

    @rx.event
    async def load(self) -> None:
        self.loading, self.error, self.notice, self.new_password, self.share_link = True, "", "", "", ""
        await self._refresh()
        self.loading = False

    @rx.event
    async def refresh(self) -> None:
        """Re-read the header and draws after a tab (members, collections, settings) changed them."""
        await self._refresh()

    @rx.event
    async def add_member(self, form: dict) -> None:
        self.error, self.notice, self.new_password, self.share_link = "", "", "", ""
        actor = await current_actor(self)
        gid, name, mobile, lang = (
            self._group_id(),
            form.get("name"),
            form.get("mobile"),
            form.get("language", "en"),
        )
        try:
            ticket_no, temp = await run_service(
                lambda s: (lambda r: (r[0].ticket_no, r[1]))(
                    members.add_member(s, actor=actor, group_id=gid, name=name, mobile=mobile, language=lang)
                )
            )
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = f"{name} holds ticket {ticket_no}."
        if temp:
            self.new_password = temp
            text = (
                f"Welcome to {self.group.get('name', 'LuckyChit')}. Sign in at "
                f"{self.group.get('invite_link', '').rsplit('/join/', 1)[0]}/login with your mobile number "
                f"and the one-time password {temp} (you will choose your own at first sign-in)."
            )
            self.share_link = "https://wa.me/91" + str(mobile)[-10:] + "?text=" + urllib.parse.quote(text)
        await self._refresh()

    @rx.event
    async def activate(self) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        gid = self._group_id()
        try:
            await run_service(lambda s: groups.activate_group(s, actor=actor, group_id=gid))
        except Failed as exc:
            self.error = exc.message
            return
        self.notice = "The group has started: month 1 is open and its draw commitment is published."
        await self._refresh()

    @rx.event
    async def decide(self, request_id: str, approve: bool) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        try:
            await run_service(
                lambda s: members.decide_join_request(s, actor=actor, request_id=request_id, approve=approve)
            )
        except Failed as exc:
            self.error = exc.message
            return
        await self._refresh()

    @rx.event
    async def set_status(self, ticket_id: str, status: str, reason: str = "") -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        try:
            await run_service(
                lambda s: members.set_ticket_status(
                    s, actor=actor, ticket_id=ticket_id, status=status, reason=reason
                )
            )
        except Failed as exc:
            self.error = exc.message
            return
        await self._refresh()
