"""Auctions close by themselves at their announced closing time (DESIGN.md §2-4).

Bids already stop at the closing time (``auctions.place_bid`` checks it under the draw's lock). This
module settles what is due: :func:`due_auction_ids` lists the auctions past their closing time and
:func:`close_if_due` settles one of them, in the caller's transaction, through
``auctions.close_locked_auction`` - the very code the foreman's "Close auction" button runs - so the
winner, the tie-break by the verifiable lot, the settlement in the books, the net installment, the
notifications and the next month are the same whoever closed it.

Several app workers (and a cron ``close-due-auctions``) run this at once. Each closer takes the draw
row with ``FOR UPDATE SKIP LOCKED`` and re-reads its status and closing time under the lock: a
closer that finds the row taken moves on (whoever holds it settles it or leaves it open), and one
that comes after the settlement committed no longer matches ``status = 'bidding'``. The unique
settlement journal key ``draw:<id>`` and the draw's unique (group, month) row are the backstop.

An auction that reaches its closing time without a bid from an eligible ticket cannot be settled:
it stays open for the foreman to move the closing time later (or close it once a bid is entered in
person). The foreman is told once per closing time; until then the closer only looks at that
notification, so a forgotten auction costs one small query a tick.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, utcnow
from luckychit_app.models import ChitGroup, Draw, Notification
from luckychit_app.services.draws import auctions
from luckychit_app.services.draws.draw_rows import draw_mode, lock_group_tickets
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.messages.notifications import notify

Outcome = Literal["settled", "skipped", "unsold"]
UNSOLD_KIND = "auction_unsold"


def due_auction_ids(session: Session, *, now: datetime | None = None, limit: int = 50) -> list[int]:
    """Auctions still taking bids whose closing time has come, the longest overdue first."""
    moment = now or utcnow()
    return list(
        session.exec(
            select(Draw.id)
            .where(Draw.status == "bidding", Draw.bidding_closes_at <= moment)
            .order_by(Draw.bidding_closes_at, Draw.id)
            .limit(limit)
        ).all()
    )


def _foreman_link(draw: Draw) -> str:
    return f"/f/draws/{draw.id}"


def _unsold_title(draw: Draw, group: ChitGroup) -> str:
    """Names the closing time, so a moved closing time that passes again is told again."""
    closes = format_datetime_ist(draw.bidding_closes_at, seconds=True)
    return f"{group.name} month {draw.month}: bidding closed at {closes} with no bid to settle"[:120]


def _already_told(session: Session, draw: Draw, group: ChitGroup) -> bool:
    """Whether the foreman has been told that this closing time passed with nothing to settle."""
    return (
        session.exec(
            select(Notification.id).where(
                Notification.user_id == group.foreman_id,
                Notification.kind == UNSOLD_KIND,
                Notification.link == _foreman_link(draw),
                Notification.title == _unsold_title(draw, group),
            )
        ).first()
        is not None
    )


def close_if_due(session: Session, *, draw_id: int, now: datetime | None = None) -> Outcome:
    """Settle one auction if its closing time has come and nobody else is settling it.

    "settled": this call settled it. "skipped": not due (closed already, moved later, not an
    auction) or another closer holds it right now. "unsold": due, but no eligible ticket bid; the
    foreman has been told, and the auction stays open for a later closing time.
    """
    moment = now or utcnow()
    draw = session.exec(
        select(Draw)
        .where(Draw.id == draw_id, Draw.status == "bidding", Draw.bidding_closes_at <= moment)
        .with_for_update(skip_locked=True)
    ).first()
    if draw is None:
        return "skipped"
    group = session.get(ChitGroup, draw.group_id)
    if group is None or group.kind != "auction" or draw_mode(group, draw) != "auction":
        return "skipped"  # open_auction never opens bidding for these; nothing to do automatically
    if _already_told(session, draw, group):
        return "unsold"
    lock_group_tickets(session, group.id)
    try:
        # A savepoint: should settling fail half-way, the notification below still commits alone.
        with session.begin_nested():
            auctions.close_locked_auction(session, draw=draw, group=group, actor_id=None)
    except ServiceError as exc:
        notify(
            session,
            [group.foreman_id],
            kind=UNSOLD_KIND,
            title=_unsold_title(draw, group),
            body=exc.message,
            link=_foreman_link(draw),
        )
        return "unsold"
    return "settled"
