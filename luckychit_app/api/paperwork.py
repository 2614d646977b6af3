"""The chit agreement as a PDF (issue 19, item 5; Chit Funds Act 1982 s.6): for the group's foreman,
its members (their own group only) and the admin, in the reader's language. The service checks who
may read it; refusals are 401/403/400 with no data."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from luckychit_app.api.downloads import attachment, run_download
from luckychit_app.services.access import Actor
from luckychit_app.services.paperwork import agreement


async def agreement_pdf(request: Request) -> Response:
    """GET /api/paperwork/{group_id}/agreement.pdf"""
    group_id = request.path_params["group_id"]

    def build(session: Session, actor: Actor, _primary: Session) -> Response:
        name, data = agreement.agreement_pdf(session, actor=actor, group_id=group_id)
        return attachment(name, data, "application/pdf")

    return await run_download(request, build, "Sign in to download the chit agreement.")


PAPERWORK_ROUTES = [
    Route("/api/paperwork/{group_id:int}/agreement.pdf", agreement_pdf, methods=["GET"]),
]
