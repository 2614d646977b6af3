"""What every signed-in download shares (CSV exports, statements, certificates): the session cookie
resolved exactly as Reflex events resolve it (services.people.auth.actor_for_token), the service run
off the event loop on the read replica, and its refusals as 401/403/400 with no data.

Where each part runs (docs/scaling.md, "Read replica"): the session cookie is resolved on the primary,
where sign-outs and password changes are fresh (the Actor it gives carries the caller's role, company,
staff role and branch); the download's reads, including the services' group-level checks (who owns
the group, who holds a ticket in it), run in `db.read_transaction()`, on the replica when one is
configured, so a change made a moment ago may show there only after the replication delay; an
audited download records its audit row on the primary, in a transaction of its own that commits
only if the download was built."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from luckychit_app.api.session_cookie import COOKIE
from luckychit_app.db import read_transaction, transaction
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
    build: Callable[[Session, Actor, Session], Response],
    signed_out: str = "Sign in to download this.",
) -> Response:
    """`build(reads, actor, primary)` the response for the signed-in caller; the services it calls
    check their rights. `reads` is a read-only session (the replica when configured); `primary` is
    for the download's own writes (its audit row), committed after `build` returns and rolled back
    if it raises. A session opens no connection until used, so a download that writes nothing
    never touches the primary here."""
    actor = await asyncio.to_thread(_actor, request.cookies.get(COOKIE))
    if actor is None:
        return error(401, signed_out)

    def work() -> Response:
        with read_transaction() as reads, transaction() as primary:
            return build(reads, actor, primary)

    try:
        return await asyncio.to_thread(work)
    except NotAllowed:
        return error(403, "You are not allowed to do that.")
    except ServiceError as exc:
        return error(400, exc.message)
