"""The terms the Chit Funds Act leaves to the chit agreement (issue 15): set when a group is created,
validated with the form field named, shown in the settings tab, frozen once the group starts; the
period's calendar at the start; the foreman's first chit by default."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.models import ChitGroup, Installment, Ticket
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups import setup
from luckychit_app.services.groups.terms import discount_warning
from luckychit_app.services.people import members
from luckychit_app.services.reporting import group_settings
from tests.services.helpers import active_group, add_members, create_group, foreman, group_form, snapshot

RUPEE = 100

AGREEMENT = {
    "period": "weekly",
    "forfeit_dividend_when_late": "on",
    "default_after": "5",
    "removal_deduction_pct": "2.5",
    "removed_refund_at": "substitution",
    "late_fee_pool_to": "members",
}


def _stored(tx, group_id: int) -> ChitGroup:
    with tx() as s:
        return s.get(ChitGroup, group_id)


def test_the_agreement_terms_are_stored(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor, kind="auction", **AGREEMENT)
    group = _stored(tx, group_id)
    assert (group.period, group.forfeit_dividend_when_late, group.default_after) == ("weekly", True, 5)
    assert (group.removal_deduction_bp, group.removed_refund_at, group.late_fee_pool_to) == (
        250,
        "substitution",
        "members",
    )


def test_defaults_when_the_form_does_not_say(tx):
    """A form without the new fields gets the agreement defaults, and the foreman's first chit: the
    Act's default (s.21(1)(a)), so the foreman is seated on ticket 1 at once."""
    actor = foreman(tx)
    form = group_form()
    del form["foreman_first_chit"]
    with tx() as s:
        group_id = setup.create_group(s, actor=actor, form=form).id
    group = _stored(tx, group_id)
    assert group.foreman_first_chit is True
    assert (group.period, group.forfeit_dividend_when_late, group.default_after) == ("monthly", False, 3)
    assert (group.removal_deduction_bp, group.removed_refund_at, group.late_fee_pool_to) == (
        500,
        "close",
        "foreman",
    )
    with tx() as s:
        (ticket,) = s.exec(select(Ticket).where(Ticket.group_id == group_id)).all()
    assert (ticket.ticket_no, ticket.member_id) == (1, actor.user_id)
    for off in ("off", "", False, "false"):
        assert not _stored(tx, create_group(tx, actor, foreman_first_chit=off)).foreman_first_chit


INVALID = [
    ("period-daily", {"period": "daily"}, "period"),
    ("period-list", {"period": ["weekly"]}, "period"),
    ("forfeit-maybe", {"forfeit_dividend_when_late": "maybe"}, "forfeit_dividend_when_late"),
    ("forfeit-list", {"forfeit_dividend_when_late": ["on"]}, "forfeit_dividend_when_late"),
    ("default-after-0", {"default_after": "0"}, "default_after"),
    ("default-after-13", {"default_after": "13"}, "default_after"),
    ("default-after-text", {"default_after": "three"}, "default_after"),
    ("default-after-dict", {"default_after": {"n": 3}}, "default_after"),
    ("deduction-above-5pct", {"removal_deduction_pct": "5.01"}, "removal_deduction_pct"),
    ("deduction-negative", {"removal_deduction_pct": "-1"}, "removal_deduction_pct"),
    ("deduction-text", {"removal_deduction_pct": "five"}, "removal_deduction_pct"),
    ("refund-never", {"removed_refund_at": "never"}, "removed_refund_at"),
    ("late-fees-charity", {"late_fee_pool_to": "charity"}, "late_fee_pool_to"),
    ("max-discount-above-50", {"kind": "auction", "max_discount_pct": "50.5"}, "max_discount_pct"),
    ("first-chit-list", {"foreman_first_chit": ["on"]}, "foreman_first_chit"),
]


def test_invalid_agreement_terms_name_the_field_and_change_nothing(tx, engine, subtests):
    actor = foreman(tx)
    before = snapshot(engine)
    for case, changes, field in INVALID:
        with subtests.test(case):
            with pytest.raises(ServiceError) as caught, tx() as s:
                setup.create_group(s, actor=actor, form=group_form(**changes))
            assert caught.value.field == field, caught.value.message
            assert caught.value.message
    assert snapshot(engine) == before


