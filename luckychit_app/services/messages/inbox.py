"""The bell: unread count and the latest notifications, as display strings."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist
from luckychit_app.models import Notification
from luckychit_app.services.access import Actor, require_role


def snapshot(
    session: Session, *, actor: Actor | None, limit: int = 20
) -> tuple[int, int, list[dict[str, str]]]:
    """(unread count, newest id, latest notifications). The newest id lets a page notice arrivals."""
    actor = require_role(actor, "member", "foreman", "admin")
    unread = session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
    ).one()
    rows = session.exec(
        select(Notification)
        .where(Notification.user_id == actor.user_id)
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()
    items = [
        {
            "id": str(n.id),
            "title": n.title,
            "body": n.body,
            "link": n.link,
            "when": format_datetime_ist(n.created_at),
            "unread": "yes" if n.read_at is None else "",
        }
        for n in rows
    ]
    return int(unread), rows[0].id if rows else 0, items
