"""States for money pages: the member's pay screen and Payments tab, the test gateway's checkout,
receipts, and the foreman's payments page of a group.

Thin on purpose: every handler resolves the signed-in actor, then calls services (which check role
and ownership and validate every argument, because any public handler can be called from the
browser with anything). Multi-step flows that talk to the gateway between short transactions run
through :func:`run_flow`, off the event loop like `run_service`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from sqlmodel import Session

from luckychit_app.clock import today_ist
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import format_inr, parse_rupees
from luckychit_app.gateways.razorpay_gateway import get_gateway
from luckychit_app.i18n import message, text
from luckychit_app.services.access import Actor, group_for_foreman
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.money import online_payments, passbook, payments, payouts, receipts, refunds, upi
from luckychit_app.state.runner import GENERIC_ERROR, Failed, run_service
from luckychit_app.state.session import current_actor, member_page, page_actor

T = TypeVar("T")
log = logging.getLogger("luckychit")


async def run_flow(fn: Callable[[], T]) -> T:
    """Run a service flow that manages its own transactions (gateway calls between them)."""

    def call() -> T:
        try:
            return fn()
        except ServiceError as exc:
            raise Failed(exc.message, exc.field) from exc
        except Exception as exc:
            log.exception("payment flow failed")
            raise Failed(GENERIC_ERROR) from exc

    return await asyncio.to_thread(call)


def _checkout_script(info: online_payments.Checkout) -> str:
    """Razorpay Checkout in the browser; resolves with the signed response or the failure."""
    options = {
        "key": info.key_id,
        "amount": info.amount,
        "currency": "INR",
        "name": "LuckyChit",
        "description": f"{info.group_name} · {info.description}",
        "order_id": info.order_id,
        "prefill": {"name": info.member_name, "contact": info.member_mobile},
        "theme": {"color": "#0f766e"},
    }
    return (
        "new Promise((resolve) => {"
        f"const options = {json.dumps(options)};"
        "let lastError = 'The payment window was closed.';"
        "const open = () => {"
        "  options.handler = (r) => resolve({ok: true, order_id: r.razorpay_order_id,"
        "    payment_id: r.razorpay_payment_id, signature: r.razorpay_signature});"
        "  options.modal = {ondismiss: () =>"
        "    resolve({ok: false, order_id: options.order_id, reason: lastError})};"
        "  const rzp = new window.Razorpay(options);"
        "  rzp.on('payment.failed', (resp) => {"
        "    lastError = (resp.error && resp.error.description) || lastError; });"
        "  rzp.open();"
        "};"
        "if (window.Razorpay) { open(); } else {"
        "  const s = document.createElement('script');"
        "  s.src = 'https://checkout.razorpay.com/v1/checkout.js';"
        "  s.onload = open;"
        "  s.onerror = () => resolve({ok: false, order_id: options.order_id,"
        "    reason: 'The payment window could not be loaded. Check your connection.'});"
        "  document.body.appendChild(s);"
        "}"
        "})"
    )


class MemberPayState(rx.State):
    """/m/pay/[ticket_id]: what is due, Pay online, UPI QR / deep link, and the UTR form."""

    page: dict[str, Any] = {}
    lines: list[dict[str, str]] = []
    amount: str = ""
    upi_link: str = ""
    upi_qr: str = ""
    loading: bool = True
    busy: bool = False
    error: str = ""
    error_field: str = ""
    notice: str = ""
    _vpa: str = ""
    _payee: str = ""
    _note: str = ""
    _lang: str = "en"

    def _ticket_id(self) -> str:
        return str(self.router.page.params.get("ticket_id", ""))

    def _refresh_upi(self) -> None:
        try:
            paise = parse_rupees(self.amount)
        except DomainError:
            paise = 0
        if not self._vpa or paise <= 0:
            self.upi_link, self.upi_qr = "", ""
            return
        self.upi_link = upi.upi_link(vpa=self._vpa, payee=self._payee, amount=paise, note=self._note)
        self.upi_qr = upi.qr_data_uri(self.upi_link)

    async def _refresh(self, actor: Actor | None) -> bool:
        self._lang = actor.language if actor else "en"
        tid = self._ticket_id()
        try:
            page = await run_service(lambda s: passbook.pay_page(s, actor=actor, ticket_id=tid))
        except Failed as exc:
            self.page, self.lines, self.error = {}, [], message(self._lang, exc.message)
            return False
        self.lines = page.pop("lines")
        self._vpa, self._payee, self._note = page.pop("upi_vpa"), page.pop("payee"), page.pop("note")
        page["has_upi"] = bool(self._vpa)
        page["vpa"] = self._vpa
        self.page = page
        return True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.error_field, self.notice, self.busy = True, "", "", "", False
        actor, away = await page_actor(self, "member")
        if away:
            return away
        if await self._refresh(actor):
            self.amount = self.page["total_rupees"] if self.page["has_due"] else ""
            self._refresh_upi()
            if self.router.url.query_parameters.get("failed"):
                self.error = text(self._lang, "pay.failed_retry")
        self.loading = False
        return None

    @rx.event
    def set_amount(self, value: str) -> None:
        self.amount = value if isinstance(value, str) else ""
        self._refresh_upi()

    @rx.event
    async def pay_online(self, form: dict):  # noqa: ANN201  (an async generator of events)
        if self.busy:
            return
        self.busy, self.error, self.error_field, self.notice = True, "", "", ""
        amount = form.get("amount") if isinstance(form, dict) else None
        if isinstance(amount, str):
            self.amount = amount
            self._refresh_upi()
        yield
        actor = await current_actor(self)
        tid = self._ticket_id()
        try:
            info = await run_flow(
                lambda: online_payments.start_checkout(
                    gateway=get_gateway(), actor=actor, ticket_id=tid, amount=amount
                )
            )
        except Failed as exc:
            self.error, self.error_field, self.busy = message(self._lang, exc.message), exc.field or "", False
            return
        if info.gateway == "test":
            self.busy = False
            yield rx.redirect(f"/pay/test-checkout/{info.order_id}")
            return
        yield rx.call_script(_checkout_script(info), callback=MemberPayState.on_checkout)

    @rx.event
    async def on_checkout(self, result: dict) -> rx.event.EventSpec | None:
        """Razorpay Checkout's answer: verify the signature on the server, or record the failure."""
        self.busy = False
        actor = await current_actor(self)
        data = result if isinstance(result, dict) else {}
        order_id = data.get("order_id")
        if data.get("ok"):
            pid, sig = data.get("payment_id"), data.get("signature")
            try:
                payment_id = await run_service(
                    lambda s: (
                        online_payments.confirm_checkout(
                            s,
                            actor=actor,
                            gateway=get_gateway(),
                            order_id=order_id,
                            payment_id=pid,
                            signature=sig,
                        ).id
                    )
                )
            except Failed as exc:
                self.error = message(self._lang, exc.message)
                return None
            return rx.redirect(f"/receipts/{payment_id}")
        reason = data.get("reason") or text(self._lang, "pay.not_completed")
        with contextlib.suppress(Failed):  # an unknown order changes nothing; the message stands
            await run_service(
                lambda s: online_payments.checkout_failed(s, actor=actor, order_id=order_id, reason=reason)
            )
        self.error = text(self._lang, "pay.nothing_charged", reason=reason)
        return None

    @rx.event
    async def submit_utr(self, form: dict) -> None:
        if self.busy:
            return
        self.busy, self.error, self.error_field, self.notice = True, "", "", ""
        actor = await current_actor(self)
        tid, amount, utr = self._ticket_id(), self.amount, form.get("utr")
        try:
            await run_service(
                lambda s: upi.submit_utr(s, actor=actor, ticket_id=tid, amount=amount, utr=utr).id
            )
        except Failed as exc:
            self.error, self.error_field, self.busy = message(self._lang, exc.message), exc.field or "", False
            return
        self.busy = False
        self.notice = text(self._lang, "pay.utr_thanks")
        await self._refresh(actor)


