"""/f/groups/[group_id]/payments: the foreman's money page of one group. Cash position, cash/bank entry
(one ticket, or "mark all paid" for a month), the UPI confirm/reject queue, overdue tickets, refunds,
and prizes with their security (guarantors as records; a deposit as money held, received or kept
from the prize), release, the written demand on a defaulting prized subscriber (Chit Funds Act
s.32-s.33) and, after it, the dues recovered from their security deposit (s.21(1)(e)).

Every handler resolves the signed-in actor, then calls services, which check that this foreman runs
the group. Refunds talk to the gateway between transactions, so they run through `run_flow`. The
foreman's pages are English: errors are shown as the services word them."""

from __future__ import annotations

import secrets
from typing import Any

import reflex as rx

from luckychit_app.clock import today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.wording import plural
from luckychit_app.gateways.choice import get_gateway
from luckychit_app.services.access import Actor, group_for_foreman
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups import deposit_recovery, prize_defaults
from luckychit_app.services.money import (
    guarantors,
    offline_payments,
    overdue_dues,
    passbook,
    payment_batch,
    payouts,
    receipts,
    refunds,
    upi,
)
from luckychit_app.services.money.amount_due import GroupBooks
from luckychit_app.services.money.dues import PAYING_GROUP
from luckychit_app.services.money.receipt_numbers import label_for
from luckychit_app.state.acting import Acting
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor, page_actor


def guarantor_from(form: dict) -> dict[str, object] | None:
    """One guarantor from the form's g_* inputs (guarantors.FIELDS), None when all are blank; the
    service checks every value."""
    person = {field: form.get(f"g_{field}") for field in guarantors.FIELDS}
    return None if all(v in (None, "") for v in person.values()) else person


PAGE_TABS = ("collect", "upi", "overdue", "payments", "prizes")
"""The payments page's tabs (pages/foreman/payments.py), the first shown on arrival."""


