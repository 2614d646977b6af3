"""Member phone pages: home with groups and what is due."""

from __future__ import annotations

import reflex as rx

from luckychit_app.i18n import message
from luckychit_app.services import views
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import current_actor


class MemberHomeState(rx.State):
    groups: list[dict] = []
    total_due: str = ""
    has_due: bool = False
    upi: dict[str, str] = {}
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> None:
        self.loading = True
        actor = await current_actor(self)
        try:
            home = await run_service(lambda s: views.member_home(s, actor=actor))
        except Failed as exc:
            self.groups, self.upi, self.loading = [], {}, False
            self.error = message(actor.language if actor else "en", exc.message)
            return
        self.groups, self.total_due, self.has_due = home["groups"], home["total_due"], home["has_due"]
        self.upi = home["upi"]
        self.error, self.loading = "", False
