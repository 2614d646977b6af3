"""/s/cash: cash in hand, handing it over, counting what others hand you, and the branch's day cash
book.

The hand-over form's idempotency key is made when the form is shown and sent with every tap of
"Hand over" until one succeeds, so a retry on a slow line returns the first hand-over instead of
starting a second (services/money/cash_custody.py). Handlers only pass the browser's values on: the
services check who may hand to whom, who may count, who may read the book, and validate every count.
After every action the whole page is read again, so balances change on screen without a reload.
Staff pages are English, like the foreman's: errors are shown as the services word them."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import reflex as rx
from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import cash_custody
from luckychit_app.services.reporting import cash_book
from luckychit_app.state.acting import Acting
from luckychit_app.state.display_strings import scalar_strings
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import COMPANY_ROLES, SessionState, current_actor, page_read

DENOMS = tuple(str(d) for d in cash_custody.DENOMINATIONS)


def _read(s: Session, actor: Actor, branch: str, day: str) -> dict[str, Any]:
    """Everything the page shows, in one transaction."""
    mine = cash_custody.cash_in_hand(s, actor=actor)
    branches = cash_book.book_branches(s, actor=actor)
    chosen = branch if any(b["id"] == branch for b in branches) else (branches[0]["id"] if branches else "")
    out: dict[str, Any] = {
        "mine": mine,
        "receivers": cash_custody.receivers_for(s, actor=actor),
        "waiting": cash_custody.pending_for_me(s, actor=actor),
        "branches": branches,
        "branch": chosen,
        "book": None,
        "book_error": "",
    }
    if chosen:
        try:
            out["book"] = cash_book.day_cash_book(s, actor=actor, branch_id=chosen, day=day)
        except ServiceError as exc:  # a bad day typed: the rest of the page still shows
            out["book_error"] = exc.message
    return out


class CashState(Acting, SessionState):
    """/s/cash: the actor's cash, their hand-over, hand-overs to count, and the cash book."""

    loading: bool = True
    handover_result: str = ""
    # Cash in hand.
    in_hand: str = "₹0"
    holds_cash: bool = False
    in_hand_groups: list[dict[str, str]] = []
    mine: dict[str, str] = {}  # the actor's hand-over waiting to be counted, if any
    # The hand-over form.
    receivers: list[dict[str, str]] = []
    counts: dict[str, str] = {}
    form_version: int = 0  # remounts the form (empty boxes) after a hand-over is started
    # Hand-overs waiting for this person to count.
    waiting: list[dict[str, str]] = []
    # The cash book.
    branches: list[dict[str, str]] = []
    book_branch: str = ""
    book_date: str = ""
    today: str = ""
    book_error: str = ""
    book_title: str = ""
    book_holders: list[dict[str, str]] = []
    book_totals: dict[str, str] = {}
    book_till: dict[str, str] = {}
    book_receipts: list[dict[str, str]] = []
    book_handovers: list[dict[str, str]] = []
    book_flags: list[str] = []
    _key: str = ""

    @rx.var
    def live_total(self) -> str:
        """The hand-over form's total as the boxes are filled (display only: the service adds again)."""
        total = 0
        for name, count in self.counts.items():
            if name in DENOMS and re.fullmatch(r"\d{1,6}", count or ""):
                total += int(name) * int(count)
        return format_inr(total * 100)

    def _show(self, data: dict[str, Any]) -> None:
        mine = data["mine"]
        self.in_hand, self.holds_cash = mine["total_text"], mine["total"] > 0
        self.in_hand_groups = [scalar_strings(g) for g in mine["groups"]]
        pending = mine["pending"]
        self.mine = (
            scalar_strings({**pending, "declared_text": format_inr(pending["declared"])}) if pending else {}
        )
        self.receivers = [scalar_strings(r) for r in data["receivers"]]
        self.waiting = [
            scalar_strings({**w, "declared_text": format_inr(w["declared"])}) for w in data["waiting"]
        ]
        self.branches, self.book_branch = data["branches"], data["branch"]
        self.book_error = data["book_error"]
        book = data["book"]
        if book is None:
            self.book_title, self.book_holders, self.book_totals, self.book_till = "", [], {}, {}
            self.book_receipts, self.book_handovers, self.book_flags = [], [], []
            return
        self.book_title = f"{book['branch']['name']} · {book['day_text']}"
        self.book_date = book["day"]
        self.book_holders = [scalar_strings(h) for h in book["holders"]]
        self.book_totals = scalar_strings(book["totals"])
        self.book_till = scalar_strings(book["till"])
        self.book_receipts = [scalar_strings(r) for r in book["receipts"]]
        self.book_handovers = [scalar_strings(h) for h in book["handovers"]]
        self.book_flags = list(book["flags"])

    def _new_form(self) -> None:
        self._key = "handover-" + uuid4().hex
        self.counts = {}
        self.form_version += 1

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.busy, self.error, self.notice, self.handover_result = True, False, "", "", ""
        self.today = today_ist().isoformat()
        self.book_date = self.today
        branch, day = self.book_branch, self.book_date
        page = await page_read(self, COMPANY_ROLES, lambda s, actor: _read(s, actor, branch, day))
        if page.away:
            return page.away
        if page.error:
            self.error = page.error
        elif page.data is not None:
            self._show(page.data)
        self._new_form()
        self.loading = False
        return None

    async def _refresh(self, actor: Actor | None) -> None:
        branch, day = self.book_branch, self.book_date
        try:
            data = await run_service(lambda s: _read(s, actor, branch, day))
        except Failed as exc:
            self.error = exc.message
            return
        self._show(data)

    def _act_begins(self) -> None:
        self.handover_result = ""

    @rx.event
    def set_count(self, denomination: str, value: str) -> None:
        """A box of the hand-over form changed: only the live total reads it."""
        if denomination in DENOMS and isinstance(value, str):
            self.counts = {**self.counts, denomination: value.strip()[:7]}

    @rx.event
    async def start_handover(self, form: dict) -> None:
        key = self._key  # the same key on every retry until one succeeds
        counts = {d: form.get(f"denom-{d}", "") for d in DENOMS}

        def work(s: Session, actor: Actor | None) -> str:
            row = cash_custody.start_handover(
                s,
                actor=actor,
                to_user_id=form.get("handover-to"),
                denominations=counts,
                idempotency_key=key,
                note=form.get("note") or "",
            )
            return f"Hand-over of {format_inr(row.declared)} started; it moves when it is counted."

        if await self._act(work):
            self.handover_result, self.notice = self.notice, ""
            self._new_form()
        else:
            self.handover_result = self.error

    @rx.event
    async def cancel_handover(self, handover_id: str) -> None:
        def work(s: Session, actor: Actor | None) -> str:
            cash_custody.cancel_handover(s, actor=actor, handover_id=handover_id)
            return "Hand-over cancelled; the cash is still yours."

        await self._act(work)

    @rx.event
    async def confirm_handover(self, form: dict) -> None:
        counts = {d: form.get(f"count-{d}", "") for d in DENOMS}

        def work(s: Session, actor: Actor | None) -> str:
            row = cash_custody.confirm_handover(
                s, actor=actor, handover_id=form.get("handover_id"), counted_denominations=counts
            )
            return f"Counted {format_inr(row.counted or 0)}. {row.note}".strip()

        await self._act(work)

    @rx.event
    async def reject_handover(self, form: dict) -> None:
        def work(s: Session, actor: Actor | None) -> str:
            cash_custody.reject_handover(
                s, actor=actor, handover_id=form.get("handover_id"), reason=form.get("reason")
            )
            return "Hand-over rejected; nothing moved."

        await self._act(work)

    @rx.event
    async def pick_branch(self, branch_id: str) -> None:
        self.book_branch = branch_id if isinstance(branch_id, str) else ""
        await self._refresh(await current_actor(self))

    @rx.event
    async def pick_date(self, day: str) -> None:
        self.book_date = day if isinstance(day, str) else ""
        await self._refresh(await current_actor(self))
