"""Issue 17, item 2: sign-up proves the mobile number by a texted code before any account is made,
and answers the same whether or not the number is registered; the code resists guessing.

Calls run as the app runs them (`attempt`: committed even when they fail, so failures count)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from luckychit_app.models import LoginThrottle, OneTimeCode, OutboxMessage, User
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.people import auth
from tests.services.helpers import PASSWORD, foreman, new_mobile, signup_code, snapshot
from tests.services.people.test_auth import attempt, unlock, who


def _texts(tx, mobile: str) -> list[str]:
    with tx() as s:
        return list(s.exec(select(OutboxMessage.body).where(OutboxMessage.recipient == mobile)).all())


def _rows_written(tx, mobile: str) -> list[tuple[str, ...]]:
    """What a sign-up request leaves for `mobile`: its code rows (purpose only) and texts (subject)."""
    with tx() as s:
        codes = s.exec(select(OneTimeCode.purpose).where(OneTimeCode.mobile == mobile)).all()
        texts = s.exec(select(OutboxMessage.subject).where(OutboxMessage.recipient == mobile)).all()
    return [("code", c) for c in codes] + [("text", t) for t in texts]


def _sign_up(tx, mobile: str, code: object, name: str = "Lakshmi Rao") -> str:
    return attempt(
        tx, lambda s: auth.sign_up_foreman(s, name=name, mobile=mobile, code=code, password=PASSWORD)
    )


def test_the_answer_does_not_tell_whether_a_number_is_registered(tx):
    taken, free = new_mobile(), new_mobile()
    foreman(tx, mobile=taken)
    with tx() as s:
        taken_rows_before = len(_rows_written(tx, taken))
        answers = (auth.request_signup_code(s, mobile=taken), auth.request_signup_code(s, mobile=free))
    assert answers == (taken, free)  # the page gets the clean number back, nothing else
    assert len(_rows_written(tx, taken)) - taken_rows_before == len(_rows_written(tx, free)) == 2
    # Only the phone learns it: the registered number is told to sign in, and holds no code.
    assert _texts(tx, taken)[-1] == auth.SIGNUP_TAKEN_TEXT
    assert not re.search(r"\d{6}", auth.SIGNUP_TAKEN_TEXT)
    assert re.search(r"sign-up code is \d{6}", _texts(tx, free)[-1])
    with pytest.raises(ServiceError, match="wrong or has expired") as caught:
        _sign_up(tx, taken, "123456")
    assert caught.value.field == "code"


def test_a_code_makes_one_account_for_its_number_only(tx):
    mobile, other = new_mobile(), new_mobile()
    with tx() as s:
        code = signup_code(s, mobile)
    with pytest.raises(ServiceError, match="wrong or has expired"):
        _sign_up(tx, other, code)  # a code is tied to the number it was sent to
    token = _sign_up(tx, mobile, f" {code} ")
    assert who(tx, token)[0].role == "foreman"
    with pytest.raises(ServiceError, match="wrong or has expired"):
        _sign_up(tx, mobile, code, name="Second Try")
    with tx() as s:
        assert len(s.exec(select(User).where(User.mobile == mobile)).all()) == 1


def test_sign_in_and_sign_up_codes_do_not_open_each_other(tx):
    member_number, new_number = new_mobile(), new_mobile()
    foreman(tx, mobile=member_number)
    with tx() as s:
        auth.request_code(s, mobile=member_number)
    sign_in_code = re.search(r"\d{6}", _texts(tx, member_number)[-1]).group(0)
    with tx() as s:
        sign_up_code = signup_code(s, new_number)
    with pytest.raises(ServiceError, match="wrong or has expired"):
        attempt(tx, lambda s: auth.login_with_code(s, mobile=new_number, code=sign_up_code))
    with pytest.raises(ServiceError, match="wrong or has expired"):
        attempt(tx, lambda s: auth.prove_signup_code(s, mobile=member_number, code=sign_in_code))


def test_guessing_burns_the_code_then_locks_the_number(tx, engine):
    """Per code: MAX_FAILURES wrong tries and it is dead. Per number: every wrong try (sign-in or
    sign-up) counts towards the 15-minute lockout, so a fresh code buys no more guesses."""
    mobile = new_mobile()
    with tx() as s:
        code = signup_code(s, mobile)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for bad in ("12345", "abcdef", None, ["123456"], "1234567"):
        with pytest.raises(ServiceError, match="6-digit"):
            _sign_up(tx, mobile, bad)
    for tries in range(1, auth.MAX_FAILURES + 1):
        with pytest.raises(ServiceError, match="wrong or has expired"):
            _sign_up(tx, mobile, wrong)
        with tx() as s:
            row = s.exec(select(OneTimeCode).where(OneTimeCode.mobile == mobile)).one()
        assert row.attempts == tries
    assert row.used_at is not None  # burned at the fifth wrong try
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="Too many failed attempts"):
        _sign_up(tx, mobile, code)  # locked: even the right code is not looked at
    with tx() as s:
        assert s.get(LoginThrottle, mobile).locked_until is not None
    unlock(tx, mobile)
    with pytest.raises(ServiceError, match="wrong or has expired"):
        _sign_up(tx, mobile, code)  # the burned code stays dead after the lock
    with tx() as s:
        fresh = signup_code(s, mobile)
    assert _sign_up(tx, mobile, fresh)
    assert snapshot(engine) != before


def test_sign_up_texts_are_limited_per_number(tx, engine):
    mobile = new_mobile()
    for _ in range(auth.CODES_PER_WINDOW):
        with tx() as s:
            auth.request_signup_code(s, mobile=mobile)
    before = snapshot(engine)
    with pytest.raises(ServiceError, match="Too many codes") as caught, tx() as s:
        auth.request_signup_code(s, mobile=mobile)
    assert caught.value.field == "mobile"
    assert snapshot(engine) == before
