"""The end of a group's life on its page (/f/groups/[group_id], issue 15): the closing panel of a
completed group (what blocks, who gets what, the refunds to pay, the close, then the papers) and the
cancellation of a group that never started.

Every handler resolves the signed-in actor and calls services, which check that this foreman runs
the group; the browser's arguments are passed on as they came and the services validate them. The
cancellation talks to the payment gateway between transactions, so it runs through `run_flow`."""

from __future__ import annotations

from typing import Any

import reflex as rx

from luckychit_app.clock import today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.wording import plural
from luckychit_app.gateways.choice import get_gateway
from luckychit_app.services.access import Actor
from luckychit_app.services.groups import cancelling, closing
from luckychit_app.services.money import subscriber_refunds
from luckychit_app.services.reporting import closing_statement
from luckychit_app.state.acting import Acting
from luckychit_app.state.foreman import GroupPageState
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class GroupClosingState(Acting, SessionState):
    """The closing panel and the cancel dialog of one group."""

    status: str = ""
    blockers: list[str] = []
    shares: list[dict[str, str]] = []
    refunds: list[dict[str, str]] = []
    certificates: list[dict[str, str]] = []
    plan: dict[str, str] = {}
    can_settle: bool = False
    can_close: bool = False
    settled: bool = False
    closed_at: str = ""
    statement: str = ""
    statement_pdf: str = ""
    due_by: str = ""
    to_foreman: str = ""
    today: str = ""
    loaded: bool = False
    close_open: bool = False
    cancel_open: bool = False

    def _group_id(self) -> str:
        # The route's [group_id], a var Reflex adds to the root state.
        return str(self.group_id)

    async def _refresh(self, actor: Actor | None) -> None:
        gid = self._group_id()
        try:
            panel = await run_service(lambda s: closing_statement.closing_panel(s, actor=actor, group_id=gid))
        except Failed as exc:
            self.status, self.blockers, self.shares, self.refunds, self.certificates = "", [], [], [], []
            self.plan, self.can_settle, self.can_close, self.settled = {}, False, False, False
            self.error, self.loaded = exc.message, False
            return
        self.status, self.blockers = panel["status"], panel["blockers"]
        self.shares, self.refunds, self.certificates = (
            panel["shares"],
            panel["refunds"],
            panel["certificates"],
        )
        self.plan, self.settled = panel["plan"], panel["settled"]
        self.can_settle, self.can_close = panel["can_settle"], panel["can_close"]
        self.closed_at, self.statement, self.statement_pdf = (
            panel["closed_at"],
            panel["statement"],
            panel["statement_pdf"],
        )
        self.due_by, self.to_foreman, self.loaded = panel["due_by"], panel["to_foreman"], True

    @rx.event
    async def load(self) -> None:
        """The panel's read, when it appears on the group page (the page's own load has already
        sent a stranger away)."""
        self.error, self.notice, self.busy = "", "", False
        self.close_open, self.cancel_open, self.today = False, False, today_ist().isoformat()
        await self._refresh(await current_actor(self))

    @rx.event
    async def settle(self) -> None:
        gid = self._group_id()

        def work(s: Any, actor: Actor | None) -> str:
            plan = closing.settle_for_closing(s, actor=actor, group_id=gid)
            owed = f"{format_inr(plan.refunds)} is owed back to the members" if plan.refunds else "nothing"
            return f"Settled for closing: {owed}. Pay the refunds due, then close the group."

        await self._act(work)

    @rx.event
    async def pay_refund(self, form: dict) -> None:
        def work(s: Any, actor: Actor | None) -> str:
            row = subscriber_refunds.pay_subscriber_refund(
                s,
                actor=actor,
                refund_id=form.get("refund_id"),
                method=form.get("method"),
                reference=form.get("reference") or "",
                paid_on=form.get("paid_on"),
            )
            return f"Refund of {format_inr(row.amount)} paid."

        await self._act(work)

    @rx.event
    def set_close_open(self, value: bool) -> None:
        self.close_open = value is True

    @rx.event
    async def close_group(self) -> rx.event.EventSpec | None:
        gid = self._group_id()
        self.close_open = False

        def work(s: Any, actor: Actor | None) -> str:
            group = closing.close_group(s, actor=actor, group_id=gid)
            return f"{group.name} is closed: its books are settled and the no-dues certificates are ready."

        return GroupPageState.refresh if await self._act(work) else None

    @rx.event
    def set_cancel_open(self, value: bool) -> None:
        self.cancel_open = value is True
        if self.cancel_open:
            self.error, self.notice = "", ""

    @rx.event
    async def cancel(self, form: dict) -> rx.event.EventSpec | None:
        gid, reason = self._group_id(), form.get("reason")

        def work(_s: Any, actor: Actor | None) -> str:
            done = cancelling.cancel_group(gateway=get_gateway(), actor=actor, group_id=gid, reason=reason)
            message = "The group is cancelled and every member has been told."
            if done["payments"] != "0":
                on = plural(int(done["payments"]), "payment")
                message += f" {done['refunded']} is being refunded on {on}"
                waiting = int(done["pending"]) + int(done["failed"])
                message += (
                    f"; {plural(waiting, 'online refund')} still to go through the gateway."
                    if waiting
                    else "."
                )
            return message

        if await self._act(work, flow=True):
            self.cancel_open = False
            return GroupPageState.refresh
        return None