def test_a_maximum_discount_up_to_50_percent_is_accepted_and_warned_above_40(tx):
    actor = foreman(tx)
    for pct, bp in (("45", 4500), ("50", 5000)):
        group_id = create_group(tx, actor, kind="auction", max_discount_pct=pct)
        assert _stored(tx, group_id).max_discount_bp == bp
        with tx() as s:
            shown = group_settings.group_settings(s, actor=actor, group_id=group_id)
        assert shown["max_discount"] == f"{pct}%"
        assert "above the usual 40%" in shown["discount_warning"]
    usual = create_group(tx, actor, kind="auction", max_discount_pct="40")
    with tx() as s:
        assert group_settings.group_settings(s, actor=actor, group_id=usual)["discount_warning"] == ""
    # The new-group form warns as the foreman types, whatever the browser sends.
    assert "above the usual 40%" in discount_warning("45")
    for quiet in ("40", "30", "", "abc", None, ["45"], 50.5, "51"):
        assert discount_warning(quiet) == ""


def test_settings_show_the_agreement_terms(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor, kind="auction", remainder_to="foreman", **AGREEMENT)
    with tx() as s:
        shown = group_settings.group_settings(s, actor=actor, group_id=group_id)
    assert shown["period"].startswith("Weekly (every 7 days")
    assert shown["draw_day"] == "— (not used)"
    assert shown["forfeit_dividend_when_late"].startswith("Yes")
    assert shown["default_after"] == "5 unpaid instalments"
    assert shown["removal_deduction"] == "2.5% of the chit value (₹750)"
    assert shown["removed_refund_at"] == "When a substitute joins"
    assert shown["late_fee_pool_to"] == "Shared among members at the close"
    assert shown["foreman_first_chit"] == "No"
    assert "7% cap" in shown["remainder_to"]
    assert all(isinstance(v, str) for v in shown.values())


def test_agreement_terms_change_while_forming_and_freeze_at_the_start(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="3")
    with tx() as s:
        setup.update_group(s, actor=actor, group_id=group_id, form=group_form(**AGREEMENT))
    assert _stored(tx, group_id).period == "weekly"
    add_members(tx, actor, group_id, 3)
    with tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id, start="2026-01-01")
    before = snapshot(engine)
    changes = [
        {"period": "monthly"},
        {"forfeit_dividend_when_late": ""},
        {"default_after": "4"},
        {"removal_deduction_pct": "5"},
        {"removed_refund_at": "close"},
        {"late_fee_pool_to": "foreman"},
    ]
    for change in changes:
        with pytest.raises(ServiceError, match="cannot change"), tx() as s:
            setup.update_group(s, actor=actor, group_id=group_id, form=group_form(**{**AGREEMENT, **change}))
    assert snapshot(engine) == before
    # The settings tab's save keeps every term as it is, so a rename still works.
    with tx() as s:
        group_settings.save_group_basics(s, actor=actor, group_id=group_id, name="Weekly Savers", upi_vpa="")
    group = _stored(tx, group_id)
    assert (group.name, group.period, group.default_after, group.removal_deduction_bp) == (
        "Weekly Savers",
        "weekly",
        5,
        250,
    )
    with tx() as s:
        assert group_settings.group_settings(s, actor=actor, group_id=group_id)["terms_locked"] == "yes"


@pytest.mark.parametrize(("period", "days"), [("weekly", 7), ("fortnightly", 14)])
def test_a_weekly_or_fortnightly_group_falls_due_every_period_from_the_start(tx, period, days):
    actor = foreman(tx)
    group_id, _ = active_group(tx, actor, tickets=3, period=period, draw_day="25")
    with tx() as s:
        dues = sorted(
            {
                r.due_date.isoformat()
                for r in s.exec(select(Installment).where(Installment.group_id == group_id))
            }
        )
    expected = {7: ["2026-01-08", "2026-01-15", "2026-01-22"], 14: ["2026-01-15", "2026-01-29", "2026-02-12"]}
    assert dues == expected[days]


def test_the_foreman_first_chit_needs_the_foremans_ticket_at_the_start(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="3", foreman_first_chit="on")
    with tx() as s:
        own = s.exec(select(Ticket).where(Ticket.group_id == group_id)).one()
        members.set_ticket_status(
            s, actor=actor, ticket_id=own.id, status="removed", reason="seat given away"
        )
    add_members(tx, actor, group_id, 3)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="foreman holds no ticket"), tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id, start="2026-01-01")
    assert snapshot(engine) == before
