"""Sign-in, lockout, sessions, password change, foreman sign-up and one-time codes.

Sign-in calls run the way the app runs them: the transaction is committed even when the call
fails (`commit_on_error=True` in state/runner.py), so failures are counted."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import AuthSession, LoginThrottle, OneTimeCode, OutboxMessage, User
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.people import auth
from tests.services.helpers import PASSWORD, foreman, new_mobile, signup_code, snapshot


def attempt(tx, call: Callable[[Session], object]) -> object:
    """Run a sign-in call like the app does: commit even when it raises ServiceError."""
    with tx() as s:
        try:
            return call(s)
        except ServiceError:
            s.commit()
            raise


def login(tx, mobile: str, password: str) -> str:
    return attempt(tx, lambda s: auth.login(s, mobile=mobile, password=password))


def who(tx, token: str):
    with tx() as s:
        return auth.actor_for_token(s, token)


def unlock(tx, mobile: str) -> None:
    """Let the lockout run out, as if 15 minutes had passed."""
    with tx() as s:
        s.exec(
            update(LoginThrottle)
            .where(LoginThrottle.mobile == mobile)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )


def test_login_opens_a_session(tx):
    mobile = new_mobile()
    actor = foreman(tx, mobile=mobile)
    token = login(tx, f"+91 {mobile}", PASSWORD)
    found, must_change = who(tx, token)
    assert (found.user_id, found.role, must_change) == (actor.user_id, "foreman", False)
    with tx() as s:
        row = s.exec(
            select(AuthSession).where(AuthSession.user_id == actor.user_id).order_by(AuthSession.id.desc())
        ).first()
        assert row.token_hash != token and len(row.token_hash) == 64  # stored hashed
        assert timedelta(hours=11) < row.expires_at - utcnow() <= timedelta(hours=12)


def test_wrong_password_and_unknown_mobile_get_the_same_message(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    with pytest.raises(ServiceError) as wrong:
        login(tx, mobile, "wrong-password-1")
    with pytest.raises(ServiceError) as unknown:
        login(tx, new_mobile(), PASSWORD)
    assert wrong.value.message == unknown.value.message == auth.BAD_LOGIN
    assert wrong.value.field == unknown.value.field == "password"


def test_login_refuses_a_missing_or_odd_password(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    for password in ("", None, 12345678, ["secret123"]):
        with pytest.raises(ServiceError) as caught:
            login(tx, mobile, password)
        assert caught.value.field == "password"


@pytest.mark.parametrize("known", [True, False], ids=["known-mobile", "unknown-mobile"])
def test_five_failures_lock_the_number_for_fifteen_minutes(tx, known):
    mobile = new_mobile()
    if known:
        foreman(tx, mobile=mobile)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(ServiceError, match="incorrect"):
            login(tx, mobile, "wrong-password-1")
    with tx() as s:
        locked_until = s.get(LoginThrottle, mobile).locked_until
    assert timedelta(minutes=14) < locked_until - utcnow() <= timedelta(minutes=15)
    # Locked: even the right password is refused, with a message that does not say whether it was right.
    with pytest.raises(ServiceError, match=r"Too many failed attempts\. Try again in 15 minutes") as caught:
        login(tx, mobile, PASSWORD)
    assert caught.value.field == "mobile"
    unlock(tx, mobile)
    if known:
        assert who(tx, login(tx, mobile, PASSWORD)) is not None
        with tx() as s:
            row = s.get(LoginThrottle, mobile)
            assert (row.failures, row.locked_until) == (0, None)
    else:
        with pytest.raises(ServiceError, match="incorrect"):
            login(tx, mobile, PASSWORD)


def test_a_success_resets_the_failure_count(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(ServiceError):
            login(tx, mobile, "wrong-password-1")
    login(tx, mobile, PASSWORD)
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(ServiceError, match="incorrect"):
            login(tx, mobile, "wrong-password-1")
    assert login(tx, mobile, PASSWORD)


def test_expired_session_is_refused(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    token = login(tx, mobile, PASSWORD)
    with tx() as s:
        s.exec(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert who(tx, token) is None


def test_garbage_tokens_are_no_session(tx):
    for token in (None, "", "short", "x" * 200, "x" * 43, 12345, ["token"]):
        assert who(tx, token) is None


def test_logout_revokes_the_session(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    token, other = login(tx, mobile, PASSWORD), login(tx, mobile, PASSWORD)
    with tx() as s:
        auth.logout(s, token=token)
    assert who(tx, token) is None
    assert who(tx, other) is not None


def test_deactivated_user_cannot_sign_in_or_use_a_session(tx):
    mobile = new_mobile()
    actor = foreman(tx, mobile=mobile)
    token = login(tx, mobile, PASSWORD)
    with tx() as s:
        s.get(User, actor.user_id).is_active = False
    assert who(tx, token) is None
    with pytest.raises(ServiceError, match="incorrect"):
        login(tx, mobile, PASSWORD)


def test_change_password_revokes_other_sessions_but_keeps_the_current_one(tx):
    mobile = new_mobile()
    actor = foreman(tx, mobile=mobile)
    current, other = login(tx, mobile, PASSWORD), login(tx, mobile, PASSWORD)
    with tx() as s:
        auth.change_password(s, actor=actor, current=PASSWORD, new="new-secret-42", token=current)
    assert who(tx, current) is not None
    assert who(tx, other) is None
    with pytest.raises(ServiceError, match="incorrect"):
        login(tx, mobile, PASSWORD)
    assert login(tx, mobile, "new-secret-42")


def test_change_password_clears_must_change_password(tx):
    mobile = new_mobile()
    with tx() as s:
        _, temp = auth.create_user(s, name="Sunita Devi", mobile=mobile, role="member", created_by_id=None)
    token = login(tx, mobile, temp)
    actor, must_change = who(tx, token)
    assert must_change is True
    with tx() as s:
        auth.change_password(s, actor=actor, current=temp, new="my-own-pass-7", token=token)
    assert who(tx, token)[1] is False


def test_change_password_refusals_change_nothing(tx, engine, subtests):
    mobile = new_mobile()
    actor = foreman(tx, mobile=mobile)
    token = login(tx, mobile, PASSWORD)
    before = snapshot(engine)
    cases = [
        ("wrong-current-1", "new-secret-42", "current"),
        (None, "new-secret-42", "current"),
        (PASSWORD, PASSWORD, "new"),
        (PASSWORD, "short1", "new"),
        (PASSWORD, "lettersonly", "new"),
        (PASSWORD, "1234567890", "new"),
        (PASSWORD, "x1" * 40, "new"),
        (PASSWORD, ["new-secret-42"], "new"),
    ]
    for current, new, field in cases:
        with subtests.test(current=current, new=new):
            with pytest.raises(ServiceError) as caught, tx() as s:
                auth.change_password(s, actor=actor, current=current, new=new, token=token)
            assert caught.value.field == field
    assert snapshot(engine) == before


def test_sign_up_foreman(tx, engine, subtests):
    mobile = new_mobile()
    with tx() as s:
        code = signup_code(s, f"0{mobile}")
        token = auth.sign_up_foreman(
            s, name="Ramesh Kumar", mobile=f"0{mobile}", code=code, password=PASSWORD
        )
    actor, must_change = who(tx, token)
    assert (actor.role, actor.name, must_change) == ("foreman", "Ramesh Kumar", False)
    fresh = new_mobile()
    with tx() as s:
        code = signup_code(s, fresh)
    before = snapshot(engine)
    cases = [  # refused before the code is spent: a typo in the form does not cost the code
        ("Ramesh Kumar", "12345", PASSWORD, "mobile"),
        ("R", fresh, PASSWORD, "name"),
        ("Ramesh Kumar", fresh, "password", "password"),
        ("Ramesh Kumar", fresh, None, "password"),
    ]
    for name, number, password, field in cases:
        with subtests.test(field=field, mobile=number):
            with pytest.raises(ServiceError) as caught, tx() as s:
                auth.sign_up_foreman(s, name=name, mobile=number, code=code, password=password)
            assert caught.value.field == field
    assert snapshot(engine) == before
    with tx() as s:
        auth.sign_up_foreman(s, name="Fresh Kumar", mobile=fresh, code=code, password=PASSWORD)


def _code_sent_to(tx, mobile: str) -> str:
    with tx() as s:
        message = s.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == mobile).order_by(OutboxMessage.id.desc())
        ).first()
    assert message is not None and message.channel == "sms"
    (code,) = re.findall(r"\b(\d{6})\b", message.body)
    return code


def test_one_time_code_through_the_outbox_signs_in_once(tx):
    mobile = new_mobile()
    actor = foreman(tx, mobile=mobile)
    with tx() as s:
        auth.request_code(s, mobile=mobile)
    code = _code_sent_to(tx, mobile)
    with tx() as s:
        assert (
            s.exec(select(OneTimeCode.code_hash).where(OneTimeCode.purpose == "signin")).one() != code
        )  # only a hash is stored
    token = attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code=f" {code} "))
    assert who(tx, token)[0].user_id == actor.user_id
    with pytest.raises(ServiceError, match="wrong or has expired"):
        attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code=code))


def test_one_time_code_for_an_unknown_number_sends_nothing_and_signs_nobody_in(tx):
    mobile = new_mobile()
    with tx() as s:
        auth.request_code(s, mobile=mobile)  # same reply as for a real account
    with tx() as s:
        assert s.exec(select(OutboxMessage).where(OutboxMessage.recipient == mobile)).all() == []
    with pytest.raises(ServiceError, match="wrong or has expired"):
        attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code="123456"))


def test_one_time_codes_are_limited_per_number(tx, engine):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    for _ in range(auth.CODES_PER_WINDOW):
        with tx() as s:
            auth.request_code(s, mobile=mobile)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="Too many codes") as caught, tx() as s:
        auth.request_code(s, mobile=mobile)
    assert caught.value.field == "mobile"
    assert snapshot(engine) == before


def test_expired_one_time_code_is_refused(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    with tx() as s:
        auth.request_code(s, mobile=mobile)
    code = _code_sent_to(tx, mobile)
    with tx() as s:
        s.exec(update(OneTimeCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(ServiceError, match="wrong or has expired"):
        attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code=code))


def test_wrong_codes_burn_the_code_and_lock_the_number(tx):
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    with tx() as s:
        auth.request_code(s, mobile=mobile)
    code = _code_sent_to(tx, mobile)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for bad in ("12345", "abcdef", None, ["123456"]):
        with pytest.raises(ServiceError, match="6-digit") as caught:
            attempt(tx, lambda s, bad=bad: auth.login_with_code(s, mobile=mobile, code=bad))
        assert caught.value.field == "code"
    for tries in range(1, auth.MAX_FAILURES + 1):
        with pytest.raises(ServiceError, match="wrong or has expired"):
            attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code=wrong))
        with tx() as s:
            row = s.exec(select(OneTimeCode).where(OneTimeCode.purpose == "signin")).one()
        assert row.attempts == tries
    assert row.used_at is not None  # burned after the fifth wrong try
    with pytest.raises(ServiceError, match="Too many failed attempts"):
        attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code=code))
    unlock(tx, mobile)
    with pytest.raises(ServiceError, match="wrong or has expired"):
        attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code=code))
    # A fresh code still works once the lock has run out.
    with tx() as s:
        auth.request_code(s, mobile=mobile)
    fresh = _code_sent_to(tx, mobile)
    assert attempt(tx, lambda s: auth.login_with_code(s, mobile=mobile, code=fresh))
