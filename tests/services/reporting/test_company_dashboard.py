"""The collection dashboards: per branch and per collecting staff member, scoped to who reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from luckychit_app.clock import today_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.models import CashHandover
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.money.ledger import post
from luckychit_app.services.reporting import company_dashboard as dash
from luckychit_app.services.reporting import groups_list
from tests.services.helpers import (
    active_group,
    branch,
    foreman,
    main_branch_id,
    member_actor,
    pay,
    staff,
    staff_cash,
)


def handover(tx, giver: Actor, group_id: int, paise: int) -> None:
    """A confirmed hand-over to the branch (the row and its book entry, as the cash service writes them)."""
    with tx() as s:
        row = CashHandover(
            branch_id=giver.branch_id,
            from_user_id=giver.user_id,
            to_user_id=giver.owner_id,
            held=paise,
            declared=paise,
            counted=paise,
            status="confirmed",
            decided_at=utcnow(),
        )
        s.add(row)
        s.flush()
        post(s, books.cash_handed_over(row.id, group_id, giver.user_id, None, paise), group_id=group_id)


@pytest.fixture
def company(tx):
    """Two branches with a group each; an agent and a clerk in each; dues of month 1 open."""
    owner = foreman(tx)
    north = branch(tx, owner, "North", "NTH")
    home_group, home_tickets = active_group(tx, owner)
    north_group, north_tickets = active_group(tx, owner, branch_id=str(north))
    with tx() as s:
        home = main_branch_id(s, owner)
    return {
        "owner": owner,
        "home": home,
        "north": north,
        "home_group": home_group,
        "north_group": north_group,
        "home_tickets": home_tickets,
        "north_tickets": north_tickets,
        "home_agent": staff(tx, owner, "agent", name="Home Agent"),
        "north_agent": staff(tx, owner, "agent", branch_id=north, name="North Agent"),
        "north_clerk": staff(tx, owner, "clerk", branch_id=north, name="North Clerk"),
    }


def _by_name(rows):
    return {r["name"]: r for r in rows}


def test_the_owner_sees_every_branch_with_its_collections_and_cash_in_staff_hands(tx, company):
    c = company
    # Home: the owner records ₹10,000 (straight to the group's cash), the agent ₹10,000 (held).
    pay(tx, c["owner"], c["home_tickets"][0], 1_000_000)
    staff_cash(tx, c["home_agent"], c["home_tickets"][1], 1_000_000)
    # North: the agent ₹10,000 and ₹5,000, hands ₹10,000 over; the clerk ₹10,000, still held.
    staff_cash(tx, c["north_agent"], c["north_tickets"][0], 1_000_000)
    staff_cash(tx, c["north_agent"], c["north_tickets"][1], 500_000)
    handover(tx, c["north_agent"], c["north_group"], 1_000_000)
    staff_cash(tx, c["north_clerk"], c["north_tickets"][2], 1_000_000)
    with tx() as s:
        rows = dash.collections_by_branch(s, actor=c["owner"])
        agents = dash.collections_by_agent(s, actor=c["owner"])
    home, north, total = rows
    assert (home["name"], home["today"], home["month"], home["cash_with_staff"]) == (
        "Main branch",
        "₹20,000 (2)",
        "₹20,000 (2)",
        "₹10,000",
    )
    assert (north["name"], north["today"], north["cash_with_staff"]) == ("North", "₹25,000 (3)", "₹15,000")
    # Each group of 3 owes ₹30,000 a month: month 1 is open (dues from 2026-01-01, long past).
    assert home["outstanding"] == "₹10,000" and home["overdue"] == "₹10,000 (1 tickets)"
    assert north["outstanding"] == "₹5,000" and north["overdue"] == "₹5,000 (1 tickets)"
    assert (total["name"], total["today"], total["cash_with_staff"]) == (
        "All branches",
        "₹45,000 (5)",
        "₹25,000",
    )
    people = _by_name(agents)
    assert (people["Home Agent"]["today"], people["Home Agent"]["cash"]) == ("₹10,000 (1)", "₹10,000")
    assert people["Home Agent"]["last_handover"] == "—"
    assert (people["North Agent"]["month"], people["North Agent"]["cash"]) == ("₹15,000 (2)", "₹5,000")
    assert people["North Agent"]["last_handover"].endswith("IST")
    assert (people["North Clerk"]["today"], people["North Clerk"]["branch"]) == ("₹10,000 (1)", "North")


def test_yesterdays_money_counts_for_the_month_not_today(tx, company):
    c = company
    pay(tx, c["owner"], c["home_tickets"][0], 100_000)
    day = today_ist()
    with tx() as s:
        assert dash.collections_by_branch(s, actor=c["owner"], day=day)[0]["today"] == "₹1,000 (1)"
        # Read as of tomorrow: the same payment is this month's (unless tomorrow is the 1st), not today's.
        row = dash.collections_by_branch(s, actor=c["owner"], day=day + timedelta(days=1))[0]
    assert row["today"] == "—"
    assert row["month"] == ("—" if (day + timedelta(days=1)).day == 1 else "₹1,000 (1)")


def test_a_branch_manager_sees_only_their_branch_and_an_accountant_by_their_reach(tx, company):
    c = company
    staff_cash(tx, c["home_agent"], c["home_tickets"][1], 1_000_000)
    staff_cash(tx, c["north_agent"], c["north_tickets"][0], 500_000)
    manager = staff(tx, c["owner"], "branch_manager", branch_id=c["north"])
    with tx() as s:
        rows = dash.collections_by_branch(s, actor=manager)
        agents = dash.collections_by_agent(s, actor=manager)
    assert [r["name"] for r in rows] == ["North"]
    assert rows[0]["cash_with_staff"] == "₹5,000"
    assert set(_by_name(agents)) == {"North Agent", "North Clerk", manager.name}  # managers collect too
    everywhere = staff(tx, c["owner"], "accountant")
    one = staff(tx, c["owner"], "accountant", branch_id=c["home"])
    with tx() as s:
        assert [r["name"] for r in dash.collections_by_branch(s, actor=everywhere)] == [
            "Main branch",
            "North",
            "All branches",
        ]
        assert [r["name"] for r in dash.collections_by_branch(s, actor=one)] == ["Main branch"]
        assert set(_by_name(dash.collections_by_agent(s, actor=one))) == {"Home Agent"}


def test_agents_clerks_members_and_other_companies_see_nothing(tx, company):
    c = company
    staff_cash(tx, c["home_agent"], c["home_tickets"][1], 1_000_000)
    refused = [c["home_agent"], c["north_clerk"], member_actor(tx, c["home_tickets"][0]), None]
    refused.append(Actor(1, "admin"))
    for caller in refused:
        for read in (dash.collections_by_branch, dash.collections_by_agent):
            with pytest.raises(NotAllowed), tx() as s:
                read(s, actor=caller)
    stranger = foreman(tx)
    with tx() as s:
        theirs = dash.collections_by_branch(s, actor=stranger)
        assert dash.collections_by_agent(s, actor=stranger) == []
    assert [(r["name"], r["today"], r["cash_with_staff"]) for r in theirs] == [("Main branch", "—", "₹0")]


def test_people_without_figures_are_left_out_unless_they_collect(tx, company):
    c = company
    staff_cash(tx, c["home_agent"], c["home_tickets"][1], 1_000_000)
    quiet = staff(tx, c["owner"], "accountant", name="Quiet Accountant")
    with tx() as s:
        names = set(_by_name(dash.collections_by_agent(s, actor=c["owner"])))
    # Agents and clerks are listed even on a quiet day; an accountant collects nothing.
    assert {"Home Agent", "North Agent", "North Clerk"} <= names and quiet.name not in names


def test_the_dashboards_cost_the_same_queries_however_big_the_company(tx, engine, company):
    c = company

    def queries() -> int:
        count = 0

        def bump(*_args: object) -> None:
            nonlocal count
            count += 1

        event.listen(engine, "before_cursor_execute", bump)
        try:
            with tx() as s:
                dash.collections_by_branch(s, actor=c["owner"])
                dash.collections_by_agent(s, actor=c["owner"])
        finally:
            event.remove(engine, "before_cursor_execute", bump)
        return count

    small = queries()
    third = branch(tx, c["owner"], "East", "EST")
    _g, tickets = active_group(tx, c["owner"], tickets=4, chit_value="40,000", branch_id=str(third))
    for ticket_id in tickets:
        agent = staff(tx, c["owner"], "agent", branch_id=third)
        staff_cash(tx, agent, ticket_id, 100_000)
        handover(tx, agent, _g, 50_000)
    assert queries() == small


def test_the_groups_list_names_the_branch_once_there_are_several(tx):
    owner = foreman(tx)
    active_group(tx, owner)
    with tx() as s:
        assert groups_list.groups_list(s, actor=owner)[0][0]["branch"] == ""
    north = branch(tx, owner, "North", "NTH")
    active_group(tx, owner, branch_id=str(north))
    with tx() as s:
        rows, _ = groups_list.groups_list(s, actor=owner)
    assert sorted(r["branch"] for r in rows) == ["Main branch", "North"]
