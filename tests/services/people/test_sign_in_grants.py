"""The hand-over of a new session from the websocket to the HttpOnly cookie (issue 17, item 3):
a grant opens once, within its minute, for a session still alive, and never holds the token in
the clear; two posts of one grant at once (a double click) get one cookie, on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from luckychit_app.clock import utcnow
from luckychit_app.models import SignInGrant
from luckychit_app.services.people import auth, sign_in_grants
from tests.services.helpers import PASSWORD, foreman, new_mobile, race


def _signed_in(tx) -> tuple[str, str]:
    """(session token, grant) of a foreman who has just signed in."""
    mobile = new_mobile()
    foreman(tx, mobile=mobile)
    with tx() as s:
        token = auth.login(s, mobile=mobile, password=PASSWORD)
        return token, sign_in_grants.issue(s, token)


def test_a_grant_opens_once_and_lands_on_the_users_home(tx):
    token, grant = _signed_in(tx)
    with tx() as s:
        (row,) = s.exec(select(SignInGrant)).all()
        assert token not in (row.sealed_token, row.grant_hash) and grant not in row.grant_hash
    with tx() as s:
        assert sign_in_grants.redeem(s, grant) == (token, "/f")
    with tx() as s:
        assert sign_in_grants.redeem(s, grant) is None
        assert s.exec(select(SignInGrant)).all() == []  # used up: nothing of it is kept


def test_expired_forged_and_signed_out_grants_open_nothing(tx):
    token, grant = _signed_in(tx)
    with tx() as s:
        s.exec(update(SignInGrant).values(expires_at=utcnow() - timedelta(seconds=1)))
    with tx() as s:
        assert sign_in_grants.redeem(s, grant) is None
    for forged in ("", "x" * 19, "x" * 101, None, 7, ["a" * 40], grant[:-1] + "A"):
        with tx() as s:
            assert sign_in_grants.redeem(s, forged) is None
    token, grant = _signed_in(tx)
    with tx() as s:
        auth.logout(s, token=token)  # signed out in the minute before the grant was posted
    with tx() as s:
        assert sign_in_grants.redeem(s, grant) is None


def test_a_grant_moved_to_another_row_does_not_open(tx):
    """The sealed token is bound to its own grant (AES-GCM associated data)."""
    _token_a, grant_a = _signed_in(tx)
    _token_b, grant_b = _signed_in(tx)
    with tx() as s:
        rows = {r.grant_hash: r for r in s.exec(select(SignInGrant)).all()}
        a, b = rows[auth.token_hash(grant_a)], rows[auth.token_hash(grant_b)]
        a.sealed_token, b.sealed_token = b.sealed_token, a.sealed_token
        s.add(a)
        s.add(b)
    with tx() as s:
        assert sign_in_grants.redeem(s, grant_a) is None
        assert sign_in_grants.redeem(s, grant_b) is None


def test_two_posts_of_one_grant_at_once_get_one_cookie(tx, engine):
    token, grant = _signed_in(tx)
    results = race(engine, [lambda s: sign_in_grants.redeem(s, grant)] * 2)
    assert sorted(results, key=repr) == sorted([None, (token, "/f")], key=repr), results
