"""The Starlette app of HTTP routes beside Reflex: /health and /metrics here, and each area's
routes from its own module."""

from __future__ import annotations

import asyncio
import os
import time

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from luckychit_app.api.accounts import ACCOUNT_ROUTES
from luckychit_app.api.closing import CLOSING_ROUTES
from luckychit_app.api.data_rights import DATA_RIGHTS_ROUTES
from luckychit_app.api.draws import DRAW_ROUTES
from luckychit_app.api.message_webhooks import MESSAGE_WEBHOOK_ROUTES
from luckychit_app.api.metrics import metrics_endpoint
from luckychit_app.api.paperwork import PAPERWORK_ROUTES
from luckychit_app.api.payments import PAYMENT_ROUTES
from luckychit_app.api.reports import REPORT_ROUTES
from luckychit_app.api.session_cookie import SESSION_ROUTES
from luckychit_app.api.tax import TAX_ROUTES
from luckychit_app.clock import utcnow
from luckychit_app.db import get_engine, replica_engine, transaction
from luckychit_app.http_security import SecurityHeaders
from luckychit_app.services.operations.heartbeats import background_status
from luckychit_app.settings import get_settings


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return {
            "status": "ok",
            "dialect": get_engine().dialect.name,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
    except Exception as exc:
        return {"status": "error", "error": type(exc).__name__}


def _check_replica() -> dict:
    """The read replica (READ_DATABASE_URL) that reports and exports read: reachable, and on a
    PostgreSQL standby how far its replay is behind (seconds since the last replayed transaction's
    commit: on an idle primary this grows with no lag at all, so alert on it only under writes;
    null on a database that is not a standby)."""
    started = time.perf_counter()
    try:
        engine = replica_engine()
        with engine.connect() as conn:
            lag = None
            if engine.dialect.name == "postgresql":
                lag = conn.execute(text(REPLAY_LAG)).scalar()
            else:
                conn.execute(text("SELECT 1"))
        return {
            "status": "ok",
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            "lag_seconds": None if lag is None else round(float(lag), 3),
        }
    except Exception as exc:
        return {"status": "error", "error": type(exc).__name__}


REPLAY_LAG = (
    "SELECT CASE WHEN pg_is_in_recovery()"
    " THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


def _check_redis(url: str) -> dict:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        return {"status": "ok"}
    except Exception as exc:
        return {"status": "error", "error": type(exc).__name__}


def _check_background() -> dict:
    """The background jobs' heartbeats and the outbox backlog: two reads (the heartbeat table, a row
    per job, and one aggregate over the outbox's indexed status), so /health stays fast."""
    try:
        with transaction() as session:
            workers, backlog = background_status(session, utcnow())
    except Exception as exc:  # e.g. migration 0018 not applied yet: say so, do not fail /health
        return {"status": "error", "error": type(exc).__name__}
    late = sorted(w["name"] for w in workers if w["status"] != "ok")
    return {"status": "late" if late else "ok", "attention": late, "workers": workers, "outbox": backlog}


# Set only by the browser tests' server fixture (a fresh random token per run), so the fixture can
# tell its own server from another LuckyChit on the same port. Unset in every real deployment.
TEST_INSTANCE_ENV = "LUCKYCHIT_TEST_INSTANCE"


async def health(_request: Request) -> JSONResponse:
    """200 "ok"; 200 "degraded" when a background job is late or failing (or its heartbeats cannot
    be read); 503 only when a store the app cannot serve without (the database, Redis when
    configured) is down. Why: a load balancer or the container HEALTHCHECK acts on the status code,
    and restarting or draining a worker that serves pages fine because the reminder job is late
    (or an SMS provider is failing) would make things worse; late work is for people (the
    "background" section, and the Prometheus alerts in ops/prometheus/alerts.yml), not for the
    orchestrator. A read replica (READ_DATABASE_URL), when configured, has a "replica" section: down,
    it makes "degraded" but not 503, since only reports and exports read it."""
    checks = {"database": await asyncio.to_thread(_check_database)}
    if get_settings().redis_url:
        checks["redis"] = await asyncio.to_thread(_check_redis, get_settings().redis_url)
    ok = all(c["status"] == "ok" for c in checks.values())
    body: dict = {"status": "ok" if ok else "degraded", **checks}
    if checks["database"]["status"] == "ok":  # with the database down there is nothing to read
        body["background"] = await asyncio.to_thread(_check_background)
        if body["background"]["status"] != "ok":
            body["status"] = "degraded"
    if get_settings().read_database_url:
        body["replica"] = await asyncio.to_thread(_check_replica)
        if body["replica"]["status"] != "ok":
            body["status"] = "degraded"
    if instance := os.environ.get(TEST_INSTANCE_ENV):
        body["test_instance"] = instance
    return JSONResponse(body, status_code=200 if ok else 503)


api = Starlette(
    routes=[
        Route("/health", health, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        *DRAW_ROUTES,
        *REPORT_ROUTES,
        *PAYMENT_ROUTES,
        *CLOSING_ROUTES,
        *ACCOUNT_ROUTES,
        *SESSION_ROUTES,
        *MESSAGE_WEBHOOK_ROUTES,
        *TAX_ROUTES,
        *PAPERWORK_ROUTES,
        *DATA_RIGHTS_ROUTES,
    ],
    middleware=[Middleware(SecurityHeaders)],
)
