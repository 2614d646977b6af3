"""The platform admin's tools: users and foremen (activate / deactivate), platform totals, system
health and audit-log search.

Only admins may call any of this. Money totals are sums of postings grouped by the kind of journal
entry, so they agree with `ledger-check` and with every foreman's books. Deactivating an account
revokes its sessions at once: a suspended foreman must not keep working in an open tab.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from sqlalchemy import func, or_, text
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, ist_day_bounds, to_ist, utcnow
from luckychit_app.domain.money import format_inr, format_inr_compact
from luckychit_app.gateways.routing import delivery_status
from luckychit_app.models import (
    AuditLog,
    AuthSession,
    ChitGroup,
    JournalEntry,
    OutboxMessage,
    PostingRow,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import outbox_history
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.people.auth import revoke_all
from luckychit_app.services.validation import clean_search, clean_text, page_window
from luckychit_app.settings import get_settings

ROLES = ("admin", "foreman", "member")


def overview(session: Session, *, actor: Actor | None, limit: int = 100) -> tuple[list[dict[str, str]], str]:
    """First page of users and a one-line summary (kept for callers of the first admin page)."""
    require_role(actor, "admin")
    rows, total = list_users(session, actor=actor, limit=min(limit, 100))
    groups = session.exec(select(func.count()).select_from(ChitGroup)).one()
    return rows, f"{total} users, {groups} groups"


# --- users -------------------------------------------------------------------------------------


def list_users(
    session: Session,
    *,
    actor: Actor | None,
    search: object = "",
    role: object = "",
    offset: object = 0,
    limit: object = 25,
) -> tuple[list[dict[str, str]], int]:
    """One page of accounts, searchable by name or mobile, with each foreman's group count."""
    require_role(actor, "admin")
    first, size = page_window(offset, limit)
    needle = clean_search(search)
    if role not in ("", *ROLES):
        raise ServiceError("Unknown role.", "role")
    where = []
    if needle:
        where.append(
            or_(User.name.ilike(f"%{needle}%", escape="\\"), User.mobile.like(f"%{needle}%", escape="\\"))
        )
    if role:
        where.append(User.role == role)
    total = session.exec(select(func.count()).select_from(User).where(*where)).one()
    users = session.exec(select(User).where(*where).order_by(User.id).offset(first).limit(size)).all()
    ids = [u.id for u in users]
    groups = (
        dict(
            session.exec(
                select(ChitGroup.foreman_id, func.count())
                .where(ChitGroup.foreman_id.in_(ids))
                .group_by(ChitGroup.foreman_id)
            ).all()
        )
        if ids
        else {}
    )
    tickets = (
        dict(
            session.exec(
                select(Ticket.member_id, func.count())
                .where(Ticket.member_id.in_(ids), Ticket.status != "removed")
                .group_by(Ticket.member_id)
            ).all()
        )
        if ids
        else {}
    )
    return [
        {
            "id": str(u.id),
            "name": u.name,
            "mobile": u.mobile,
            "role": u.role,
            "active": "yes" if u.is_active else "no",
            "groups": str(groups.get(u.id, 0)) if u.role == "foreman" else "",
            "tickets": str(tickets.get(u.id, 0)) if u.role == "member" else "",
            "created": format_datetime_ist(u.created_at),
            "is_self": "yes" if actor and u.id == actor.user_id else "",
        }
        for u in users
    ], int(total)


def set_user_active(
    session: Session, *, actor: Actor | None, user_id: object, active: object, reason: object = ""
) -> User:
    """Activate or deactivate an account (never the admin's own); deactivation ends its sessions."""
    actor = require_role(actor, "admin")
    user = session.get(User, require_id(user_id, "user"))
    if user is None:
        raise NotAllowed()
    if not isinstance(active, bool):
        raise ServiceError("Invalid choice.")
    if user.id == actor.user_id:
        raise ServiceError("You cannot deactivate your own account.")
    why = (
        clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
        if not active
        else clean_text(reason or "-", field="reason", label="Reason", max_len=200)
    )
    if user.is_active == active:
        raise ServiceError(f"This account is already {'active' if active else 'inactive'}.")
    user.is_active = active
    session.add(user)
    revoked = 0 if active else revoke_all(session, user_id=user.id)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="user.activated" if active else "user.deactivated",
        object_type="user",
        object_id=user.id,
        detail={"reason": why, "role": user.role, "sessions_revoked": revoked},
    )
    return user


