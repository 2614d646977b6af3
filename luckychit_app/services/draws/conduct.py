"""A month's draw or auction, from the published commitment to the settled books (DESIGN.md §4).

The life of a draw row:

* ``committed`` - created when the month opens (services.months) with the seed's commitment.
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

Rules chosen here, for the cases the design leaves open:

* The frozen eligible list stands. A member suspended after the freeze keeps the result of that
  draw (their ticket was eligible when the list was frozen; the proof says so); the suspension only
  keeps the ticket out of later draws. A bidder suspended *before* an auction closes has their bids
  set aside at the close, because their ticket is not on the list frozen then.
* The foreman may close an auction before its announced closing time (everyone present has bid);
  the minutes and the audit log record that it closed early.
* At the announced closing time bids stop (checked under the draw's lock) and a periodic job
  (services.auction_closer, run by luckychit_app.background and the ``close-due-auctions`` command)
  settles the auction through :func:`close_locked_auction`, the same code as the foreman's button.
  The books record no user for a close nobody pressed; the audit log says ``closed_by: schedule``.
* "Members online" counts members (not the foreman) whose draw page sent a heartbeat within
  ``PRESENCE_WINDOW`` of the draw; those rows are marked ``at_draw`` for the minutes.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, utcnow
from luckychit_app.crypto import decrypt, keyring
from luckychit_app.domain import ledger as books
from luckychit_app.domain.eligibility import DrawKind, TicketState, eligible_tickets, ineligibility_reason
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.fairness import DrawInputs, member_ref, proof_sha256, run_draw, validate_phrase
from luckychit_app.domain.money import format_inr, parse_rupees
from luckychit_app.domain.settlement import (
    Settlement,
    settle_auction,
    settle_final_month,
    settle_foreman_first,
    settle_lucky,
    validate_bid,
)
from luckychit_app.models import (
    Bid,
    ChitGroup,
    Draw,
    DrawEntropy,
    DrawPresence,
    Installment,
    Payout,
    Ticket,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, group_for_viewer, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.months import open_month, seed_context
from luckychit_app.services.groups.setup import terms_of
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.ledger import post
from luckychit_app.services.money.payments import due_lines, release_overpaid
from luckychit_app.services.validation import clean_int, clean_ist_datetime, clean_text

OPEN_STATUSES = ("committed", "bidding")
PRESENCE_WINDOW = timedelta(seconds=20)
"""A page that sent a heartbeat this recently counts as open (pages beat every few seconds)."""
AUCTION_MAX_MINUTES = 7 * 24 * 60
AUCTION_MIN_LEAD = timedelta(seconds=10)
"""A closing time typed as a clock time must be at least this far ahead: one that passes while the
form is being sent would close the auction before anyone could bid."""
PUBLIC_VALUE_MAX_CHARS = 200


def _ref_secret() -> bytes:
    return hashlib.sha256(b"luckychit-member-ref:" + keyring()[1][keyring()[0]]).digest()


def _draw_row(session: Session, draw_id: object, *, lock: bool) -> Draw:
    did = require_id(draw_id, "draw")
    stmt = select(Draw).where(Draw.id == did)
    draw = session.exec(stmt.with_for_update() if lock else stmt).first()
    if draw is None:
        raise NotAllowed()
    return draw


def _require_open(draw: Draw) -> None:
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


def _locked_draw(session: Session, actor: Actor | None, draw_id: object) -> tuple[Draw, ChitGroup]:
    draw = _draw_row(session, draw_id, lock=True)
    group = group_for_foreman(session, actor, draw.group_id)
    _require_open(draw)
    lock_group_tickets(session, group.id)
    return draw, group


def ticket_states(session: Session, group: ChitGroup, month: int) -> list[tuple[Ticket, TicketState]]:
    tickets = session.exec(
        select(Ticket)
        .where(Ticket.group_id == group.id, Ticket.status != "removed")
        .order_by(Ticket.ticket_no)
    ).all()
    secret = _ref_secret()
    states = []
    for t in tickets:
        unpaid = {
            ln.month for ln in due_lines(session, ticket_id=t.id, up_to_month=month) if ln.outstanding > 0
        }
        states.append(
            (
                t,
                TicketState(
                    ticket_no=t.ticket_no,
                    member_ref=member_ref(t.member_id, group.id, secret),
                    active=t.status == "active",
                    prized=t.prized_month is not None,
                    unpaid_months=frozenset(unpaid),
                ),
            )
        )
    return states


def draw_mode(group: ChitGroup, draw: Draw) -> str:
    """How this month is decided: "foreman_first", "final" (last ticket, no draw), "lucky" or "auction"."""
    if draw.month == 1 and group.foreman_first_chit:
        return "foreman_first"
    if draw.month == group.tickets:
        return "final"
    return group.kind


# --------------------------------------------------------------------------------------------------
# Entropy: members' phrases and the foreman's public value, until the cutoff
# --------------------------------------------------------------------------------------------------


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
    draw = _draw_row(session, draw_id, lock=True)
    group = session.get(ChitGroup, draw.group_id)
    actor = _member_of_group(session, actor, group)
    _require_open(draw)
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
    )
    return row


def set_public_value(session: Session, *, actor: Actor | None, draw_id: object, value: object) -> Draw:
    """The foreman's public value nobody controls (a drand round, a lottery result), typed by hand.

    It can be corrected until the cutoff; every version is in the audit log. An empty value clears it.
    """
    draw = _draw_row(session, draw_id, lock=True)
    group_for_foreman(session, actor, draw.group_id)
    _require_open(draw)
    if value is None or (isinstance(value, str) and not value.strip()):
        cleaned = None
    else:
        cleaned = clean_text(
            value, field="public_value", label="Public value", max_len=PUBLIC_VALUE_MAX_CHARS
        )
    draw.public_value = cleaned
    session.add(draw)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="draw.public_value",
        object_type="draw",
        object_id=draw.id,
        detail={"public_value": cleaned},
    )
    return draw


# --------------------------------------------------------------------------------------------------
# Presence: who has the live draw page open
# --------------------------------------------------------------------------------------------------


def heartbeat(session: Session, *, actor: Actor | None, draw_id: object) -> None:
    """Record that the actor's draw page is open now (an upsert, safe for two tabs at once)."""
    draw = _draw_row(session, draw_id, lock=False)
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


