"""Branch staff managing members (issue 23): a clerk or branch manager seats members, decides join
requests and keeps addresses for the groups of their own branch; everyone else is refused with
nothing changed; the roster is read per branch, and join requests only by those who decide them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import event
from sqlmodel import select

from luckychit_app.models import AuditLog, ChitGroup, JoinRequest, Ticket, User
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import branch_members, members
from luckychit_app.services.people.companies import MAIN_BRANCH
from luckychit_app.services.reporting import branch_roster
from tests.services.helpers import (
    add_members,
    assign_agent,
    branch,
    create_group,
    foreman,
    main_branch_id,
    member_actor,
    new_mobile,
    signup_code,
    snapshot,
    staff,
)


@dataclass
class Company:
    owner: Actor
    main: int  # the first branch
    north: int  # a second branch
    main_group: int  # forming, 4 seats, in the main branch
    north_group: int  # forming, 3 seats, in the north branch
    clerk: Actor  # of the main branch
    manager: Actor  # of the main branch
    agent: Actor  # of the main branch
    accountant: Actor  # of the main branch
    north_clerk: Actor


def _company(tx) -> Company:
    owner = foreman(tx)
    with tx() as s:
        main = main_branch_id(s, owner)
    north = branch(tx, owner, "North", "NTH")
    return Company(
        owner=owner,
        main=main,
        north=north,
        main_group=create_group(tx, owner, name="Main Chit", tickets="4", chit_value="40,000"),
        north_group=create_group(tx, owner, name="North Chit", branch_id=str(north)),
        clerk=staff(tx, owner, "clerk", name="Kala Clerk"),
        manager=staff(tx, owner, "branch_manager"),
        agent=staff(tx, owner, "agent", name="Arun Agent"),
        accountant=staff(tx, owner, "accountant", branch_id=main),
        north_clerk=staff(tx, owner, "clerk", branch_id=north),
    )


@pytest.fixture
def co(tx) -> Company:
    return _company(tx)


def _add(tx, actor: Actor, group_id: int, **changes) -> tuple[Ticket, str | None]:
    with tx() as s:
        args = {"name": "Lakshmi Devi", "mobile": new_mobile()}
        args.update(changes)
        ticket, temp = members.add_member(s, actor=actor, group_id=group_id, **args)
        s.expunge(ticket)
        return ticket, temp


def _user(tx, user_id: int) -> User:
    with tx() as s:
        user = s.get(User, user_id)
        s.expunge(user)
        return user


def _audits(tx, action: str) -> list[AuditLog]:
    with tx() as s:
        rows = list(s.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all())
        for row in rows:
            s.expunge(row)
        return rows


def _join_request(tx, group_id: int) -> tuple[int, int]:
    """A new member signs up by the group's invite link: (their user id, the request id)."""
    with tx() as s:
        code = s.get(ChitGroup, group_id).invite_code
        mobile = new_mobile()
        user, request = members.sign_up_member(
            s,
            code=code,
            name="Joining Person",
            mobile=mobile,
            mobile_code=signup_code(s, mobile),
            password="secret123",
        )
        return user.id, request.id


# --- adding members ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "manager"])
def test_a_clerk_or_branch_manager_adds_a_member_to_a_forming_group_of_their_branch(tx, co, role):
    who: Actor = getattr(co, role)
    ticket, temp = _add(tx, who, co.main_group, address=" 4,  Car Street ")
    assert temp is not None
    assert (ticket.group_id, ticket.ticket_no, ticket.status) == (co.main_group, 1, "active")
    user = _user(tx, ticket.member_id)
    assert (user.role, user.address, user.created_by_id, user.must_change_password) == (
        "member",
        "4, Car Street",
        who.user_id,
        True,
    )
    [added] = _audits(tx, "member.added")
    assert (added.actor_id, added.object_id) == (who.user_id, str(ticket.id))


def test_staff_cannot_seat_anyone_in_another_branch_or_another_company(tx, engine, co):
    other = foreman(tx)
    foreign = create_group(tx, other)
    before = snapshot(engine)
    for who, group_id in (
        (co.clerk, co.north_group),
        (co.manager, co.north_group),
        (co.north_clerk, co.main_group),
        (co.clerk, foreign),
    ):
        with pytest.raises(NotAllowed), tx() as s:
            members.add_member(s, actor=who, group_id=group_id, name="Sneaky Seat", mobile=new_mobile())
    assert snapshot(engine) == before


