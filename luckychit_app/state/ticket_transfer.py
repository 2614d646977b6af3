"""The transfer dialog of a group page's Members tab (issue 15): a ticket passes to another person
with the foreman's consent (services/groups/transfers.py). Opening it reads the ticket (its holder,
its prize and the security a prized ticket needs); submitting names the new holder by mobile (one of
the company's members, or a person new to LuckyChit with their name), the reason and, for a prized
ticket, the new holder's security. Every call re-checks in the service that the signed-in foreman
runs the ticket's group; the ticket id chosen is kept backend-only between the two calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from luckychit_app.clock import today_ist
from luckychit_app.services.groups import transfers
from luckychit_app.state.foreman import GroupPageState
from luckychit_app.state.group_payments import guarantor_from
from luckychit_app.state.group_tabs import GroupMembersState, welcome_link
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class TicketTransferState(SessionState):
    """Transfer one ticket: the dialog's ticket, its outcome and the one-time password of a new account."""

    dialog_open: bool = False
    ticket: dict[str, str] = {}
    busy: bool = False
    error: str = ""
    done: str = ""
    warning: str = ""
    new_password: str = ""
    share_link: str = ""
    today: str = ""
    _ticket_id: str = ""
    _prized: bool = False

    def _clear(self) -> None:
        self.ticket, self.error, self.done, self.warning = {}, "", "", ""
        self.new_password = self.share_link = ""
        self._ticket_id, self._prized, self.busy = "", False, False

    @rx.event
    async def open_transfer(self, ticket_id: str) -> None:
        """Open the dialog for a ticket of the foreman's group (refused for anyone else's)."""
        self._clear()
        self.dialog_open, self.today = True, today_ist().isoformat()
        actor = await current_actor(self)
        try:
            details = await run_service(
                lambda s: transfers.transfer_details(s, actor=actor, ticket_id=ticket_id)
            )
        except Failed as exc:
            self.error = exc.message
            return
        self.ticket, self._ticket_id, self._prized = details, details["ticket_id"], details["prized"] == "yes"

    @rx.event
    def close_transfer(self) -> None:
        self._clear()
        self.dialog_open = False

    @rx.event
    async def submit(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        if self.busy:
            return
        if not self._ticket_id or self.done:
            self.error = "Choose a ticket to transfer from the members list first."
            return
        self.busy, self.error, self.warning = True, "", ""
        yield
        ticket_id, prized = self._ticket_id, self._prized
        security: dict[str, Any] | None = None
        if prized and form.get("kind"):
            person = guarantor_from(form) if form.get("kind") == "guarantor" else None
            security = {
                "kind": form.get("kind"),
                "value": form.get("value"),
                "description": form.get("description") or "",
                "guarantors": [person] if person else [],
                # A deposit: how the money came in (s.21(1)(e); ignored for the other kinds).
                "method": form.get("deposit_method") or None,
                "reference": form.get("deposit_reference") or "",
                "received_on": form.get("deposit_received_on") or None,
            }
        actor = await current_actor(self)
        try:
            result = await run_service(
                lambda s: transfers.transfer_ticket(
                    s,
                    actor=actor,
                    ticket_id=ticket_id,
                    mobile=form.get("mobile"),
                    name=form.get("name") or None,
                    language=form.get("language") or "en",
                    reason=form.get("reason"),
                    security=security,
                )
            )
        except Failed as exc:
            self.error, self.busy = exc.message, False
            return
        self.busy = False
        self.done = f"Ticket {result.ticket_no} of {result.group_name} now belongs to {result.name}."
        self.warning = result.warning
        if result.password:
            self.new_password = result.password
            self.share_link = welcome_link(result.group_name, result.mobile, result.password)
        yield GroupMembersState.load_quiet
        yield GroupPageState.refresh
