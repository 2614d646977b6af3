"""Declaring a non-prized subscriber in default (Chit Funds Act 1982 s.28(1)).

A non-prized ticket that has at least the agreement's `default_after` instalments past their due
date and unpaid may be declared in default by its group's foreman, with a reason. The declaration is
the written notice s.28(1) requires: it reaches the member in the app and by SMS (the outbox), and it
names the arrears of that day. The subscriber who pays those arrears within 7 days of the notice
stays (the proviso to s.28(1)); after the 7 days the foreman may remove the ticket and seat a
substitute (services.groups.substitution).

A declaration stays "live" while any instalment that was overdue on the notice's day is unpaid; once
those arrears are paid the default is spent, whenever that happened, and a new default needs a new
notice. `defaulted_at` is cleared when the foreman's removal finds the arrears paid.

Prized subscribers are not removed: their default is recovered from them and their sureties
(s.32, s.33), which is another path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist, utcnow
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Installment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.validation import clean_text

NOTICE_DAYS = 7
"""The proviso to s.28(1): a defaulter who pays the arrears within 7 days of the notice stays."""
CHANGEABLE = ("active", "suspended")
"""Ticket statuses a default, removal or exit applies to (a pending seat has no dues yet)."""


def locked_ticket(session: Session, actor: Actor | None, ticket_id: object) -> tuple[Ticket, ChitGroup]:
    """The ticket, row-locked as every money writer locks it (allocation.lock_ticket: FOR NO KEY
    UPDATE), read fresh after the lock, and its group if the actor is its foreman (or the admin).

    The lock comes first, before the group is read: a draw settling holds every ticket of the group
    (draw_rows.lock_group_tickets) while it opens the next month, so once we hold the ticket the
    group's current month cannot move under us."""
    tid = require_id(ticket_id, "ticket")
    ticket = session.exec(
        select(Ticket)
        .where(Ticket.id == tid)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).first()
    if ticket is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, ticket.group_id)
    session.refresh(group)
    return ticket, group


def notice_ends(ticket: Ticket) -> datetime | None:
    """When the 7 days of the s.28(1) notice run out (None: no notice)."""
    return ticket.defaulted_at + timedelta(days=NOTICE_DAYS) if ticket.defaulted_at else None


def notice_day(ticket: Ticket) -> date | None:
    return to_ist(ticket.defaulted_at).date() if ticket.defaulted_at else None


def _open_dues(session: Session, ticket_ids: Iterable[int]) -> list[tuple[int, date, int]]:
    """(ticket id, due date, unpaid paise) of every raised instalment still owing, for these tickets."""
    ids = list(ticket_ids)
    if not ids:
        return []
    rows = session.exec(
        select(Installment.ticket_id, Installment.due_date, Installment.amount - Installment.paid)
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(
            Installment.ticket_id.in_(ids),
            Installment.month <= ChitGroup.current_month,
            Installment.paid < Installment.amount,
        )
    ).all()
    return [(int(t), d, int(left)) for t, d, left in rows]


def overdue(session: Session, ticket_ids: Iterable[int], today: date) -> dict[int, tuple[int, int]]:
    """Per ticket: (instalments past their due date and unpaid, paise owing on them)."""
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for tid, due, left in _open_dues(session, ticket_ids):
        if due < today:
            out[tid][0] += 1
            out[tid][1] += left
    return {tid: (n, paise) for tid, (n, paise) in out.items()}


def notice_arrears(session: Session, tickets: Iterable[Ticket]) -> dict[int, int]:
    """Per declared ticket: what is still unpaid of the arrears its notice named (the instalments
    already overdue on the notice's day). A ticket absent from the answer has paid them: its
    default is spent (s.28(1) proviso)."""
    named = {t.id: notice_day(t) for t in tickets if t.defaulted_at is not None}
    out: dict[int, int] = defaultdict(int)
    for tid, due, left in _open_dues(session, named):
        if due < named[tid]:
            out[tid] += left
    return dict(out)


def default_live(session: Session, ticket: Ticket) -> bool:
    """Declared in default and the notice's arrears are not paid yet."""
    return ticket.defaulted_at is not None and ticket.id in notice_arrears(session, [ticket])


def default_blocker(session: Session, group: ChitGroup, ticket: Ticket, today: date) -> str:
    """Why this ticket cannot be declared in default now ("" when it can)."""
    if group.status != "active":
        return "A default is declared only in a running group."
    if ticket.status not in CHANGEABLE:
        return "Only an active or suspended ticket can be declared in default."
    if ticket.prized_month is not None:
        # s.28 is about non-prized subscribers; a prized one's default is recovered (s.32, s.33).
        return (
            "A prized subscriber is not removed: recover their future subscriptions from them and "
            "their sureties instead (Chit Funds Act s.32, s.33)."
        )
    if ticket.member_id == group.foreman_id:
        return "The company's own ticket is not declared in default."
    if default_live(session, ticket):
        return (
            f"Ticket {ticket.ticket_no} was declared in default on {format_date(notice_day(ticket))}; "
            "its notice still stands."
        )
    count, _paise = overdue(session, [ticket.id], today).get(ticket.id, (0, 0))
    if count < group.default_after:
        # The number of unpaid instalments that makes a default is the chit agreement's (s.6).
        return (
            f"Ticket {ticket.ticket_no} has {count} unpaid instalment{'s' if count != 1 else ''} past "
            f"the due date; the agreement allows a default after {group.default_after}."
        )
    return ""


