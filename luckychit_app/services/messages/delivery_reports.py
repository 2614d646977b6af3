"""Delivery reports from the providers' webhooks, applied to the outbox.

A report names the provider's message id (the MSG91 request id, the WhatsApp wamid) and a status.
Status only moves forward - queued/sending -> sent -> delivered, or -> failed with the provider's
error - so a report that arrives twice, or late and out of order (WhatsApp may post "delivered"
before "sent"), changes nothing the second time. Each row is locked while its report is applied,
so two deliveries of the same report at once apply once.

A report for an id we do not know is acknowledged (200, so the provider stops retrying) and logged:
it may be for a message sent before the outbox kept ids, or for another system on the same account.
WhatsApp reports also carry our reference (``lc-outbox-<id>``); a report whose wamid is unknown but
whose reference names a row still waiting for its id (its worker died before recording the answer)
gives the row its id and moves it to sent, so the message is not sent again after the lease.

The signature (WhatsApp) or URL token (MSG91) is checked by the gateways' functions before
anything is read; these functions raise `WebhookUnauthorized` (answer 401 or 403) and
`WebhookRejected` (a body that is not a report: 400). No HTTP here: api/message_webhooks.py does that.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.gateways import msg91, whatsapp
from luckychit_app.gateways.senders import DeliveryReport
from luckychit_app.models import OutboxMessage
from luckychit_app.services.messages.failed_messages import tell_foremen
from luckychit_app.services.messages.outbox import TxFactory

log = logging.getLogger("luckychit.outbox")
REFERENCE_PREFIX = "lc-outbox-"
MOVES_TO = {
    "sent": ("queued", "sending"),
    "delivered": ("queued", "sending", "sent"),
    "failed": ("queued", "sending", "sent"),
}
"""A report moves a row only from these statuses: forward, never back."""


class WebhookUnauthorized(Exception):
    """The signature or token does not match (or none is configured)."""


class WebhookRejected(Exception):
    """The body is not a delivery report."""


def _by_reference(session: Session, provider: str, reference: str) -> OutboxMessage | None:
    number = reference.removeprefix(REFERENCE_PREFIX)
    if not reference.startswith(REFERENCE_PREFIX) or not number.isdigit() or len(number) > 12:
        return None
    row = session.exec(select(OutboxMessage).where(OutboxMessage.id == int(number)).with_for_update()).first()
    if row is None or row.provider_message_id is not None or row.channel != provider:
        return None
    return row


def apply_report(session: Session, *, provider: str, report: DeliveryReport, now: datetime) -> str:
    """Apply one report. Returns "applied", "duplicate" (nothing to change) or "unknown"."""
    row = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.provider_message_id == report.provider_message_id,
            OutboxMessage.provider == provider,
        )
        .with_for_update()
    ).first()
    if row is None and report.reference:
        row = _by_reference(session, provider, report.reference)
        if row is not None:
            log.warning("outbox %s: %s reported it before its id was recorded", row.id, provider)
            row.provider, row.provider_message_id = provider, report.provider_message_id
    if row is None:
        log.info(
            "%s report for unknown message %s (%s): ignored",
            provider,
            report.provider_message_id,
            report.status,
        )
        return "unknown"
    if row.status not in MOVES_TO.get(report.status, ()):
        return "duplicate"
    row.status, row.claimed_until, row.next_attempt_at = report.status, None, None
    row.sent_at = row.sent_at or now
    if report.status == "delivered":
        row.delivered_at = now
    if report.status == "failed":
        row.last_error = (report.error or f"{provider} reported the message failed")[:300]
        tell_foremen(session, row)
    session.add(row)
    return "applied"


def apply_reports(
    session: Session, *, provider: str, reports: Iterable[DeliveryReport], now: datetime | None = None
) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for report in reports:
        counts[apply_report(session, provider=provider, report=report, now=now or utcnow())] += 1
    return {key: counts[key] for key in ("applied", "duplicate", "unknown")}


def receive_msg91(
    *, body: bytes, token: object, tx: TxFactory, env: Mapping[str, str] | None = None
) -> dict[str, int]:
    """MSG91's delivery-report webhook: the URL's token, then the reports in one transaction."""
    env = os.environ if env is None else env
    if not msg91.token_matches(env.get("LUCKYCHIT_MSG91_WEBHOOK_TOKEN"), token):
        raise WebhookUnauthorized("The token does not match.")
    try:
        reports = msg91.parse_reports(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRejected("Not a delivery report.") from exc
    with tx() as session:
        return apply_reports(session, provider="msg91", reports=reports)


def receive_whatsapp(
    *, body: bytes, signature: object, tx: TxFactory, env: Mapping[str, str] | None = None
) -> dict[str, int]:
    """The WhatsApp status webhook: `X-Hub-Signature-256` over the raw body, then the statuses."""
    env = os.environ if env is None else env
    if not whatsapp.signature_matches(env.get("LUCKYCHIT_WHATSAPP_APP_SECRET"), body, signature):
        raise WebhookUnauthorized("The signature does not match.")
    try:
        reports = whatsapp.parse_statuses(body)
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError) as exc:
        raise WebhookRejected("Not a WhatsApp notification.") from exc
    with tx() as session:
        return apply_reports(session, provider="whatsapp", reports=reports)


def whatsapp_challenge(query: Mapping[str, str], env: Mapping[str, str] | None = None) -> str:
    """The challenge to echo for Meta's webhook verification; WebhookUnauthorized otherwise."""
    env = os.environ if env is None else env
    challenge = whatsapp.verify_challenge(env.get("LUCKYCHIT_WHATSAPP_VERIFY_TOKEN"), query)
    if challenge is None:
        raise WebhookUnauthorized("The verify token does not match.")
    return challenge
