"""The group page's Draws tab: every month's draw with its date (services/reporting/group_draws.py).

Read when the tab opens and after the group starts (the tabs share one page load). The group id comes
from the page's URL and the service re-checks that the signed-in foreman runs that group.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import reflex as rx

from luckychit_app.services.reporting import group_draws
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class GroupDrawsState(SessionState):
    rows: list[dict[str, str]] = []
    loading: bool = False
    error: str = ""

    @rx.event
    async def load(self) -> AsyncIterator[None]:
        self.loading, self.error = True, ""
        yield
        actor = await current_actor(self)
        gid = str(self.group_id)  # the route's [group_id], a var Reflex adds to the root state
        try:
            self.rows = await run_service(lambda s: group_draws.group_draws(s, actor=actor, group_id=gid))
        except Failed as exc:
            self.rows, self.error = [], exc.message
        self.loading = False
