"""A company's staff: invitations with least privilege, stopping an account, agent assignments."""

from __future__ import annotations

import pytest
from sqlmodel import select

from luckychit_app.domain import ledger as books
from luckychit_app.models import (
    AgentAssignment,
    AuditLog,
    CashHandover,
    OutboxMessage,
    StaffMember,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money.ledger import post
from luckychit_app.services.people import auth, companies, staff
from luckychit_app.settings import get_settings
from tests.services.helpers import (
    PASSWORD,
    active_group,
    branch,
    foreman,
    main_branch_id,
    member_actor,
    new_mobile,
    snapshot,
    staff_cash,
)
from tests.services.helpers import staff as make_staff


def _invite(tx, owner, role="clerk", branch_id=None, **changes):
    with tx() as s:
        where = (
            branch_id if branch_id is not None else ("" if role == "accountant" else main_branch_id(s, owner))
        )
        args = {"name": "Suresh Babu", "mobile": new_mobile(), "role": role, "branch_id": where}
        args.update(changes)
        row, password = staff.invite_staff(s, actor=owner, **args)
        return row.id, row.user_id, args["mobile"], password


@pytest.mark.parametrize("role", ["branch_manager", "clerk", "agent", "accountant"])
def test_the_owner_invites_each_role_with_a_one_time_password_not_sent_by_sms(tx, role):
    owner = foreman(tx)
    staff_id, user_id, mobile, password = _invite(tx, owner, role, address="12 Temple Road")
    with tx() as s:
        row = s.get(StaffMember, staff_id)
        user = s.get(User, user_id)
        assert (row.role, row.company_id, row.active, row.invited_by_id) == (
            role,
            owner.company_id,
            True,
            owner.user_id,
        )
        assert row.branch_id == (None if role == "accountant" else main_branch_id(s, owner))
        assert (user.role, user.mobile, user.must_change_password, user.address) == (
            "staff",
            mobile,
            True,
            "12 Temple Road",
        )
        audit = s.exec(select(AuditLog).where(AuditLog.action == "staff.invited")).one()
        assert (audit.actor_id, audit.object_id) == (owner.user_id, str(staff_id))
        assert f'"role": "{role}"' in audit.detail
        sms = s.exec(select(OutboxMessage).where(OutboxMessage.recipient == mobile)).one()
        assert sms.channel == "sms"
        assert get_settings().public_url + "/login" in sms.body
        assert password not in sms.body
    with tx() as s:
        token = auth.login(s, mobile=mobile, password=password)
    with tx() as s:
        actor, must_change = auth.actor_for_token(s, token)
    assert (actor.role, actor.staff_role, actor.company_id, actor.owner_id, must_change) == (
        "staff",
        role,
        owner.company_id,
        owner.user_id,
        True,
    )


def test_nobody_but_the_owner_invites_and_a_refusal_changes_nothing(tx, engine):
    owner = foreman(tx)
    other = foreman(tx)
    _group_id, tickets = active_group(tx, owner)
    with tx() as s:
        home = main_branch_id(s, owner)
    callers = [make_staff(tx, owner, role) for role in ("branch_manager", "clerk", "agent", "accountant")]
    callers += [member_actor(tx, tickets[0]), other, None]
    before = snapshot(engine)
    for caller in callers:
        with pytest.raises(NotAllowed), tx() as s:
            staff.invite_staff(
                s, actor=caller, name="Sneaky", mobile=new_mobile(), role="clerk", branch_id=home
            )
    assert snapshot(engine) == before


def test_bad_invitations_say_which_field_is_wrong(tx, engine):
    owner = foreman(tx)
    other = foreman(tx)
    taken = new_mobile()
    foreman(tx, mobile=taken)
    with tx() as s:
        home, theirs = main_branch_id(s, owner), main_branch_id(s, other)
    cases = [
        ({"mobile": taken}, "mobile"),
        ({"role": "owner"}, "role"),
        ({"role": "foreman"}, "role"),
        ({"role": "agent", "branch_id": ""}, "branch_id"),
        ({"role": "branch_manager", "branch_id": None}, "branch_id"),
        ({"branch_id": "abc"}, None),
        ({"name": "x"}, "name"),
        ({"mobile": "12345"}, "mobile"),
    ]
    before = snapshot(engine)
    for changes, field in cases:
        args = {"name": "Suresh Babu", "mobile": new_mobile(), "role": "clerk", "branch_id": home, **changes}
        with pytest.raises(ServiceError) as err, tx() as s:
            staff.invite_staff(s, actor=owner, **args)
        assert err.value.field == field, changes
        assert not isinstance(err.value, NotAllowed)
    with pytest.raises(NotAllowed), tx() as s:  # another company's branch: as if it did not exist
        staff.invite_staff(s, actor=owner, name="Suresh", mobile=new_mobile(), role="clerk", branch_id=theirs)
    assert snapshot(engine) == before
    with tx() as s:
        row, _ = staff.invite_staff(
            s, actor=owner, name="Company Accounts", mobile=new_mobile(), role="accountant", branch_id=""
        )
        assert row.branch_id is None
        row, _ = staff.invite_staff(
            s, actor=owner, name="Branch Accounts", mobile=new_mobile(), role="accountant", branch_id=home
        )
        assert row.branch_id == home


def test_the_staff_list_is_the_owners_and_a_branch_managers_own_branch(tx):
    owner = foreman(tx)
    _g, tickets = active_group(tx, owner)
    north = branch(tx, owner, "North", "NTH")
    manager = make_staff(tx, owner, "branch_manager")
    make_staff(tx, owner, "agent", name="Home Agent")
    make_staff(tx, owner, "agent", branch_id=north, name="North Agent")
    with tx() as s:
        everyone = staff.list_staff(s, actor=owner)
        mine = staff.list_staff(s, actor=manager)
    assert {r["name"] for r in everyone} >= {"Home Agent", "North Agent"}
    assert len(everyone) == 3
    assert "North Agent" not in {r["name"] for r in mine}
    assert {r["role"] for r in mine} == {"branch_manager", "agent"}
    for caller in (
        make_staff(tx, owner, "clerk"),
        make_staff(tx, owner, "agent"),
        member_actor(tx, tickets[0]),
    ):
        with pytest.raises(NotAllowed), tx() as s:
            staff.list_staff(s, actor=caller)


def test_stopping_an_account_ends_its_sessions_and_waits_for_the_cash(tx, engine):
    owner = foreman(tx)
    _group_id, tickets = active_group(tx, owner)
    staff_id, user_id, mobile, password = _invite(tx, owner, "agent")
    with tx() as s:
        token = auth.login(s, mobile=mobile, password=password)
    with tx() as s:
        agent, _ = auth.actor_for_token(s, token)
    staff_cash(tx, agent, tickets[0], 50_000)
    with tx() as s:
        assert staff.list_staff(s, actor=owner)[0]["cash"] == "₹500"
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="hand over cash first"), tx() as s:
        staff.set_staff_active(s, actor=owner, staff_id=staff_id, active=False)
    assert snapshot(engine) == before
    # The cash reaches the branch (the hand-over service's job; here its book entry only).
    with tx() as s:
        post(s, books.cash_handed_over("t1", _group_id, user_id, None, 50_000), group_id=_group_id)
    for caller in (agent, make_staff(tx, owner, "branch_manager"), foreman(tx)):
        with pytest.raises(NotAllowed), tx() as s:
            staff.set_staff_active(s, actor=caller, staff_id=staff_id, active=False)
    with tx() as s:
        staff.set_staff_active(s, actor=owner, staff_id=staff_id, active=False)
    with tx() as s:
        assert auth.actor_for_token(s, token) is None
        assert s.get(StaffMember, staff_id).active is False
        assert s.exec(select(AuditLog).where(AuditLog.action == "staff.deactivated")).one()
    sessions = len(snapshot(engine)["auth_sessions"])
    with pytest.raises(ServiceError, match="stopped by the company's owner"), tx() as s:
        auth.login(s, mobile=mobile, password=password)  # the right password opens no session
    assert len(snapshot(engine)["auth_sessions"]) == sessions
    with tx() as s:
        staff.set_staff_active(s, actor=owner, staff_id=staff_id, active=True)
    with tx() as s:
        # The old session stays revoked; a new sign-in works again.
        assert auth.actor_for_token(s, token) is None
        assert auth.actor_for_token(s, auth.login(s, mobile=mobile, password=password))[0].role == "staff"
    with pytest.raises(ServiceError), tx() as s:
        staff.set_staff_active(s, actor=owner, staff_id=staff_id, active="no")


