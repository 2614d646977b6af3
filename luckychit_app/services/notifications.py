"""In-app notifications (the bell). Written in the caller's transaction so they appear with the event."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, update
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import Notification
from luckychit_app.services.access import Actor


def notify(
    session: Session, user_ids: Iterable[int], *, kind: str, title: str, body: str = "", link: str = ""
) -> None:
    session.add_all(
        Notification(user_id=uid, kind=kind, title=title[:120], body=body[:500], link=link[:200])
        for uid in sorted(set(user_ids))
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
