"""Who has the live draw page open. Pages send a heartbeat every few seconds; at the draw, the
members (not the foreman) whose page beat within ``PRESENCE_WINDOW`` are counted as "members
online" and their rows marked ``at_draw`` for the minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import ChitGroup, Draw, DrawPresence, Ticket
from luckychit_app.services.access import Actor, group_for_viewer
from luckychit_app.services.draws.draw_rows import OPEN_STATUSES, draw_row

PRESENCE_WINDOW = timedelta(seconds=20)
"""A page that sent a heartbeat this recently counts as open (pages beat every few seconds)."""


def heartbeat(session: Session, *, actor: Actor | None, draw_id: object) -> None:
    """Record that the actor's draw page is open now (an upsert, safe for two tabs at once)."""
    draw = draw_row(session, draw_id, lock=False)
    group_for_viewer(session, actor, draw.group_id)
    if draw.status not in OPEN_STATUSES:
        return  # presence matters only until the draw
    now = utcnow()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DrawPresence).values(
        draw_id=draw.id, user_id=actor.user_id, first_seen_at=now, last_seen_at=now, at_draw=False
    )
    session.exec(
        stmt.on_conflict_do_update(index_elements=["draw_id", "user_id"], set_={"last_seen_at": now})
    )


def mark_members_online(session: Session, draw: Draw, group: ChitGroup, at: datetime) -> int:
    """Mark the members whose page was open at the draw and return how many there were."""
    holders = select(Ticket.member_id).where(Ticket.group_id == group.id, Ticket.status != "removed")
    fresh = (
        DrawPresence.draw_id == draw.id,
        DrawPresence.last_seen_at >= at - PRESENCE_WINDOW,
        DrawPresence.user_id != group.foreman_id,
        DrawPresence.user_id.in_(holders),
    )
    session.exec(update(DrawPresence).where(*fresh).values(at_draw=True))
    return session.exec(select(func.count()).select_from(DrawPresence).where(*fresh)).one()
