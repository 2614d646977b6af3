"""A month's auction in an auction group: the foreman opens it with a closing time, members bid
discounts, and the highest discount takes the prize (DESIGN.md §4).

Rules chosen here, for the cases the design leaves open:

* A bidder suspended *before* an auction closes has their bids set aside at the close, because
  their ticket is not on the list frozen then.
* The foreman may close an auction before its announced closing time (everyone present has bid);
  the minutes and the audit log record that it closed early.
* At the announced closing time bids stop (checked under the draw's lock) and a periodic job
  (services.draws.auction_closer, run by luckychit_app.background and the ``close-due-auctions``
  command) settles the auction through :func:`close_locked_auction`, the same code as the foreman's
  button. The books record no user for a close nobody pressed; the audit log says
  ``closed_by: schedule``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, today_ist, utcnow
from luckychit_app.domain.eligibility import ineligibility_reason
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import parse_rupees
from luckychit_app.domain.settlement import settle_auction, validate_bid
from luckychit_app.models import Bid, ChitGroup, Draw, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.draws.bid_chain import append_bid, chained_bids
from luckychit_app.services.draws.conducting import conduct_draw, refuse_early_draw
from luckychit_app.services.draws.draw_rows import draw_mode, draw_row, locked_draw, require_open
from luckychit_app.services.draws.settling import AuctionLog, entropy_cutoff, settle_draw
from luckychit_app.services.draws.ticket_states import ticket_states
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.terms import terms_of
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.validation import clean_int, clean_ist_datetime

AUCTION_MAX_MINUTES = 7 * 24 * 60
AUCTION_MIN_LEAD = timedelta(seconds=10)
"""A closing time typed as a clock time must be at least this far ahead: one that passes while the
form is being sent would close the auction before anyone could bid."""


MIN_EXTENSION = timedelta(minutes=1)
"""The least an open auction's closing time is moved by (see `open_auction`)."""


def _closing_time(minutes: object, closes_at: object, now: datetime) -> datetime:
    """The closing time from "minutes from now" or, when given, a clock time in IST (to the second)."""
    if closes_at is None or (isinstance(closes_at, str) and not closes_at.strip()):
        span = clean_int(minutes, field="minutes", label="Minutes", lo=1, hi=AUCTION_MAX_MINUTES)
        return (now + timedelta(minutes=span)).replace(microsecond=0)
    closes = clean_ist_datetime(closes_at, field="closes_at", label="Closing time")
    if closes < now + AUCTION_MIN_LEAD:
        raise ServiceError(
            f"The closing time must be in the future, at least {AUCTION_MIN_LEAD.seconds} seconds from now "
            f"(it is {format_datetime_ist(now, seconds=True)}).",
            "closes_at",
        )
    if closes > now + timedelta(minutes=AUCTION_MAX_MINUTES):
        raise ServiceError("The closing time must be within 7 days.", "closes_at")
    return closes


