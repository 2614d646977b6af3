"""Member phone pages: home with groups and what is due."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services import views
from luckychit_app.state.session import page_read


class MemberHomeState(rx.State):
    groups: list[dict] = []
    total_due: str = ""
    has_due: bool = False
    upi: dict[str, str] = {}
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading = True
        page = await page_read(self, "member", lambda s, actor: views.member_home(s, actor=actor))
        if page.away:
            return page.away
        if page.data is None:
            self.groups, self.upi, self.error, self.loading = [], {}, page.error, False
            return None
        home = page.data
        self.groups, self.total_due, self.has_due = home["groups"], home["total_due"], home["has_due"]
        self.upi = home["upi"]
        self.error, self.loading = "", False
        return None