class ForemanPaymentsState(Acting, SessionState):
    """/f/groups/[group_id]/payments: collect cash/bank, confirm UPI, overdue, refunds, prizes."""

    group: dict[str, Any] = {}
    cash: dict[str, str] = {}
    dues: list[dict[str, str]] = []
    upi_queue: list[dict[str, str]] = []
    overdue: list[dict[str, str]] = []
    payments: list[dict[str, Any]] = []
    prizes: list[dict[str, Any]] = []
    prizes_unread: bool = True  # the Prizes tab shows a spinner until its rows are read (tab_changed)
    loading: bool = True
    warning: str = ""
    refund_for: str = ""
    refund_max: str = ""
    mark_all_open: bool = False
    today: str = ""
    pay_key: str = ""  # the due rows' forms carry it (with their ticket): a double click records once
    override_for: str = ""  # the ticket whose cash was refused under s.269ST: its row asks the reason
    _refund_key: str = ""
    _tab: str = "collect"  # the tab open (tab_changed): the Prizes tab's rows are read only while it is open

    def _group_id(self) -> str:
        # The route's [group_id], a var Reflex adds to the root state (not the deprecated router.page).
        return str(self.group_id)

    async def _refresh(self, actor: Actor | None) -> None:
        gid, with_prizes = self._group_id(), self._tab == "prizes"

        def build(s: Any) -> dict[str, Any]:
            group = group_for_foreman(s, actor, gid)
            shared = GroupBooks(s, group)  # dues, overdue and prizes list the same tickets' books
            return {
                "group": {
                    "id": str(group.id),
                    "name": group.name,
                    "stage": f"Month {group.current_month} of {group.tickets}"
                    if group.status == "active"
                    else group.status.capitalize(),
                    "month": str(group.current_month),
                    "can_collect": group.status in PAYING_GROUP and group.current_month > 0,
                    "upi_vpa": group.upi_vpa or "",
                },
                "cash": passbook.cash_position(s, actor=actor, group_id=gid),
                "dues": passbook.ticket_dues(s, actor=actor, group_id=gid, page_books=shared),
                "upi": upi.upi_queue(s, actor=actor, group_id=gid),
                "overdue": overdue_dues.overdue_list(s, actor=actor, group_id=gid, page_books=shared),
                "payments": receipts.payments_for_group(s, group=group),
                "prizes": prize_defaults.prize_rows(s, actor=actor, group_id=gid, page_books=shared)
                if with_prizes
                else None,
            }

        try:
            data = await run_service(build)
        except Failed as exc:
            self.group, self.cash, self.dues, self.upi_queue = {}, {}, [], []
            self.overdue, self.payments, self.prizes = [], [], []
            self.error = exc.message
            return
        self.group, self.cash, self.dues = data["group"], data["cash"], data["dues"]
        self.upi_queue, self.overdue, self.payments = data["upi"], data["overdue"], data["payments"]
        if with_prizes:
            self._show_prizes(data["prizes"])

    def _show_prizes(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            # A key per recovery the page offers: a double tap or a retry sends the same one, and the
            # service returns the first recovery (deposit_recovery.recover_from_deposit).
            row["recover_key"] = "deposit-" + secrets.token_hex(12) if row.get("can_recover") else ""
        self.prizes, self.prizes_unread = rows, False

    @rx.event
    async def tab_changed(self, value: str) -> None:
        """A tab opened. The Prizes tab reads its rows when opened, and with every refresh while it
        is open: they were read at every load and after every payment recorded on the Collect tab,
        the refresh's largest list (~11 ms of CPU, issue 22). The other tabs' lists are always read
        (their counts head the tabs)."""
        self._tab = value if value in PAGE_TABS else "collect"
        if self._tab != "prizes":
            return
        actor, gid = await current_actor(self), self._group_id()
        try:
            rows = await run_service(lambda s: prize_defaults.prize_rows(s, actor=actor, group_id=gid))
        except Failed as exc:
            self.prizes, self.prizes_unread, self.error = [], False, exc.message
            return
        self._show_prizes(rows)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.notice, self.warning, self.busy = True, "", "", "", False
        self.refund_for, self.today, self._tab = "", today_ist().isoformat(), "collect"
        self.prizes, self.prizes_unread = [], True
        self.pay_key = "pay-" + secrets.token_hex(12)
        actor, away = await page_actor(self, "foreman")
        if away:
            return away
        await self._refresh(actor)
        self.loading = False
        return None

    def _act_begins(self) -> None:
        self.warning = ""

    @rx.event
    async def record(self, form: dict) -> None:
        """Record cash or bank money; cash refused under s.269ST opens the row's reason box."""
        over_limit: list[bool] = []

        def work(s: Any, actor: Actor | None) -> str:
            try:
                p = offline_payments.record_offline_payment(
                    s,
                    actor=actor,
                    ticket_id=form.get("ticket_id"),
                    amount=form.get("amount"),
                    method=form.get("method") or "cash",
                    reference=form.get("reference") or "",
                    received_on=form.get("received_on") or None,
                    request_key=form.get("request_key") or "",
                    seen=form.get("seen") or None,  # a form drawn before the page knew it checks nothing
                    cash_override=form.get("cash_override") or "",
                )
            except ServiceError as exc:
                over_limit.append(exc.field == "cash_override")
                raise
            return f"Recorded {format_inr(p.amount)}: receipt {label_for(s, p)}."

        done = await self._act(work)
        if done:
            self.pay_key = "pay-" + secrets.token_hex(12)  # the next payment is a new request
        ticket = form.get("ticket_id")
        asked = not done and any(over_limit) and isinstance(ticket, str | int)
        self.override_for = str(ticket)[:12] if asked else ""

    @rx.event
    def open_mark_all(self) -> None:
        self.mark_all_open, self.error, self.notice = True, "", ""

    @rx.event
    def close_mark_all(self) -> None:
        self.mark_all_open = False

    @rx.event
    async def mark_all(self, form: dict) -> None:
        gid = self._group_id()
        self.mark_all_open = False

        def work(s: Any, actor: Actor | None) -> str:
            made = payment_batch.mark_all_paid(
                s,
                actor=actor,
                group_id=gid,
                month=form.get("month"),
                method=form.get("method") or "cash",
                reference=form.get("reference") or "",
                cash_override=form.get("cash_override") or "",
            )
            total = sum(p.amount for p in made)
            first, last = made[0].receipt, made[-1].receipt
            numbers = f"receipt {first}" if first == last else f"receipts {first} to {last}"
            return f"Marked {plural(len(made), 'ticket')} paid ({format_inr(total)}), {numbers}."

        await self._act(work)

    @rx.event
    async def confirm_upi(self, form: dict) -> None:
        def work(s: Any, actor: Actor | None) -> str:
            p = upi.confirm_upi(s, actor=actor, payment_id=form.get("payment_id"), amount=form.get("amount"))
            return f"UPI payment confirmed: receipt {label_for(s, p)}."

        await self._act(work)

    @rx.event
    async def reject_upi(self, form: dict) -> None:
        def work(s: Any, actor: Actor | None) -> str:
            upi.reject_upi(s, actor=actor, payment_id=form.get("payment_id"), reason=form.get("reason"))
            return "UPI payment rejected; the member has been told why."

        await self._act(work)

    @rx.event
    def open_refund(self, payment_id: str, refundable: str) -> None:
        """A new idempotency key per refund dialog: a double click or a retry reuses it."""
        self.refund_for = payment_id if isinstance(payment_id, str) else ""
        self.refund_max = refundable if isinstance(refundable, str) else ""
        self._refund_key = "refund-" + secrets.token_hex(12)
        self.error, self.notice = "", ""

    @rx.event
    def close_refund(self) -> None:
        self.refund_for = ""

    @rx.event
    async def refund(self, form: dict) -> None:
        key, pid, shown = self._refund_key, self.refund_for, self.refund_max or None

        def work(_s: Any, actor: Actor | None) -> str:
            done = refunds.refund_payment(
                gateway=get_gateway(),
                actor=actor,
                payment_id=pid,
                amount=form.get("amount"),
                reason=form.get("reason"),
                idempotency_key=key,
                refundable_shown=shown,
            )
            if done["status"] == "processed":
                return "Refund done and posted to the books."
            return "Refund sent to the gateway; it is posted when the gateway confirms it."

        await self._act(work, flow=True)
        if not self.error:
            self.refund_for = ""

    @rx.event
    async def add_security(self, form: dict) -> None:
        warnings: list[str] = []
        person = guarantor_from(form) if form.get("kind") == "guarantor" else None

        def work(s: Any, actor: Actor | None) -> str:
            _security, warning = payouts.record_security(
                s,
                actor=actor,
                payout_id=form.get("payout_id"),
                kind=form.get("kind"),
                value=form.get("value"),
                description=form.get("description") or "",
                guarantors=[person] if person else [],
                # A deposit: how the money came in (ignored for the other kinds).
                method=form.get("deposit_method") or None,
                reference=form.get("deposit_reference") or "",
                received_on=form.get("deposit_received_on") or None,
                seen=form.get("security_seen") or None,
            )
            warnings.append(warning)
            return "Security recorded."

        await self._act(work)
        self.warning = warnings[0] if warnings else ""

    @rx.event
    async def add_guarantor(self, form: dict) -> None:
        """One more guarantor on the prize's guarantor security (s.31)."""
        warnings: list[str] = []

        def work(s: Any, actor: Actor | None) -> str:
            row, warning = payouts.add_guarantor(
                s, actor=actor, payout_id=form.get("payout_id"), guarantor=guarantor_from(form)
            )
            warnings.append(warning)
            return f"Guarantor {row.name} added."

        await self._act(work)
        self.warning = warnings[0] if warnings else ""

    @rx.event
    async def demand_default(self, ticket_id: str) -> None:
        """The written demand on a defaulting prized subscriber (s.33) and the guarantors' notices."""

        def work(s: Any, actor: Actor | None) -> str:
            return prize_defaults.demand(s, actor=actor, ticket_id=ticket_id).summary()

        await self._act(work)

    @rx.event
    async def recover_deposit(self, form: dict) -> None:
        """After the written demand, the dues recovered from the security deposit (s.21(1)(e), s.32)."""

        def work(s: Any, actor: Actor | None) -> str:
            return deposit_recovery.recover_from_deposit(
                s,
                actor=actor,
                ticket_id=form.get("ticket_id"),
                amount=form.get("amount"),
                request_key=form.get("request_key"),
            ).summary()

        await self._act(work)

    @rx.event
    async def release(self, form: dict) -> None:
        def work(s: Any, actor: Actor | None) -> str:
            payout = payouts.release_payout(
                s,
                actor=actor,
                payout_id=form.get("payout_id"),
                method=form.get("method"),
                reference=form.get("reference"),
                paid_on=form.get("paid_on"),
                deduction=form.get("deduction") or "0",
            )
            return f"Prize released: {format_inr(payouts.cash_paid(s, payout))} paid."

        await self._act(work)
