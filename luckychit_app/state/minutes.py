"""/draws/[draw_id]/minutes: the printable minutes of one draw, for the group's foreman and members."""

from __future__ import annotations

import reflex as rx

from luckychit_app.services.draws import draw_views
from luckychit_app.state.display_strings import scalar_strings, string_rows
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class MinutesState(SessionState):
    """The printable minutes of one draw, for the group's foreman and members."""

    info: dict[str, str] = {}
    timeline: list[dict[str, str]] = []
    eligible: list[dict[str, str]] = []
    bids: list[dict[str, str]] = []
    closed_early: bool = False
    closed_automatically: bool = False
    has_bids: bool = False
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading = True
        actor = await current_actor(self)
        if actor is None:
            return rx.redirect("/login")
        # The route's [draw_id], a var Reflex adds to the root state (not the deprecated router.page).
        did = str(self.draw_id)
        try:
            page = await run_service(lambda s: draw_views.minutes(s, actor=actor, draw_id=did))
        except Failed as exc:
            self.info, self.timeline, self.eligible, self.bids = {}, [], [], []
            self.error, self.loading = exc.message, False
            return None
        self.info = scalar_strings(page)
        self.timeline, self.eligible, self.bids = (
            string_rows(page["timeline"]),
            string_rows(page["eligible"]),
            string_rows(page["bids"]),
        )
        self.closed_early, self.has_bids = bool(page["closed_early"]), bool(page["has_bids"])
        self.closed_automatically = bool(page["closed_automatically"])
        self.error, self.loading = "", False
        return None

    @rx.event
    def print_page(self) -> rx.event.EventSpec:
        return rx.call_script("window.print()")
