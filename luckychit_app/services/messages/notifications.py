"""In-app notifications (the bell). Written in the caller's transaction so they appear with the event."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping

from sqlalchemy import func, update
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.i18n import text
from luckychit_app.models import Notification, User
from luckychit_app.services.access import Actor


def whatsapp_link(mobile: str, text: str = "") -> str:
    """A WhatsApp click-to-chat (wa.me) link to an Indian mobile number (country code 91), with the
    message filled in when there is one."""
    link = f"https://wa.me/91{mobile}"
    return f"{link}?text={urllib.parse.quote(text)}" if text else link


def notify(
    session: Session,
    user_ids: Iterable[int],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    title_key: str = "",
    body_key: str = "",
    values: Mapping[str, object] | None = None,
) -> None:
    """Notify each user. With `title_key` (and `body_key`), a recipient who reads Hindi gets those
    i18n strings filled with `values`; everyone else gets `title`/`body` (stored as written, so the
    bell shows each person their own language without translating at read time)."""
    ids = sorted(set(user_ids))
    hindi: set[int] = set()
    if title_key and ids:
        hindi = set(session.exec(select(User.id).where(User.id.in_(ids), User.language == "hi")).all())
    vals = dict(values or {})

    def words(uid: int) -> tuple[str, str]:
        if uid not in hindi:
            return title, body
        return text("hi", title_key, **vals), text("hi", body_key, **vals) if body_key else body

    session.add_all(
        Notification(user_id=uid, kind=kind, title=t[:120], body=b[:500], link=link[:200])
        for uid in ids
        for t, b in [words(uid)]
    )


def unread_count(session: Session, *, actor: Actor) -> int:
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
    ).one()


def recent(session: Session, *, actor: Actor, limit: int = 20) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == actor.user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        ).all()
    )


def mark_all_read(session: Session, *, actor: Actor) -> None:
    session.exec(
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
