"""A group's scheduled reminders on its Settings tab (issue 18, item 4): the days around a due on
which members are reminded, a pause, and tomorrow's reminders to look at before they go."""

from __future__ import annotations

from collections.abc import AsyncIterator

import reflex as rx

from luckychit_app.services.messages import reminder_schedule
from luckychit_app.state.group_tab import GroupTab
from luckychit_app.state.session import SessionState, current_actor


class GroupRemindersState(GroupTab, SessionState):
    days: str = ""
    paused: bool = False
    tomorrow: list[dict[str, str]] = []

    async def _read(self) -> None:
        actor = await current_actor(self)
        gid = self._group_id()
        schedule = await self._call(lambda s: reminder_schedule.schedule_of(s, actor=actor, group_id=gid))
        if schedule is None:
            return
        self.days, self.paused = schedule["days"], schedule["paused"] == "yes"
        rows = await self._call(lambda s: reminder_schedule.preview(s, actor=actor, group_id=gid))
        self.tomorrow = rows or []

    @rx.event
    async def load(self) -> AsyncIterator[None]:
        self.loading, self.error, self.notice = True, "", ""
        yield
        await self._read()
        self.loading = False

    @rx.event
    async def save(self, form: dict) -> None:
        """`paused` arrives as the checkbox's "on" or is absent (unticked)."""
        self.error, self.notice = "", ""
        actor = await current_actor(self)
        gid, days, paused = self._group_id(), form.get("days"), form.get("paused") == "on"
        done = await self._call(
            lambda s: reminder_schedule.set_schedule(s, actor=actor, group_id=gid, days=days, paused=paused)
        )
        if done is not None:
            self.notice = "Reminders paused." if paused else "Reminder days saved."
            await self._read()