class TestCheckoutState(rx.State):
    """/pay/test-checkout/[order]: the built-in test gateway's checkout screen (no real money)."""

    order: dict[str, str] = {}
    loading: bool = True
    busy: bool = False
    error: str = ""
    _lang: str = "en"

    def _order_id(self) -> str:
        return str(self.router.page.params.get("order", ""))

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.busy = True, "", False
        actor, away = await page_actor(self, "member")
        if away:
            return away
        self._lang = actor.language
        oid = self._order_id()
        if get_gateway().name != "test":
            self.order, self.error, self.loading = ({}, text(self._lang, "checkout.unavailable"), False)
            return None
        try:
            self.order = await run_service(
                lambda s: online_payments.checkout_for_order(s, actor=actor, order_id=oid)
            )
        except Failed as exc:
            self.order, self.error = {}, message(self._lang, exc.message)
        self.loading = False
        return None

    async def _deliver_webhooks(self, gateway: Any, order_id: str) -> None:
        """The gateway tells our webhook endpoint too, exactly as Razorpay would (same signature and
        de-duplication path; delivered in-process, so no URL from the browser is ever fetched)."""
        for body, headers in await asyncio.to_thread(gateway.events_for_checkout, order_id):
            try:
                await run_flow(
                    lambda b=body, h=headers: online_payments.receive_webhook(
                        body=b,
                        signature=h["X-Razorpay-Signature"],
                        event_id=h["X-Razorpay-Event-Id"],
                        gateway=gateway,
                    )
                )
            except Failed:
                log.warning("test gateway webhook for %s was not applied", order_id)

    @rx.event
    async def succeed(self) -> rx.event.EventSpec | None:
        return await self._finish(True)

    @rx.event
    async def fail(self) -> rx.event.EventSpec | None:
        return await self._finish(False)

    async def _finish(self, ok: bool) -> rx.event.EventSpec | None:
        if self.busy:
            return None
        self.busy, self.error = True, ""
        actor = await current_actor(self)
        oid = self._order_id()
        gateway = get_gateway()
        if gateway.name != "test":
            self.busy = False
            return None
        try:
            # The member may only press the buttons of their own order.
            mine = await run_service(
                lambda s: online_payments.checkout_for_order(s, actor=actor, order_id=oid)
            )
            result = await run_flow(
                lambda: gateway.simulate_checkout(oid, succeed=ok, reason="Declined by the test gateway.")
            )
            if ok:
                payment_id = await run_service(
                    lambda s: (
                        online_payments.confirm_checkout(
                            s,
                            actor=actor,
                            gateway=gateway,
                            order_id=result["razorpay_order_id"],
                            payment_id=result["razorpay_payment_id"],
                            signature=result["razorpay_signature"],
                        ).id
                    )
                )
            else:
                reason = result["error"]["description"]
                await run_service(
                    lambda s: online_payments.checkout_failed(s, actor=actor, order_id=oid, reason=reason)
                )
        except Failed as exc:
            self.error, self.busy = message(self._lang, exc.message), False
            return None
        await self._deliver_webhooks(gateway, oid)
        self.busy = False
        if ok:
            return rx.redirect(f"/receipts/{payment_id}")
        return rx.redirect(f"/m/pay/{mine['ticket_id']}?failed=1")


