"""The "My data" card of the member's profile (issue 21, item 2): why erasure is refused now, the
confirmation, and the erasure itself (services/people/data_rights.py). The copy of the data is a
plain download (GET /api/me/data.zip), so it needs no handler here."""

from __future__ import annotations

import contextlib

import reflex as rx

from luckychit_app.services.people import data_rights
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, page_actor


class DataRightsState(SessionState):
    blockers: list[str] = []  # why erasure is refused now, in the member's language
    confirming: bool = False
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error, self.confirming = "", False
        actor, away = await page_actor(self, "member")
        if away:
            return away
        try:
            self.blockers = await run_service(
                lambda s: data_rights.erasure_check(s, actor), lang=actor.language
            )
        except Failed as exc:
            self.error = exc.message
        return None

    @rx.event
    def ask(self) -> None:
        """Opens the confirmation: erasure cannot be undone, so it is never one tap."""
        self.confirming = True

    @rx.event
    def cancel(self) -> None:
        self.confirming = False

    @rx.event
    async def erase(self) -> rx.event.EventSpec | None:
        """Erases at once (no approval step: see the service) and signs the browser out, since the
        account can never sign in again."""
        self.error, self.confirming = "", False
        session = await self.get_state(SessionState)
        actor = await session._actor()
        try:
            await run_service(lambda s: data_rights.request_erasure(s, actor), lang=session.language)
        except Failed as exc:
            self.error = exc.message
            with contextlib.suppress(Failed):  # the refusal above already says why
                self.blockers = await run_service(
                    lambda s: data_rights.erasure_check(s, actor), lang=session.language
                )
            return None
        return await session._signed_out()
