"""`/metrics`: the Prometheus text of luckychit_app.metrics, behind a bearer token.

In production (`LUCKYCHIT_ENV=prod`) the endpoint is refused until `LUCKYCHIT_METRICS_TOKEN` is set
(issue 17): event names, payment and draw counts and error rates are the business's figures, not
the public's. Elsewhere an unset token leaves it open, for a developer's machine."""

from __future__ import annotations

import asyncio
import hmac
import logging
import os

from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import Metric
from starlette.requests import Request
from starlette.responses import Response

from luckychit_app.clock import utcnow
from luckychit_app.db import transaction
from luckychit_app.metrics import background_families, render
from luckychit_app.services.operations.heartbeats import background_status
from luckychit_app.settings import get_settings

log = logging.getLogger("luckychit")

METRICS_OFF = "metrics are off: set LUCKYCHIT_METRICS_TOKEN to serve /metrics in production\n"


def metrics_refused_reason() -> str:
    """Why /metrics is off ("" when it is served): production without a token. Said at start-up too."""
    if get_settings().env == "prod" and not os.environ.get("LUCKYCHIT_METRICS_TOKEN"):
        return METRICS_OFF
    return ""


def warn_if_metrics_off() -> None:
    """At start-up: say once that /metrics will be refused, so an operator is not left guessing."""
    if reason := metrics_refused_reason():
        log.warning(reason.strip())


def _background_gauges() -> list[Metric]:
    """The background jobs' and the outbox's gauges (two small reads). When the database cannot be
    read they are left out rather than the scrape failed: the event and error counters matter most
    exactly then, and an absent series is itself alertable (LuckyChitBackgroundGaugesMissing)."""
    try:
        with transaction() as session:
            return background_families(*background_status(session, utcnow()))
    except Exception:
        log.warning("background gauges left out of /metrics", exc_info=True)
        return []


def _render_with_background() -> bytes:
    return render(_background_gauges())


async def metrics_endpoint(request: Request) -> Response:
    if reason := metrics_refused_reason():
        return Response(reason, status_code=503, media_type="text/plain")
    token = os.environ.get("LUCKYCHIT_METRICS_TOKEN", "")
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return Response("unauthorised\n", status_code=401, media_type="text/plain")
    body = await asyncio.to_thread(_render_with_background)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