def open_auction(
    session: Session,
    *,
    actor: Actor | None,
    draw_id: object,
    minutes: object = None,
    closes_at: object = None,
) -> Draw:
    """Open month k's auction until ``minutes`` from now or until ``closes_at`` (a datetime-local value
    in IST), or move an open auction's closing time later."""
    draw = draw_row(session, draw_id, lock=True)
    group = group_for_foreman(session, actor, draw.group_id)
    require_open(draw)
    if group.kind != "auction":
        raise ServiceError("This is a lucky-draw group: it has no auction.")
    mode = draw_mode(group, draw)
    if mode == "foreman_first":
        raise ServiceError("Month 1 goes to the foreman's own ticket: there is no auction.")
    if mode == "final":
        raise ServiceError("The last ticket takes the final month without an auction: conduct it instead.")
    now = utcnow()
    closes = _closing_time(minutes, closes_at, now)
    extending = draw.status == "bidding"
    # A move of less than a minute is the same request sent twice (a second tab, a double tap: "30
    # minutes from now" a few seconds later), not a decision to give the bidders more time.
    if extending and draw.bidding_closes_at is not None and closes < draw.bidding_closes_at + MIN_EXTENSION:
        raise ServiceError(
            f"Bidding already runs until {format_datetime_ist(draw.bidding_closes_at, seconds=True)}; "
            "the closing time can only be moved later, by a minute or more.",
            "closes_at" if isinstance(closes_at, str) and closes_at.strip() else "minutes",
        )
    draw.status, draw.bidding_closes_at = "bidding", closes
    draw.started_at = draw.started_at or now
    session.add(draw)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="auction.extended" if extending else "auction.opened",
        object_type="draw",
        object_id=draw.id,
        detail={"group_id": group.id, "month": draw.month, "closes_at": closes.isoformat()},
        chain=group.foreman_id,
    )
    members = session.exec(
        select(Ticket.member_id).where(Ticket.group_id == group.id, Ticket.status != "removed")
    ).all()
    notify(
        session,
        set(members),
        kind="auction_open",
        title=f"{group.name} month {draw.month}: bidding open until "
        f"{format_datetime_ist(closes, seconds=True)}",
        link=f"/m/draws/{draw.id}",
        title_key="notify.auction_open",
        values={"group": group.name, "month": draw.month, "until": format_datetime_ist(closes)},
    )
    return draw


def place_bid(
    session: Session,
    *,
    actor: Actor | None,
    draw_id: object,
    ticket_id: object,
    discount: object,
    in_person: bool = False,
) -> Bid:
    """A member bids for their own ticket; the foreman may enter a bid for a member present in person."""
    did, tid = require_id(draw_id, "draw"), require_id(ticket_id, "ticket")
    draw = session.exec(select(Draw).where(Draw.id == did).with_for_update()).first()
    ticket = session.get(Ticket, tid)
    if draw is None or ticket is None or ticket.group_id != draw.group_id or actor is None:
        raise NotAllowed()
    group = session.get(ChitGroup, draw.group_id)
    if in_person is True:
        group_for_foreman(session, actor, group.id)
    elif in_person is not False or ticket.member_id != actor.user_id or actor.role != "member":
        raise NotAllowed()
    if group.kind != "auction" or draw.status != "bidding" or draw.bidding_closes_at is None:
        raise ServiceError("Bidding is not open for this month.")
    now = utcnow()
    if now >= draw.bidding_closes_at:
        raise ServiceError(f"Bidding closed at {format_datetime_ist(draw.bidding_closes_at, seconds=True)}.")
    states = {t.id: s for t, s in ticket_states(session, group, draw.month)}
    if ticket.id not in states:  # removed and substituted (Chit Funds Act s.28): the seat is not theirs
        raise ServiceError("This ticket has been removed from the group; it cannot bid.")
    reason = ineligibility_reason(states[ticket.id], draw.month, "auction")
    if reason:
        raise ServiceError(reason)
    try:
        amount = parse_rupees(discount if not isinstance(discount, int) else str(discount))
        best = session.exec(select(func.max(Bid.discount)).where(Bid.draw_id == draw.id)).one()
        # A bid of exactly the maximum discount is always taken (ties there go to the lot at the close).
        validate_bid(terms_of(group), amount, best)
    except DomainError as exc:
        raise ServiceError(str(exc), "discount") from exc
    bid = append_bid(
        session,
        draw=draw,
        ticket=ticket,
        discount=amount,
        placed_by_id=actor.user_id,
        in_person=in_person,
        now=now,
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action="auction.bid",
        object_type="draw",
        object_id=draw.id,
        detail={
            "ticket_no": ticket.ticket_no,
            "discount": amount,
            "in_person": in_person,
            "seq": bid.seq,
            "hash": bid.hash,
        },
        chain=group.foreman_id,
    )
    return bid


