"""Authenticated downloads of a foreman's books for their accountant (issue 19): the Tally import
file of a range of days, and the financial-year statements as CSV files and a printable page.

The `lc_session` cookie is resolved exactly as Reflex events resolve it (api/downloads.py), and the
services decide who may read what (services/reporting/books_scope.py): the foreman, the platform
admin, and staff who keep the books, within their reach. No session: 401; someone else's books:
403; a bad date or year, or a Tally file that failed its own check: 400 with the reason. Mounted by
api/routes.py.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from luckychit_app.api.downloads import HEADERS, attachment, run_download
from luckychit_app.services.access import Actor
from luckychit_app.services.reporting import fy_documents, tally_export

SIGNED_OUT = "Sign in as the foreman or their accountant to download the books."


def _param(request: Request, name: str) -> str:
    """A query parameter, cut short: the services validate what it says."""
    return request.query_params.get(name, "")[:20]


async def tally_xml(request: Request) -> Response:
    """GET /api/accounts/{foreman_id}/tally.xml?from=YYYY-MM-DD&to=YYYY-MM-DD[&openings=1]."""
    foreman_id = request.path_params["foreman_id"]
    start, end, openings = _param(request, "from"), _param(request, "to"), _param(request, "openings")

    def build(session: Session, actor: Actor, primary: Session) -> Response:
        filename, text = tally_export.tally_export(
            session,
            actor=actor,
            foreman_id=foreman_id,
            start=start,
            end=end,
            openings=openings in ("1", "yes", "true"),
            audit_in=primary,
        )
        return attachment(filename, text.encode(), "application/xml; charset=utf-8")

    return await run_download(request, build, SIGNED_OUT)


async def statement_csv(request: Request) -> Response:
    """GET /api/accounts/{foreman_id}/fy/{year}/{statement}.csv?as_of=YYYY-MM-DD: trial-balance,
    receipts-payments or commission-gst."""
    foreman_id, year = request.path_params["foreman_id"], request.path_params["year"]
    statement, as_of = request.path_params["statement"], _param(request, "as_of")

    def build(session: Session, actor: Actor, primary: Session) -> Response:
        filename, content = fy_documents.statement_csv(
            session,
            actor=actor,
            foreman_id=foreman_id,
            year=year,
            statement=statement,
            as_of=as_of,
            audit_in=primary,
        )
        # A byte-order mark makes Excel read the ₹ sign and Indian-language names as UTF-8.
        return attachment(filename, ("\ufeff" + content).encode(), "text/csv; charset=utf-8")

    return await run_download(request, build, SIGNED_OUT)


async def statements(request: Request) -> Response:
    """GET /api/accounts/{foreman_id}/fy/{year}/statements?as_of=YYYY-MM-DD: the printable page."""
    foreman_id, year, as_of = (
        request.path_params["foreman_id"],
        request.path_params["year"],
        _param(request, "as_of"),
    )

    def build(session: Session, actor: Actor, primary: Session) -> Response:
        page = fy_documents.statements_page(
            session, actor=actor, foreman_id=foreman_id, year=year, as_of=as_of, audit_in=primary
        )
        return HTMLResponse(page, headers=HEADERS)

    return await run_download(request, build, SIGNED_OUT)


ACCOUNT_ROUTES = [
    Route("/api/accounts/{foreman_id:int}/tally.xml", tally_xml, methods=["GET"]),
    Route("/api/accounts/{foreman_id:int}/fy/{year:int}/statements", statements, methods=["GET"]),
    Route("/api/accounts/{foreman_id:int}/fy/{year:int}/{statement:str}.csv", statement_csv, methods=["GET"]),
]
