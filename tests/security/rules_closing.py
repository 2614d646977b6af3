"""Access rules for the closing handlers and routes of issue 15, merged into access_rules.RULES/ROUTES
(kept beside it so that work on one part of the group's life does not edit the other's rules)."""

from __future__ import annotations

from tests.security.access_rules import (
    ANY_FOREMAN,
    FOREMAN_OWNER,
    STAFF_BOOKS,
    VIEWER,
    RouteRule,
    Rule,
    _c,
    ui,
)
from tests.security.world import Side


def _page(group: str) -> str:
    return f"/f/groups/{group}"


def _refund_form(s: Side) -> dict:
    return {"form": {"refund_id": s.closing_refund, "method": "cash", "reference": "", "paid_on": s.today}}


RULES: dict[str, Rule] = {
    # The closing panel of a finished group (state/group_closing.py; services/groups/closing.py,
    # services/reporting/closing_statement.py): the group's foreman (group_for_foreman lets the
    # platform admin act too). The panel re-reads itself after each action, which the admin may.
    "GroupClosingState.load": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(_page(s.ending_group)),
        shows_data=True,
        note="what blocks the close and who gets what at the settlement",
    ),
    "GroupClosingState.settle": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(_page(s.ending_group)),
        mutates=True,
        note="the settlement for closing: the member's ₹100 advance becomes their closing refund",
    ),
    "GroupClosingState.pay_refund": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(_page(s.settled_group), _refund_form(s)),
        mutates=True,
        note="pays the member's closing refund (services/money/subscriber_refunds.py)",
    ),
    "GroupClosingState.set_close_open": ui("/f/groups/1", {"value": True}),
    "GroupClosingState.close_group": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(_page(s.settled_group)),
        success_message="Pay the refunds due before closing",
        note="the settled group still owes the member a refund: the rightful caller is told to pay it "
        "first (and nothing changes); the close itself is proved in tests/services/groups/test_closing.py",
    ),
    "GroupClosingState.set_cancel_open": ui("/f/groups/1", {"value": True}),
    "GroupClosingState.cancel": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(_page(s.forming_group), {"form": {"reason": "Could not fill the seats in time"}}),
        mutates=True,
        note="cancels the group that never started (services/groups/cancelling.py)",
    ),
}

ROUTES: dict[str, RouteRule] = {
    # The closing papers (api/closing.py): the statement is for those who keep the books; a no-dues
    # certificate also for its ticket's member (services/reporting/no_dues.py).
    "GET /api/closing/{group_id:int}/statement": RouteRule(
        "staff-books", STAFF_BOOKS, lambda w, s: ("GET", f"/api/closing/{s.closed_group}/statement")
    ),
    "GET /api/closing/{group_id:int}/statement.pdf": RouteRule(
        "staff-books", STAFF_BOOKS, lambda w, s: ("GET", f"/api/closing/{s.closed_group}/statement.pdf")
    ),
    "GET /api/no-dues/{ticket_id:int}.pdf": RouteRule(
        "viewer",
        VIEWER | {"manager", "accountant"},
        lambda w, s: ("GET", f"/api/no-dues/{s.closed_ticket}.pdf"),
        note='and the staff whose role holds "books" in the group\'s branch, as the closing statement',
    ),
    # GST (issue 19, api/tax.py): a commission's tax invoice for the member it was issued to and those
    # who keep the books; the year's GST summary for the company's owner.
    "GET /api/tax/invoices/{invoice_id:int}.pdf": RouteRule(
        "viewer",
        VIEWER | {"manager", "accountant"},
        lambda w, s: ("GET", f"/api/tax/invoices/{s.invoice}.pdf"),
        note="the member's own prize month in the closed group (services/money/gst_documents.py)",
    ),
    "GET /api/tax/gst-summary.csv": RouteRule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s: ("GET", "/api/tax/gst-summary.csv?fy=2026-27"),
        note="each owner reads their own company's invoices: B's owner gets B's summary",
    ),
}
