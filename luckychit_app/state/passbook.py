"""/m/payments: what each of the member's tickets owes, their payments with receipts, and one ticket's
passbook (its statement, newest line first), their past tickets (removed, exited or transferred) among
them: a past ticket's history and any refund due stay readable (issue 15)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from luckychit_app.services.access import Actor
from luckychit_app.services.money import passbook
from luckychit_app.services.reporting import no_dues
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, member_page


def _with_certificate(book: dict) -> dict:
    """A ticket's statement with its no-dues certificate's link once its group is closed."""
    return {**book, "certificate": no_dues.certificate_url(int(book["ticket_id"])) if book["no_dues"] else ""}


def _book(s: Session, actor: Actor | None, ticket_id: str) -> dict:
    return _with_certificate(passbook.passbook(s, actor=actor, ticket_id=ticket_id))


def read_page(s: Session, actor: Actor, chosen: str) -> tuple[dict, str, dict]:
    """The page's read: the tickets and payments, and the statement of the ticket `chosen` (or of
    the first one, when `chosen` is not one of them)."""
    data, tid, book = passbook.payments_page(s, actor=actor, chosen=chosen)
    return data, tid, _with_certificate(book) if book else {}


class PassbookState(SessionState):
    """/m/payments: what each ticket owes, my payments with receipts, and a ticket's passbook."""

    tickets: list[dict[str, Any]] = []
    past: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    book: dict[str, Any] = {}
    book_lines: list[dict[str, Any]] = []
    selected: str = ""
    loading: bool = True
    error: str = ""
    _shown: str = ""  # the page key of what this tab shows (kept by member_page); choosing a ticket clears it

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        chosen = self.selected
        page = await member_page(self, "passbook", lambda s, actor: read_page(s, actor, chosen))
        if page.away or page.unchanged:  # unchanged: the tab shows this page already (nothing assigned)
            return page.away
        self.loading = False
        if page.data is None:
            self.tickets, self.payments, self.book, self.book_lines = [], [], {}, []
            self.past = []
            self.error = page.error
            return None
        data, self.selected, book = page.data
        self.error = ""
        self.tickets, self.payments, self.past = data["tickets"], data["payments"], data["past"]
        self._show_book(book)
        return None

    def _show_book(self, book: dict) -> None:
        self.book_lines = list(reversed(book.pop("lines", [])))
        self.book = book

    async def _load_book(self, actor: Actor | None) -> None:
        tid = self.selected
        if not tid:
            self._show_book({})
            return
        try:
            book = await run_service(
                lambda s: _book(s, actor, tid),
                lang=actor.language if actor else "en",
            )
        except Failed as exc:
            self._show_book({})
            self.error = exc.message
            return
        self._show_book(book)

    @rx.event
    async def select_ticket(self, ticket_id: str) -> None:
        self.selected = ticket_id if isinstance(ticket_id, str) else ""
        self._shown = ""
        await self._load_book(await current_actor(self))