def _mark_members_online(session: Session, draw: Draw, group: ChitGroup, at: datetime) -> int:
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


# --------------------------------------------------------------------------------------------------
# Auctions
# --------------------------------------------------------------------------------------------------


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
    draw = _draw_row(session, draw_id, lock=True)
    group = group_for_foreman(session, actor, draw.group_id)
    _require_open(draw)
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
    if extending and draw.bidding_closes_at is not None and closes <= draw.bidding_closes_at:
        raise ServiceError(
            f"Bidding already runs until {format_datetime_ist(draw.bidding_closes_at, seconds=True)}; "
            "the closing time can only be moved later.",
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
    if utcnow() >= draw.bidding_closes_at:
        raise ServiceError(f"Bidding closed at {format_datetime_ist(draw.bidding_closes_at, seconds=True)}.")
    states = {t.id: s for t, s in ticket_states(session, group, draw.month)}
    reason = ineligibility_reason(states[ticket.id], draw.month, "auction")
    if reason:
        raise ServiceError(reason)
    try:
        amount = parse_rupees(discount if not isinstance(discount, int) else str(discount))
        best = session.exec(select(func.max(Bid.discount)).where(Bid.draw_id == draw.id)).one()
        terms = terms_of(group)
        if best is not None and amount == best == terms.max_discount:
            pass  # a tie at the cap is allowed; the verifiable lot settles it
        else:
            validate_bid(terms, amount, best)
    except DomainError as exc:
        raise ServiceError(str(exc), "discount") from exc
    bid = Bid(
        draw_id=draw.id, ticket_id=ticket.id, discount=amount, placed_by_id=actor.user_id, in_person=in_person
    )
    session.add(bid)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="auction.bid",
        object_type="draw",
        object_id=draw.id,
        detail={"ticket_no": ticket.ticket_no, "discount": amount, "in_person": in_person},
    )
    return bid


# --------------------------------------------------------------------------------------------------
# Holding the draw
# --------------------------------------------------------------------------------------------------


