"""Opening a month: the dues are raised in the books and the draw's commitment is published
before anyone can pay or bid for that month."""

from __future__ import annotations

from sqlmodel import Session, select

from luckychit_app.crypto import encrypt
from luckychit_app.domain import ledger as books
from luckychit_app.domain.fairness import new_server_seed
from luckychit_app.models import ChitGroup, Draw, Installment, Ticket
from luckychit_app.services import audit
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.allocation import apply_advances
from luckychit_app.services.money.ledger import post
from luckychit_app.verify import commitment_of


def seed_context(group_id: int, month: int) -> str:
    """Binds an encrypted seed to its group-month so a ciphertext cannot be moved to another draw."""
    return f"draw-seed:{group_id}:{month}"


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
    draw = Draw(
        group_id=group.id,
        month=month,
        kind=group.kind,
        commitment=commitment_of(seed),
        seed_encrypted=encrypt(seed, context=seed_context(group.id, month)),
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
        detail={"month": month, "draw_id": draw.id, "commitment": draw.commitment},
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
