"""The member directory: one page of tickets with their member, dues, overdue amount and KYC status,
across all of a foreman's groups or within one group (its Members tab). Searchable by name or
mobile and filterable by ticket status; paged on the server with a fixed number of queries.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from luckychit_app.clock import format_date, today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.models import (
    LIVE_GROUP_STATUSES,
    ChitGroup,
    Installment,
    KycRecord,
    PaymentAllocation,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, group_for_foreman, require_role
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.reporting.foreman_scope import owned_groups
from luckychit_app.services.validation import clean_search, page_window


def member_rows(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object = None,
    offset: object = 0,
    limit: object = 25,
    search: object = "",
    status: object = "",
    kyc_status: object = "",
    today: date | None = None,
) -> tuple[list[dict[str, str]], int]:
    """One page of tickets with their member, dues and KYC status: across all the foreman's groups
    (the directory, filterable by KYC status: "submitted" lists the KYC waiting for review) or in one
    group (its Members tab, which refuses other foremen's groups)."""
    actor = require_role(actor, "foreman")
    first, size = page_window(offset, limit)
    text = clean_search(search)
    if status not in ("", "pending", "active", "suspended", "removed"):
        raise ServiceError("Unknown status.", "status")
    if kyc_status not in ("", "none", "submitted", "verified", "rejected"):
        raise ServiceError("Unknown KYC status.", "kyc_status")
    today = today or today_ist()
    where = [Ticket.group_id.in_(owned_groups(actor))]
    if group_id not in (None, ""):
        group = group_for_foreman(session, actor, group_id)
        where.append(Ticket.group_id == group.id)
    if text:
        where.append(
            or_(User.name.ilike(f"%{text}%", escape="\\"), User.mobile.like(f"%{text}%", escape="\\"))
        )
    if status:
        where.append(Ticket.status == status)
    if kyc_status == "none":
        where.append(User.id.not_in(select(KycRecord.user_id).where(KycRecord.status != "none")))
    elif kyc_status:
        where.append(User.id.in_(select(KycRecord.user_id).where(KycRecord.status == kyc_status)))
    base = (
        select(Ticket, User, ChitGroup)
        .join(User, User.id == Ticket.member_id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
    )
    total = session.exec(
        select(func.count()).select_from(Ticket).join(User, User.id == Ticket.member_id).where(*where)
    ).one()
    rows = session.exec(
        base.where(*where).order_by(ChitGroup.id.desc(), Ticket.ticket_no).offset(first).limit(size)
    ).all()
    ticket_ids = [t.id for t, _, _ in rows]
    owed: dict[int, tuple[int, int, date | None]] = {}
    kyc: dict[int, str] = {}
    if ticket_ids:
        paid = (
            select(
                PaymentAllocation.installment_id.label("iid"),
                func.sum(PaymentAllocation.amount).label("paid"),
            )
            .join(Installment, Installment.id == PaymentAllocation.installment_id)
            .where(Installment.ticket_id.in_(ticket_ids))
            .group_by(PaymentAllocation.installment_id)
            .subquery()
        )
        left = Installment.amount - func.coalesce(paid.c.paid, 0)
        for tid, due_now, overdue, since in session.exec(
            select(
                Installment.ticket_id,
                func.sum(left),
                func.sum(case((Installment.due_date < today, left), else_=0)),
                func.min(Installment.due_date),
            )
            .join(ChitGroup, ChitGroup.id == Installment.group_id)
            .outerjoin(paid, paid.c.iid == Installment.id)
            .where(
                Installment.ticket_id.in_(ticket_ids),
                Installment.month <= ChitGroup.current_month,
                left > 0,
            )
            .group_by(Installment.ticket_id)
        ).all():
            owed[tid] = (int(due_now or 0), int(overdue or 0), since)
        kyc = dict(
            session.exec(
                select(KycRecord.user_id, KycRecord.status).where(
                    KycRecord.user_id.in_({u.id for _, u, _ in rows})
                )
            ).all()
        )
    out = []
    for t, u, g in rows:
        due_now, overdue, since = owed.get(t.id, (0, 0, None))
        out.append(
            {
                "ticket_id": str(t.id),
                "ticket_no": str(t.ticket_no),
                "member_id": str(u.id),
                "name": u.name,
                "mobile": u.mobile,
                "group_id": str(g.id),
                "group": g.name,
                "group_forming": "yes" if g.status == "forming" else "",
                # a ticket is suspended or changes hands only while its group is forming or running
                "group_live": "yes" if g.status in LIVE_GROUP_STATUSES else "",
                "status": t.status,
                "reason": t.status_reason if t.status_reason not in ("", "-") else "",
                "prized": f"Month {t.prized_month}" if t.prized_month else "—",
                "dues": format_inr(due_now) if due_now else "—",
                "overdue": format_inr(overdue) if overdue else "",
                "overdue_since": format_date(since) if overdue and since else "",
                "kyc": kyc.get(u.id, "none"),
                "is_foreman": "yes" if u.id == actor.user_id else "",
            }
        )
    return out, int(total)
