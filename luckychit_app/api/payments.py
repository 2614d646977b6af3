"""HTTP routes for money: the gateway webhook and receipt PDFs. Mounted by api.py.

``POST /api/razorpay/webhook`` reads the raw body (the signature covers those exact bytes, so it is
never parsed before it is verified), checks ``X-Razorpay-Signature``, and applies the event in one
transaction keyed by ``X-Razorpay-Event-Id``. Answers: 200 applied/duplicate/ignored, 400 for a bad
signature or body (Razorpay does not retry those), 500 when something on our side failed (Razorpay
retries, and the event id makes the retry safe).

``GET /api/receipts/{id}.pdf`` is authenticated by the ``lc_session`` cookie like the other
downloads; the receipts service decides who may see which receipt.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from luckychit_app.api.session_cookie import COOKIE
from luckychit_app.db import transaction
from luckychit_app.gateways.choice import get_gateway
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import online_webhooks, receipts
from luckychit_app.services.people import auth

log = logging.getLogger("luckychit.webhook")
MAX_BODY = 256 * 1024
"""Razorpay events are a few kilobytes; anything far larger is not one."""
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


async def razorpay_webhook(request: Request) -> Response:
    body = await request.body()
    if len(body) > MAX_BODY:
        return JSONResponse({"status": "rejected", "error": "too large"}, status_code=413, headers=HEADERS)
    signature = request.headers.get("x-razorpay-signature", "")
    event_id = request.headers.get("x-razorpay-event-id")
    try:
        outcome = await asyncio.to_thread(
            online_webhooks.receive_webhook,
            body=body,
            signature=signature,
            event_id=event_id,
            gateway=get_gateway(),
            tx=transaction,
        )
    except online_webhooks.WebhookRejected as exc:
        log.warning("webhook rejected: %s", exc)
        return JSONResponse({"status": "rejected", "error": str(exc)}, status_code=400, headers=HEADERS)
    except Exception:
        log.exception("webhook failed; the gateway will retry")
        return JSONResponse({"status": "error"}, status_code=500, headers=HEADERS)
    return JSONResponse({"status": outcome}, headers=HEADERS)


def _actor(token: str | None) -> Actor | None:
    with transaction() as session:
        found = auth.actor_for_token(session, token)
    if found is None or found[1]:
        return None
    return found[0]


def _pdf(actor: Actor, payment_id: int) -> tuple[str, bytes]:
    with transaction() as session:
        return receipts.receipt_pdf(session, actor=actor, payment_id=payment_id)


async def receipt_pdf(request: Request) -> Response:
    actor = await asyncio.to_thread(_actor, request.cookies.get(COOKIE))
    if actor is None:
        return JSONResponse({"error": "Sign in to download your receipt."}, status_code=401, headers=HEADERS)
    try:
        filename, data = await asyncio.to_thread(_pdf, actor, request.path_params["payment_id"])
    except NotAllowed:
        return JSONResponse({"error": "You are not allowed to do that."}, status_code=403, headers=HEADERS)
    except ServiceError as exc:
        return JSONResponse({"error": exc.message}, status_code=404, headers=HEADERS)
    return Response(
        data,
        media_type="application/pdf",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


PAYMENT_ROUTES = [
    Route("/api/razorpay/webhook", razorpay_webhook, methods=["POST"]),
    Route("/api/receipts/{payment_id:int}.pdf", receipt_pdf, methods=["GET"]),
]
