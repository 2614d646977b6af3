"""A member's copy of their own data as a zip (issue 21, item 2; Digital Personal Data Protection Act
2023 s.11). The session cookie names the member; there is no id in the address, so nobody can ask
for someone else's. Refusals are 401/403/400 with no data."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from luckychit_app.api.downloads import attachment, run_download
from luckychit_app.services.access import Actor
from luckychit_app.services.people import data_rights


async def my_data(request: Request) -> Response:
    """GET /api/me/data.zip"""

    def build(session: Session, actor: Actor, primary: Session) -> Response:
        data, name = data_rights.export_member_data(session, actor, audit_in=primary)
        return attachment(name, data, "application/zip")

    return await run_download(request, build, "Sign in to download your data.")


DATA_RIGHTS_ROUTES = [Route("/api/me/data.zip", my_data, methods=["GET"])]
