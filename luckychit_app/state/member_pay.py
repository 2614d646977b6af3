"""/m/pay/[ticket_id]: the member's pay screen. What is due, Pay online (Razorpay Checkout in the
browser, or the test gateway's screen), the UPI QR code and deep link, and the UTR form.

Thin on purpose: every handler resolves the signed-in actor, then calls services (which check role
and ownership and validate every argument, because any public handler can be called from the
browser with anything). Checkout talks to the gateway between short transactions, so it runs through
`run_flow`."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import reflex as rx

from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import parse_rupees
from luckychit_app.gateways.choice import get_gateway
from luckychit_app.i18n import text
from luckychit_app.services.access import Actor
from luckychit_app.services.money import online_checkout, passbook, upi
from luckychit_app.state.runner import Failed, run_flow, run_service
from luckychit_app.state.session import SessionState, current_actor, page_actor


def _checkout_script(info: online_checkout.Checkout) -> str:
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


class MemberPayState(SessionState):
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
        return str(self.ticket_id)

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
            page = await run_service(
                lambda s: passbook.pay_page(s, actor=actor, ticket_id=tid), lang=self._lang
            )
        except Failed as exc:
            self.page, self.lines, self.error = {}, [], exc.message
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
                lambda: online_checkout.start_checkout(
                    gateway=get_gateway(), actor=actor, ticket_id=tid, amount=amount
                ),
                lang=self._lang,
            )
        except Failed as exc:
            self.error, self.error_field, self.busy = exc.message, exc.field or "", False
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
                        online_checkout.confirm_checkout(
                            s,
                            actor=actor,
                            gateway=get_gateway(),
                            order_id=order_id,
                            payment_id=pid,
                            signature=sig,
                        ).id
                    ),
                    lang=self._lang,
                )
            except Failed as exc:
                self.error = exc.message
                return None
            return rx.redirect(f"/receipts/{payment_id}")
        reason = data.get("reason") or text(self._lang, "pay.not_completed")
        with contextlib.suppress(Failed):  # an unknown order changes nothing; the message stands
            await run_service(
                lambda s: online_checkout.checkout_failed(s, actor=actor, order_id=order_id, reason=reason)
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
                lambda s: upi.submit_utr(s, actor=actor, ticket_id=tid, amount=amount, utr=utr).id,
                lang=self._lang,
            )
        except Failed as exc:
            self.error, self.error_field, self.busy = exc.message, exc.field or "", False
            return
        self.busy = False
        self.notice = text(self._lang, "pay.utr_thanks")
        await self._refresh(actor)
