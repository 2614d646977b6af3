"""What the admin page shows of the outbox: counts that do not call the console "sent", the latest
messages one by one (recipient masked), and a plain banner when production has no provider.

A message "sent" by the console sender (the development default) reached no one: its row says
provider "console", and every count and label here shows it as "console only", never as sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist
from luckychit_app.gateways.routing import CONSOLE, SETTINGS_HINT
from luckychit_app.models import OUTBOX_STATUSES, OutboxMessage
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.errors import ServiceError

CONSOLE_ONLY = "console only"
FILTERS = ("", *OUTBOX_STATUSES, "console")
"""The history's status filter: everything, one status, or what only reached the console."""
MAX_ROWS = 200
CHANNEL_NAMES = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "Email"}


def mask_recipient(recipient: str) -> str:
    """A phone number as XXXXXX1234, an email address as a•••@example.in: enough for the admin to
    tell messages apart, not a list of members' contacts."""
    if "@" in recipient:
        local, _, domain = recipient.rpartition("@")
        return f"{local[:1]}•••@{domain}"
    return "X" * max(len(recipient) - 4, 0) + recipient[-4:]


def _when(value: datetime | None) -> str:
    return format_datetime_ist(value) if value else "—"


def _label(row: OutboxMessage) -> str:
    if row.status in ("sent", "delivered") and row.provider == "console":
        return CONSOLE_ONLY
    return row.status


def recent_messages(
    session: Session, *, actor: Actor | None, status: object = "", limit: int = 50
) -> list[dict[str, str]]:
    """The latest messages, newest first, optionally of one status ("console" = console only)."""
    require_role(actor, "admin")
    if status not in FILTERS:
        raise ServiceError("Choose a status from the list.", "status")
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(max(1, min(limit, MAX_ROWS)))
    if status == "console":
        query = query.where(OutboxMessage.provider == "console")
    elif status in ("sent", "delivered"):
        query = query.where(OutboxMessage.status == status, OutboxMessage.provider != "console")
    elif status:
        query = query.where(OutboxMessage.status == status)
    return [
        {
            "id": str(row.id),
            "created": _when(row.created_at),
            "channel": row.channel,
            "kind": row.kind,
            "recipient": mask_recipient(row.recipient),
            "status": _label(row),
            "attempts": str(row.attempts),
            "provider": row.provider or "—",
            "provider_id": (row.provider_message_id or "—")[:40],
            "error": row.last_error or "",
            "sent": _when(row.sent_at),
            "delivered": _when(row.delivered_at),
            "next": _when(row.next_attempt_at) if row.status == "queued" else "—",
        }
        for row in session.exec(query).all()
    ]


def outbox_counts(session: Session) -> dict[str, int]:
    """waiting (queued or being sent), sent (by a real provider), delivered (reported so),
    console (went only to the server's console) and failed."""
    found = dict.fromkeys(("waiting", "sent", "delivered", "console", "failed"), 0)
    rows = session.exec(
        select(OutboxMessage.status, OutboxMessage.provider, func.count()).group_by(
            OutboxMessage.status, OutboxMessage.provider
        )
    ).all()
    for status, provider, count in rows:
        if status in ("queued", "sending"):
            found["waiting"] += count
        elif status in ("sent", "delivered") and provider == "console":
            found["console"] += count
        else:
            found[status] += count
    return found


def delivery_banner(status: Mapping[str, str], app_env: str) -> str:
    """In production, the plain sentence the admin page shows for channels that reach no one;
    empty when every channel has a working provider, and outside production."""
    if app_env != "prod":
        return ""
    missing = [channel for channel in ("sms", "whatsapp") if status.get(channel) == CONSOLE]
    broken = [f"{CHANNEL_NAMES[c]}: {said}" for c, said in status.items() if said.startswith("misconfigured")]
    parts = []
    if missing:
        names = "/".join(CHANNEL_NAMES[c] for c in missing)
        hint = "; ".join(SETTINGS_HINT[c] for c in missing)
        parts.append(f"{names} messages are NOT being delivered: no provider configured (set {hint}).")
    if status.get("email") == CONSOLE:
        parts.append(
            f"Email is NOT being delivered: no SMTP server configured (set {SETTINGS_HINT['email']})."
        )
    if broken:
        parts.append("Provider settings are wrong, messages wait in the queue: " + "; ".join(broken) + ".")
    return " ".join(parts)
