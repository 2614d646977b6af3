"""Seats in a group: foreman-added members, join requests by invite code, ticket status changes."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from luckychit_app.models import AuditLog, ChitGroup, JoinRequest, Notification, Ticket, User
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.terms import seats_taken
from luckychit_app.services.money import ledger
from luckychit_app.services.people import auth, members
from tests.services.helpers import (
    PASSWORD,
    active_group,
    add_members,
    conduct,
    create_group,
    foreman,
    new_mobile,
    pay_dues,
    signup_code,
    snapshot,
)


def _user(tx, mobile: str) -> User | None:
    with tx() as s:
        return s.exec(select(User).where(User.mobile == mobile)).first()


def _count(tx, model) -> int:
    with tx() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_add_member_creates_an_account_with_a_one_time_password_that_signs_in(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor)
    mobile = new_mobile()
    with tx() as s:
        ticket, temp = members.add_member(
            s, actor=actor, group_id=group_id, name=" Priya  Sharma ", mobile=mobile
        )
    assert temp is not None and len(temp) >= 8
    user = _user(tx, mobile)
    assert (user.name, user.role, user.must_change_password, user.created_by_id) == (
        "Priya Sharma",
        "member",
        True,
        actor.user_id,
    )
    assert (ticket.ticket_no, ticket.member_id, ticket.status) == (1, user.id, "active")
    with tx() as s:
        token = auth.login(s, mobile=mobile, password=temp)
    with tx() as s:
        member, must_change = auth.actor_for_token(s, token)
        assert (member.user_id, member.role, must_change) == (user.id, "member", True)
        assert s.exec(select(Notification).where(Notification.user_id == user.id)).first() is not None
        assert s.exec(select(AuditLog).where(AuditLog.action == "member.added")).first() is not None


def test_indian_mobile_numbers_are_accepted_in_the_usual_spellings(tx):
    actor = foreman(tx)
    spellings = [
        lambda m: f"+91 {m[:5]} {m[5:]}",
        lambda m: f"+91{m}",
        lambda m: f"91{m}",
        lambda m: f"0{m}",
        lambda m: f"{m[:5]} {m[5:]}",
        lambda m: f"{m[:3]}-{m[3:6]}-{m[6:]}",
        lambda m: int(m),
    ]
    group_id = create_group(tx, actor, tickets=str(len(spellings)), chit_value="70,000")
    for spell in spellings:
        mobile = new_mobile()
        with tx() as s:
            members.add_member(s, actor=actor, group_id=group_id, name="Arjun Nair", mobile=spell(mobile))
        assert _user(tx, mobile) is not None, spell(mobile)


BAD_MOBILES = [
    "12345",
    "5876543210",
    "+91 58765 43210",
    "+1 415 555 0100",
    "98765432101",
    "098765432101",
    "abcdefghij",
    "98765o4321",
    "",
    None,
    True,
    9.876543210e9,
    ["9876543210"],
    "9" * 25,
]


def test_bad_mobile_numbers_are_refused_and_nothing_changes(tx, engine, subtests):
    actor = foreman(tx)
    group_id = create_group(tx, actor)
    before = snapshot(engine)
    for mobile in BAD_MOBILES:
        with subtests.test(mobile=mobile):
            with pytest.raises(ServiceError) as caught, tx() as s:
                members.add_member(s, actor=actor, group_id=group_id, name="Arjun Nair", mobile=mobile)
            assert caught.value.field == "mobile"
    for name in ("", "A", "x" * 81, ["Arjun"], None):
        with subtests.test(name=name):
            with pytest.raises(ServiceError) as caught, tx() as s:
                members.add_member(s, actor=actor, group_id=group_id, name=name, mobile=new_mobile())
            assert caught.value.field == "name"
    assert snapshot(engine) == before


def test_a_full_group_takes_no_more_members(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="2")
    add_members(tx, actor, group_id, 2)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="All 2 tickets"), tx() as s:
        members.add_member(s, actor=actor, group_id=group_id, name="One Too Many", mobile=new_mobile())
    assert snapshot(engine) == before


def test_members_join_only_while_the_group_is_forming(tx, engine):
    actor = foreman(tx)
    group_id, _ = active_group(tx, actor, tickets=2)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="forming"), tx() as s:
        members.add_member(s, actor=actor, group_id=group_id, name="Late Comer", mobile=new_mobile())
    assert snapshot(engine) == before


def test_an_existing_member_mobile_reuses_the_account(tx):
    actor, other = foreman(tx), foreman(tx, name="Suresh Rao")
    first, second = create_group(tx, actor), create_group(tx, other)
    mobile = new_mobile()
    with tx() as s:
        ticket_a, temp = members.add_member(
            s, actor=actor, group_id=first, name="Lakshmi Iyer", mobile=mobile
        )
    users = _count(tx, User)
    with tx() as s:
        ticket_b, again = members.add_member(
            s, actor=other, group_id=second, name="Someone Else", mobile=f"+91 {mobile}"
        )
    assert temp is not None and again is None
    assert ticket_a.member_id == ticket_b.member_id
    assert _count(tx, User) == users
    assert _user(tx, mobile).name == "Lakshmi Iyer"  # the second foreman cannot rename the account
    with tx() as s:
        assert auth.login(s, mobile=mobile, password=temp)


def test_a_foreman_or_admin_mobile_cannot_be_seated_as_a_member(tx, engine):
    actor, other = foreman(tx), foreman(tx, name="Suresh Rao")
    group_id = create_group(tx, actor)
    with tx() as s:
        admin, _ = auth.create_user(
            s, name="Admin", mobile=new_mobile(), role="admin", created_by_id=None, password=PASSWORD
        )
    before = snapshot(engine)
    for user_id in (actor.user_id, other.user_id, admin.id):
        with tx() as s:
            mobile = s.get(User, user_id).mobile
        with pytest.raises(ServiceError) as caught, tx() as s:
            members.add_member(s, actor=actor, group_id=group_id, name="Myself", mobile=mobile)
        assert caught.value.field == "mobile"
    assert snapshot(engine) == before


def _member(tx, group_id_elsewhere: int | None = None) -> tuple[Actor, str]:
    """A member account (created by signing up through another group's invite)."""
    owner = foreman(tx, name="Other Foreman")
    code_group = create_group(tx, owner, name="Other Group")
    with tx() as s:
        code = s.get(ChitGroup, code_group).invite_code
        mobile = new_mobile()
        user, _ = members.sign_up_member(
            s,
            code=code,
            name="Kavita Joshi",
            mobile=mobile,
            mobile_code=signup_code(s, mobile),
            password=PASSWORD,
        )
    return Actor(user.id, "member", user.name), code


def test_join_request_by_invite_code_then_approve(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor)
    member, _ = _member(tx)
    with tx() as s:
        code = s.get(ChitGroup, group_id).invite_code
        request = members.request_to_join(s, actor=member, code=code, message="My sister is a member")
    assert request.status == "pending"
    with tx() as s:
        note = s.exec(select(Notification).where(Notification.user_id == actor.user_id)).one()
        assert note.kind == "join_request"
    with pytest.raises(ServiceError, match="already asked"), tx() as s:
        members.request_to_join(s, actor=member, code=code)
    with tx() as s:
        decided = members.decide_join_request(s, actor=actor, request_id=str(request.id), approve=True)
    assert (decided.status, decided.decided_by_id) == ("approved", actor.user_id)
    with tx() as s:
        ticket = s.exec(select(Ticket).where(Ticket.group_id == group_id)).one()
        assert (ticket.member_id, ticket.status, ticket.ticket_no) == (member.user_id, "active", 1)
    before = snapshot(engine)
    for approve in (True, False):
        with pytest.raises(ServiceError, match="already been decided"), tx() as s:
            members.decide_join_request(s, actor=actor, request_id=request.id, approve=approve)
    assert snapshot(engine) == before


def test_join_request_rejected_seats_nobody(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor)
    with tx() as s:
        code = s.get(ChitGroup, group_id).invite_code
        mobile = new_mobile()
        user, request = members.sign_up_member(
            s,
            code=code,
            name="Manoj Patil",
            mobile=mobile,
            mobile_code=signup_code(s, mobile),
            password=PASSWORD,
        )
    with tx() as s:
        members.decide_join_request(s, actor=actor, request_id=request.id, approve=False)
    with tx() as s:
        assert s.get(JoinRequest, request.id).status == "rejected"
        assert s.exec(select(Ticket).where(Ticket.group_id == group_id)).all() == []
        assert (
            s.exec(select(Notification).where(Notification.user_id == user.id)).one().kind == "join_decided"
        )


def test_join_request_checks_code_decision_and_capacity(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="2")
    member, _ = _member(tx)
    with tx() as s:
        code = s.get(ChitGroup, group_id).invite_code
        request = members.request_to_join(s, actor=member, code=code)
    add_members(tx, actor, group_id, 2)
    before = snapshot(engine)
    for bad_code in (
        "nope",
        "",
        None,
        ["x" * 8],
        "x" * 17,
        code.upper() if code != code.upper() else "ZZZZZZZZ",
    ):
        with pytest.raises(ServiceError) as caught, tx() as s:
            members.request_to_join(s, actor=member, code=bad_code)
        assert caught.value.field == "code"
    for approve in ("yes", 1, None):
        with pytest.raises(ServiceError, match="Invalid decision"), tx() as s:
            members.decide_join_request(s, actor=actor, request_id=request.id, approve=approve)
    with pytest.raises(ServiceError, match="All 2 tickets"), tx() as s:
        members.decide_join_request(s, actor=actor, request_id=request.id, approve=True)
    for request_id in ("1; DROP TABLE users", -1, 0, 2**40, True, None, [1]):
        with pytest.raises(ServiceError), tx() as s:
            members.decide_join_request(s, actor=actor, request_id=request_id, approve=True)
    assert snapshot(engine) == before


def test_ticket_status_moves_between_active_suspended_and_removed(tx):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="3")
    first, second = add_members(tx, actor, group_id, 2)
    with tx() as s:
        ticket = members.set_ticket_status(
            s, actor=actor, ticket_id=first, status="suspended", reason="  KYC due "
        )
    assert (ticket.status, ticket.status_reason) == ("suspended", "KYC due")
    with tx() as s:
        members.set_ticket_status(s, actor=actor, ticket_id=first, status="active")
    with tx() as s:
        members.set_ticket_status(s, actor=actor, ticket_id=second, status="removed", reason="moved away")
        assert seats_taken(s, group_id) == 1
    with tx() as s:
        statuses = dict(s.exec(select(Ticket.id, Ticket.status).where(Ticket.group_id == group_id)).all())
        assert statuses == {first: "active", second: "removed"}
        actions = s.exec(select(AuditLog.action).where(AuditLog.action == "ticket.status")).all()
        assert len(actions) == 3
    # The removed ticket keeps its number; new seats get fresh numbers.
    (third,) = add_members(tx, actor, group_id, 1)
    with tx() as s:
        assert s.get(Ticket, third).ticket_no == 3