def _settle(
    session: Session,
    *,
    actor_id: int | None,
    draw: Draw,
    group: ChitGroup,
    settlement: Settlement,
    proof_kind: str,
    candidates: list[tuple[Ticket, TicketState]],
    cutoff: datetime,
    members_online: int | None,
    extra_audit: dict | None = None,
) -> Draw:
    phrases = list(session.exec(select(DrawEntropy.phrase).where(DrawEntropy.draw_id == draw.id)).all())
    frozen = max(utcnow(), cutoff)
    seed = decrypt(draw.seed_encrypted, context=seed_context(group.id, draw.month))
    drawn = max(utcnow(), frozen)
    inputs = DrawInputs(
        group_id=group.id,
        group_name=group.name,
        draw_id=draw.id,
        month=draw.month,
        kind=proof_kind,
        commitment=draw.commitment,
        committed_at=draw.committed_at,
        server_seed=seed,
        phrases=phrases,
        public_value=draw.public_value,
        cutoff_at=cutoff,
        eligible=[{"ticket": s.ticket_no, "member": s.member_ref} for _, s in candidates],
        frozen_at=frozen,
        drawn_at=drawn,
        revealed_at=max(utcnow(), drawn),
    )
    try:
        proof = run_draw(inputs)
    except DomainError as exc:
        raise ServiceError(str(exc)) from exc
    by_no = {t.ticket_no: t for t, _ in candidates}
    winner = by_no[proof["winner"]["ticket"]]
    all_tickets = session.exec(
        select(Ticket).where(Ticket.group_id == group.id, Ticket.status != "removed")
    ).all()
    online = _mark_members_online(session, draw, group, drawn)

    draw.status, draw.cutoff_at, draw.frozen_at = "completed", inputs.cutoff_at, inputs.frozen_at
    draw.drawn_at, draw.revealed_at = inputs.drawn_at, inputs.revealed_at
    draw.started_at = draw.started_at or inputs.cutoff_at
    draw.server_seed_hex = seed.hex()
    draw.winner_ticket_id = winner.id
    draw.discount, draw.prize, draw.commission = settlement.discount, settlement.prize, settlement.commission
    draw.dividend_per_ticket, draw.remainder = settlement.dividend_per_ticket, settlement.remainder
    draw.net_installment = settlement.net_installment
    draw.members_online = online if members_online is None else max(0, int(members_online))
    draw.proof_json = json.dumps(proof, sort_keys=True, ensure_ascii=False)
    draw.proof_sha256 = proof_sha256(proof)
    session.add(draw)
    winner.prized_month = draw.month
    session.add(winner)
    if settlement.dividend_per_ticket:
        for inst in session.exec(
            select(Installment).where(Installment.group_id == group.id, Installment.month == draw.month)
        ).all():
            inst.amount = settlement.net_installment
            session.add(inst)
        session.flush()
        release_overpaid(session, group_id=group.id, month=draw.month)
    post(
        session,
        books.settlement_posted(
            group.id,
            group.foreman_id,
            draw.id,
            settlement,
            winner.id,
            [t.id for t in all_tickets],
            group.remainder_to,
        ),
        group_id=group.id,
        created_by_id=actor_id,
    )
    session.add(Payout(draw_id=draw.id, group_id=group.id, ticket_id=winner.id, gross=settlement.prize))
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="draw.completed",
        object_type="draw",
        object_id=draw.id,
        detail={
            "group_id": group.id,
            "month": draw.month,
            "winner_ticket": winner.ticket_no,
            "kind": proof_kind,
            "settlement": settlement.kind,
            "eligible": len(candidates),
            "discount": settlement.discount,
            "prize": settlement.prize,
            "members_online": draw.members_online,
            "proof_sha256": draw.proof_sha256,
            **(extra_audit or {}),
        },
    )
    notify(
        session,
        {t.member_id for t in all_tickets},
        kind="draw_result",
        title=f"{group.name} month {draw.month}: ticket {winner.ticket_no} won "
        f"{format_inr(settlement.prize)}",
        link=f"/verify/{draw.id}",
        title_key="notify.draw_result",
        values={
            "group": group.name,
            "month": draw.month,
            "n": winner.ticket_no,
            "prize": format_inr(settlement.prize),
        },
    )
    if draw.month < group.tickets:
        open_month(session, group=group, month=draw.month + 1, actor_id=actor_id)
    else:
        group.status = "completed"
        session.add(group)
    return draw


def _cutoff(draw: Draw) -> datetime:
    """The entropy closes now; strictly after the commitment, as the verifier requires."""
    return max(utcnow(), draw.committed_at + timedelta(microseconds=1))


def no_eligible_reason(states: list[tuple[Ticket, TicketState]], month: int, kind: DrawKind) -> str:
    """Why nobody can take part, in the words of the eligibility rules (at most three reasons)."""
    reasons = sorted({ineligibility_reason(s, month, kind) or "" for _, s in states if not s.prized} - {""})
    return "No ticket is eligible for this draw: " + ("; ".join(reasons[:3]) or "all have won") + "."


