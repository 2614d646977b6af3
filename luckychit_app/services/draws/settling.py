"""Settling a decided month, shared by the lucky draw and the auction: in the caller's transaction
the entropy closes, the eligible list is frozen, the committed seed picks the winner among the
candidates and is revealed in the proof; the books, the payout, the notifications follow and the
next month opens (or the group completes after its last month).

Where the chit agreement forfeits the dividend of a subscriber in arrears (ChitGroup.
forfeit_dividend_when_late; the chit agreement, s.6), a ticket with unpaid installments of earlier
months when an auction month settles gets no dividend that month: its installment stays at the full
amount and its dividend stays with the group's carry-forward (shared at the group's closing). It is
decided here, before any dividend is credited, and never taken back after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from luckychit_app.clock import as_utc, to_ist, utcnow
from luckychit_app.crypto import decrypt
from luckychit_app.domain import ledger as books
from luckychit_app.domain.auction_proof import auction_terms, build_auction_proof, settlement_record
from luckychit_app.domain.eligibility import TicketState
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.fairness import DrawInputs, proof_sha256, run_draw
from luckychit_app.domain.gst import GstCharge
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.settlement import Settlement, split_remainder, with_gst
from luckychit_app.models import ChitGroup, Draw, DrawEntropy, Installment, Payout, Ticket
from luckychit_app.services import audit
from luckychit_app.services.draws.beacon import resolve_beacon
from luckychit_app.services.draws.presence import mark_members_online
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.months import open_month, seed_context
from luckychit_app.services.groups.terms import terms_of
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money import gst_invoices
from luckychit_app.services.money.allocation import release_overpaid
from luckychit_app.services.money.ledger import post


@dataclass(frozen=True)
class AuctionLog:
    """What an auction's proof adds to the lot (docs/proofs.md): the chained bids as proof records,
    the tickets whose bids were set aside at the close, and when bidding opened and was to close."""

    bids: list[dict]
    set_aside: list[dict]
    opened_at: datetime
    closes_at: datetime


def entropy_cutoff(draw: Draw) -> datetime:
    """The entropy closes now; strictly after the commitment, as the verifier requires."""
    return max(utcnow(), draw.committed_at + timedelta(microseconds=1))


def settle_draw(
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
    auction: AuctionLog | None = None,
) -> Draw:
    """Draw the winner among ``candidates`` and settle the month; the caller holds the draw's lock
    and the group's tickets (draw_rows.locked_draw) and has chosen the settlement.

    The drand round named with the commitment is fetched first (services.draws.beacon: it may wait
    up to 15 seconds for a round that is nearly due, or take the fallback the commitment stated).
    An auction's proof wraps the lot with its bid chain, terms and settlement (``auction``).
    ``members_online`` overrides the count of open draw pages (demo data only); normally None.
    """
    beacon = resolve_beacon(json.loads(draw.beacon_terms) if draw.beacon_terms else None, utcnow())
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
        beacon=beacon,
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
    online = mark_members_online(session, draw, group, drawn)
    # GST on the commission (issue 19): at the rate of the draw's day, recovered from the prize
    # where the group says so (domain/gst.py, domain/settlement.with_gst).
    tax_day = to_ist(drawn).date()
    tax = gst_invoices.tax_for_month(session, group, winner, settlement.commission, tax_day)
    if tax.total and group.gst_recovery == "prize":
        settlement = with_gst(settlement, tax.total)
    if auction is not None:
        proof = _auction_proof(proof, draw, group, settlement, tax.charge, auction, cutoff)

    draw.status, draw.cutoff_at, draw.frozen_at = "completed", inputs.cutoff_at, inputs.frozen_at
    draw.drawn_at, draw.revealed_at = inputs.drawn_at, inputs.revealed_at
    draw.started_at = draw.started_at or inputs.cutoff_at
    draw.server_seed_hex = seed.hex()
    draw.winner_ticket_id = winner.id
    draw.discount, draw.prize, draw.commission = settlement.discount, settlement.prize, settlement.commission
    draw.dividend_per_ticket, draw.remainder = settlement.dividend_per_ticket, settlement.remainder
    draw.net_installment, draw.gst = settlement.net_installment, tax.total
    draw.members_online = online if members_online is None else max(0, int(members_online))
    draw.beacon_json = json.dumps(beacon, sort_keys=True) if beacon else None
    draw.proof_json = json.dumps(proof, sort_keys=True, ensure_ascii=False)
    draw.proof_sha256 = proof_sha256(proof)
    session.add(draw)
    winner.prized_month = draw.month
    session.add(winner)
    forfeited = _forfeited_dividends(session, group, settlement, all_tickets)
    if settlement.dividend_per_ticket:
        for inst in session.exec(
            select(Installment).where(
                Installment.group_id == group.id,
                Installment.month == draw.month,
                # a removed ticket's due passed to its substitute (s.30(1)): only seated tickets net
                Installment.ticket_id.in_([t.id for t in all_tickets]),
            )
        ).all():
            if inst.ticket_id in forfeited:
                continue  # no dividend credited: the full installment stays due (matches the books)
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
            sorted(forfeited),
            gst=tax.total,
        ),
        group_id=group.id,
        created_by_id=actor_id,
    )
    session.add(Payout(draw_id=draw.id, group_id=group.id, ticket_id=winner.id, gross=settlement.prize))
    session.flush()
    if tax.total:
        gst_invoices.issue_invoice(
            session,
            draw=draw,
            group=group,
            winner=winner,
            tax=tax,
            day=tax_day,
            recovered=bool(settlement.gst),
        )
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
            "gst": tax.total,
            "members_online": draw.members_online,
            "proof_sha256": draw.proof_sha256,
            "dividend_forfeited": sorted(t.ticket_no for t in all_tickets if t.id in forfeited),
            **(extra_audit or {}),
        },
        chain=group.foreman_id,
    )
    _tell_forfeits(session, group, draw, settlement, [t for t in all_tickets if t.id in forfeited])
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


def _auction_proof(
    lot: dict,
    draw: Draw,
    group: ChitGroup,
    settlement: Settlement,
    charge: GstCharge,
    auction: AuctionLog,
    closed_at: datetime,
) -> dict:
    """The auction's proof: the lot (or single best bid) wrapped with everything a member needs to
    re-check the month (docs/proofs.md): refused as a ServiceError if it would not verify."""
    try:
        return build_auction_proof(
            lot=lot,
            group_id=group.id,
            group_name=group.name,
            month=draw.month,
            draw_id=draw.id,
            terms=auction_terms(
                terms_of(group),
                gst_rate_bp=charge.rate_bp,
                gst_intra_state=charge.intra_state,
                gst_recovery=group.gst_recovery,
            ),
            opened_at=as_utc(auction.opened_at),
            closes_at=as_utc(auction.closes_at),
            closed_at=as_utc(closed_at),
            bids=auction.bids,
            set_aside=auction.set_aside,
            settlement=settlement_record(
                settlement,
                gst_total=charge.total,
                remainder_to_foreman=split_remainder(settlement, group.remainder_to).to_foreman,
            ),
            winner=lot["winner"],
        )
    except DomainError as exc:
        raise ServiceError(str(exc)) from exc


def _forfeited_dividends(
    session: Session, group: ChitGroup, settlement: Settlement, tickets: list[Ticket]
) -> set[int]:
    """The tickets whose dividend this month is forfeited: only in an auction month with a dividend,
    only where the agreement says so (the chit agreement, s.6), and only for tickets in arrears now,
    i.e. with installments of earlier months still unpaid (the arrears that keep a ticket out of an
    auction, DESIGN.md §3)."""
    if not group.forfeit_dividend_when_late or not settlement.dividend_per_ticket:
        return set()
    seated = [t.id for t in tickets]
    late = session.exec(
        select(Installment.ticket_id)
        .where(
            Installment.group_id == group.id,
            Installment.month < settlement.month,
            Installment.paid < Installment.amount,
            Installment.ticket_id.in_(seated),
        )
        .distinct()
    ).all()
    return set(late)


def _tell_forfeits(
    session: Session, group: ChitGroup, draw: Draw, settlement: Settlement, tickets: list[Ticket]
) -> None:
    """Each member whose dividend was forfeited is told why, and what the month costs them."""
    for ticket in tickets:
        notify(
            session,
            [ticket.member_id],
            kind="dividend_forfeited",
            title=f"{group.name} month {draw.month}: no dividend for ticket {ticket.ticket_no}",
            body=(
                f"Ticket {ticket.ticket_no} had unpaid installments when the month settled, so under the "
                f"chit agreement its dividend of {format_inr(settlement.dividend_per_ticket)} stays with the "
                f"group and the month's installment is the full {format_inr(settlement.installment)}."
            ),
            link=f"/m/draws/{draw.id}",
        )