def test_agents_accountants_members_and_strangers_cannot_seat_anyone(tx, engine, co):
    [ticket_id] = add_members(tx, co.owner, co.main_group, 1)
    company_wide = staff(tx, co.owner, "accountant")
    callers = [co.agent, co.accountant, company_wide, member_actor(tx, ticket_id), None]
    before = snapshot(engine)
    for who in callers:
        with pytest.raises(NotAllowed), tx() as s:
            members.add_member(s, actor=who, group_id=co.main_group, name="Sneaky Seat", mobile=new_mobile())
    assert snapshot(engine) == before


def test_the_owner_still_adds_and_an_existing_members_address_is_not_overwritten(tx, co):
    first, _ = _add(tx, co.owner, co.main_group, address="12 Temple Road")
    assert _user(tx, first.member_id).address == "12 Temple Road"
    mobile = _user(tx, first.member_id).mobile
    again, temp = _add(tx, co.clerk, co.main_group, mobile=mobile, address="Somewhere else")
    assert temp is None and again.member_id == first.member_id and again.ticket_no == 2
    assert _user(tx, first.member_id).address == "12 Temple Road"


def test_a_bad_address_or_a_full_or_running_group_is_refused_with_nothing_changed(tx, engine, co):
    before = snapshot(engine)
    with pytest.raises(ServiceError) as bad, tx() as s:
        members.add_member(
            s,
            actor=co.clerk,
            group_id=co.main_group,
            name="Long Address",
            mobile=new_mobile(),
            address="x" * 201,
        )
    assert bad.value.field == "address"
    with pytest.raises(ServiceError), tx() as s:
        members.add_member(
            s, actor=co.clerk, group_id=co.main_group, name="Odd Address", mobile=new_mobile(), address=["a"]
        )
    assert snapshot(engine) == before
    add_members(tx, co.clerk, co.main_group, 4)
    with pytest.raises(ServiceError, match="All 4 tickets"), tx() as s:
        members.add_member(s, actor=co.clerk, group_id=co.main_group, name="Fifth Seat", mobile=new_mobile())


# --- join requests -----------------------------------------------------------------------------


def test_a_clerk_approves_a_join_request_of_their_branch(tx, co):
    user_id, request_id = _join_request(tx, co.main_group)
    with tx() as s:
        members.decide_join_request(s, actor=co.clerk, request_id=request_id, approve=True)
    with tx() as s:
        request = s.get(JoinRequest, request_id)
        assert (request.status, request.decided_by_id) == ("approved", co.clerk.user_id)
        ticket = s.exec(select(Ticket).where(Ticket.member_id == user_id)).one()
        assert (ticket.group_id, ticket.status) == (co.main_group, "active")
    [approved] = _audits(tx, "join.approved")
    assert approved.actor_id == co.clerk.user_id


def test_join_requests_of_another_branch_are_not_a_clerks_and_only_members_permission_decides(tx, engine, co):
    _user_id, north_request = _join_request(tx, co.north_group)
    _user_id, main_request = _join_request(tx, co.main_group)
    before = snapshot(engine)
    refused = [(co.clerk, north_request), (co.north_clerk, main_request)]
    refused += [(who, main_request) for who in (co.agent, co.accountant, None)]
    for who, request_id in refused:
        for approve in (True, False):
            with pytest.raises(NotAllowed), tx() as s:
                members.decide_join_request(s, actor=who, request_id=request_id, approve=approve)
    assert snapshot(engine) == before
    with tx() as s:
        members.decide_join_request(s, actor=co.north_clerk, request_id=north_request, approve=False)
    with tx() as s:
        assert s.get(JoinRequest, north_request).status == "rejected"


def test_removing_or_suspending_a_ticket_stays_the_owners(tx, engine, co):
    ticket, _ = _add(tx, co.clerk, co.main_group)
    before = snapshot(engine)
    for who in (co.clerk, co.manager):
        with pytest.raises(NotAllowed), tx() as s:
            members.set_ticket_status(s, actor=who, ticket_id=ticket.id, status="removed", reason="Left town")
    assert snapshot(engine) == before


# --- addresses ---------------------------------------------------------------------------------


