"""What goes into a draw besides the foreman's committed seed, until the cutoff: each member's
phrase. With the public beacon round named in the commitment (services.draws.beacon) they make the
client seed, so neither the foreman nor any single member can choose the winner (DESIGN.md §4). The
foreman no longer types a public value: one typed after the commitment added no assurance."""

from __future__ import annotations

import hashlib

from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.fairness import validate_phrase
from luckychit_app.models import ChitGroup, DrawEntropy, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.draws.draw_rows import draw_row, require_open
from luckychit_app.services.errors import NotAllowed, ServiceError


def _member_of_group(session: Session, actor: Actor | None, group: ChitGroup) -> Actor:
    actor = require_role(actor, "member")
    holds = session.exec(
        select(Ticket.id).where(
            Ticket.group_id == group.id, Ticket.member_id == actor.user_id, Ticket.status != "removed"
        )
    ).first()
    if holds is None or group.foreman_id == actor.user_id:
        raise NotAllowed()
    return actor


def add_phrase(session: Session, *, actor: Actor | None, draw_id: object, phrase: object) -> DrawEntropy:
    """A member's phrase for the client seed. One per member per draw; a new one replaces theirs.

    The phrase text is public only after the draw (in the proof); the audit log keeps its hash.
    """
    draw = draw_row(session, draw_id, lock=True)
    group = session.get(ChitGroup, draw.group_id)
    actor = _member_of_group(session, actor, group)
    require_open(draw)
    try:
        text = validate_phrase(phrase)
    except DomainError as exc:
        raise ServiceError(str(exc)[:1].upper() + str(exc)[1:] + ".", "phrase") from exc
    row = session.exec(
        select(DrawEntropy).where(DrawEntropy.draw_id == draw.id, DrawEntropy.user_id == actor.user_id)
    ).first()
    if row is None:
        row = DrawEntropy(draw_id=draw.id, user_id=actor.user_id, phrase=text)
    else:
        row.phrase, row.created_at = text, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="draw.phrase",
        object_type="draw",
        object_id=draw.id,
        detail={"phrase_sha256": hashlib.sha256(text.encode()).hexdigest()},
        chain=group.foreman_id,
    )
    return row
