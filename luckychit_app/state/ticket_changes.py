"""The members tab's ticket changes of a running group (issue 15; Chit Funds Act s.28-s.30): declare a
non-prized ticket in default (the written notice), remove a defaulter whose 7 days ran out or let a
member exit, with a substitute on the same ticket number, and pay the refunds due to subscribers who
left.

Every dialog opens with what the service computed for that ticket (arrears, what the substitute pays,
what the leaving subscriber gets back, or why the change is not open now); nothing changes until the
foreman confirms, and the service checks the caller, the group and every value again. The ticket and
refund being acted on are kept backend-only, set only by opening their dialog."""

from __future__ import annotations

from collections.abc import AsyncIterator

import reflex as rx
from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, User
from luckychit_app.services.groups import defaults, substitution
from luckychit_app.services.money import subscriber_refunds
from luckychit_app.state.foreman import GroupPageState
from luckychit_app.state.group_tab import GroupTab
from luckychit_app.state.group_tabs import GroupMembersState, welcome_link
from luckychit_app.state.session import SessionState, current_actor

DIALOGS = ("default", "remove", "exit")
"""Declare a default (s.28(1) notice), remove a defaulter (s.28), or a member's own exit."""
SUBSTITUTE_KINDS = ("member", "new", "company")


def _text(form: object, key: str) -> object:
    """A form field as the browser sent it (any type: the service cleans it)."""
    return form.get(key) if isinstance(form, dict) else None


class TicketChangesState(GroupTab, SessionState):
    flags: dict[str, str] = {}  # "{ticket id}:default|remove|exit" -> "yes"; ":note" -> the default's state
    refunds: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []  # members of the company's groups who may take a seat
    dialog: str = ""  # "", or one of DIALOGS
    preview: dict[str, str] = {}
    sub_kind: str = "member"
    new_password: str = ""
    share_link: str = ""
    refund_open: bool = False
    refund_label: str = ""
    today: str = ""
    _ticket: str = ""
    _refund: str = ""

    async def _refresh(self) -> None:
        actor = await current_actor(self)
        gid = self._group_id()
        found = await self._call(
            lambda s: (
                substitution.ticket_actions(s, actor=actor, group_id=gid),
                subscriber_refunds.refund_rows(s, actor=actor, group_id=gid),
            )
        )
        self.flags, self.refunds = found if found else ({}, [])
        self.today = today_ist().isoformat()

    @rx.event
    async def load(self) -> None:
        """The buttons each ticket offers and the group's refunds (on the members tab's load)."""
        self.error = self.notice = ""
        self.dialog, self.refund_open = "", False
        await self._refresh()

    @rx.event
    async def open_change(self, ticket_id: str, mode: str) -> None:
        """Open a dialog with the service's preview of this ticket; nothing changes yet."""
        self.error, self.notice, self.new_password, self.share_link = "", "", "", ""
        if mode not in DIALOGS:
            return
        actor = await current_actor(self)
        tid, gid = str(ticket_id)[:12], self._group_id()
        found = await self._call(
            lambda s: (
                substitution.change_preview(s, actor=actor, ticket_id=tid),
                substitution.substitute_choices(s, actor=actor, group_id=gid) if mode != "default" else [],
            )
        )
        if found is None:
            self._ticket, self.dialog = "", ""
            return
        self.preview, self.choices = found
        self._ticket, self.dialog, self.sub_kind = tid, mode, "member" if found[1] else "new"

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        if value is not True:
            self.dialog = ""

    @rx.event
    def set_sub_kind(self, value: str | list[str]) -> None:
        self.sub_kind = value if value in SUBSTITUTE_KINDS else "member"

    async def _done(self, message: str) -> AsyncIterator[rx.event.EventSpec]:
        self.dialog, self._ticket, self.notice = "", "", message
        await self._refresh()
        yield GroupMembersState.load_quiet
        yield GroupPageState.refresh

    @rx.event
    async def confirm_default(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        """Declare the ticket in default: the notice goes to the member in the app and by SMS."""
        self.error, self.notice = "", ""
        if self.dialog != "default" or not self._ticket:
            self.error = "Choose a ticket first."
            return
        actor = await current_actor(self)
        tid, reason = self._ticket, _text(form, "reason")
        done = await self._call(
            lambda s: defaults.declare_default(s, actor=actor, ticket_id=tid, reason=reason).ticket_no
        )
        if done is None:
            return
        async for event in self._done(
            f"Ticket {done} is declared in default; the notice went to the member by SMS and in the app."
        ):
            yield event

    @rx.event
    async def confirm_change(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        """Remove the defaulter (or let the member exit) and seat the substitute."""
        self.error, self.notice, self.new_password, self.share_link = "", "", "", ""
        if self.dialog not in ("remove", "exit") or not self._ticket:
            self.error = "Choose a ticket first."
            return
        actor = await current_actor(self)
        tid, mode = self._ticket, "default" if self.dialog == "remove" else "exit"
        fields = {k: _text(form, k) for k in ("reason", "substitute", "member_id", "name", "mobile")}

        def run(s: Session) -> tuple[substitution.Change, str, str]:
            """The change, the substitute's name and, for a new account, the WhatsApp welcome."""
            change = substitution.remove_and_substitute(s, actor=actor, ticket_id=tid, mode=mode, **fields)
            if change.stayed:
                return change, "", ""
            user = s.get(User, change.substitute.member_id)
            group = s.get(ChitGroup, change.substitute.group_id)
            link = welcome_link(group.name, user.mobile, change.password) if change.password else ""
            return change, user.name, link

        done = await self._call(run)
        if done is None:
            return
        change, name, link = done
        if change.stayed:
            message = "The member paid the arrears named in the notice: they keep the ticket (s.28(1)). "
            message += "The default is lifted."
        else:
            refund = change.refund
            message = f"Ticket {change.substitute.ticket_no} now belongs to {name}. " + (
                f"{format_inr(refund.amount)} is set aside for the subscriber who left."
                if refund.amount
                else "Nothing is left to refund to the subscriber who left."
            )
            self.new_password, self.share_link = change.password or "", link
        async for event in self._done(message):
            yield event

    @rx.event
    def open_refund(self, refund_id: str) -> None:
        """Open the pay-refund form for one row of the list; the service checks it on submit."""
        row = next((r for r in self.refunds if r.get("id") == refund_id), None)
        self._refund = str(refund_id)[:12] if isinstance(refund_id, str | int) else ""
        self.refund_label = f"Ticket {row['ticket_no']} · {row['name']} · {row['amount']}" if row else ""
        self.refund_open, self.error, self.notice = True, "", ""

    @rx.event
    def set_refund_open(self, value: bool) -> None:
        self.refund_open = value is True

    @rx.event
    async def pay_refund(self, form: dict) -> AsyncIterator[rx.event.EventSpec | None]:
        self.error, self.notice = "", ""
        if not self._refund:
            self.error = "Choose a refund first."
            return
        actor = await current_actor(self)
        rid = self._refund
        method, reference, paid_on = _text(form, "method"), _text(form, "reference"), _text(form, "paid_on")
        done = await self._call(
            lambda s: (
                subscriber_refunds.pay_subscriber_refund(
                    s, actor=actor, refund_id=rid, method=method, reference=reference, paid_on=paid_on
                ).amount
            )
        )
        if done is None:
            return
        self.refund_open, self._refund = False, ""
        self.notice = f"Refund of {format_inr(done)} paid."
        await self._refresh()
        yield GroupPageState.refresh