def test_a_clerk_changes_and_clears_the_address_of_a_member_of_their_branch(tx, co):
    ticket, _ = _add(tx, co.owner, co.main_group, address="Old Street 1")
    with tx() as s:
        branch_members.set_member_address(
            s, actor=co.clerk, member_id=str(ticket.member_id), address="  7, New   Street "
        )
    assert _user(tx, ticket.member_id).address == "7, New Street"
    with tx() as s:
        branch_members.set_member_address(s, actor=co.manager, member_id=ticket.member_id, address="")
    assert _user(tx, ticket.member_id).address == ""
    first, cleared = _audits(tx, "member.address_changed")
    assert (first.actor_id, first.object_id) == (co.clerk.user_id, str(ticket.member_id))
    assert '"old": "Old Street 1"' in first.detail and '"new": "7, New Street"' in first.detail
    assert '"by_role": "clerk"' in first.detail
    assert cleared.actor_id == co.manager.user_id and '"new": ""' in cleared.detail
    with tx() as s:  # the same address again: nothing to record
        branch_members.set_member_address(s, actor=co.owner, member_id=ticket.member_id, address="")
    assert len(_audits(tx, "member.address_changed")) == 2


def test_an_address_is_refused_for_a_member_only_in_another_branch_and_for_other_roles(tx, engine, co):
    north, _ = _add(tx, co.owner, co.north_group, address="North Road")
    main, _ = _add(tx, co.owner, co.main_group, address="Main Road")
    other = foreman(tx)
    foreign, _ = _add(tx, other, create_group(tx, other), address="Far Away")
    before = snapshot(engine)
    refused = [(co.clerk, north.member_id), (co.manager, north.member_id), (co.north_clerk, main.member_id)]
    refused += [(co.clerk, foreign.member_id), (other, main.member_id)]
    refused += [(who, main.member_id) for who in (co.agent, co.accountant, member_actor(tx, main.id), None)]
    refused += [(co.clerk, co.owner.user_id), (co.clerk, co.clerk.user_id), (co.clerk, 999999)]
    for who, member_id in refused:
        with pytest.raises(NotAllowed), tx() as s:
            branch_members.set_member_address(s, actor=who, member_id=member_id, address="Changed")
    for bad in ("x" * 201, ["list"], 12, "bad\x00byte"):
        with pytest.raises(ServiceError) as exc, tx() as s:
            branch_members.set_member_address(s, actor=co.clerk, member_id=main.member_id, address=bad)
        assert exc.value.field == "address"
    with pytest.raises(ServiceError), tx() as s:
        branch_members.set_member_address(s, actor=co.clerk, member_id="1; drop", address="x")
    assert snapshot(engine) == before
    with tx() as s:  # the owner reaches every branch
        branch_members.set_member_address(s, actor=co.owner, member_id=north.member_id, address="North Rd 2")
    assert _user(tx, north.member_id).address == "North Rd 2"


def test_a_member_seated_in_both_branches_is_each_branchs_but_a_removed_seat_is_not(tx, co):
    ticket, _ = _add(tx, co.owner, co.north_group)
    mobile = _user(tx, ticket.member_id).mobile
    main, _ = _add(tx, co.owner, co.main_group, mobile=mobile)
    with tx() as s:
        branch_members.set_member_address(s, actor=co.clerk, member_id=ticket.member_id, address="Both 1")
    with tx() as s:
        members.set_ticket_status(s, actor=co.owner, ticket_id=main.id, status="removed", reason="Moved away")
    with pytest.raises(NotAllowed), tx() as s:
        branch_members.set_member_address(s, actor=co.clerk, member_id=ticket.member_id, address="Both 2")
    with tx() as s:
        branch_members.set_member_address(s, actor=co.north_clerk, member_id=ticket.member_id, address="N 3")
    assert _user(tx, ticket.member_id).address == "N 3"


# --- the roster --------------------------------------------------------------------------------


