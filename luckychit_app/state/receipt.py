"""/receipts/[payment_id]: a printable receipt for its member (in the member's language), the group's
foreman or an admin."""

from __future__ import annotations

from typing import Any

import reflex as rx

from luckychit_app.i18n import text
from luckychit_app.services.money import receipts
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, current_actor


class ReceiptState(SessionState):
    """/receipts/[payment_id]: printable receipt for its member, foreman or an admin."""

    receipt: dict[str, Any] = {}
    lines: list[dict[str, str]] = []
    back: str = "/"
    for_member: bool = False  # a member reads it in the phone frame, under paid_line
    paid_line: str = ""  # "Paid ₹10,000 — receipt MAIN/000177"
    loading: bool = True
    error: str = ""

    @rx.event
    async def load(self) -> None:
        self.loading, self.error = True, ""
        actor = await current_actor(self)
        # The route's [payment_id], a var Reflex adds to the root state (not the deprecated router.page).
        pid = str(self.payment_id)
        if actor is None:
            self.loading = False
            yield rx.redirect("/login")
            return
        self.for_member = actor.role == "member"
        self.back = "/m/payments" if self.for_member else "/f"
        lang = actor.language if self.for_member else "en"
        try:
            data = await run_service(
                lambda s: receipts.receipt(s, actor=actor, payment_id=pid, lang=lang), lang=lang
            )
        except Failed as exc:
            self.receipt, self.lines, self.error, self.loading = {}, [], exc.message, False
            self.paid_line = ""
            return
        self.lines = data.pop("lines") + data.pop("refunds")
        self.receipt = data
        self.paid_line = (
            text(lang, "receipt.paid_line", amount=data["amount"], receipt=data["receipt_no"])
            if self.for_member
            else ""
        )
        self.loading = False

    @rx.event
    def print_receipt(self) -> rx.event.EventSpec:
        return rx.call_script("window.print()")