def test_assignments_by_the_owner_or_the_branch_manager_only(tx, engine):
    owner = foreman(tx)
    north = branch(tx, owner, "North", "NTH")
    _g, tickets = active_group(tx, owner)
    _n, north_tickets = active_group(tx, owner, branch_id=str(north))
    with tx() as s:
        home = main_branch_id(s, owner)
        member = s.get(Ticket, tickets[0]).member_id
        north_member = s.get(Ticket, north_tickets[0]).member_id
    manager = make_staff(tx, owner, "branch_manager")
    agent = make_staff(tx, owner, "agent", name="Ravi Agent")
    second = make_staff(tx, owner, "agent", name="Anil Agent")
    north_manager = make_staff(tx, owner, "branch_manager", branch_id=north)
    north_agent = make_staff(tx, owner, "agent", branch_id=north)
    refused = [north_manager, make_staff(tx, owner, "clerk"), agent, make_staff(tx, owner, "accountant")]
    refused += [foreman(tx), member_actor(tx, tickets[1]), None]
    before = snapshot(engine)
    for caller in refused:
        with pytest.raises(NotAllowed), tx() as s:
            staff.assign_member(s, actor=caller, branch_id=home, member_id=member, agent_id=agent.user_id)
        with pytest.raises(NotAllowed), tx() as s:
            staff.assignable_members(s, actor=caller, branch_id=home)
    for bad, field in (
        ({"agent_id": north_agent.user_id}, "agent_id"),
        ({"agent_id": manager.user_id}, "agent_id"),
        ({"member_id": north_member}, "member_id"),
        ({"member_id": owner.user_id}, "member_id"),
    ):
        args = {"branch_id": home, "member_id": member, "agent_id": agent.user_id, **bad}
        with pytest.raises(ServiceError) as err, tx() as s:
            staff.assign_member(s, actor=owner, **args)
        assert err.value.field == field
    assert snapshot(engine) == before

    with tx() as s:
        staff.assign_member(s, actor=owner, branch_id=home, member_id=member, agent_id=agent.user_id)
    with tx() as s:
        staff.assign_member(s, actor=manager, branch_id=home, member_id=member, agent_id=second.user_id)
    with tx() as s:
        staff.assign_member(
            s, actor=north_manager, branch_id=north, member_id=north_member, agent_id=north_agent.user_id
        )
    with tx() as s:
        rows = s.exec(select(AgentAssignment).order_by(AgentAssignment.branch_id)).all()
        assert [(r.branch_id, r.member_id, r.agent_id) for r in rows] == [
            (home, member, second.user_id),
            (north, north_member, north_agent.user_id),
        ]
        listed = staff.assignable_members(s, actor=manager, branch_id=home)
        assert len(listed) == 3 and owner.user_id not in {int(r["member_id"]) for r in listed}
        assert next(r for r in listed if r["member_id"] == str(member))["agent"] == "Anil Agent"
        assert [a["name"] for a in staff.branch_agents(s, actor=manager, branch_id=home)] == [
            "Anil Agent",
            "Ravi Agent",
        ]
        assert len(s.exec(select(AuditLog).where(AuditLog.action == "agent.assigned")).all()) == 3
    with pytest.raises(NotAllowed), tx() as s:
        staff.unassign_member(s, actor=north_manager, branch_id=home, member_id=member)
    with tx() as s:
        staff.unassign_member(s, actor=manager, branch_id=home, member_id=member)
    with pytest.raises(ServiceError), tx() as s:
        staff.unassign_member(s, actor=manager, branch_id=home, member_id=member)
    with tx() as s:
        assert s.get(AgentAssignment, (home, member)) is None
    # A stopped agent gets no new members.
    with tx() as s:
        staff.set_staff_active(
            s,
            actor=owner,
            staff_id=s.exec(select(StaffMember.id).where(StaffMember.user_id == agent.user_id)).one(),
            active=False,
        )
    with pytest.raises(ServiceError), tx() as s:
        staff.assign_member(s, actor=owner, branch_id=home, member_id=member, agent_id=agent.user_id)


