"""The foreman's groups list: one page of their groups with "month k of N", seats taken and this
month's collection, searchable by name and filterable by status (paged on the server).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import today_ist
from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.models import GROUP_STATUSES, Branch, ChitGroup, Company, Installment, Ticket
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.terms import SEATED
from luckychit_app.services.reporting.display import pct, stage_label
from luckychit_app.services.validation import clean_search, page_window


def _paid_per_installment(group_ids: Select) -> object:
    """(installment id, amount applied) for installments of the given groups.

    Reads `Installment.paid`, the sum of the allocations that the database keeps with triggers
    (migration 0005): summing payment_allocations here cost ~300 ms per figure on a 100-group book.
    """
    return (
        select(Installment.id.label("iid"), Installment.paid.label("paid"))
        .where(Installment.group_id.in_(group_ids))
        .subquery()
    )


def groups_list(
    session: Session,
    *,
    actor: Actor | None,
    offset: object = 0,
    limit: object = 25,
    search: object = "",
    status: object = "",
    today: date | None = None,
) -> tuple[list[dict[str, str]], int]:
    """One page of the foreman's groups with month k of N and this month's collection %."""
    actor = require_role(actor, "foreman")
    first, size = page_window(offset, limit)
    text = clean_search(search)
    if status not in ("", *GROUP_STATUSES):
        raise ServiceError("Unknown status.", "status")
    today = today or today_ist()
    where = [ChitGroup.foreman_id == actor.user_id]
    if text:
        where.append(ChitGroup.name.ilike(f"%{text}%", escape="\\"))
    if status:
        where.append(ChitGroup.status == status)
    total = session.exec(select(func.count()).select_from(ChitGroup).where(*where)).one()
    groups = session.exec(
        select(ChitGroup)
        .where(*where)
        .order_by((ChitGroup.status != "active"), ChitGroup.id.desc())
        .offset(first)
        .limit(size)
    ).all()
    page_ids = [g.id for g in groups]
    seats: dict[int, int] = {}
    money: dict[int, tuple[int, int]] = {}
    if page_ids:
        seats = dict(
            session.exec(
                select(Ticket.group_id, func.count())
                .where(Ticket.group_id.in_(page_ids), Ticket.status.in_(SEATED))
                .group_by(Ticket.group_id)
            ).all()
        )
        paid = _paid_per_installment(select(ChitGroup.id).where(ChitGroup.id.in_(page_ids)))
        for gid, due, got in session.exec(
            select(
                Installment.group_id,
                func.sum(Installment.amount),
                func.coalesce(func.sum(paid.c.paid), 0),
            )
            .join(ChitGroup, ChitGroup.id == Installment.group_id)
            .outerjoin(paid, paid.c.iid == Installment.id)
            .where(Installment.group_id.in_(page_ids), Installment.month == ChitGroup.current_month)
            .group_by(Installment.group_id)
        ).all():
            money[gid] = (int(due), int(got))
    # A company with several branches sees which one each group belongs to; one branch says nothing.
    branches = dict(
        session.exec(
            select(Branch.id, Branch.name)
            .join(Company, Company.id == Branch.company_id)
            .where(Company.owner_id == actor.user_id)
        ).all()
    )
    rows = []
    for g in groups:
        due, got = money.get(g.id, (0, 0))
        rows.append(
            {
                "id": str(g.id),
                "name": g.name,
                "branch": branches.get(g.branch_id, "") if len(branches) > 1 else "",
                "kind": "Auction" if g.kind == "auction" else "Lucky draw",
                "value": format_inr_compact(g.chit_value),
                "members": f"{seats.get(g.id, 0)}/{g.tickets}",
                "status": g.status,
                "stage": stage_label(g.status, g.current_month, g.tickets, g.closed_at),
                "collection": f"{format_inr_compact(got)} of {format_inr_compact(due)}" if due else "—",
                "collection_exact": f"{format_inr(got)} of {format_inr(due)}" if due else "",
                "collection_pct": pct(got, due),
                "pct_value": str(got * 100 // due if due else 0),
            }
        )
    return rows, int(total)
