"""The auction's bid log as a hash chain (issue 20; docs/proofs.md, "Bid chain").

Each accepted bid is appended under the draw row's lock, so the chain has one order: its place
(``seq``), the hash of the bid before it and its own hash over ticket, member reference, discount
and time to the millisecond. The head moves with every bid and is shown live in the auction room,
so a member who saw the head at 10:44 can tell later that no bid was slipped in before it. A refused
bid raises before anything is written and is never in the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from luckychit_app.clock import as_utc
from luckychit_app.domain.fairness import format_utc_ms, member_ref
from luckychit_app.models import Bid, Draw, Ticket
from luckychit_app.services.draws.ticket_states import member_ref_secret
from luckychit_app.verify import bid_chain_genesis, bid_hash


def append_bid(
    session: Session,
    *,
    draw: Draw,
    ticket: Ticket,
    discount: int,
    placed_by_id: int,
    in_person: bool,
    now: datetime,
) -> Bid:
    """Add an accepted bid at the end of the draw's chain, timed ``now`` (the moment the bid was
    checked against the closing time); the caller holds the draw row's lock."""
    last = session.exec(
        select(Bid).where(Bid.draw_id == draw.id, Bid.seq.is_not(None)).order_by(Bid.seq.desc())
    ).first()
    now = as_utc(now)
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    if last is not None and as_utc(last.created_at) > at:  # a clock stepped back: the chain's times never do
        at = as_utc(last.created_at)
    seq = last.seq + 1 if last is not None else 1
    prev = last.hash if last is not None else bid_chain_genesis(draw.group_id, draw.month, draw.id)
    ref = member_ref(ticket.member_id, draw.group_id, member_ref_secret())
    bid = Bid(
        draw_id=draw.id,
        ticket_id=ticket.id,
        discount=discount,
        placed_by_id=placed_by_id,
        in_person=in_person,
        created_at=at,
        seq=seq,
        member_ref=ref,
        prev_hash=prev,
        hash=bid_hash(prev, seq, ticket.ticket_no, ref, discount, format_utc_ms(at)),
    )
    draw.chain_head = bid.hash
    session.add(bid)
    session.add(draw)
    session.flush()
    return bid


@dataclass(frozen=True)
class ChainedBid:
    """One bid as the proof lists it, with the ticket row it came from."""

    ticket_id: int
    record: dict


def chained_bids(session: Session, draw: Draw) -> list[ChainedBid] | None:
    """The draw's bids in chain order as proof records, or None when some bid predates the chain
    (placed before migration 0017): such a month's proof carries the lot only, as before."""
    rows = session.exec(
        select(Bid, Ticket.ticket_no)
        .join(Ticket, Ticket.id == Bid.ticket_id)
        .where(Bid.draw_id == draw.id)
        .order_by(Bid.seq, Bid.id)
    ).all()
    if any(bid.seq is None for bid, _ in rows):
        return None
    return [
        ChainedBid(
            bid.ticket_id,
            {
                "seq": bid.seq,
                "ticket": ticket_no,
                "member": bid.member_ref,
                "discount": bid.discount,
                "at": format_utc_ms(as_utc(bid.created_at)),
                "prev_hash": bid.prev_hash,
                "hash": bid.hash,
            },
        )
        for bid, ticket_no in rows
    ]


def chain_head(draw: Draw) -> str:
    """The head shown in the auction room: the last bid's hash, or the chain's genesis before any."""
    return draw.chain_head or bid_chain_genesis(draw.group_id, draw.month, draw.id)