def test_pending_tickets_can_be_approved_or_removed_but_not_suspended(tx, engine):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="3")
    first, second = add_members(tx, actor, group_id, 2)
    with tx() as s:
        for ticket_id in (first, second):
            s.get(Ticket, ticket_id).status = "pending"
    before = snapshot(engine)
    with pytest.raises(ServiceError) as caught, tx() as s:
        members.set_ticket_status(s, actor=actor, ticket_id=first, status="suspended", reason="not paid")
    assert caught.value.field == "status"
    assert snapshot(engine) == before
    with tx() as s:
        members.set_ticket_status(s, actor=actor, ticket_id=first, status="active")
        members.set_ticket_status(s, actor=actor, ticket_id=second, status="removed", reason="changed mind")
    with tx() as s:
        assert (s.get(Ticket, first).status, s.get(Ticket, second).status) == ("active", "removed")


def test_ticket_status_refusals_change_nothing(tx, engine, subtests):
    actor = foreman(tx)
    group_id = create_group(tx, actor, tickets="3")
    active, gone = add_members(tx, actor, group_id, 2)
    with tx() as s:
        members.set_ticket_status(s, actor=actor, ticket_id=gone, status="removed", reason="moved away")
    before = snapshot(engine)
    refusals = [
        (gone, "active", "", "status"),
        (gone, "suspended", "back again", "status"),
        (active, "active", "", "status"),
        (active, "pending", "", "status"),
        (active, "bogus", "", "status"),
        (active, "", "", "status"),
        (active, None, "", "status"),
        (active, ["suspended"], "late", "status"),
        (active, {"to": "removed"}, "late", "status"),
        (active, "suspended", "", "reason"),
        (active, "suspended", "no", "reason"),
        (active, "suspended", "x" * 201, "reason"),
        (active, "removed", ["left"], "reason"),
    ]
    for ticket_id, status, reason, field in refusals:
        with subtests.test(status=status, reason=reason):
            with pytest.raises(ServiceError) as caught, tx() as s:
                members.set_ticket_status(s, actor=actor, ticket_id=ticket_id, status=status, reason=reason)
            assert caught.value.field == field, caught.value.message
    assert snapshot(engine) == before


