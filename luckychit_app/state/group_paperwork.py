"""A group's Paperwork tab (issue 19, items 5-7): the chit agreement's particulars and its PDF, the
register of filings with the Registrar, and the foreman's security. Every call re-checks that the
signed-in foreman runs the group in the URL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import reflex as rx

from luckychit_app.services.paperwork import agreement, registrar, security
from luckychit_app.state.group_tab import GroupTab
from luckychit_app.state.session import SessionState, current_actor


class GroupPaperworkState(GroupTab, SessionState):
    particulars: dict[str, str] = {}
    filings: list[dict[str, str]] = []
    securities: list[dict[str, str]] = []
    security_verdict: str = ""
    security_enough: bool = False

    async def _read(self) -> None:
        actor = await current_actor(self)
        gid = self._group_id()
        values = await self._call(lambda s: agreement.particulars_of(s, actor=actor, group_id=gid))
        if values is None:
            return
        self.particulars = values
        self.filings = await self._call(lambda s: registrar.register(s, actor=actor, group_id=gid)) or []
        held = await self._call(lambda s: security.securities(s, actor=actor, group_id=gid))
        if held is not None:
            self.securities, self.security_verdict = held["rows"], held["verdict"]
            self.security_enough = bool(held["sufficient"])

    @rx.event
    async def load(self) -> AsyncIterator[None]:
        self.loading, self.error, self.notice = True, "", ""
        yield
        await self._read()
        self.loading = False

    @rx.event
    async def save_particulars(self, form: dict) -> None:
        self.error, self.notice = "", ""
        actor, gid = await current_actor(self), self._group_id()
        fields = {k: form.get(k, "") for k in ("draw_time", "draw_place", "approved_bank", "inspection")}
        done = await self._call(lambda s: agreement.set_particulars(s, actor=actor, group_id=gid, **fields))
        if done is not None:
            self.notice = "Agreement particulars saved."
            await self._read()

    @rx.event
    async def record_filing(self, form: dict) -> None:
        self.error, self.notice = "", ""
        actor, gid = await current_actor(self), self._group_id()
        kind, month = form.get("kind"), form.get("month") or 0
        filed_on, reference, note = form.get("filed_on"), form.get("reference"), form.get("note") or ""
        done = await self._call(
            lambda s: registrar.record_filing(
                s,
                actor=actor,
                group_id=gid,
                kind=kind,
                month=month,
                filed_on=filed_on,
                reference=reference,
                note=note,
            )
        )
        if done is not None:
            self.notice = "Filing recorded."
            await self._read()

    @rx.event
    async def record_security(self, form: dict) -> None:
        self.error, self.notice = "", ""
        actor, gid = await current_actor(self), self._group_id()
        fields = {k: form.get(k) for k in ("form", "amount", "reference", "bank", "deposited_on")}
        done = await self._call(lambda s: security.record_security(s, actor=actor, group_id=gid, **fields))
        if done is not None:
            self.notice = "Security recorded."
            await self._read()

    @rx.event
    async def release_security(self, form: dict) -> None:
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        sid, day = form.get("security_id"), form.get("released_on")
        done = await self._call(
            lambda s: security.release_security(s, actor=actor, security_id=sid, released_on=day)
        )
        if done is not None:
            self.notice = "Security released."
            await self._read()
