"""Access rules for the Act's paperwork of issue 19, items 5-7 (the chit agreement, the filings with
the Registrar, the foreman's security), merged into access_rules.RULES/ROUTES like rules_closing."""

from __future__ import annotations

from tests.security.access_rules import FOREMAN_OWNER, VIEWER, RouteRule, Rule, _c, group_page
from tests.security.world import Side


def _particulars(s: Side) -> dict:
    return {
        "form": {
            "draw_time": "10:30",
            "draw_place": "1 Mount Road, Chennai",
            "approved_bank": "SBI",
            "inspection": "Mon-Fri 10:00-17:00",
        }
    }


def _filing(s: Side) -> dict:
    return {
        "form": {"kind": "agreement", "month": "0", "filed_on": s.today, "reference": "REG/1", "note": ""}
    }


def _security(s: Side) -> dict:
    return {
        "form": {
            "form": "cash",
            "amount": "1000",
            "reference": "FD-1",
            "bank": "SBI",
            "deposited_on": s.today,
        }
    }


RULES: dict[str, Rule] = {
    # The Paperwork tab of a group (state/group_paperwork.py; services/paperwork/): the group's foreman
    # (group_for_foreman lets the platform admin act too).
    "GroupPaperworkState.load": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(group_page(s)),
        shows_data=True,
        note="the agreement's particulars, the register of filings and the securities",
    ),
    "GroupPaperworkState.save_particulars": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(group_page(s), _particulars(s)),
        mutates=True,
        note="draw time and place, approved bank, inspection (s.6(1)(h), (j), (o))",
    ),
    "GroupPaperworkState.record_filing": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(group_page(s), _filing(s)),
        mutates=True,
        note="records the agreement's filing with the Registrar (s.7)",
    ),
    "GroupPaperworkState.record_security": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(group_page(s), _security(s)),
        mutates=True,
        note="a cash deposit as the foreman's security (s.20)",
    ),
    "GroupPaperworkState.release_security": Rule(
        "foreman-owner",
        FOREMAN_OWNER,
        lambda w, s, c: _c(
            f"/f/groups/{s.closed_group}", {"form": {"security_id": s.security, "released_on": s.today}}
        ),
        mutates=True,
        note="releases the closed group's security (s.20(5))",
    ),
    # The member's agreement page (state/member_agreement.py): the group's members, its foreman, the admin.
    "MemberAgreementState.load": Rule(
        "viewer",
        VIEWER,
        lambda w, s, c: _c(f"/m/agreement/{s.group}"),
        shows_data=True,
        note="the particulars of s.6(1); other members' addresses are left out for a member",
    ),
}

ROUTES: dict[str, RouteRule] = {
    "GET /api/paperwork/{group_id:int}/agreement.pdf": RouteRule(
        "viewer",
        VIEWER,
        lambda w, s: ("GET", f"/api/paperwork/{s.group}/agreement.pdf"),
        note="in the reader's language (services/paperwork/agreement.py)",
    ),
}
