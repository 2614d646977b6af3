"""Issue 17, item 3: the session cookie is set and cleared by HTTP responses, HttpOnly and
SameSite=Strict, so no script in the page can read it; and sign-in, reload, sign-out and expiry still
work with it in a real browser."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from luckychit_app.clock import utcnow
from luckychit_app.db import make_engine, transaction
from luckychit_app.models import AuthSession
from luckychit_app.seeding.demo import DEMO_PASSWORD, MEMBER_MOBILE
from tests.browser.conftest import PHONE, shot, sign_in

pytestmark = pytest.mark.browser


def _session_cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == "lc_session"), None)


def _expire(app_db_url: str, token: str) -> None:
    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            s.exec(
                update(AuthSession)
                .where(AuthSession.token_hash == hashlib.sha256(token.encode()).hexdigest())
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
    finally:
        engine.dispose()


def _sign_in(page, app_url: str) -> None:
    sign_in(page, app_url, MEMBER_MOBILE, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/m/?$"))
    page.wait_for_selector(".my-group")


def test_the_session_cookie_is_beyond_the_pages_scripts(app_url, app_db_url, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, app_url)

    cookie = _session_cookie(context)
    assert cookie is not None and len(cookie["value"]) >= 40
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")
    assert cookie["expires"] > 0  # a lasting cookie (LUCKYCHIT_SESSION_HOURS), not a tab's
    assert "lc_session" not in page.evaluate("document.cookie")
    storage = page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])"
    )
    assert cookie["value"] not in storage  # nor anywhere else a script could look
    assert cookie["value"] not in page.content()

    page.reload()  # a new websocket, signed in by the cookie its handshake carries
    page.wait_for_selector(".my-group")
    page.goto(f"{app_url}/m/profile")
    page.wait_for_selector("#logout")
    shot(page, "session-cookie-profile-390")
    page.click("#logout")
    page.wait_for_url(re.compile(r".*/login/?$"))
    page.wait_for_selector("#mobile")
    assert _session_cookie(context) is None  # the sign-out's answer cleared it
    page.goto(f"{app_url}/m")
    page.wait_for_url(re.compile(r".*/login/?$"))

    _sign_in(page, app_url)  # the same tab signs in again, and its session then runs out
    _expire(app_db_url, _session_cookie(context)["value"])
    page.goto(f"{app_url}/m/payments")
    page.wait_for_url(re.compile(r".*/login/?$"))
    page.wait_for_selector("#mobile")
    assert page.locator(".my-group").count() == 0
    assert errors == [], errors
    context.close()