class ReceiptState(rx.State):
    """/receipts/[payment_id]: printable receipt for its member, foreman or an admin."""

    receipt: dict[str, Any] = {}
    lines: list[dict[str, str]] = []
    back: str = "/"
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> None:
        self.loading, self.error = True, ""
        actor = await current_actor(self)
        pid = str(self.router.page.params.get("payment_id", ""))
        if actor is None:
            self.loading = False
            yield rx.redirect("/login")
            return
        self.back = "/m/payments" if actor.role == "member" else "/f"
        lang = actor.language if actor.role == "member" else "en"
        try:
            data = await run_service(lambda s: receipts.receipt(s, actor=actor, payment_id=pid, lang=lang))
        except Failed as exc:
            self.receipt, self.lines, self.error, self.loading = {}, [], message(lang, exc.message), False
            return
        self.lines = data.pop("lines") + data.pop("refunds")
        self.receipt = data
        self.loading = False

    @rx.event
    def print_receipt(self) -> rx.event.EventSpec:
        return rx.call_script("window.print()")


class PassbookState(rx.State):
    """/m/payments: what each ticket owes, my payments with receipts, and a ticket's passbook."""

    tickets: list[dict[str, Any]] = []
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

        def read(s: Session, actor: Actor) -> tuple[dict, str, dict]:
            """The tickets, payments and one ticket's statement."""
            data = passbook.member_payments(s, actor=actor)
            ids = [t["ticket_id"] for t in data["tickets"]]
            tid = chosen if chosen in ids else (ids[0] if ids else "")
            return data, tid, passbook.passbook(s, actor=actor, ticket_id=tid) if tid else {}

        page = await member_page(self, "passbook", read)
        if page.away or page.unchanged:  # unchanged: the tab shows this page already (nothing assigned)
            return page.away
        self.loading = False
        if page.data is None:
            self.tickets, self.payments, self.book, self.book_lines = [], [], {}, []
            self.error = page.error
            return None
        data, self.selected, book = page.data
        self.error = ""
        self.tickets, self.payments = data["tickets"], data["payments"]
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
            book = await run_service(lambda s: passbook.passbook(s, actor=actor, ticket_id=tid))
        except Failed as exc:
            self._show_book({})
            self.error = message(actor.language if actor else "en", exc.message)
            return
        self._show_book(book)

    @rx.event
    async def select_ticket(self, ticket_id: str) -> None:
        self.selected = ticket_id if isinstance(ticket_id, str) else ""
        self._shown = ""
        await self._load_book(await current_actor(self))


