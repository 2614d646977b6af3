"""HTTP routes for message delivery reports (issue 18). Mounted by routes.py.

``POST /api/webhooks/msg91?token=<LUCKYCHIT_MSG91_WEBHOOK_TOKEN>`` - MSG91 signs nothing, so the
URL's secret token is the authentication (compared in constant time). ``GET
/api/webhooks/whatsapp`` answers Meta's subscription check (echoes ``hub.challenge`` when
``hub.verify_token`` matches); ``POST /api/webhooks/whatsapp`` checks ``X-Hub-Signature-256``
over the raw body before reading it.

Answers: 200 with counts (applied / duplicate / unknown; an unknown id is acknowledged so the
provider stops retrying), 401 for a bad token or signature (403 for a failed GET verification, as
Meta's own sample does), 400 for a body that is not a report, 413 for one far too large, 500 when
something on our side failed (the providers retry; applying a report twice changes nothing).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from luckychit_app.db import transaction
from luckychit_app.services.messages import delivery_reports
from luckychit_app.services.messages.delivery_reports import WebhookRejected, WebhookUnauthorized

log = logging.getLogger("luckychit.webhook")
MAX_BODY = 256 * 1024
"""A batch of delivery reports is a few kilobytes; anything far larger is not one."""
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _answer(status: str, code: int, **extra: object) -> JSONResponse:
    return JSONResponse({"status": status, **extra}, status_code=code, headers=HEADERS)


Apply = Callable[..., dict[str, int]]


async def _receive(request: Request, provider: str, apply: Apply, credential: str) -> Response:
    body = await request.body()
    if len(body) > MAX_BODY:
        return _answer("rejected", 413, error="too large")
    try:
        counts = await asyncio.to_thread(apply, body=body, credential=credential)
    except WebhookUnauthorized as exc:
        log.warning("%s delivery report refused: %s", provider, exc)
        return _answer("unauthorized", 401)
    except WebhookRejected as exc:
        log.warning("%s delivery report rejected: %s", provider, exc)
        return _answer("rejected", 400, error=str(exc))
    except Exception:
        log.exception("%s delivery report failed; the provider will retry", provider)
        return _answer("error", 500)
    return _answer("ok", 200, **counts)


def _msg91(*, body: bytes, credential: str) -> dict[str, int]:
    return delivery_reports.receive_msg91(body=body, token=credential, tx=transaction)


def _whatsapp(*, body: bytes, credential: str) -> dict[str, int]:
    return delivery_reports.receive_whatsapp(body=body, signature=credential, tx=transaction)


async def msg91_webhook(request: Request) -> Response:
    return await _receive(request, "msg91", _msg91, request.query_params.get("token", ""))


async def whatsapp_webhook(request: Request) -> Response:
    signature = request.headers.get("x-hub-signature-256", "")
    return await _receive(request, "whatsapp", _whatsapp, signature)


async def whatsapp_verify(request: Request) -> Response:
    try:
        challenge = delivery_reports.whatsapp_challenge(dict(request.query_params))
    except WebhookUnauthorized:
        return _answer("forbidden", 403)
    return PlainTextResponse(challenge, headers=HEADERS)


MESSAGE_WEBHOOK_ROUTES = [
    Route("/api/webhooks/msg91", msg91_webhook, methods=["POST"]),
    Route("/api/webhooks/whatsapp", whatsapp_verify, methods=["GET"]),
    Route("/api/webhooks/whatsapp", whatsapp_webhook, methods=["POST"]),
]
