"""Access rules for the terms handlers and routes of issue 15, merged into access_rules.RULES/ROUTES
(kept beside it so that work on one part of the group's life does not edit the other's rules); and
issue 16's: the foreman's KYC review, the KYC form's new fields, the language chosen before sign-in,
and who reads a draw's minutes. An entry here replaces access_rules' entry of the same handler."""

from __future__ import annotations

from tests.security.access_rules import (
    ANY_FOREMAN,
    ANY_MEMBER,
    FOREMAN_ONLY,
    FOREMAN_OWNER,
    STAFF_VIEW,
    VIEWER,
    RouteRule,
    Rule,
    _c,
    ui,
)

KYC_FORM = {
    "pan": "ABCPE1234F",
    "aadhaar": "234123412346",
    "date_of_birth": "1990-06-15",
    "bank_account": "123456789012",
    "ifsc": "SBIN0001234",
    "nominee_name": "Kamala Devi",
    "nominee_relation": "mother",
}

RULES: dict[str, Rule] = {
    # The new-group form's agreement terms (docs/agreement_terms.md): UI-only handlers that set the
    # caller's own form state (the foreman's-first-chit box, the period select) or compute the
    # warning for a maximum discount above 40 % from the typed text; they read and write no data.
    "NewGroupState.set_foreman_first": ui("/f/groups/new", {"value": False}),
    "NewGroupState.set_period": ui("/f/groups/new", {"value": "weekly"}),
    "NewGroupState.check_max_discount": ui("/f/groups/new", {"value": "45"}),
    # --- issue 16 -----------------------------------------------------------------------------------
    # The foreman reviews a member's KYC from /f/members (services/people/kyc.review, set_status): the
    # foreman of a group the member holds a ticket in, or the platform admin. The dialog opens on the
    # member named by the browser; verify and reject act on the member the service let this caller open.
    "KycReviewState.open": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c("/f/members", {"user_id": str(s.member_id)}),
        shows_data=True,
        note="the member's KYC, every number masked",
    ),
    "KycReviewState.set_dialog_open": ui("/f/members", {"value": False}),
    "KycReviewState.verify": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c("/f/members", {}, ("KycReviewState.open", {"user_id": str(s.member_id)})),
        mutates=True,
        note="the member is told (a notification); a caller the open refused has nobody to verify",
    ),
    "KycReviewState.reject": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            "/f/members",
            {"form": {"reason": "The PAN does not match the card shown"}},
            ("KycReviewState.open", {"user_id": str(s.member_id)}),
        ),
        mutates=True,
        note="a reason is required; the member is told it",
    ),
    # Issue 18, item 5: the foreman of a group the member holds a ticket in issues a temporary
    # password (services/people/recovery.py); not the admin, not for a foreman's or staff account.
    "TemporaryPasswordState.issue": Rule(
        "foreman-owner",
        FOREMAN_ONLY,
        lambda w, s, c: _c("/f/members", {"member_id": str(s.member_id)}),
        mutates=True,
        note="the member's sessions end and they are texted; the password is shown once",
    ),
    "TemporaryPasswordState.dismiss": ui("/f/members"),
    # The KYC form now also takes the date of birth (adults only), bank account, IFSC and nominee.
    "ProfileState.submit_kyc": Rule(
        "any-member-or-foreman",
        ANY_MEMBER | ANY_FOREMAN,
        lambda w, s, c: _c("/m/profile", {"form": dict(KYC_FORM)}),
        targets=False,
        mutates=True,
        note="the caller's own KYC only",
    ),
    # The language of the pages before sign-in: a cookie of the caller's own browser.
    "PublicLanguageState.choose": ui("/login", {"value": "hi"}),
    # A draw's minutes are not public (README, Routes): the group's members, its foreman, the admin,
    # and A's staff whose role holds "view" in the group's branch (the manager, clerk, accountant).
    "MinutesState.load": Rule(
        "viewer",
        VIEWER | STAFF_VIEW,
        lambda w, s, c: _c(f"/draws/{s.draw_done}/minutes"),
        note="members of the group, its foreman and the staff who may view the group (issue 16)",
    ),
}
ROUTES: dict[str, RouteRule] = {}
