"""`/metrics`: the Prometheus text of luckychit_app.metrics, behind a bearer token when one is set."""

from __future__ import annotations

import asyncio
import hmac
import os

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response

from luckychit_app.metrics import render


async def metrics_endpoint(request: Request) -> Response:
    token = os.environ.get("LUCKYCHIT_METRICS_TOKEN", "")
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return Response("unauthorised\n", status_code=401, media_type="text/plain")
    body = await asyncio.to_thread(render)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
