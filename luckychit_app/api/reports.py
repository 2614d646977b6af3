"""Authenticated downloads for foremen: CSV exports and the printable group statement.

The browser sends its `lc_session` cookie with the link; the token is resolved exactly as Reflex
events resolve it (services.people.auth.actor_for_token), and the report services check that the
signed-in foreman runs the group. Unknown, expired or other people's sessions get 401/403 and no
data. Mounted by api.py.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from luckychit_app.api.downloads import HEADERS, attachment, run_download
from luckychit_app.services.access import Actor
from luckychit_app.services.reporting import reports

SIGNED_OUT = "Sign in as the group's foreman or accountant to download this."


async def export_csv(request: Request) -> Response:
    """GET /api/reports/{group_id}/{kind}.csv: members, dues, payments or ledger."""
    group_id, kind = request.path_params["group_id"], request.path_params["kind"]

    def build(session: Session, actor: Actor, primary: Session) -> Response:
        filename, content = reports.export_csv(
            session, actor=actor, group_id=group_id, kind=kind, audit_in=primary
        )
        # A byte-order mark makes Excel read the ₹ sign and Hindi names as UTF-8.
        return attachment(filename, ("\ufeff" + content).encode(), "text/csv; charset=utf-8")

    return await run_download(request, build, SIGNED_OUT)


async def statement(request: Request) -> Response:
    """GET /api/reports/{group_id}/statement: the printable group statement (HTML, no scripts run
    but the print button)."""
    group_id = request.path_params["group_id"]

    def build(session: Session, actor: Actor, _primary: Session) -> Response:
        data = reports.group_statement(session, actor=actor, group_id=group_id)
        return HTMLResponse(reports.statement_html(data), headers=HEADERS)

    return await run_download(request, build, SIGNED_OUT)


REPORT_ROUTES = [
    Route("/api/reports/{group_id:int}/{kind:str}.csv", export_csv, methods=["GET"]),
    Route("/api/reports/{group_id:int}/statement", statement, methods=["GET"]),
]