def notice_text(group: ChitGroup, ticket: Ticket, count: int, arrears: int, ends: datetime, why: str) -> str:
    return (
        f"Notice (Chit Funds Act s.28): ticket {ticket.ticket_no} of {group.name} has {count} unpaid "
        f"instalments ({format_inr(arrears)}). Pay the arrears by {format_date(to_ist(ends).date())} "
        f"to keep your ticket; otherwise it may be removed and given to a substitute. Reason: {why}"
    )


def declare_default(session: Session, *, actor: Actor | None, ticket_id: object, reason: object) -> Ticket:
    """Declare a non-prized ticket in default and send the member the written notice (s.28(1))."""
    ticket, group = locked_ticket(session, actor, ticket_id)
    why = clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
    today = today_ist()
    blocker = default_blocker(session, group, ticket, today)
    if blocker:
        raise ServiceError(blocker)
    count, arrears = overdue(session, [ticket.id], today)[ticket.id]
    ticket.defaulted_at = utcnow()
    session.add(ticket)
    session.flush()
    ends = notice_ends(ticket)
    member = session.get(User, ticket.member_id)
    notice = notice_text(group, ticket, count, arrears, ends, why)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="ticket.defaulted",
        object_type="ticket",
        object_id=ticket.id,
        detail={
            "group_id": group.id,
            "ticket_no": ticket.ticket_no,
            "unpaid_instalments": count,
            "arrears": arrears,
            "reason": why,
            "notice_ends": ends.isoformat(),
        },
    )
    notify(
        session,
        [member.id],
        kind="default_notice",
        title=f"Notice: ticket {ticket.ticket_no} of {group.name} is in default",
        body=notice,
        link="/m/payments",
        title_key="notify.default_notice",
        body_key="notify.default_notice_body",
        values={
            "n": ticket.ticket_no,
            "group": group.name,
            "count": count,
            "amount": format_inr(arrears),
            "date": format_date(to_ist(ends).date()),
            "reason": why,
        },
    )
    # The written notice of s.28(1) also goes by SMS, whatever the member's message settings.
    outbox.enqueue(
        session,
        channel="sms",
        recipient=member.mobile,
        kind="default_notice",
        body=notice,
        params={
            "ticket": ticket.ticket_no,
            "group": group.name,
            "amount": format_inr(arrears),
            "date": format_date(to_ist(ends).date()),
        },
        language=member.language,
    )
    return ticket


def default_candidates(session: Session, group_ids: Select, today: date, *, limit: int = 50) -> list[dict]:
    """Tickets in the groups `group_ids` selects that reached their agreement's number of unpaid
    instalments and are not yet declared (or whose last notice is spent): the foreman may declare
    them in default. Three queries whatever the number of groups."""
    owing = Installment.amount - Installment.paid
    late = (
        select(
            Installment.ticket_id.label("ticket_id"),
            func.count().label("n"),
            func.sum(owing).label("owing"),
        )
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(
            Installment.group_id.in_(group_ids),
            Installment.month <= ChitGroup.current_month,
            Installment.paid < Installment.amount,
            Installment.due_date < today,
        )
        .group_by(Installment.ticket_id)
        .subquery()
    )
    rows = session.exec(
        select(Ticket, ChitGroup, User, late.c.n, late.c.owing)
        .join(late, late.c.ticket_id == Ticket.id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .join(User, User.id == Ticket.member_id)
        .where(
            ChitGroup.status == "active",
            Ticket.status.in_(CHANGEABLE),
            Ticket.prized_month.is_(None),
            Ticket.member_id != ChitGroup.foreman_id,
            late.c.n >= ChitGroup.default_after,
        )
        .order_by(ChitGroup.id, Ticket.ticket_no)
        .limit(limit * 2)
    ).all()
    live = notice_arrears(session, [t for t, *_ in rows if t.defaulted_at is not None])
    return [
        {"ticket": t, "group": g, "member": u, "count": int(n), "owing": int(paise)}
        for t, g, u, n, paise in rows
        if t.id not in live
    ][:limit]


def notices_over(session: Session, group_ids: Select, now: datetime, *, limit: int = 50) -> list[dict]:
    """Declared tickets whose 7 days have run out with the notice's arrears still unpaid: the
    foreman may now remove them and seat a substitute (s.28)."""
    rows = session.exec(
        select(Ticket, ChitGroup, User)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .join(User, User.id == Ticket.member_id)
        .where(
            Ticket.group_id.in_(group_ids),
            ChitGroup.status == "active",
            Ticket.status.in_(CHANGEABLE),
            Ticket.prized_month.is_(None),
            Ticket.defaulted_at.is_not(None),
            Ticket.defaulted_at <= now - timedelta(days=NOTICE_DAYS),
        )
        .order_by(Ticket.defaulted_at)
        .limit(limit * 2)
    ).all()
    unpaid = notice_arrears(session, [t for t, _g, _u in rows])
    return [
        {"ticket": t, "group": g, "member": u, "arrears": unpaid[t.id]} for t, g, u in rows if t.id in unpaid
    ][:limit]
