"""/f/bank: the owner's bank reconciliation (issue 19, item 10). Import a statement file (CSV or OFX
from net banking), see each deposit matched to a payment on record, doubtful or unmatched, and
confirm a pending UPI payment from the line that shows its money arrived.

Handlers only pass what the browser sent on: the services check that the caller owns the company,
read the file, and decide whether a line may confirm a payment."""

from __future__ import annotations

from typing import Any

import reflex as rx

from luckychit_app.services.access import Actor
from luckychit_app.services.money import bank_matching, bank_statements
from luckychit_app.services.money.receipt_numbers import label_for
from luckychit_app.state.acting import Acting
from luckychit_app.state.runner import Failed, run_service
from luckychit_app.state.session import SessionState, page_read

SHOW = ("all", "matched", "doubtful", "unmatched")
"""The list's filter: every deposit, or those of one status (confirmed lines count as matched)."""


class BankReconciliationState(Acting, SessionState):
    """The statement's deposits with their status, the counts, the latest imports."""

    loading: bool = True
    rows: list[dict[str, str]] = []
    counts: dict[str, str] = {}
    imports: list[dict[str, str]] = []
    show: str = "all"
    upload_key: int = 0  # bumped after an import, so the file picker is cleared

    def _show(self, data: dict[str, Any]) -> None:
        self.rows, self.counts, self.imports = data["rows"], data["counts"], data["imports"]

    async def _refresh(self, actor: Actor | None) -> None:
        try:
            data = await run_service(lambda s: bank_matching.reconciliation(s, actor=actor))
        except Failed as exc:
            self.rows, self.counts, self.imports = [], {}, []
            self.error = exc.message
            return
        self._show(data)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loading, self.error, self.notice, self.busy = True, "", "", False
        page = await page_read(self, "foreman", lambda s, actor: bank_matching.reconciliation(s, actor=actor))
        if page.away:
            return page.away
        if page.error:
            self.error, self.rows, self.counts, self.imports = page.error, [], {}, []
        elif page.data is not None:
            self._show(page.data)
        self.loading = False
        return None

    @rx.event
    async def upload(self, files: list[rx.UploadFile]) -> None:
        """Import the chosen statement file (the service reads and checks it)."""
        if not files:
            self.error, self.notice = "Choose a statement file (CSV or OFX) first.", ""
            return
        upload = files[0]
        data = await upload.read()
        name = upload.name or ""

        def work(s: Any, actor: Actor | None) -> str:
            return bank_statements.import_statement(s, actor=actor, filename=name, data=data).summary()

        if await self._act(work):
            self.upload_key += 1

    @rx.event
    async def confirm(self, form: dict) -> None:
        """Confirm the pending UPI payment a statement line shows (bank_matching.confirm_line)."""

        def work(s: Any, actor: Actor | None) -> str:
            payment = bank_matching.confirm_line(
                s, actor=actor, line_id=form.get("line_id"), payment_id=form.get("payment_id")
            )
            return f"UPI payment confirmed from the bank statement: receipt {label_for(s, payment)}."

        await self._act(work)

    @rx.event
    def set_show(self, value: str | list[str]) -> None:
        """Which deposits the list shows (UI only: every row is already on the page); the segmented
        control sends a string, anything else shows all."""
        self.show = value if isinstance(value, str) and value in SHOW else "all"