def test_password_for_staff_is_their_own_after_first_sign_in(tx):
    owner = foreman(tx)
    _id, _uid, mobile, password = _invite(tx, owner, "clerk")
    with tx() as s:
        token = auth.login(s, mobile=mobile, password=password)
        actor, _ = auth.actor_for_token(s, token)
        auth.change_password(s, actor=actor, current=password, new=PASSWORD, token=token)
    with tx() as s:
        assert auth.actor_for_token(s, token)[1] is False


def test_the_company_summary_and_branch_choices_are_the_owners(tx):
    owner = foreman(tx)
    active_group(tx, owner)
    north = branch(tx, owner, "North", "NTH")
    make_staff(tx, owner, "agent", branch_id=north)
    with tx() as s:
        summary = companies.company_summary(s, actor=owner)
        choices = companies.branch_choices(s, actor=owner)
    assert summary["name"] == "Ramesh Kumar Chits"
    assert [(b["name"], b["groups"], b["staff"]) for b in summary["branches"]] == [
        ("Main branch", "1", "0"),
        ("North", "0", "1"),
    ]
    assert [c["name"] for c in choices] == ["Main branch (MAIN)", "North (NTH)"]
    for caller in (make_staff(tx, owner, "branch_manager"), None, Actor(1, "admin")):
        for read in (companies.company_summary, companies.branch_choices):
            with pytest.raises(NotAllowed), tx() as s:
                read(s, actor=caller)


