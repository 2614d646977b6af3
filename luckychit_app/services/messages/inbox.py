"""The bell: unread count and the latest notifications, as display strings in the reader's language."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist
from luckychit_app.models import Notification
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.messages.notifications import READERS, reader_language, render, safe_link

LIMIT = 20
"""How many of the latest notifications the bell keeps (the list page asks for more)."""


@dataclasses.dataclass(frozen=True)
class Inbox:
    unread: int
    newest: int  # the newest notification's id (0: none), so a page notices arrivals
    items: list[dict[str, str]]
    language: str  # the reader's language the items are written in


def read(session: Session, *, actor: Actor | None, limit: int = LIMIT) -> Inbox:
    """The reader's unread count and latest notifications, newest first, each written out in the
    reader's language of today (not the one they had when it was written)."""
    actor = require_role(actor, *READERS)
    limit = max(1, min(int(limit), 100))
    lang = reader_language(session, actor)
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
    items = []
    for n in rows:
        title, body = render(n, lang)
        items.append(
            {
                "id": str(n.id),
                "kind": n.kind,
                "title": title,
                "body": body,
                "link": safe_link(n.link),
                "when": format_datetime_ist(n.created_at),
                "unread": "yes" if n.read_at is None else "",
            }
        )
    return Inbox(int(unread), rows[0].id if rows else 0, items, lang)


def snapshot(
    session: Session, *, actor: Actor | None, limit: int = LIMIT
) -> tuple[int, int, list[dict[str, str]]]:
    """(unread count, newest id, latest notifications): `read` as a tuple."""
    got = read(session, actor=actor, limit=limit)
    return got.unread, got.newest, got.items
