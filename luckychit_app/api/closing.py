"""Authenticated downloads of a group's closing papers (issue 15): the closing statement as a
printable page and as a PDF, and each member's no-dues certificate (PDF).

The `lc_session` cookie is resolved exactly as Reflex events resolve it, and the services decide
who may read what: the statement is for the owner, the platform admin and staff with "books"; a
certificate also for its ticket's member. No session: 401; someone else's paper: 403; a paper that
does not exist yet (a group not closed): 400 with the reason. Mounted by api/routes.py.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from luckychit_app.api.downloads import HEADERS, attachment, run_download
from luckychit_app.services.access import Actor
from luckychit_app.services.reporting import closing_statement, no_dues


async def statement(request: Request) -> Response:
    """GET /api/closing/{group_id}/statement: the printable closing statement."""
    group_id = request.path_params["group_id"]

    def build(session: Session, actor: Actor, _primary: Session) -> Response:
        data = closing_statement.closing_statement(session, actor=actor, group_id=group_id)
        return HTMLResponse(closing_statement.statement_html(data), headers=HEADERS)

    return await run_download(request, build)


async def statement_pdf(request: Request) -> Response:
    """GET /api/closing/{group_id}/statement.pdf: the closing statement as a PDF."""
    group_id = request.path_params["group_id"]

    def build(session: Session, actor: Actor, _primary: Session) -> Response:
        filename, data = closing_statement.statement_pdf(session, actor=actor, group_id=group_id)
        return attachment(filename, data, "application/pdf")

    return await run_download(request, build)


async def certificate_pdf(request: Request) -> Response:
    """GET /api/no-dues/{ticket_id}.pdf: a ticket's no-dues certificate."""
    ticket_id = request.path_params["ticket_id"]

    def build(session: Session, actor: Actor, _primary: Session) -> Response:
        filename, data = no_dues.certificate_pdf(session, actor=actor, ticket_id=ticket_id)
        return attachment(filename, data, "application/pdf")

    return await run_download(request, build)


CLOSING_ROUTES = [
    Route("/api/closing/{group_id:int}/statement", statement, methods=["GET"]),
    Route("/api/closing/{group_id:int}/statement.pdf", statement_pdf, methods=["GET"]),
    Route("/api/no-dues/{ticket_id:int}.pdf", certificate_pdf, methods=["GET"]),
]
