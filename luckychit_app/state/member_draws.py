"""/m/draws: the member's draw list, each of their groups' open draw and its past draws."""

from __future__ import annotations

from typing import Any

import reflex as rx

from luckychit_app.services.draws import draw_views
from luckychit_app.state.display_strings import scalar_strings, string_rows
from luckychit_app.state.session import SessionState, member_page


class MemberDrawsState(SessionState):
    """The member's draw list: each group's open draw and past draws."""

    groups: list[dict[str, Any]] = []
    loading: bool = True
    error: str = ""
    _shown: str = ""  # the page key of what this tab shows (kept by member_page)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        page = await member_page(self, "draws", lambda s, actor: draw_views.member_draws(s, actor=actor))
        if page.away or page.unchanged:  # unchanged: the tab shows this page already (nothing assigned)
            return page.away
        if page.data is None:
            self.groups, self.error, self.loading = [], page.error, False
            return None
        rows = page.data
        self.groups = [
            {
                **scalar_strings(g),
                "current": scalar_strings(g["current"]) if g["current"] else {},
                "past": string_rows(g["past"]),
                "has_current": "yes" if g["has_current"] else "",
            }
            for g in rows
        ]
        self.error, self.loading = "", False
        return None
