"""Authenticated downloads for foremen: CSV exports and the printable group statement.

The browser sends its `lc_session` cookie with the link; the token is resolved exactly as Reflex
events resolve it (services.people.auth.actor_for_token), and the report services check that the
signed-in foreman runs the group. Unknown, expired or other people's sessions get 401/403 and no
data. Mounted by api.py.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from luckychit_app.db import transaction
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import auth
from luckychit_app.services.reporting import reports

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


async def _run(request: Request, build: object) -> Response:
    actor = await asyncio.to_thread(_actor, request.cookies.get(COOKIE))
    if actor is None:
        return _error(401, "Sign in as the group's foreman or accountant to download this.")

    def work() -> object:
        with transaction() as session:
            return build(session, actor)

    try:
        return await asyncio.to_thread(work)
    except NotAllowed:
        return _error(403, "You are not allowed to do that.")
    except ServiceError as exc:
        return _error(400, exc.message)


async def export_csv(request: Request) -> Response:
    """GET /api/reports/{group_id}/{kind}.csv: members, dues, payments or ledger."""
    group_id, kind = request.path_params["group_id"], request.path_params["kind"]

    def build(session: object, actor: Actor) -> Response:
        filename, content = reports.export_csv(session, actor=actor, group_id=group_id, kind=kind)
        # A byte-order mark makes Excel read the ₹ sign and Hindi names as UTF-8.
        return Response(
            ("\ufeff" + content).encode(),
            media_type="text/csv; charset=utf-8",
            headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return await _run(request, build)


async def statement(request: Request) -> Response:
    """GET /api/reports/{group_id}/statement: the printable group statement (HTML, no scripts run
    but the print button)."""
    group_id = request.path_params["group_id"]

    def build(session: object, actor: Actor) -> Response:
        data = reports.group_statement(session, actor=actor, group_id=group_id)
        return HTMLResponse(reports.statement_html(data), headers=HEADERS)

    return await _run(request, build)


REPORT_ROUTES = [
    Route("/api/reports/{group_id:int}/{kind:str}.csv", export_csv, methods=["GET"]),
    Route("/api/reports/{group_id:int}/statement", statement, methods=["GET"]),
]
