"""The session cookie, set and cleared by HTTP responses only (issue 17), so it can be HttpOnly: no
script in the page can read it, and the websocket sends it in its handshake, where
state/session.py reads it (Reflex keeps handshake cookies on the server).

POST /api/session trades a sign-in grant (services/people/sign_in_grants.py) for the cookie and
sends the browser to its home page; POST /api/session/end clears it. Both are posted by the tab
itself as a form (state/session.post_form), so the page reloads and the next websocket carries the
new cookie, or none. A post from another site is refused by its Origin: otherwise a hostile page
could post its own grant and sign a visitor into the attacker's account (login CSRF)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from luckychit_app.db import transaction
from luckychit_app.services.people import sign_in_grants
from luckychit_app.settings import get_settings

COOKIE = sign_in_grants.SESSION_COOKIE
SIGNED_OUT = "/login"
EXPIRED = "/login?signin=expired"


def _same_site_post(request: Request) -> bool:
    """The form was posted by a page of this app: its Origin is this server's own address (as the
    browser reached it) or one of the configured origins. Browsers send Origin with every POST."""
    origin = request.headers.get("origin", "")
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc == request.headers.get("host") or origin in get_settings().cors_origins


def _secure(request: Request) -> bool:
    """Secure whenever the app is served over HTTPS (directly, or behind a proxy that says so)."""
    return (
        request.url.scheme == "https"
        or request.headers.get("x-forwarded-proto") == "https"
        or get_settings().public_url.startswith("https://")
    )


def _redeem(grant: object) -> tuple[str, str] | None:
    with transaction() as session:
        return sign_in_grants.redeem(session, grant)


async def begin(request: Request) -> Response:
    if not _same_site_post(request):
        return Response("Cross-site sign-in refused.", status_code=403)
    form = await request.form()
    found = await asyncio.to_thread(_redeem, form.get("grant"))
    if found is None:
        return RedirectResponse(EXPIRED, status_code=303)
    token, home = found
    response = RedirectResponse(home, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=get_settings().session_hours * 3600,
        path="/",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


async def end(request: Request) -> Response:
    """Clears the cookie (the session itself was revoked by the sign-out event before this post)."""
    if not _same_site_post(request):
        return Response("Cross-site sign-out refused.", status_code=403)
    response = RedirectResponse(SIGNED_OUT, status_code=303)
    response.delete_cookie(COOKIE, path="/", secure=_secure(request), httponly=True, samesite="strict")
    return response


SESSION_ROUTES = [
    Route("/api/session", begin, methods=["POST"]),
    Route("/api/session/end", end, methods=["POST"]),
]
