"""Access rules for the bank reconciliation of issue 19, item 10 (state/bank_reconciliation.py;
services/money/bank_statements.py and bank_matching.py), merged into access_rules.RULES/ROUTES.

The statement is the company's bank account: only its owner imports it, reads its lines and confirms
a pending UPI payment from one (as upi.confirm_upi, the owner's alone). Staff, members, the admin and
world B are refused; B's statement line and payment (forged ids) are refused to A's owner."""

from __future__ import annotations

from tests.security.access_rules import ANY_FOREMAN, FOREMAN_ONLY, RouteRule, Rule, _c, ui, upload
from tests.security.world import Side

PAGE = "/f/bank"


def _statement() -> bytes:
    """A one-deposit statement in the shape HDFC exports (the date is a fixed past day, so the
    deposit matches nothing and the import only adds it)."""
    return (
        b"Date,Narration,Chq./Ref.No.,Withdrawal Amt.,Deposit Amt.,Closing Balance\n"
        b'02/01/26,CASH DEPOSIT BY SELF,0,,"1,500.00","1,500.00"\n'
    )


def _confirm(s: Side) -> dict:
    return {"form": {"line_id": s.bank_line, "payment_id": s.upi_payment}}


RULES: dict[str, Rule] = {
    "BankReconciliationState.load": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(PAGE),
        targets=False,
        shows_data=True,
        note="the caller's own company's statement lines (bank_matching.reconciliation: the owner's)",
    ),
    "BankReconciliationState.upload": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(PAGE, {"files": [upload("statement.csv", _statement())]}),
        targets=False,
        mutates=True,
        note="imports into the caller's own company (require_owner); called with the rx.UploadFile "
        "objects Reflex's /_upload endpoint builds; files sent as JSON over the websocket are refused "
        "by the event guard",
    ),
    "BankReconciliationState.confirm": Rule(
        "owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c(PAGE, _confirm(s)),
        mutates=True,
        note="the line names the member's pending UPI payment by its UTR: confirmed through "
        "upi.confirm_upi, with the line claimed in bank_matches",
    ),
    "BankReconciliationState.set_show": ui(PAGE, {"value": "doubtful"}),
}

ROUTES: dict[str, RouteRule] = {}
