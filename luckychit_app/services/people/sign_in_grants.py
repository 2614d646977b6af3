"""Handing a new session from the websocket to an HttpOnly cookie (issue 17).

Sign-in runs as a websocket event, and a websocket message cannot set a cookie that scripts cannot
read; only an HTTP response can. So a sign-in ends by issuing a grant: a random one-use ticket,
valid for a minute, under which the new session's token waits sealed with the data key. The tab
posts the grant to /api/session (api/session_cookie.py), which redeems it and answers with the
cookie. A script in the page could see the grant for that moment, never the session token, and a
grant redeemed or expired is worth nothing."""

from __future__ import annotations

import secrets
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from sqlalchemy import delete
from sqlmodel import Session

from luckychit_app import crypto
from luckychit_app.clock import utcnow
from luckychit_app.models import SignInGrant
from luckychit_app.services.people.auth import actor_for_token, token_hash

SESSION_COOKIE = "lc_session"
GRANT_TTL = timedelta(minutes=1)
HOME_BY_ROLE = {"admin": "/admin", "foreman": "/f", "member": "/m", "staff": "/s"}


def home_of(role: str, must_change: bool) -> str:
    """The page a signed-in user starts on: the password change they must make first, else their home."""
    return "/change-password" if must_change else HOME_BY_ROLE[role]


def _context(grant_hash: str) -> str:
    """The sealed token is bound to its grant: it cannot be moved to another row and opened there."""
    return f"sign_in_grants.sealed_token:{grant_hash}"


def issue(session: Session, token: str) -> str:
    """A grant for the session `token` (just opened by a sign-in); expired grants are swept here."""
    session.execute(delete(SignInGrant).where(SignInGrant.expires_at <= utcnow()))
    grant = secrets.token_urlsafe(32)
    digest = token_hash(grant)
    session.add(
        SignInGrant(
            grant_hash=digest,
            sealed_token=crypto.encrypt(token.encode(), context=_context(digest)),
            expires_at=utcnow() + GRANT_TTL,
        )
    )
    return grant


def redeem(session: Session, grant: object) -> tuple[str, str] | None:
    """(session token, page to open) for a live grant, which is used up; None for anything else.
    The grant is deleted by the statement that reads it, so two posts of one grant (a double click,
    a replay) get one cookie between them, on SQLite and PostgreSQL alike."""
    if not isinstance(grant, str) or not 20 <= len(grant) <= 100:
        return None
    digest = token_hash(grant)
    row = session.execute(
        delete(SignInGrant)
        .where(SignInGrant.grant_hash == digest, SignInGrant.expires_at > utcnow())
        .returning(SignInGrant.sealed_token)
    ).first()
    if row is None:
        return None
    try:
        token = crypto.decrypt(row[0], context=_context(digest)).decode()
    except InvalidTag:  # a sealed token moved from another row, or altered: it opens nothing
        return None
    found = actor_for_token(session, token)
    if found is None:  # signed out, or the account stopped, in the minute since
        return None
    return token, home_of(found[0].role, found[1])
