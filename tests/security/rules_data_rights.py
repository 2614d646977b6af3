"""Access rules for members' data rights (issue 21, item 2; DPDP Act 2023 s.11, s.12): the "My data"
card of the profile page and the copy of the member's data, merged into access_rules.RULES/ROUTES
like rules_paperwork."""

from __future__ import annotations

from tests.security.access_rules import ALL, ANY_MEMBER, RouteRule, Rule, _c

RULES: dict[str, Rule] = {
    "DataRightsState.load": Rule(
        "any-member",
        ANY_MEMBER,
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        note="why the caller's own erasure is refused now (services/people/data_rights.erasure_check)",
    ),
    "DataRightsState.ask": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        note="UI-only: opens the confirmation in the caller's own tab",
    ),
    "DataRightsState.cancel": Rule(
        "anonymous-ok",
        ALL,
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        note="UI-only: closes the confirmation",
    ),
    "DataRightsState.erase": Rule(
        "member-owner",
        frozenset(),
        lambda w, s, c: _c("/m/profile"),
        targets=False,
        note="only a member, on their own account (no id is sent); every member of the world holds a "
        "ticket of an unfinished group, so erasure is refused for all and nothing changes "
        "(tests/services/people/test_data_rights.py erases after the close)",
    ),
}

ROUTES: dict[str, RouteRule] = {
    "GET /api/me/data.zip": RouteRule(
        "any-member",
        ANY_MEMBER,
        lambda w, s: ("GET", "/api/me/data.zip"),
        refused_status=(401, 403),
        note="the signed-in member's own data only: no id in the address (services/people/data_rights)",
    ),
}
