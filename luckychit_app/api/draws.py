"""Public downloads for fair draws: a completed draw's proof JSON and the standalone verifier.

Both are deliberately public (DESIGN §4.5: "anyone can download it"): the proof names members only
by opaque per-group references, and verify.py is the same file the app uses. Mounted by api/routes.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from luckychit_app.db import read_transaction
from luckychit_app.services.draws import draw_views

VERIFIER = Path(__file__).parents[1] / "verify.py"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _proof(draw_id: int) -> tuple[str, str] | None:
    """A completed draw's proof never changes, so the read replica serves it (db.read_transaction);
    a draw completed a moment ago may 404 there for the replication delay."""
    with read_transaction() as session:
        return draw_views.proof_download(session, draw_id=draw_id)


async def draw_proof(request: Request) -> Response:
    """GET /api/draws/{id}/proof.json: the proof exactly as stored at the draw (so its SHA-256 is
    the one in the minutes), as a download."""
    found = await asyncio.to_thread(_proof, request.path_params["draw_id"])
    if found is None:
        return JSONResponse({"error": "no completed draw with that number"}, status_code=404, headers=HEADERS)
    text, filename = found
    return Response(
        text.encode(),
        media_type="application/json; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def verifier_source(_request: Request) -> Response:
    """GET /api/verify.py: the standalone verifier a member runs with `python verify.py PROOF.json`."""
    body = await asyncio.to_thread(VERIFIER.read_bytes)
    return Response(
        body,
        media_type="text/x-python; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": 'attachment; filename="verify.py"'},
    )


DRAW_ROUTES = [
    Route("/api/draws/{draw_id:int}/proof.json", draw_proof, methods=["GET"]),
    Route("/api/verify.py", verifier_source, methods=["GET"]),
]