def test_the_roster_shows_members_addresses_agents_and_requests_to_those_who_decide(tx, co):
    ticket, _ = _add(tx, co.clerk, co.main_group, name="Meena Iyer", address="3 Lake View")
    assign_agent(tx, co.owner, co.agent, ticket.member_id)
    _add(tx, co.clerk, co.main_group, name="Babu Rao")
    _user_id, request_id = _join_request(tx, co.main_group)
    with tx() as s:
        roster = branch_roster.group_roster(s, actor=co.clerk, group_id=str(co.main_group))
    group, rows, requests = roster["group"], roster["rows"], roster["requests"]
    assert (group["name"], group["seats"], group["can_add"], group["can_edit"]) == (
        "Main Chit",
        "2/4",
        "yes",
        "yes",
    )
    assert group["branch"] == MAIN_BRANCH[0]
    assert [r["name"] for r in rows] == ["Meena Iyer", "Babu Rao"]
    first = rows[0]
    assert (first["ticket_no"], first["address"], first["agent"], first["editable"]) == (
        "1",
        "3 Lake View",
        "Arun Agent",
        "yes",
    )
    assert first["tel"] == f"tel:+91{first['mobile']}" and first["member_id"] == str(ticket.member_id)
    assert rows[1]["agent"] == "" and rows[1]["status"] == "active"
    assert [(r["id"], r["name"]) for r in requests] == [(str(request_id), "Joining Person")]
    with tx() as s:
        read = branch_roster.group_roster(s, actor=co.accountant, group_id=co.main_group)
    assert read["requests"] == [] and len(read["rows"]) == 2
    assert read["group"]["can_edit"] == "" and read["group"]["can_add"] == ""
    assert all(r["editable"] == "" for r in read["rows"])


def test_the_roster_and_the_group_list_are_per_branch(tx, co):
    running = create_group(tx, co.owner, name="North Two", branch_id=str(co.north))
    with tx() as s:
        mine = branch_roster.branch_groups(s, actor=co.clerk)
        theirs = branch_roster.branch_groups(s, actor=co.north_clerk)
        everything = branch_roster.branch_groups(s, actor=co.owner)
    accounts = staff(tx, co.owner, "accountant")  # of every branch
    with tx() as s:
        company_wide = branch_roster.branch_groups(s, actor=accounts)
    assert [g["id"] for g in mine] == [str(co.main_group)]
    assert {g["id"] for g in theirs} == {str(co.north_group), str(running)}
    assert (
        {g["id"] for g in everything}
        == {g["id"] for g in company_wide}
        == {
            str(co.main_group),
            str(co.north_group),
            str(running),
        }
    )
    assert mine[0]["seats"] == "0/4" and mine[0]["status"] == "forming"
    for who, group_id in (
        (co.clerk, co.north_group),
        (co.north_clerk, co.main_group),
        (co.agent, co.main_group),
    ):
        with pytest.raises(NotAllowed), tx() as s:
            branch_roster.group_roster(s, actor=who, group_id=group_id)
    other = foreman(tx)
    with pytest.raises(NotAllowed), tx() as s:
        branch_roster.group_roster(s, actor=other, group_id=co.main_group)
    for who in (co.agent, member_actor(tx, _add(tx, co.owner, co.main_group)[0].id), None):
        with pytest.raises(NotAllowed), tx() as s:
            branch_roster.branch_groups(s, actor=who)


def test_a_full_or_running_group_offers_no_add_form(tx, co):
    add_members(tx, co.owner, co.north_group, 3)
    with tx() as s:
        roster = branch_roster.group_roster(s, actor=co.north_clerk, group_id=co.north_group)
    assert roster["group"]["seats"] == "3/3" and roster["group"]["can_add"] == ""
    assert roster["group"]["can_edit"] == "yes"


def test_the_roster_costs_the_same_queries_however_many_members(tx, engine, co):
    def count() -> int:
        seen: list[int] = []
        listener = lambda *_a, **_k: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            with tx() as s:
                branch_roster.group_roster(s, actor=co.clerk, group_id=co.main_group)
                branch_roster.branch_groups(s, actor=co.clerk)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    [first] = add_members(tx, co.owner, co.main_group, 1)
    with tx() as s:
        member_id = s.get(Ticket, first).member_id
    assign_agent(tx, co.owner, co.agent, member_id)
    _join_request(tx, co.main_group)
    few = count()
    for ticket_id in add_members(tx, co.owner, co.main_group, 3):
        with tx() as s:
            member_id = s.get(Ticket, ticket_id).member_id
        assign_agent(tx, co.owner, co.agent, member_id)
    _join_request(tx, co.main_group)
    create_group(tx, co.owner, name="Another Main")
    assert count() == few