def test_a_role_or_branch_change_is_the_owners_and_waits_for_the_cash(tx, engine):
    owner = foreman(tx)
    north = branch(tx, owner, "North", "NTH")
    group_id, tickets = active_group(tx, owner)
    with tx() as s:
        home = main_branch_id(s, owner)
        member = s.get(Ticket, tickets[0]).member_id
    staff_id, user_id, mobile, password = _invite(tx, owner, "agent")
    with tx() as s:
        token = auth.login(s, mobile=mobile, password=password)
        agent = auth.actor_for_token(s, token)[0]
    with tx() as s:
        staff.assign_member(s, actor=owner, branch_id=home, member_id=member, agent_id=user_id)
    staff_cash(tx, agent, tickets[0], 20_000)
    refused = (make_staff(tx, owner, "branch_manager"), agent, foreman(tx), None)
    before = snapshot(engine)
    for caller in refused:
        with pytest.raises(NotAllowed), tx() as s:
            staff.change_staff_role(s, actor=caller, staff_id=staff_id, role="clerk", branch_id=home)
    with pytest.raises(ServiceError, match="hand over cash first"), tx() as s:
        staff.change_staff_role(s, actor=owner, staff_id=staff_id, role="agent", branch_id=north)
    assert snapshot(engine) == before
    with tx() as s:
        post(s, books.cash_handed_over("t2", group_id, user_id, None, 20_000), group_id=group_id)
    with tx() as s:
        staff.change_staff_role(s, actor=owner, staff_id=staff_id, role="agent", branch_id=north)
    with tx() as s:
        row = s.get(StaffMember, staff_id)
        assert (row.role, row.branch_id) == ("agent", north)
        assert s.get(AgentAssignment, (home, member)) is None  # the member goes back to the branch
        # The same session now works in the new branch (the role is read afresh on every event).
        assert auth.actor_for_token(s, token)[0].branch_id == north
        assert s.exec(select(AuditLog).where(AuditLog.action == "staff.changed")).one()
    with tx() as s:
        staff.change_staff_role(s, actor=owner, staff_id=staff_id, role="accountant", branch_id="")
    with tx() as s:
        assert (s.get(StaffMember, staff_id).role, s.get(StaffMember, staff_id).branch_id) == (
            "accountant",
            None,
        )
    with pytest.raises(ServiceError) as err, tx() as s:
        staff.change_staff_role(s, actor=owner, staff_id=staff_id, role="clerk", branch_id="")
    assert err.value.field == "branch_id"


def test_a_hand_over_still_to_count_blocks_stopping_the_receiver(tx):
    owner = foreman(tx)
    clerk = make_staff(tx, owner, "clerk")
    agent = make_staff(tx, owner, "agent")
    with tx() as s:
        s.add(
            CashHandover(
                branch_id=clerk.branch_id,
                from_user_id=agent.user_id,
                to_user_id=clerk.user_id,
                held=10_000,
                declared=10_000,
            )
        )
        staff_id = s.exec(select(StaffMember.id).where(StaffMember.user_id == clerk.user_id)).one()
    with pytest.raises(ServiceError, match="still to be counted"), tx() as s:
        staff.set_staff_active(s, actor=owner, staff_id=staff_id, active=False)
