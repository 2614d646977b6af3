"""A month's draw row: finding it, the lock every writer takes on it, and how its month is decided.

This is the ground every draw use case stands on (DESIGN.md §4). The life of a draw row:

* ``committed`` - created when the month opens (services.groups.months) with the seed's commitment.
  Members add entropy phrases and the foreman a public value until the cutoff.
* ``bidding`` - auction groups only: the foreman opened the auction with a closing time; eligible
  members (or the foreman, for a member present in person) bid until that time.
* ``completed`` - conducted (lucky draw) or closed (auction). In one transaction: the entropy closes
  (``cutoff_at``), the eligible list is frozen (``frozen_at``), the committed seed selects the
  winner (``drawn_at``) and is revealed in the proof (``revealed_at``); the month is settled in the
  books and the next month opens.

The draw row is locked (``SELECT ... FOR UPDATE``) by every writer - phrases, public value, bids,
opening, conducting - so nothing slips in after the cutoff, and a second attempt to hold the draw
waits and then finds it completed. The database's unique (group, month) constraint means there can
never be a second draw row for the month either.
"""

from __future__ import annotations

from sqlmodel import Session, select

from luckychit_app.models import ChitGroup, Draw, Ticket
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError

OPEN_STATUSES = ("committed", "bidding")


def draw_row(session: Session, draw_id: object, *, lock: bool) -> Draw:
    """The draw with this id (locked for update when ``lock``); NotAllowed when there is none."""
    did = require_id(draw_id, "draw")
    stmt = select(Draw).where(Draw.id == did)
    draw = session.exec(stmt.with_for_update() if lock else stmt).first()
    if draw is None:
        raise NotAllowed()
    return draw


def require_open(draw: Draw) -> None:
    """Refuse a change to a draw that has been held (or is not open for any other reason)."""
    if draw.status == "completed":
        raise ServiceError(f"The draw for month {draw.month} has already been held.")
    if draw.status not in OPEN_STATUSES:
        raise ServiceError("This draw is not open.")


def lock_group_tickets(session: Session, group_id: int) -> None:
    """Taken after the draw's lock by whoever settles a draw.

    Payments lock their ticket before touching its dues; holding every ticket of the group (in id
    order, before the audit lock, as payments do) keeps a payment from allocating against a due that
    this settlement is about to lower to the net installment. It also orders a suspension racing the
    draw: it lands either before the freeze or after the draw.
    """
    session.exec(
        select(Ticket.id).where(Ticket.group_id == group_id).order_by(Ticket.id).with_for_update()
    ).all()


def locked_draw(session: Session, actor: Actor | None, draw_id: object) -> tuple[Draw, ChitGroup]:
    """The foreman's open draw and its group, with the draw row and every ticket of the group locked."""
    draw = draw_row(session, draw_id, lock=True)
    group = group_for_foreman(session, actor, draw.group_id)
    require_open(draw)
    lock_group_tickets(session, group.id)
    return draw, group


def draw_mode(group: ChitGroup, draw: Draw) -> str:
    """How this month is decided: "foreman_first", "final" (last ticket, no draw), "lucky" or "auction"."""
    if draw.month == 1 and group.foreman_first_chit:
        return "foreman_first"
    if draw.month == group.tickets:
        return "final"
    return group.kind