def conduct_draw(
    session: Session, *, actor: Actor | None, draw_id: object, members_online: int | None = None
) -> Draw:
    """Lucky draw for the month (also the foreman's first chit and the last remaining ticket).

    ``members_online`` overrides the count of open draw pages (demo data only); normally it is None.
    """
    draw, group = _locked_draw(session, actor, draw_id)
    cutoff = _cutoff(draw)
    terms = terms_of(group)
    states = ticket_states(session, group, draw.month)
    unprized = [(t, s) for t, s in states if s.prized is False]
    mode = draw_mode(group, draw)
    common = {
        "actor_id": actor.user_id,
        "draw": draw,
        "group": group,
        "cutoff": cutoff,
        "members_online": members_online,
    }
    if mode == "foreman_first":
        own = [(t, s) for t, s in states if t.member_id == group.foreman_id]
        if not own:
            raise ServiceError("The foreman's own ticket is missing.")
        return _settle(
            session,
            settlement=settle_foreman_first(terms),
            proof_kind="single-eligible",
            candidates=own[:1],
            **common,
        )
    if group.kind != "lucky" and mode != "final":
        raise ServiceError("This is an auction group: close the auction instead.")
    if mode == "final" and len(unprized) == 1:
        return _settle(
            session,
            settlement=settle_final_month(terms),
            proof_kind="single-eligible",
            candidates=unprized,
            **common,
        )
    chosen = [(t, s) for t, s in states if s in eligible_tickets([s for _, s in states], draw.month, "lucky")]
    if not chosen:
        raise ServiceError(no_eligible_reason(states, draw.month, "lucky"))
    return _settle(
        session,
        settlement=settle_lucky(terms, draw.month),
        proof_kind="lucky" if len(chosen) > 1 else "single-eligible",
        candidates=chosen,
        **common,
    )


def close_auction(
    session: Session, *, actor: Actor | None, draw_id: object, members_online: int | None = None
) -> Draw:
    """The foreman closes the auction (before its closing time too: the minutes say it closed early)."""
    draw, group = _locked_draw(session, actor, draw_id)
    if group.kind != "auction":
        raise ServiceError("This is a lucky-draw group.")
    if draw_mode(group, draw) in ("final", "foreman_first"):
        return conduct_draw(session, actor=actor, draw_id=draw.id, members_online=members_online)
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
    for the foreman, services.auction_closer at the closing time with ``actor_id`` None).

    The highest discount wins; several tickets at the same highest discount go to the lot. Only bids
    of tickets still eligible at the close count (a bidder suspended meanwhile is set aside, and the
    minutes say so). Raises ServiceError, before writing anything, when there is nothing to settle.
    """
    if draw.status != "bidding":
        raise ServiceError("No bids yet: open the auction first; bids are taken only while it is open.")
    cutoff = _cutoff(draw)
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
    return _settle(
        session,
        actor_id=actor_id,
        draw=draw,
        group=group,
        settlement=settle_auction(terms, draw.month, best),
        proof_kind="auction-tie" if len(tied) > 1 else "single-eligible",
        candidates=tied,
        cutoff=cutoff,
        members_online=members_online,
        extra_audit={
            "bids": len(bids),
            "bids_set_aside": len(bids) - len(valid),
            "closed_early": closes is not None and cutoff < closes,
            "closed_by": "foreman" if actor_id is not None else "schedule",
        },
    )


# --------------------------------------------------------------------------------------------------
# Draw-day animation (pure): the same decelerating sequence for every open page
# --------------------------------------------------------------------------------------------------

ANIMATION_LEAD_MS = 1500
"""Pages start the animation this long after the draw, so every open page (polling about once a
second) has seen the result by then and all of them land on the winner together."""
ANIMATION_FRAMES = 18


def animation_frames(labels: list[str], winner: str, key: str) -> list[tuple[str, int]]:
    """(label, milliseconds after the start) frames cycling through ``labels``, slowing down, and
    ending on ``winner``. Seeded by ``key`` (the proof hash) so every page shows the same sequence.

    Gaps grow quadratically from 70 ms to 520 ms: about four seconds in all.
    """
    if not labels or winner not in labels:
        raise ValueError("the winner must be one of the labels")
    if len(labels) == 1:
        return [(winner, 0)]
    rng = random.Random(key)
    frames: list[tuple[str, int]] = []
    at, previous = 0, None
    n = ANIMATION_FRAMES
    for i in range(n):
        if i == n - 1:
            label = winner
        else:
            choices = [x for x in labels if x != previous and (i != n - 2 or x != winner)]
            label = rng.choice(choices or labels)
        frames.append((label, at))
        previous = label
        at += int(70 + 450 * (i / (n - 1)) ** 2)
    return frames