# --- totals and health ----------------------------------------------------------------------------


def platform_totals(session: Session, *, actor: Actor | None) -> dict[str, str]:
    """Counts and money across the platform; money from postings, by kind of journal entry."""
    require_role(actor, "admin")
    roles = dict(session.exec(select(User.role, func.count()).group_by(User.role)).all())
    inactive = session.exec(select(func.count()).select_from(User).where(User.is_active.is_(False))).one()
    statuses = dict(session.exec(select(ChitGroup.status, func.count()).group_by(ChitGroup.status)).all())
    tickets = session.exec(select(func.count()).select_from(Ticket).where(Ticket.status != "removed")).one()
    value = session.exec(
        select(func.coalesce(func.sum(ChitGroup.chit_value), 0)).where(ChitGroup.status == "active")
    ).one()
    cash_by_kind = dict(
        session.exec(
            select(JournalEntry.kind, func.sum(PostingRow.amount))
            .join(PostingRow, PostingRow.entry_id == JournalEntry.id)
            .where(PostingRow.account.like("group:%:cash"))
            .group_by(JournalEntry.kind)
        ).all()
    )
    commission = session.exec(
        select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
            PostingRow.account.like("foreman:%:commission")
        )
    ).one()
    receivable = session.exec(
        select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
            PostingRow.account.like("ticket:%:receivable")
        )
    ).one()
    return {
        "foremen": str(roles.get("foreman", 0)),
        "members": str(roles.get("member", 0)),
        "admins": str(roles.get("admin", 0)),
        "inactive": str(inactive),
        "groups_active": str(statuses.get("active", 0)),
        "groups_forming": str(statuses.get("forming", 0)),
        "groups_completed": str(statuses.get("completed", 0)),
        "tickets": str(tickets),
        "value_running": format_inr_compact(int(value)),
        "collected": format_inr(int(cash_by_kind.get("payment", 0))),
        "paid_out": format_inr(-int(cash_by_kind.get("payout", 0))),
        "refunded": format_inr(-int(cash_by_kind.get("refund", 0))),
        "commission": format_inr(-int(commission)),
        "receivable": format_inr(int(receivable)),
    }


def system_health(session: Session, *, actor: Actor | None) -> dict[str, str]:
    """Database, migration, outbox and audit status at a glance (cheap enough for every page load)."""
    require_role(actor, "admin")
    started = time.perf_counter()
    session.exec(text("SELECT 1"))
    latency = (time.perf_counter() - started) * 1000
    try:
        revision = session.exec(text("SELECT version_num FROM alembic_version")).first()
        revision = revision[0] if revision else "none"
    except Exception:
        revision = "unknown"
    outbox = outbox_history.outbox_counts(session)
    oldest = session.exec(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status.in_(("queued", "sending")))
    ).one()
    last_error = session.exec(
        select(OutboxMessage.last_error)
        .where(OutboxMessage.last_error != "")
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    ).first()
    last_audit = session.exec(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).first()
    live_sessions = session.exec(
        select(func.count())
        .select_from(AuthSession)
        .where(AuthSession.revoked_at.is_(None), AuthSession.expires_at > utcnow())
    ).one()
    queued, failed = outbox["waiting"], outbox["failed"]
    channels = delivery_status()
    stuck = oldest is not None and (utcnow() - to_ist(oldest)) > timedelta(minutes=10)
    return {
        "database": session.get_bind().dialect.name,
        "db_latency": f"{latency:.1f} ms",
        "revision": str(revision),
        "outbox_queued": str(queued),
        "outbox_sent": str(outbox["sent"]),  # by a real provider; the console's are "console only"
        "outbox_delivered": str(outbox["delivered"]),
        "outbox_console": str(outbox["console"]),
        "outbox_failed": str(failed),
        "outbox_channels": " · ".join(f"{ch}: {said}" for ch, said in channels.items()),
        "outbox_banner": outbox_history.delivery_banner(channels, get_settings().env),
        "outbox_ok": "" if failed or stuck else "yes",
        "outbox_oldest": format_datetime_ist(oldest) if oldest else "—",
        "outbox_last_error": last_error or "—",
        "audit_rows": str(last_audit.id if last_audit else 0),
        "audit_last": format_datetime_ist(last_audit.at) if last_audit else "—",
        "sessions": str(live_sessions),
        "checked_at": format_datetime_ist(utcnow()),
    }