def test_a_prized_ticket_cannot_be_removed(tx, engine):
    actor = foreman(tx)
    group_id, tickets = active_group(tx, actor, tickets=2)
    pay_dues(tx, actor, tickets, 1)
    winner = conduct(tx, actor, group_id).winner_ticket_id
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="prized"), tx() as s:
        members.set_ticket_status(s, actor=actor, ticket_id=winner, status="removed", reason="wants out")
    assert snapshot(engine) == before


def test_a_foreman_cannot_touch_another_foremans_group_ticket_or_request(tx, engine):
    owner, intruder = foreman(tx), foreman(tx, name="Intruder")
    group_id = create_group(tx, owner, tickets="3")
    (ticket_id,) = add_members(tx, owner, group_id, 1)
    member, _ = _member(tx)
    with tx() as s:
        code = s.get(ChitGroup, group_id).invite_code
        request = members.request_to_join(s, actor=member, code=code)
    before = snapshot(engine)
    attempts = [
        lambda s: members.add_member(s, actor=intruder, group_id=group_id, name="Plant", mobile=new_mobile()),
        lambda s: members.set_ticket_status(
            s, actor=intruder, ticket_id=ticket_id, status="suspended", reason="mine"
        ),
        lambda s: members.set_ticket_status(
            s, actor=intruder, ticket_id=ticket_id + 999, status="removed", reason="x"
        ),
        lambda s: members.decide_join_request(s, actor=intruder, request_id=request.id, approve=True),
        lambda s: members.decide_join_request(s, actor=intruder, request_id=request.id, approve=False),
        lambda s: members.decide_join_request(s, actor=intruder, request_id=request.id + 999, approve=True),
        lambda s: members.add_member(
            s, actor=member, group_id=group_id, name="Self Seat", mobile=new_mobile()
        ),
        lambda s: members.set_ticket_status(
            s, actor=member, ticket_id=ticket_id, status="removed", reason="bye"
        ),
        lambda s: members.decide_join_request(s, actor=member, request_id=request.id, approve=True),
        lambda s: members.request_to_join(s, actor=intruder, code=code),
        lambda s: members.add_member(s, actor=None, group_id=group_id, name="Nobody", mobile=new_mobile()),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed), tx() as s:
            attempt(s)
    assert snapshot(engine) == before


def test_a_running_groups_ticket_can_be_suspended_but_not_removed(tx, engine):
    actor = foreman(tx)
    group_id, tickets = active_group(tx, actor, tickets=3)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="suspend it instead") as caught, tx() as s:
        members.set_ticket_status(s, actor=actor, ticket_id=tickets[2], status="removed", reason="left town")
    assert caught.value.field == "status"
    assert snapshot(engine) == before
    with tx() as s:
        members.set_ticket_status(
            s, actor=actor, ticket_id=tickets[2], status="suspended", reason="left town"
        )
    # The suspended ticket still owes its dues and shares the books, but cannot win; the draw settles.
    pay_dues(tx, actor, tickets, 1)
    draw = conduct(tx, actor, group_id)
    assert draw.winner_ticket_id in tickets[:2]
    with tx() as s:
        assert ledger.ledger_check(s) == []
