"""Issue 17, item 3: sign-in over the websocket hands the tab a one-minute grant, never the session
token; the tab posts the grant to /api/session, whose answer sets the cookie HttpOnly,
SameSite=Strict (Secure over HTTPS); a post from another site, a replayed grant and an expired one
set nothing; /api/session/end clears the cookie. The real-browser side of the same flow is
tests/browser/test_session_cookie.py."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import AuthSession, SignInGrant
from luckychit_app.services.people import auth
from tests.security.conftest import AppDatabase, TestClient, run
from tests.security.harness import Driver, Outcome
from tests.security.world import World

ORIGIN = {"origin": "http://testserver"}  # TestClient's own address, as a browser's form post sends it


def _grant_from(outcome: Outcome) -> str:
    text = json.dumps(outcome.events)
    found = re.search(r'\\"grant\\": \\"([A-Za-z0-9_\-]{40,})\\"', text)
    assert found, text[:600]
    return found.group(1)


def _sign_in(app: Any, world: World, caller: str) -> tuple[Outcome, str]:
    async def body() -> Outcome:
        async with Driver(app) as driver:
            client, _ = await driver.open("/login")
            return await driver.send(
                client,
                "LoginState.submit",
                {"form": {"mobile": world.mobiles[caller], "password": world.passwords[caller]}},
            )

    outcome = run(body())
    assert outcome.redirects() == ["/api/session"], outcome.serialised()[:500]
    return outcome, _grant_from(outcome)


def _live_token_hashes(app_db: AppDatabase) -> set[str]:
    with Session(app_db.engine) as s:
        return set(s.exec(select(AuthSession.token_hash)).all())


def test_the_websocket_carries_a_grant_and_never_the_token(
    app: Any, app_db: AppDatabase, world: World
) -> None:
    outcome, grant = _sign_in(app, world, "member")
    sent = outcome.serialised()
    hashes = _live_token_hashes(app_db)
    for candidate in set(re.findall(r"[A-Za-z0-9_\-]{20,100}", sent)):
        assert hashlib.sha256(candidate.encode()).hexdigest() not in hashes, "a session token reached the tab"
    from luckychit_app.api.routes import api

    with TestClient(api, follow_redirects=False) as http:
        answer = http.post("/api/session", data={"grant": grant}, headers=ORIGIN)
    assert answer.status_code == 303 and answer.headers["location"] == "/m"
    cookie = answer.headers["set-cookie"]
    token = re.match(r"lc_session=([^;]+);", cookie).group(1)
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=strict", "max-age=43200"} <= attributes, cookie
    assert "secure" not in attributes  # plain http here; https below
    with Session(app_db.engine) as s:
        found = auth.actor_for_token(s, token)
    assert found is not None and found[0].role == "member"

    async def signed_in_tab() -> str:
        async with Driver(app) as driver:
            client, _ = await driver.open("/m", token, load=True, timeout=5)
            return (await driver.send(client, "SessionState.route_home")).redirects()[0]

    assert run(signed_in_tab()) == "/m"  # the cookie in the websocket's handshake signs the tab in


def test_a_grant_is_refused_across_sites_and_opens_once(app: Any, app_db: AppDatabase, world: World) -> None:
    from luckychit_app.api.routes import api

    _outcome, grant = _sign_in(app, world, "foreman")
    with TestClient(api, follow_redirects=False) as http:
        for headers in ({}, {"origin": "https://evil.example"}, {"origin": "null"}):
            refused = http.post("/api/session", data={"grant": grant}, headers=headers)
            assert refused.status_code == 403 and "set-cookie" not in refused.headers, headers
        secure = http.post(
            "/api/session", data={"grant": grant}, headers={**ORIGIN, "x-forwarded-proto": "https"}
        )
        assert secure.status_code == 303 and secure.headers["location"] == "/f"  # refusals left it whole
        assert "secure" in secure.headers["set-cookie"].lower()
        again = http.post("/api/session", data={"grant": grant}, headers=ORIGIN)
        assert again.status_code == 303 and again.headers["location"] == "/login?signin=expired"
        assert "set-cookie" not in again.headers
        for junk in ("", "x" * 5000, grant.upper()):
            answer = http.post("/api/session", data={"grant": junk}, headers=ORIGIN)
            assert answer.status_code == 303 and "set-cookie" not in answer.headers

        _outcome, late = _sign_in(app, world, "foreman")
        with Session(app_db.engine) as s:
            s.exec(update(SignInGrant).values(expires_at=utcnow() - timedelta(seconds=1)))
            s.commit()
        expired = http.post("/api/session", data={"grant": late}, headers=ORIGIN)
        assert expired.headers["location"] == "/login?signin=expired" and "set-cookie" not in expired.headers

        ended = http.post("/api/session/end", headers=ORIGIN)
        assert ended.status_code == 303 and ended.headers["location"] == "/login"
        assert re.match(r'lc_session="?"?;', ended.headers["set-cookie"]), ended.headers["set-cookie"]
        assert "max-age=0" in ended.headers["set-cookie"].lower()
        assert http.post("/api/session/end", headers={"origin": "https://evil.example"}).status_code == 403
