"""Authenticated downloads of a group's closing papers (issue 15): the closing statement as a
printable page and as a PDF, and each member's no-dues certificate (PDF).

The `lc_session` cookie is resolved exactly as Reflex events resolve it, and the services decide
who may read what: the statement is for the owner, the platform admin and staff with "books"; a
certificate also for its ticket's member. No session: 401; someone else's paper: 403; a paper that
does not exist yet (a group not closed): 400 with the reason. Mounted by api/routes.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from luckychit_app.db import transaction
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import auth
from luckychit_app.services.reporting import closing_statement, no_dues

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
COOKIE = "lc_session"


def _actor(token: str | None) -> Actor | None:
    with transaction() as session:
        found = auth.actor_for_token(session, token)
    if found is None or found[1]:  # no session, or the one-time password is still unchanged
        return None
    return found[0]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=HEADERS)


async def _run(request: Request, build: Callable[[Session, Actor], Response]) -> Response:
    actor = await asyncio.to_thread(_actor, request.cookies.get(COOKIE))
    if actor is None:
        return _error(401, "Sign in to download this.")

    def work() -> Response:
        with transaction() as session:
            return build(session, actor)

    try:
        return await asyncio.to_thread(work)
    except NotAllowed:
        return _error(403, "You are not allowed to do that.")
    except ServiceError as exc:
        return _error(400, exc.message)


def _pdf(filename: str, data: bytes) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def statement(request: Request) -> Response:
    """GET /api/closing/{group_id}/statement: the printable closing statement."""
    group_id = request.path_params["group_id"]

    def build(session: Session, actor: Actor) -> Response:
        data = closing_statement.closing_statement(session, actor=actor, group_id=group_id)
        return HTMLResponse(closing_statement.statement_html(data), headers=HEADERS)

    return await _run(request, build)


async def statement_pdf(request: Request) -> Response:
    """GET /api/closing/{group_id}/statement.pdf: the closing statement as a PDF."""
    group_id = request.path_params["group_id"]

    def build(session: Session, actor: Actor) -> Response:
        return _pdf(*closing_statement.statement_pdf(session, actor=actor, group_id=group_id))

    return await _run(request, build)


async def certificate_pdf(request: Request) -> Response:
    """GET /api/no-dues/{ticket_id}.pdf: a ticket's no-dues certificate."""
    ticket_id = request.path_params["ticket_id"]

    def build(session: Session, actor: Actor) -> Response:
        return _pdf(*no_dues.certificate_pdf(session, actor=actor, ticket_id=ticket_id))

    return await _run(request, build)


CLOSING_ROUTES = [
    Route("/api/closing/{group_id:int}/statement", statement, methods=["GET"]),
    Route("/api/closing/{group_id:int}/statement.pdf", statement_pdf, methods=["GET"]),
    Route("/api/no-dues/{ticket_id:int}.pdf", certificate_pdf, methods=["GET"]),
]