class ForemanPaymentsState(rx.State):
    """/f/groups/[group_id]/payments: collect cash/bank, confirm UPI, overdue, refunds, prizes."""

    group: dict[str, Any] = {}
    cash: dict[str, str] = {}
    dues: list[dict[str, str]] = []
    upi_queue: list[dict[str, str]] = []
    overdue: list[dict[str, str]] = []
    payments: list[dict[str, Any]] = []
    prizes: list[dict[str, Any]] = []
    loading: bool = True
    busy: bool = False
    error: str = ""
    notice: str = ""
    warning: str = ""
    refund_for: str = ""
    refund_max: str = ""
    mark_all_open: bool = False
    today: str = ""
    _refund_key: str = ""

    def _group_id(self) -> str:
        return str(self.router.page.params.get("group_id", ""))

    async def _refresh(self, actor: Actor | None) -> None:
        gid = self._group_id()

        def build(s: Any) -> dict[str, Any]:
            group = group_for_foreman(s, actor, gid)
            return {
                "group": {
                    "id": str(group.id),
                    "name": group.name,
                    "stage": f"Month {group.current_month} of {group.tickets}"
                    if group.status == "active"
                    else group.status.capitalize(),
                    "month": str(group.current_month),
                    "can_collect": group.status in payments.PAYING_GROUP and group.current_month > 0,
                    "upi_vpa": group.upi_vpa or "",
                },
                "cash": passbook.cash_position(s, actor=actor, group_id=gid),
                "dues": passbook.ticket_dues(s, actor=actor, group_id=gid),
                "upi": upi.upi_queue(s, actor=actor, group_id=gid),
                "overdue": payments.overdue_list(s, actor=actor, group_id=gid),
                "payments": receipts.payments_for_group(s, group=group),
                "prizes": payouts.payouts_for_group(s, actor=actor, group_id=gid),
            }

        try:
            data = await run_service(build)
        except Failed as exc:
            self.group, self.cash, self.dues, self.upi_queue = {}, {}, [], []
            self.overdue, self.payments, self.prizes = [], [], []
            self.error = exc.message
            return
        self.group, self.cash, self.dues = data["group"], data["cash"], data["dues"]
        self.upi_queue, self.overdue, self.payments, self.prizes = (
            data["upi"],
            data["overdue"],
            data["payments"],
            data["prizes"],
        )

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.notice, self.warning, self.busy = True, "", "", "", False
        self.refund_for, self.today = "", today_ist().isoformat()
        actor, away = await page_actor(self, "foreman")
        if away:
            return away
        await self._refresh(actor)
        self.loading = False
        return None

    async def _act(self, fn: Callable[[Any, Actor | None], str], *, flow: bool = False) -> None:
        if self.busy:
            return
        self.busy, self.error, self.notice, self.warning = True, "", "", ""
        actor = await current_actor(self)
        try:
            if flow:
                self.notice = await run_flow(lambda: fn(None, actor))
            else:
                self.notice = await run_service(lambda s: fn(s, actor))
        except Failed as exc:
            self.error = exc.message
        self.busy = False
        await self._refresh(actor)

    @rx.event
    async def record(self, form: dict) -> None:
        def work(s: Any, actor: Actor | None) -> str:
            p = payments.record_offline_payment(
                s,
                actor=actor,
                ticket_id=form.get("ticket_id"),
                amount=form.get("amount"),
                method=form.get("method") or "cash",
                reference=form.get("reference") or "",
                received_on=form.get("received_on") or None,
            )
            return f"Recorded {format_inr(p.amount)}: receipt {p.receipt_no:06d}."

        await self._act(work)

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
            made = payments.mark_all_paid(
                s,
                actor=actor,
                group_id=gid,
                month=form.get("month"),
                method=form.get("method") or "cash",
                reference=form.get("reference") or "",
            )
            total = sum(p.amount for p in made)
            first, last = made[0].receipt_no, made[-1].receipt_no
            numbers = f"receipt {first:06d}" if first == last else f"receipts {first:06d}–{last:06d}"
            tickets = "1 ticket" if len(made) == 1 else f"{len(made)} tickets"
            return f"Marked {tickets} paid ({format_inr(total)}), {numbers}."

        await self._act(work)

    @rx.event
    async def confirm_upi(self, form: dict) -> None:
        def work(s: Any, actor: Actor | None) -> str:
            p = upi.confirm_upi(s, actor=actor, payment_id=form.get("payment_id"), amount=form.get("amount"))
            return f"UPI payment confirmed: receipt {p.receipt_no:06d}."

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
        key, pid = self._refund_key, self.refund_for

        def work(_s: Any, actor: Actor | None) -> str:
            done = refunds.refund_payment(
                gateway=get_gateway(),
                actor=actor,
                payment_id=pid,
                amount=form.get("amount"),
                reason=form.get("reason"),
                idempotency_key=key,
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

        def work(s: Any, actor: Actor | None) -> str:
            _security, warning = payouts.record_security(
                s,
                actor=actor,
                payout_id=form.get("payout_id"),
                kind=form.get("kind"),
                value=form.get("value"),
                description=form.get("description"),
            )
            warnings.append(warning)
            return "Security recorded."

        await self._act(work)
        self.warning = warnings[0] if warnings else ""

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
            return f"Prize released: {format_inr(payout.gross - payout.deduction)} paid."

        await self._act(work)
