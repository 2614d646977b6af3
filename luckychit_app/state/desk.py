"""/s: the staff desk. Today's collection list, and recording money in two taps: "Collect ₹X" opens
the collect sheet with the amount filled in, "Record" records it.

The sheet's idempotency key is made when the sheet opens and sent with every tap of "Record" in that
sheet, so a retry after a timeout on a slow line returns the payment the first tap recorded instead
of recording it again (services/money/field_collections.py). Handlers only pass the browser's values
on: the services check the role, the branch and the agent's assignment, and validate every value.
Staff pages are English, like the foreman's: errors are shown as the services word them."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import reflex as rx
from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.services.access import Actor
from luckychit_app.services.money import field_collections
from luckychit_app.services.reporting import collection_list
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import COMPANY_ROLES, SessionState, current_actor, page_read


def _desk(s: Session, actor: Actor, search: str) -> tuple[bool, list[dict[str, Any]]]:
    """(whether the actor's role collects, the rows): an accountant gets the message, not an error."""
    if not collection_list.collects(actor):
        return False, []
    return True, collection_list.todays_list(s, actor=actor, search=search)


class DeskState(SessionState):
    """/s: today's list, the search box and the collect sheet."""

    loading: bool = True
    collects: bool = True
    error: str = ""
    today: str = ""
    search: str = ""
    rows: list[dict[str, Any]] = []
    totals: dict[str, str] = {}
    # The collect sheet: the row it is for, the method chosen, the call in flight, its outcome.
    sheet_open: bool = False
    sheet: dict[str, str] = {}
    opened: int = 0  # remounts the sheet's form (fresh amount box) each time it opens
    method: str = "cash"
    pending: bool = False
    sheet_error: str = ""
    needs_reason: bool = False  # cash refused under s.269ST: the sheet asks for the reason
    recorded: bool = False
    result: dict[str, str] = {}
    _key: str = ""

    def _show(self, collects: bool, rows: list[dict[str, Any]]) -> None:
        self.collects, self.rows = collects, rows
        self.totals = collection_list.desk_totals(rows)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.sheet_open, self.pending = True, "", False, False
        self.today = today_ist().strftime("%A, %d %B %Y")
        search = self.search
        page = await page_read(self, COMPANY_ROLES, lambda s, actor: _desk(s, actor, search))
        if page.away:
            return page.away
        if page.error:
            self.error, self.rows, self.totals = page.error, [], {}
        elif page.data is not None:
            self._show(*page.data)
        self.loading = False
        return None

    async def _refresh(self, actor: Actor | None) -> None:
        search = self.search
        try:
            collects, rows = await run_service(lambda s: _desk(s, actor, search))
        except Failed as exc:
            self.error = exc.message
            return
        self._show(collects, rows)

    @rx.event
    async def find(self, form: dict) -> None:
        """The search box: by name or mobile (the service cleans and limits the text)."""
        text = form.get("search")  # a form that is not an object never gets here (state/event_guard.py)
        self.search, self.error = text[:80] if isinstance(text, str) else "", ""
        await self._refresh(await current_actor(self))

    @rx.event
    def open_collect(self, ticket_id: str) -> None:
        """Tap 1: the sheet for one row of the list, with a new idempotency key."""
        if self.pending or not isinstance(ticket_id, str):
            return
        row = next((r for r in self.rows if r["ticket_id"] == ticket_id), None)
        if row is None:
            return
        self.sheet = {k: str(row[k]) for k in ("ticket_id", "name", "group", "ticket_no", "collect", "seen")}
        self.sheet["amount"] = str(row["collect_rupees"])
        self._key = uuid4().hex
        self.method, self.sheet_error, self.recorded, self.result = "cash", "", False, {}
        self.needs_reason = False
        self.opened += 1
        self.sheet_open = True

    @rx.event
    def set_method(self, method: str) -> None:
        if not self.pending and method in field_collections.FIELD_METHODS:
            self.method = method

    @rx.event
    def close_sheet(self) -> None:
        """Closing is refused while the call runs, so its outcome is not lost from view."""
        if not self.pending:
            self.sheet_open = False

    @rx.event
    async def record(self, form: dict):  # noqa: ANN201  (an async generator of events)
        """Tap 2: record the money. Every retry of this sheet sends the same key."""
        if self.pending or self.recorded or not self._key:
            return
        self.pending, self.sheet_error = True, ""
        yield  # the sheet shows "Recording…" while the call runs
        amount, utr = form.get("collect-amount"), form.get("collect-utr", "")
        reason = form.get("cash_override") or ""  # s.269ST: cash of ₹2 lakh or more today
        tid, method, key, seen = (
            self.sheet["ticket_id"],
            self.method,
            self._key,
            self.sheet.get("seen") or None,
        )
        actor = await current_actor(self)
        try:
            done = await run_service(
                lambda s: field_collections.record_collection(
                    s,
                    actor=actor,
                    ticket_id=tid,
                    amount=amount,
                    method=method,
                    utr=utr,
                    idempotency_key=key,
                    seen=seen,
                    cash_override=reason,
                )
            )
        except Failed as exc:  # the key is kept: the next tap is the same collection
            self.sheet_error, self.pending = exc.message, False
            self.needs_reason = self.needs_reason or exc.field == "cash_override"
            return
        self.result = {
            "receipt": done.receipt,
            "amount": done.amount,
            "name": done.member_name,
            "url": f"/receipts/{done.payment_id}",
            "share": done.share_url,
        }
        self.recorded, self.pending = True, False
        await self._refresh(actor)
