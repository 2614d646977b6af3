"""Access rules for the accountant's hand-off of issue 19 (items 8, 9, 11): the Reports page's
financial-year panel (state/accounts.py) and the downloads of a foreman's books (api/accounts.py),
merged into access_rules.RULES/ROUTES."""

from __future__ import annotations

from datetime import date

from luckychit_app.domain.financial_year import fy_of
from tests.security.access_rules import ANY_FOREMAN, STAFF_BOOKS, RouteRule, Rule, _c, ui
from tests.security.world import Side

PAGE = "/f/reports"


def _year(s: Side) -> str:
    """The financial year of the world's today; the fuzz test calls rules with placeholder sides
    ("1" everywhere), for which any year will do."""
    try:
        return str(fy_of(date.fromisoformat(s.today)))
    except ValueError:
        return "2026-27"


RULES: dict[str, Rule] = {
    # The panel reads the caller's own books only (fy_documents.accounts_overview: a foreman, their
    # own groups), so it names no object: each foreman sees their own; everyone else is refused.
    "AccountsState.load": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(PAGE),
        targets=False,
        shows_data=True,
        note="the year's statements in short and the Tally range, of the caller's own books",
    ),
    "AccountsState.choose_year": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(PAGE, {"value": _year(s)}),
        targets=False,
        shows_data=True,
        note="another financial year of the caller's own books (the service validates the year)",
    ),
    "AccountsState.choose_day": Rule(
        "any-foreman",
        ANY_FOREMAN,
        lambda w, s, c: _c(PAGE, {"value": s.today}),
        targets=False,
        shows_data=True,
        note="the statements at another day of the chosen year (validated to lie within it)",
    ),
    "AccountsState.set_tally_from": ui(PAGE, {"value": "2026-04-01"}),
    "AccountsState.set_tally_to": ui(PAGE, {"value": "2026-04-30"}),
    "AccountsState.set_openings": ui(PAGE, {"value": True}),
}

ROUTES: dict[str, RouteRule] = {
    # A foreman's books (services/reporting/books_scope.py): the owner, the platform admin, and A's
    # staff who keep the books ("books": the Main branch's manager, the company's accountant), each
    # within their reach; B's owner and staff, members and the rest refused.
    "GET /api/accounts/{foreman_id:int}/tally.xml": RouteRule(
        "staff-books",
        STAFF_BOOKS,
        lambda w, s: ("GET", f"/api/accounts/{s.foreman_id}/tally.xml?from={s.today}&to={s.today}"),
        note="the day's vouchers as a Tally import file, checked to balance before it is sent",
    ),
    "GET /api/accounts/{foreman_id:int}/fy/{year:int}/statements": RouteRule(
        "staff-books",
        STAFF_BOOKS,
        lambda w, s: ("GET", f"/api/accounts/{s.foreman_id}/fy/{_year(s)}/statements"),
    ),
    "GET /api/accounts/{foreman_id:int}/fy/{year:int}/{statement:str}.csv": RouteRule(
        "staff-books",
        STAFF_BOOKS,
        lambda w, s: ("GET", f"/api/accounts/{s.foreman_id}/fy/{_year(s)}/trial-balance.csv"),
    ),
}
