"""A draw before its date (issue 16). The Act has every draw held on the date in the chit agreement
(s.16(1); the date is one of its particulars, s.6(1)(h)); the group's agreement says whether an
early draw is only warned about ("warn", the default: the draw goes ahead and the audit log says it
was early) or refused ("refuse"). The date is shown on the console, the Draws tab and the foreman's
pending list, which lists a draw whose date has come and the upcoming ones with their dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import AuditLog, ChitGroup, Draw
from luckychit_app.services.draws import auctions, conducting
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import setup
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.reporting import group_draws, group_settings, home_dashboard, pending_actions
from tests.services.helpers import (
    add_members,
    create_group,
    current_draw,
    foreman,
    group_form,
    member_actor,
    pay_dues,
    snapshot,
    ticket_ids,
)

START = "2027-03-01"
DRAW_DAY_1 = date(2027, 3, 10)  # month 1's draw: the draw day (10) of the start's month
EARLY = date(2027, 3, 5)


def _started(tx, actor, start: str = START, **changes) -> tuple[int, list[int]]:
    group_id = create_group(tx, actor, tickets="3", **changes)
    add_members(tx, actor, group_id, 3)
    with tx() as s:
        setup.activate_group(s, actor=actor, group_id=group_id, start=start)
    return group_id, ticket_ids(tx, group_id)


def _early_rows(tx, draw_id: int) -> list[AuditLog]:
    with tx() as s:
        return list(
            s.exec(
                select(AuditLog).where(
                    AuditLog.action == "draw.held_early", AuditLog.object_id == str(draw_id)
                )
            ).all()
        )


def test_the_early_draw_rule_is_stored_shown_and_defaults_to_warn(tx):
    actor = foreman(tx)
    plain = create_group(tx, actor)
    strict = create_group(tx, actor, early_draw="refuse")
    with tx() as s:
        assert (s.get(ChitGroup, plain).early_draw, s.get(ChitGroup, strict).early_draw) == ("warn", "refuse")
        shown = group_settings.group_settings(s, actor=actor, group_id=plain)
        strict_shown = group_settings.group_settings(s, actor=actor, group_id=strict)
    assert shown["early_draw"] == "Allowed, with a warning to the foreman"
    assert strict_shown["early_draw"].startswith("Refused")


def test_a_wrong_early_draw_rule_names_its_field_and_changes_nothing(tx, engine):
    actor = foreman(tx)
    before = snapshot(engine)
    for wrong in ("sometimes", ["refuse"], 1, {"rule": "warn"}):
        with pytest.raises(ServiceError) as caught, tx() as s:
            setup.create_group(s, actor=actor, form=group_form(early_draw=wrong))
        assert caught.value.field == "early_draw"
        assert "draw before its date" in caught.value.message
    assert snapshot(engine) == before


def test_the_rule_is_frozen_at_the_start_and_a_rename_keeps_it(tx, engine):
    actor = foreman(tx)
    group_id, _ = _started(tx, actor, early_draw="refuse")
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="cannot change"), tx() as s:
        setup.update_group(s, actor=actor, group_id=group_id, form=group_form(early_draw="warn"))
    assert snapshot(engine) == before
    with tx() as s:
        group_settings.save_group_basics(s, actor=actor, group_id=group_id, name="Strict Savers", upi_vpa="")
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        assert (group.name, group.early_draw) == ("Strict Savers", "refuse")


def test_warn_lets_an_early_draw_go_ahead_and_records_it(tx):
    actor = foreman(tx)
    group_id, tickets = _started(tx, actor)
    pay_dues(tx, actor, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        timing = conducting.draw_timing(s, actor=actor, draw_id=draw_id, today=EARLY)
    assert timing == {
        "draw_date": "10-03-2027",
        "draw_when": "in 5 days",
        "early": "warn",
        "early_text": timing["early_text"],
    }
    assert "s.16(1)" in timing["early_text"] and "10-03-2027" in timing["early_text"]
    with tx() as s:
        drawn = conducting.conduct_draw(s, actor=actor, draw_id=draw_id, today=EARLY)
        assert drawn.status == "completed"
    (row,) = _early_rows(tx, draw_id)
    assert row.actor_id == actor.user_id
    assert '"scheduled": "2027-03-10"' in row.detail and '"held": "2027-03-05"' in row.detail
    with tx() as s:
        assert ledger_check(s) == []


def test_refuse_turns_an_early_draw_away_until_its_date(tx, engine):
    actor = foreman(tx)
    group_id, tickets = _started(tx, actor, early_draw="refuse")
    pay_dues(tx, actor, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        timing = conducting.draw_timing(s, actor=actor, draw_id=draw_id, today=EARLY)
    assert timing["early"] == "refuse" and "cannot be held before then" in timing["early_text"]
    before = snapshot(engine)
    for today in (EARLY, DRAW_DAY_1 - timedelta(days=1)):
        with pytest.raises(ServiceError) as caught, tx() as s:
            conducting.conduct_draw(s, actor=actor, draw_id=draw_id, today=today)
        assert caught.value.field == "early_draw"
        assert "chit agreement" in caught.value.message and "s.16(1)" in caught.value.message
    assert snapshot(engine) == before
    # On the day itself the draw is held, with nothing to record about it.
    with tx() as s:
        assert conducting.draw_timing(s, actor=actor, draw_id=draw_id, today=DRAW_DAY_1)["early"] == ""
        held = conducting.conduct_draw(s, actor=actor, draw_id=draw_id, today=DRAW_DAY_1)
        assert held.status == "completed"
    assert _early_rows(tx, draw_id) == []
    with tx() as s:
        assert ledger_check(s) == []


def test_a_draw_on_or_after_its_date_is_not_early(tx):
    actor = foreman(tx)
    group_id, tickets = _started(tx, actor, start="2026-01-01")  # month 1 on 10-01-2026: long past
    pay_dues(tx, actor, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        timing = conducting.draw_timing(s, actor=actor, draw_id=draw_id, today=date(2026, 1, 12))
    assert (timing["draw_date"], timing["draw_when"], timing["early"]) == ("10-01-2026", "2 days ago", "")
    with tx() as s:
        conducting.conduct_draw(s, actor=actor, draw_id=draw_id, today=date(2026, 1, 12))
    assert _early_rows(tx, draw_id) == []


def test_the_draws_tab_lists_every_month_with_its_date(tx):
    actor = foreman(tx)
    forming = create_group(tx, actor)
    with tx() as s:
        assert group_draws.group_draws(s, actor=actor, group_id=forming) == []  # no dates before the start
    group_id, tickets = _started(tx, actor)
    pay_dues(tx, actor, tickets, 1)
    month_1 = current_draw(tx, group_id).id
    with tx() as s:
        conducting.conduct_draw(s, actor=actor, draw_id=month_1, today=EARLY)
    with tx() as s:
        rows = group_draws.group_draws(s, actor=actor, group_id=group_id, today=EARLY)
    assert [(r["month"], r["date"], r["status"]) for r in rows] == [
        ("3", "10-05-2027", "scheduled"),  # a month still to come: its date, no draw yet
        ("2", "10-04-2027", "committed"),
        ("1", "10-03-2027", "completed"),
    ]
    later, upcoming, held = rows
    assert (later["id"], later["when"], later["status_label"], later["early"]) == (
        "",
        "in 66 days",
        "Later",
        "",
    )
    assert (upcoming["when"], upcoming["early"], upcoming["status_label"]) == ("in 36 days", "warn", "Open")
    assert "10-04-2027" in upcoming["early_text"]
    # Month 1 was held before its date: the tab says on which day (the minutes' date, s.17(2)(a)).
    assert held["held"] and held["held"] != "10-03-2027"
    assert (held["when"], held["early"]) == ("", "")
    assert held["winner"].startswith("#") and held["prize"].startswith("₹")
    assert all(isinstance(v, str) for r in rows for v in r.values())


def test_pending_actions_list_due_and_upcoming_draws_with_their_dates(tx):
    actor = foreman(tx)
    group_id, _ = _started(tx, actor)
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        lists = pending_actions.pending_actions(s, actor=actor, today=EARLY)
        cards = home_dashboard.cards(s, actor=actor, today=EARLY)
    (row,) = lists["draws"]
    assert row["date"] == "10-03-2027 (in 5 days)" and row["due"] == ""
    assert row["link"] == f"/f/draws/{draw_id}"
    assert cards["draws"] == "0"  # the card counts only the draws whose date has come
    with tx() as s:
        lists = pending_actions.pending_actions(s, actor=actor, today=DRAW_DAY_1)
        cards = home_dashboard.cards(s, actor=actor, today=DRAW_DAY_1)
    (row,) = lists["draws"]
    assert (row["date"], row["due"], cards["draws"]) == ("10-03-2027 (today)", "yes", "1")


def test_only_the_groups_foreman_reads_the_draws_tab_and_timing(tx):
    actor = foreman(tx)
    group_id, tickets = _started(tx, actor)
    draw_id = current_draw(tx, group_id).id
    stranger = foreman(tx, name="Other Foreman")
    with pytest.raises(NotAllowed), tx() as s:
        group_draws.group_draws(s, actor=stranger, group_id=group_id)
    with pytest.raises(NotAllowed), tx() as s:
        conducting.draw_timing(s, actor=stranger, draw_id=draw_id)
    for forged in (None, "", "abc", -1, 10**12, ["1"]):
        with pytest.raises((NotAllowed, ServiceError)), tx() as s:
            conducting.draw_timing(s, actor=actor, draw_id=forged)
    # A member of the group sees the date (their live draw page shares the console's state).
    with tx() as s:
        seen = conducting.draw_timing(s, actor=member_actor(tx, tickets[0]), draw_id=draw_id, today=EARLY)
    assert seen["draw_date"] == "10-03-2027"


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    draw_day=st.integers(min_value=1, max_value=28),
    period=st.sampled_from(("monthly", "fortnightly", "weekly")),
    month=st.integers(min_value=1, max_value=100),
    offset=st.integers(min_value=-60, max_value=60),
)
def test_refuse_turns_away_exactly_the_days_before_the_date(start, draw_day, period, month, offset):
    """Under "refuse" a draw is refused on every day before its date and on none from the date on;
    the date is the month's instalment due date (domain.schedule), whatever the period."""
    group = ChitGroup(start_date=start, draw_day=draw_day, period=period, early_draw="refuse")
    draw = Draw(id=1, month=month)
    when = due_date_for(start, month, draw_day, period)
    assert conducting.draw_date(group, month) == when
    today = when + timedelta(days=offset)
    if offset < 0:
        with pytest.raises(ServiceError) as caught:
            conducting.refuse_early_draw(None, group, draw, 1, today)
        assert caught.value.field == "early_draw"
        assert conducting.days_away(when, today) == f"in {-offset} day{'s' if offset != -1 else ''}"
    else:
        conducting.refuse_early_draw(None, group, draw, 1, today)  # on or after: nothing to say


def test_closing_an_auction_is_holding_its_draw_and_follows_the_rule(tx, engine):
    """An auction's draw is held when the foreman closes it: bidding may open before the date, but a
    group that refuses early draws refuses the close until the date (s.16(1))."""
    actor = foreman(tx)
    group_id, tickets = _started(tx, actor, kind="auction", foreman_first_chit="off", early_draw="refuse")
    pay_dues(tx, actor, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    with tx() as s:
        auctions.open_auction(s, actor=actor, draw_id=draw_id, minutes=60)
    with tx() as s:
        auctions.place_bid(
            s, actor=member_actor(tx, tickets[1]), draw_id=draw_id, ticket_id=tickets[1], discount="5000"
        )
    before = snapshot(engine)
    with pytest.raises(ServiceError) as caught, tx() as s:
        auctions.close_auction(s, actor=actor, draw_id=draw_id, members_online=0, today=EARLY)
    assert caught.value.field == "early_draw"
    assert snapshot(engine) == before
    with tx() as s:
        held = auctions.close_auction(s, actor=actor, draw_id=draw_id, members_online=0, today=DRAW_DAY_1)
        assert held.status == "completed"
    assert _early_rows(tx, draw_id) == []
