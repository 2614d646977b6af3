"""The staff desk's list (issue 23): an agent sees only the members assigned to them, a clerk the
whole branch, the owner every branch; overdue first (the oldest first), then what is due; paid-up
tickets left out; a search by name or mobile; a fixed number of queries however long the list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.models import AgentAssignment, ChitGroup, Ticket, User
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups import setup
from luckychit_app.services.money.amount_due import amount_due
from luckychit_app.services.reporting.collection_list import collects, desk_totals, todays_list
from tests.services.helpers import (
    Tx,
    active_group,
    add_members,
    assign_agent,
    branch,
    create_group,
    foreman,
    member_actor,
    pay,
    staff,
)


def member_of(tx: Tx, ticket_id: int) -> int:
    with tx() as s:
        return s.get(Ticket, ticket_id).member_id


def started(tx: Tx, boss: Actor, start: str, **form: str) -> list[int]:
    """A 3-ticket group started on `start`: its ticket ids in ticket-number order."""
    group_id = create_group(tx, boss, **form)
    add_members(tx, boss, group_id, 3)
    with tx() as s:
        setup.activate_group(s, actor=boss, group_id=group_id, start=start)
        return list(s.exec(select(Ticket.id).where(Ticket.group_id == group_id).order_by(Ticket.ticket_no)))


def ids(rows: list[dict]) -> list[int]:
    return [int(r["ticket_id"]) for r in rows]


def desk(tx: Tx, actor: Actor | None, **kw: object) -> list[dict]:
    with tx() as s:
        return todays_list(s, actor=actor, **kw)


def test_overdue_first_the_oldest_first_then_due_and_paid_up_left_out(tx):
    boss = foreman(tx)
    later = started(tx, boss, "2026-06-01", name="June Group")
    oldest = started(tx, boss, "2026-01-01", name="January Group")
    soon = started(tx, boss, (today_ist() + timedelta(days=40)).isoformat(), name="Next Group")
    pay(tx, boss, oldest[1], 10_000_00)  # paid up: left out
    pay(tx, boss, later[2], 4_000_00)  # part paid: still owing ₹6,000
    clerk = staff(tx, boss, "clerk")
    rows = desk(tx, clerk)
    assert ids(rows) == [oldest[0], oldest[2], *later, *soon]
    first = rows[0]
    assert first["state"] == "overdue" and first["overdue"] == first["due"] == "₹10,000"
    assert first["overdue_since"].endswith("-01-2026") and first["group"] == "January Group"
    assert first["collect"] == "₹10,000" and first["collect_paise"] == 10_000_00
    assert first["collect_rupees"] == "10000.00" and first["fees"] == ""
    with tx() as s:
        mobile = s.get(User, member_of(tx, oldest[0])).mobile
    assert first["mobile"] == mobile and first["whatsapp"] == f"https://wa.me/91{mobile}"
    assert first["tel"] == f"tel:+91{mobile}" and first["branch"] == "MAIN" and first["ticket_no"] == "1"
    part = rows[4]
    assert (
        int(part["ticket_id"]) == later[2] and part["due"] == "₹6,000" and part["collect_paise"] == 6_000_00
    )
    due_only = rows[-1]
    assert due_only["state"] == "due" and due_only["overdue"] == "" and due_only["overdue_since"] == ""
    assert due_only["collect"] == "₹10,000"
    totals = desk_totals(rows)
    assert totals == {"count": "8", "overdue": "5", "total": "₹76,000", "capped": ""}
    with_paid = desk(tx, clerk, include_paid=True)
    assert ids(with_paid) == [*ids(rows), oldest[1]]
    assert with_paid[-1]["state"] == "paid" and with_paid[-1]["collect"] == ""


def test_an_agent_sees_only_the_members_assigned_to_them(tx):
    boss = foreman(tx)
    _, tickets = active_group(tx, boss, tickets=3)
    _, more = active_group(tx, boss, tickets=3, name="Second Group")
    agent, other_agent = staff(tx, boss, "agent"), staff(tx, boss, "agent")
    assign_agent(tx, boss, agent, member_of(tx, tickets[0]))
    assign_agent(tx, boss, agent, member_of(tx, more[2]))
    assign_agent(tx, boss, other_agent, member_of(tx, tickets[1]))
    assert sorted(ids(desk(tx, agent))) == sorted([tickets[0], more[2]])
    assert ids(desk(tx, other_agent)) == [tickets[1]]
    assert ids(desk(tx, staff(tx, boss, "agent"))) == []
    # An assignment in another branch does not reach this branch's groups, nor the reverse.
    tenali = branch(tx, boss, "Tenali", "TNR")
    far_agent = staff(tx, boss, "agent", tenali)
    assign_agent(tx, boss, far_agent, member_of(tx, tickets[2]))
    assert ids(desk(tx, far_agent)) == []
    _, far = active_group(tx, boss, tickets=3, name="Tenali Group", branch_id=str(tenali))
    with tx() as s:  # the agent's own member also holds a Tenali seat: still not the agent's to see
        s.add(
            AgentAssignment(
                branch_id=tenali,
                member_id=member_of(tx, tickets[0]),
                agent_id=far_agent.user_id,
                assigned_by_id=boss.user_id,
            )
        )
    assert sorted(ids(desk(tx, agent))) == sorted([tickets[0], more[2]])
    assert ids(desk(tx, far_agent)) == []
    assign_agent(tx, boss, far_agent, member_of(tx, far[1]))
    assert ids(desk(tx, far_agent)) == [far[1]]


def test_branches_and_companies(tx):
    boss = foreman(tx)
    _, main = active_group(tx, boss, tickets=3)
    tenali = branch(tx, boss, "Tenali", "TNR")
    _, far = active_group(tx, boss, tickets=3, name="Tenali Group", branch_id=str(tenali))
    other = foreman(tx, name="Other Owner")
    _, theirs = active_group(tx, other, tickets=3, name="Elsewhere")
    clerk, far_manager = staff(tx, boss, "clerk"), staff(tx, boss, "branch_manager", tenali)
    assert sorted(ids(desk(tx, clerk))) == sorted(main)
    assert sorted(ids(desk(tx, far_manager))) == sorted(far)
    assert sorted(ids(desk(tx, boss))) == sorted(main + far)
    assert {r["branch"] for r in desk(tx, boss)} == {"MAIN", "TNR"}
    assert sorted(ids(desk(tx, other))) == sorted(theirs)
    agent = staff(tx, boss, "agent")
    with tx() as s:  # a forged assignment of another company's member reaches nothing
        s.add(
            AgentAssignment(
                branch_id=agent.branch_id,
                member_id=member_of(tx, theirs[0]),
                agent_id=agent.user_id,
                assigned_by_id=boss.user_id,
            )
        )
    assert ids(desk(tx, agent)) == []
    for nobody in (
        staff(tx, boss, "accountant"),
        member_actor(tx, main[0]),
        Actor(boss.user_id, "admin"),
        None,
    ):
        assert not collects(nobody)
        with pytest.raises(NotAllowed):
            desk(tx, nobody)
    assert collects(boss) and collects(clerk) and collects(agent)


def test_search_by_name_or_mobile(tx):
    boss = foreman(tx)
    _, tickets = active_group(tx, boss, tickets=3)
    with tx() as s:
        user = s.get(User, member_of(tx, tickets[1]))
        user.name = "Lakshmi Devi"
        s.add(user)
        mobile = user.mobile
    assert ids(desk(tx, boss, search="lakshmi")) == [tickets[1]]
    assert ids(desk(tx, boss, search=mobile[-6:])) == [tickets[1]]
    assert ids(desk(tx, boss, search="  Devi ")) == [tickets[1]]
    assert ids(desk(tx, boss, search="%")) == []
    assert ids(desk(tx, boss, search="nobody")) == []
    assert len(desk(tx, boss, search="")) == 3
    with pytest.raises(ServiceError, match="80 characters"):
        desk(tx, boss, search="x" * 81)


def test_late_fees_are_part_of_what_to_collect(tx):
    boss = foreman(tx)
    tickets = started(tx, boss, "2026-01-01", late_fee_mode="flat", late_fee_flat="100")
    pay(tx, boss, tickets[0], 5_000_00)  # charges (and collects part of) a fee on the late half
    rows = {int(r["ticket_id"]): r for r in desk(tx, boss)}
    with tx() as s:
        group = s.get(ChitGroup, s.get(Ticket, tickets[0]).group_id)
        for tid in tickets:
            owed = amount_due(s, group=group, ticket_id=tid)
            assert rows[tid]["collect_paise"] == owed.total > owed.dues, tid
            assert rows[tid]["fees"] != ""


def test_a_fixed_number_of_queries_however_many_members(tx, engine):
    boss = foreman(tx)
    active_group(tx, boss, tickets=3, late_fee_mode="flat", late_fee_flat="100")

    def count() -> int:
        seen = []
        listener = lambda *_a, **_k: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            desk(tx, boss)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    few = count()
    active_group(tx, boss, tickets=10, chit_value="1,00,000", late_fee_mode="flat", late_fee_flat="100")
    active_group(tx, boss, tickets=6, chit_value="60,000")
    assert len(desk(tx, boss)) == 19
    assert count() == few
