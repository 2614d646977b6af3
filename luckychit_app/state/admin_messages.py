"""The admin page's Messages tab: the latest outbox messages one by one, filtered by status.

Thin like every state: services/messages/outbox_history.py checks the admin role on every call,
masks recipients and labels console-only deliveries; this holds the rows the tab shows."""

from __future__ import annotations

from collections.abc import AsyncIterator

import reflex as rx

from luckychit_app.services.messages import outbox_history
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, page_read

ROWS = 100
ANY = "any"
"""The select's value for "every status" (a Radix select item cannot have an empty value)."""


def _status(value: object) -> str:
    return value if isinstance(value, str) and value in outbox_history.FILTERS and value else ANY


class AdminMessagesState(SessionState):
    messages: list[dict[str, str]] = []
    message_status: str = ANY
    messages_error: str = ""
    messages_loading: bool = False

    def _wanted(self) -> str:
        return "" if self.message_status == ANY else self.message_status

    @rx.event
    async def load_messages(self) -> AsyncIterator[rx.event.EventSpec | None]:
        """Runs when the tab opens: the page guard (admins only), then the latest messages."""
        self.messages_loading, self.messages_error = True, ""
        yield
        status = self._wanted()
        page = await page_read(
            self,
            "admin",
            lambda s, actor: outbox_history.recent_messages(s, actor=actor, status=status, limit=ROWS),
        )
        self.messages_loading = False
        if page.away:
            yield page.away
            return
        self.messages, self.messages_error = page.data or [], page.error

    @rx.event
    async def filter_messages(self, status: str) -> None:
        self.message_status, self.messages_error = _status(status), ""
        actor, wanted = await current_actor(self), self._wanted()
        try:
            self.messages = await run_service(
                lambda s: outbox_history.recent_messages(s, actor=actor, status=wanted, limit=ROWS)
            )
        except Failed as exc:
            self.messages, self.messages_error = [], exc.message
