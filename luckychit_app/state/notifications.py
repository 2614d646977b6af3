"""The bell in the member shell: unread count kept live while the page is open."""

from __future__ import annotations

import asyncio

import reflex as rx

from luckychit_app.services.messages import inbox, notifications
from luckychit_app.state.hub import tab_connected
from luckychit_app.state.member import MemberHomeState
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState

POLL_SECONDS = 1.0


class BellState(rx.State):
    unread: int = 0
    items: list[dict[str, str]] = []
    _newest_seen: int = 0
    _watching: bool = False

    async def _snapshot(self) -> tuple[int, int, list[dict[str, str]]] | None:
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None:
            return None
        try:
            return await run_service(lambda s: inbox.snapshot(s, actor=actor))
        except Failed:
            return None

    @rx.event(background=True)
    async def watch(self):  # noqa: ANN201  (a background event yields toasts)
        """Poll while the tab is connected; a new notification pops a toast within about a second."""
        async with self:
            if self._watching:
                return
            self._watching = True
        try:
            first = True
            while tab_connected(self, when_unknown=False):
                async with self:
                    snap = await self._snapshot()
                    if snap is None:
                        return
                    unread, newest, items = snap
                    fresh = [i for i in items if int(i["id"]) > self._newest_seen] if not first else []
                    on_draw_page = str(self.router.url.path).startswith("/m/draws")
                    self.unread, self.items, self._newest_seen = unread, items, newest
                # On a draw page the animation reveals the winner; a toast must not spoil it.
                shown = [i for i in fresh if not (on_draw_page and i["link"].startswith("/verify"))]
                for item in reversed(shown[:3]):
                    yield rx.toast.info(
                        item["title"], description=item["body"], duration=5000, position="top-center"
                    )
                if fresh:
                    yield MemberHomeState.load  # what is due may have changed
                first = False
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                self._watching = False

    @rx.event
    async def mark_all_read(self) -> None:
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None:
            return
        await run_service(lambda s: notifications.mark_all_read(s, actor=actor))
        snap = await self._snapshot()
        if snap:
            self.unread, self._newest_seen, self.items = snap
