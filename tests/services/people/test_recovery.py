"""Issue 18, item 5: a forgotten password is reset by a code texted to the account's mobile, and a
foreman can give a member of their group a temporary password, replaced at the next sign-in.

Calls run as the app runs them (`attempt`: committed even when they fail, so failures count)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from luckychit_app.models import AuditLog, OneTimeCode, OutboxMessage, User
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import auth, recovery
from tests.services.helpers import PASSWORD, active_group, foreman, member_actor, new_mobile, snapshot, staff
from tests.services.people.test_auth import attempt, login, unlock, who

NEW = "fresh-pass-42"


def _reset_code(tx, mobile: str) -> str:
    with tx() as s:
        recovery.request_reset_code(s, mobile=mobile)
        text = s.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == mobile).order_by(OutboxMessage.id.desc())
        ).first()
    found = re.search(r"reset code is (\d{6})", text.body if text else "")
    assert found, f"no reset code texted to {mobile}: {text!r}"
    return found.group(1)


def _reset(tx, mobile: str, code: object, new: object = NEW) -> str:
    return attempt(tx, lambda s: recovery.reset_password(s, mobile=mobile, code=code, new=new))


def test_a_reset_code_sets_a_new_password_and_ends_every_other_session(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    phone, laptop = login(tx, mobile, PASSWORD), login(tx, mobile, PASSWORD)
    code = _reset_code(tx, mobile)
    token = _reset(tx, mobile, f" {code} ")
    assert who(tx, token)[0].role == "foreman" and who(tx, token)[1] is False  # signed in, no forced change
    assert who(tx, phone) is None and who(tx, laptop) is None  # whoever held the old password is out
    with pytest.raises(ServiceError, match="incorrect"):
        login(tx, mobile, PASSWORD)
    assert who(tx, login(tx, mobile, NEW)) is not None
    with pytest.raises(ServiceError, match="wrong or has expired"):
        _reset(tx, mobile, code, "another-pass-7")  # a code is used once
    with tx() as s:
        user = s.exec(select(User).where(User.mobile == mobile)).one()
        actions = s.exec(select(AuditLog.action).where(AuditLog.object_id == str(user.id))).all()
    assert {"auth.reset_requested", "auth.password_reset"} <= set(actions)


def test_the_answer_does_not_tell_whether_a_number_has_an_account(tx):
    registered, unknown = new_mobile(), new_mobile()
    foreman(tx, mobile=registered)
    with tx() as s:
        answers = (
            recovery.request_reset_code(s, mobile=registered),
            recovery.request_reset_code(s, mobile=unknown),
        )
        texts = {
            m: s.exec(select(OutboxMessage.body).where(OutboxMessage.recipient == m)).all()
            for m in (registered, unknown)
        }
    assert answers == (registered, unknown)
    assert any("reset code" in t for t in texts[registered]) and texts[unknown] == []
    # A code row is written either way, so the per-number limit holds for unknown numbers too.
    with tx() as s:
        for m in (registered, unknown):
            assert s.exec(
                select(OneTimeCode).where(OneTimeCode.mobile == m, OneTimeCode.purpose == "reset")
            ).all()
    with pytest.raises(ServiceError, match="wrong or has expired"):
        _reset(tx, unknown, "123456")


def test_reset_codes_are_limited_and_guessing_locks_the_number(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    for _ in range(auth.CODES_PER_WINDOW):
        _reset_code(tx, mobile)
    with pytest.raises(ServiceError, match="Too many codes"):
        attempt(tx, lambda s: recovery.request_reset_code(s, mobile=mobile))
    with tx() as s:  # the right code of the newest request
        rows = s.exec(
            select(OneTimeCode).where(OneTimeCode.mobile == mobile, OneTimeCode.purpose == "reset")
        ).all()
    assert len(rows) == auth.CODES_PER_WINDOW
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(ServiceError):
            _reset(tx, mobile, "000000")
    with pytest.raises(ServiceError, match=r"[Ll]ocked|Too many|try again"):
        _reset(tx, mobile, "000000")
    unlock(tx, mobile)
    assert who(tx, login(tx, mobile, PASSWORD)) is not None  # nothing changed the password


def test_bad_input_changes_nothing(tx, engine):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    code = _reset_code(tx, mobile)
    before = snapshot(engine)
    for bad in ("short", "", None, 12345678, "x" * 500):
        with pytest.raises(ServiceError) as caught:
            _reset(tx, mobile, code, bad)
        assert caught.value.field == "new"
    assert snapshot(engine) == before  # a weak password is refused before the code is spent
    assert who(tx, _reset(tx, mobile, code)) is not None


def test_a_sign_in_code_is_not_a_reset_code(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    with tx() as s:
        auth.request_code(s, mobile=mobile)
        body = s.exec(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == mobile)
            .order_by(OutboxMessage.id.desc())
        ).first()
    sign_in_code = re.search(r"\d{6}", body).group(0)
    with pytest.raises(ServiceError, match="wrong or has expired"):
        _reset(tx, mobile, sign_in_code)


def test_the_foreman_issues_a_temporary_password_that_must_be_replaced(tx):
    owner = foreman(tx)
    _group, tickets = active_group(tx, owner, tickets=3)
    member = member_actor(tx, tickets[1])
    with tx() as s:
        user = s.get(User, member.user_id)
        mobile, member_name = user.mobile, user.name
        old_session = auth.open_session(s, user)  # signed in on their phone
    with tx() as s:
        name, temp = recovery.issue_temporary_password(s, actor=owner, member_id=str(member.user_id))
    assert name == member_name and re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}\d", temp)
    assert who(tx, old_session) is None
    token = login(tx, mobile, temp)
    assert who(tx, token)[1] is True  # the password page is the only page until it is changed
    with tx() as s:
        auth.change_password(s, actor=who(tx, token)[0], current=temp, new=NEW, token=token)
    assert who(tx, token)[1] is False
    with tx() as s:
        texted = s.exec(select(OutboxMessage.body).where(OutboxMessage.recipient == mobile)).all()
        audit_row = s.exec(select(AuditLog).where(AuditLog.action == "auth.temporary_password_issued")).all()[
            -1
        ]
    assert any("temporary password" in t and temp not in t for t in texted)  # told, never the password
    assert audit_row.actor_id == owner.user_id and audit_row.object_id == str(member.user_id)


def test_only_the_members_foreman_may_issue_one(tx, engine):
    owner, other = foreman(tx), foreman(tx, name="Other Foreman")
    _group, tickets = active_group(tx, owner, tickets=3)
    member = member_actor(tx, tickets[1])
    clerk = staff(tx, owner, "clerk")
    before = snapshot(engine)
    for caller, target in (
        (other, member.user_id),  # not his member
        (member, member.user_id),  # a member for themselves
        (clerk, member.user_id),  # staff: the owner's decision
        (None, member.user_id),
        (owner, other.user_id),  # another foreman's account
        (owner, clerk.user_id),  # a staff account
    ):
        with pytest.raises((NotAllowed, ServiceError)), tx() as s:
            recovery.issue_temporary_password(s, actor=caller, member_id=str(target))
    for bad in ("x", "", None, "-1", "99999999"):
        with pytest.raises((NotAllowed, ServiceError)), tx() as s:
            recovery.issue_temporary_password(s, actor=owner, member_id=bad)
    with pytest.raises(ServiceError, match="own password"), tx() as s:
        recovery.issue_temporary_password(s, actor=owner, member_id=str(owner.user_id))
    assert snapshot(engine) == before