def run_checks(session: Session, *, actor: Actor | None) -> dict[str, str]:
    """The full audit-chain verification and ledger check (slow on big books, so on demand only)."""
    require_role(actor, "admin")
    report = audit.verify_chain(session)
    problems = ledger_check(session)
    return {
        "audit": f"Audit chain OK ({report.describe()})."
        if report.ok
        else f"Audit chain BROKEN: {report.describe()}",
        "audit_ok": "yes" if report.ok else "",
        "ledger": "Books balance: every invariant holds."
        if not problems
        else f"{len(problems)} problems: " + "; ".join(problems[:5]),
        "ledger_ok": "" if problems else "yes",
    }


# --- audit log search ----------------------------------------------------------------------------


def _day(value: object, field: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 10:
        raise ServiceError("Dates look like 2026-01-31.", field)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ServiceError("Dates look like 2026-01-31.", field) from exc


def search_audit(
    session: Session,
    *,
    actor: Actor | None,
    action: object = "",
    who: object = "",
    object_type: object = "",
    object_id: object = "",
    date_from: object = "",
    date_to: object = "",
    offset: object = 0,
    limit: object = 25,
) -> tuple[list[dict[str, str]], int]:
    """Audit rows, newest first, filtered by action prefix, actor (name or mobile), object and IST days."""
    require_role(actor, "admin")
    first, size = page_window(offset, limit)
    where = []
    prefix = clean_search(action)
    if prefix:
        where.append(AuditLog.action.like(f"{prefix}%", escape="\\"))
    person = clean_search(who)
    if person:
        where.append(
            AuditLog.actor_id.in_(
                select(User.id).where(
                    or_(
                        User.name.ilike(f"%{person}%", escape="\\"),
                        User.mobile.like(f"%{person}%", escape="\\"),
                    )
                )
            )
        )
    kind = clean_search(object_type)
    if kind:
        where.append(AuditLog.object_type == kind)
    oid = clean_search(object_id)
    if oid:
        where.append(AuditLog.object_id == oid)
    start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
    if start:
        where.append(AuditLog.at >= ist_day_bounds(start)[0])
    if end:
        where.append(AuditLog.at < ist_day_bounds(end)[1])
    total = session.exec(select(func.count()).select_from(AuditLog).where(*where)).one()
    rows = session.exec(
        select(AuditLog, User)
        .outerjoin(User, User.id == AuditLog.actor_id)
        .where(*where)
        .order_by(AuditLog.id.desc())
        .offset(first)
        .limit(size)
    ).all()
    return [
        {
            "id": str(row.id),
            "at": format_datetime_ist(row.at),
            "who": f"{user.name} ({user.role})" if user else "system",
            "action": row.action,
            "object": f"{row.object_type} {row.object_id}",
            "detail": row.detail if len(row.detail) <= 300 else row.detail[:297] + "…",
            "hash": row.row_hash[:12],
        }
        for row, user in rows
    ], int(total)
