"""Delivering queued outbox messages. Messages are written in the same transaction as the event
that caused them, and sent afterwards, so a rolled-back event never sends anything."""

from __future__ import annotations

from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.gateways.senders import Sender
from luckychit_app.models import OutboxMessage

MAX_ATTEMPTS = 5


def deliver_pending(session: Session, sender: Sender, *, limit: int = 50) -> int:
    """Send up to `limit` queued messages; failures are retried up to MAX_ATTEMPTS times."""
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued")
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    sent = 0
    for row in rows:
        row.attempts += 1
        try:
            sender.send(channel=row.channel, recipient=row.recipient, subject=row.subject, body=row.body)
        except Exception as exc:
            row.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
        else:
            row.status, row.sent_at = "sent", utcnow()
            sent += 1
        session.add(row)
    return sent
