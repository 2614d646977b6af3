"""/pay/test-checkout/[order]: the built-in test gateway's checkout screen (no real money). Its
succeed and fail buttons confirm the order and deliver the gateway's webhooks along the same paths as
Razorpay, so a demo or a test exercises the real flow."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import reflex as rx

from luckychit_app.gateways.choice import get_gateway
from luckychit_app.i18n import text
from luckychit_app.services.money import online_checkout, online_webhooks
from luckychit_app.state.runner import Failed, run_flow, run_service
from luckychit_app.state.session import SessionState, current_actor, page_actor

log = logging.getLogger("luckychit")


class TestCheckoutState(SessionState):
    """/pay/test-checkout/[order]: the built-in test gateway's checkout screen (no real money)."""

    order: dict[str, str] = {}
    loading: bool = True
    busy: bool = False
    error: str = ""
    _lang: str = "en"

    def _order_id(self) -> str:
        # Reflex adds the route's [order] to the root state as a var (RouterData.page is deprecated);
        # this state's own `order` (the checkout shown) hides it here, so it is read on the root, the
        # parent of this state. The services validate it.
        return str(getattr(self.parent_state, "order", ""))

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
                lambda s: online_checkout.checkout_for_order(s, actor=actor, order_id=oid), lang=self._lang
            )
        except Failed as exc:
            self.order, self.error = {}, exc.message
        self.loading = False
        return None

    async def _deliver_webhooks(self, gateway: Any, order_id: str) -> None:
        """The gateway tells our webhook endpoint too, exactly as Razorpay would (same signature and
        de-duplication path; delivered in-process, so no URL from the browser is ever fetched)."""
        for body, headers in await asyncio.to_thread(gateway.events_for_checkout, order_id):
            try:
                await run_flow(
                    lambda b=body, h=headers: online_webhooks.receive_webhook(
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
                lambda s: online_checkout.checkout_for_order(s, actor=actor, order_id=oid), lang=self._lang
            )
            if mine["status"] not in ("created", "pending"):
                # Paid (or ended) already, from another tab or a second press: show its outcome.
                self.busy = False
                return rx.redirect(
                    f"/receipts/{mine['payment_id']}"
                    if mine["status"] == "captured"
                    else f"/m/pay/{mine['ticket_id']}"
                )
            result = await run_flow(
                lambda: gateway.simulate_checkout(oid, succeed=ok, reason="Declined by the test gateway."),
                lang=self._lang,
            )
            if ok:
                payment_id = await run_service(
                    lambda s: (
                        online_checkout.confirm_checkout(
                            s,
                            actor=actor,
                            gateway=gateway,
                            order_id=result["razorpay_order_id"],
                            payment_id=result["razorpay_payment_id"],
                            signature=result["razorpay_signature"],
                        ).id
                    ),
                    lang=self._lang,
                )
            else:
                reason = result["error"]["description"]
                await run_service(
                    lambda s: online_checkout.checkout_failed(s, actor=actor, order_id=oid, reason=reason),
                    lang=self._lang,
                )
        except Failed as exc:
            self.error, self.busy = exc.message, False
            return None
        await self._deliver_webhooks(gateway, oid)
        self.busy = False
        if ok:
            return rx.redirect(f"/receipts/{payment_id}")
        return rx.redirect(f"/m/pay/{mine['ticket_id']}?failed=1")
