"""One "run an action, then read the page again" for the pages whose every button is a service call
followed by a fresh read (a group's payments, the cash page, the company page), so the busy flag,
the error and the notice work the same way on each and a page never shows stale figures after an
action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from luckychit_app.services.access import Actor
from luckychit_app.state.runner import Failed, run_flow, run_service
from luckychit_app.state.session import current_actor


class Acting(rx.State, mixin=True):
    """A page state that acts through `_act`. It defines `_refresh(actor)` (the page's read) and,
    for anything else an action clears before it runs, `_act_begins`."""

    busy: bool = False
    error: str = ""
    notice: str = ""

    async def _refresh(self, actor: Actor | None) -> None:
        raise NotImplementedError

    def _act_begins(self) -> None:
        """Clears this page's own outcome of the previous action (a warning, a one-time password)."""

    async def _act(self, fn: Callable[[Any, Actor | None], str], *, flow: bool = False) -> bool:
        """Run `fn(session, actor)` in one transaction (with `flow`, `fn(None, actor)` managing its
        own transactions), show its message as the notice or its error, then read the page again.
        True when the action succeeded. A second tap while one runs does nothing."""
        if self.busy:
            return False
        self.busy, self.error, self.notice = True, "", ""
        self._act_begins()
        actor = await current_actor(self)
        done = False
        try:
            if flow:
                self.notice = await run_flow(lambda: fn(None, actor))
            else:
                self.notice = await run_service(lambda s: fn(s, actor))
            done = True
        except Failed as exc:
            self.error = exc.message
        self.busy = False
        await self._refresh(actor)
        return done
