"""Access rules for the terms handlers and routes of issue 15, merged into access_rules.RULES/ROUTES
(kept beside it so that work on one part of the group's life does not edit the other's rules)."""

from __future__ import annotations

from tests.security.access_rules import FOREMAN_OWNER, RouteRule, Rule, _c, ui  # noqa: F401

RULES: dict[str, Rule] = {
    # The new-group form's agreement terms (docs/agreement_terms.md): UI-only handlers that set the
    # caller's own form state (the foreman's-first-chit box, the period select) or compute the
    # warning for a maximum discount above 40 % from the typed text; they read and write no data.
    "NewGroupState.set_foreman_first": ui("/f/groups/new", {"value": False}),
    "NewGroupState.set_period": ui("/f/groups/new", {"value": "weekly"}),
    "NewGroupState.check_max_discount": ui("/f/groups/new", {"value": "45"}),
}
ROUTES: dict[str, RouteRule] = {}
