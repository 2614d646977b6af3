"""Opening a month: the dues are raised in the books and the draw's commitment is published
before anyone can pay or bid for that month. Where a public beacon is configured, the commitment
also names the drand round the draw will mix in, and binds it (docs/proofs.md)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from luckychit_app.clock import IST, utcnow
from luckychit_app.crypto import encrypt
from luckychit_app.domain import ledger as books
from luckychit_app.domain.fairness import new_server_seed
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import AgreementParticulars, ChitGroup, Draw, Installment, Ticket
from luckychit_app.services import audit
from luckychit_app.services.draws.beacon import name_beacon
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.allocation import apply_advances
from luckychit_app.services.money.ledger import post
from luckychit_app.verify import commitment_of

BEACON_LEAD = timedelta(minutes=1)
"""The round a new month names is due at least this long after the commitment: a round already
published (a month opened after its draw date) would add nothing nobody knew."""


def seed_context(group_id: int, month: int) -> str:
    """Binds an encrypted seed to its group-month so a ciphertext cannot be moved to another draw."""
    return f"draw-seed:{group_id}:{month}"


def scheduled_draw_time(session: Session, group: ChitGroup, month: int) -> datetime | None:
    """When month ``month``'s draw is due: its date in the chit agreement (s.6(1)(h)) at the
    agreement's draw time, or the start of that day in India when no time is set; None before the
    group has a start date."""
    if group.start_date is None:
        return None
    day = due_date_for(group.start_date, month, group.draw_day, group.period)
    particulars = session.exec(
        select(AgreementParticulars).where(AgreementParticulars.group_id == group.id)
    ).first()
    at = time(0, 0)
    if particulars is not None and particulars.draw_time:
        hours, minutes = (int(part) for part in particulars.draw_time.split(":"))
        at = time(hours, minutes)
    return datetime.combine(day, at, tzinfo=IST)


def open_month(session: Session, *, group: ChitGroup, month: int, actor_id: int | None) -> Draw:
    if group.status != "active":
        raise ServiceError("Only a running group can open a month.")
    if month != group.current_month + 1 or month > group.tickets:
        raise ServiceError(f"Month {month} cannot open now (the group is in month {group.current_month}).")
    rows = session.exec(
        select(Installment, Ticket)
        .join(Ticket, Ticket.id == Installment.ticket_id)
        .where(Installment.group_id == group.id, Installment.month == month, Ticket.status != "removed")
        .order_by(Ticket.ticket_no)
    ).all()
    if not rows:
        raise ServiceError(f"Month {month} has no schedule.")
    post(
        session,
        books.dues_raised(group.id, month, [(inst.ticket_id, inst.amount) for inst, _ in rows]),
        group_id=group.id,
        created_by_id=actor_id,
    )
    seed = new_server_seed()
    now = utcnow()
    scheduled = scheduled_draw_time(session, group, month)
    beacon = name_beacon(max(scheduled, now + BEACON_LEAD)) if scheduled is not None else None
    draw = Draw(
        committed_at=now,
        group_id=group.id,
        month=month,
        kind=group.kind,
        commitment=commitment_of(seed, beacon),
        seed_encrypted=encrypt(seed, context=seed_context(group.id, month)),
        beacon_terms=json.dumps(beacon, sort_keys=True) if beacon else None,
    )
    session.add(draw)
    group.current_month = month
    session.add(group)
    session.flush()
    apply_advances(session, group_id=group.id, up_to_month=month)
    audit.record(
        session,
        actor_id=actor_id,
        action="month.opened",
        object_type="group",
        object_id=group.id,
        detail={"month": month, "draw_id": draw.id, "commitment": draw.commitment, "beacon": beacon},
        chain=group.foreman_id,
    )
    notify(
        session,
        {t.member_id for _, t in rows},
        kind="month_opened",
        title=f"{group.name}: month {month} is open",
        body=f"Draw commitment {draw.commitment[:16]}… Pay your installment before the draw.",
        link=f"/m/draws/{draw.id}",
        title_key="notify.month_opened",
        body_key="notify.month_opened_body",
        values={"group": group.name, "month": month, "commitment": draw.commitment[:16]},
    )
    return draw
