"""What every signed-in download shares (CSV exports, statements, certificates): the session cookie
resolved exactly as Reflex events resolve it (services.people.auth.actor_for_token), the service run
off the event loop in one transaction, and its refusals as 401/403/400 with no data."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from luckychit_app.api.session_cookie import COOKIE
from luckychit_app.db import transaction
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import auth

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _actor(token: str | None) -> Actor | None:
    with transaction() as session:
        found = auth.actor_for_token(session, token)
    if found is None or found[1]:  # no session, or the one-time password is still unchanged
        return None
    return found[0]


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=HEADERS)


def attachment(filename: str, data: bytes, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def run_download(
    request: Request,
    build: Callable[[Session, Actor], Response],
    signed_out: str = "Sign in to download this.",
) -> Response:
    """`build` the response for the signed-in caller; the services it calls check their rights."""
    actor = await asyncio.to_thread(_actor, request.cookies.get(COOKIE))
    if actor is None:
        return error(401, signed_out)

    def work() -> Response:
        with transaction() as session:
            return build(session, actor)

    try:
        return await asyncio.to_thread(work)
    except NotAllowed:
        return error(403, "You are not allowed to do that.")
    except ServiceError as exc:
        return error(400, exc.message)