def close_auction(
    session: Session,
    *,
    actor: Actor | None,
    draw_id: object,
    members_online: int | None = None,
    today: date | None = None,
) -> Draw:
    """The foreman closes the auction (before its closing time too: the minutes say it closed early).
    Closing it is holding the month's draw, so a group whose agreement refuses a draw before its date
    refuses this too (conducting.refuse_early_draw; s.16(1)); bidding may open earlier."""
    draw, group = locked_draw(session, actor, draw_id)
    if group.kind != "auction":
        raise ServiceError("This is a lucky-draw group.")
    if draw_mode(group, draw) in ("final", "foreman_first"):
        return conduct_draw(session, actor=actor, draw_id=draw.id, members_online=members_online, today=today)
    refuse_early_draw(session, group, draw, actor.user_id, today or today_ist())
    return close_locked_auction(
        session, draw=draw, group=group, actor_id=actor.user_id, members_online=members_online
    )


def close_locked_auction(
    session: Session,
    *,
    draw: Draw,
    group: ChitGroup,
    actor_id: int | None,
    members_online: int | None = None,
) -> Draw:
    """Settle an auction whose draw row and group tickets the caller has locked (:func:`close_auction`
    for the foreman, services.draws.auction_closer at the closing time with ``actor_id`` None).

    The highest discount wins; several tickets at the same highest discount (in practice the maximum
    discount, which any ticket may offer) go to the lot: the draw's committed seed picks among the
    tied tickets only, frozen as the proof's eligible list ("auction-tie"), so a member verifies it
    like a lucky draw. Only bids of tickets still eligible at the close count (a bidder suspended
    meanwhile is set aside, and the minutes say so). Raises ServiceError, before writing anything,
    when there is nothing to settle.
    """
    if draw.status != "bidding":
        raise ServiceError("No bids yet: open the auction first; bids are taken only while it is open.")
    cutoff = entropy_cutoff(draw)
    terms = terms_of(group)
    states = ticket_states(session, group, draw.month)
    eligible_ids = {t.id for t, s in states if ineligibility_reason(s, draw.month, "auction") is None}
    bids = session.exec(select(Bid.ticket_id, Bid.discount).where(Bid.draw_id == draw.id)).all()
    if not bids:
        raise ServiceError("No bids yet. Extend the closing time or wait for bids.")
    valid = [(tid, amount) for tid, amount in bids if tid in eligible_ids]
    if not valid:
        raise ServiceError("No bid comes from a ticket that is still eligible; extend the closing time.")
    best = max(amount for _, amount in valid)
    top_ids = {tid for tid, amount in valid if amount == best}
    tied = [(t, s) for t, s in states if t.id in top_ids]
    closes = draw.bidding_closes_at
    chain = chained_bids(session, draw)
    log = None
    if chain is not None:
        by_id = {t.id: s for t, s in states}
        set_aside = {}
        for entry in chain:
            if entry.ticket_id not in eligible_ids:
                state = by_id.get(entry.ticket_id)
                reason = ineligibility_reason(state, draw.month, "auction") if state else None
                set_aside[entry.record["ticket"]] = reason or "removed from the group before the close"
        log = AuctionLog(
            bids=[entry.record for entry in chain],
            set_aside=[{"ticket": no, "reason": why} for no, why in sorted(set_aside.items())],
            opened_at=draw.started_at,
            closes_at=closes,
        )
    return settle_draw(
        session,
        actor_id=actor_id,
        draw=draw,
        group=group,
        settlement=settle_auction(terms, draw.month, best),
        proof_kind="auction-tie" if len(tied) > 1 else "single-eligible",
        candidates=tied,
        cutoff=cutoff,
        members_online=members_online,
        auction=log,
        extra_audit={
            "bids": len(bids),
            "bids_set_aside": len(bids) - len(valid),
            "closed_early": closes is not None and cutoff < closes,
            "closed_by": "foreman" if actor_id is not None else "schedule",
        },
    )
