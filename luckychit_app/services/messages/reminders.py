"""Chasing overdue dues: the overdue list, a one-click WhatsApp reminder per member (in the member's
language, with the amount and a pay link), and "remind all overdue", which queues SMS/email through
the outbox so the messages leave only if the transaction commits and are retried if a sender fails.

Reminders are polite and rare on purpose: a member already reminded through a channel in the last
`REMIND_AGAIN_AFTER` is skipped, so a double click or an impatient foreman does not spam anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, today_ist, utcnow
from luckychit_app.domain.money import format_inr
from luckychit_app.locales import native_name
from luckychit_app.models import ChitGroup, OutboxMessage, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id, require_role
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.notifications import whatsapp_link
from luckychit_app.services.reporting.foreman_scope import overdue_by_ticket, owned_groups
from luckychit_app.services.validation import page_window
from luckychit_app.settings import get_settings

REMIND_AGAIN_AFTER = timedelta(hours=20)

_TEXT = {
    "en": (
        "Hello {name}, your LuckyChit installment of {amount} for {group} (ticket {ticket}) is overdue "
        "since {since}. Please pay here: {link}\n— {foreman}"
    ),
    "hi": (
        "नमस्ते {name}, {group} (टिकट {ticket}) की आपकी LuckyChit किस्त {amount} {since} से बकाया है। "
        "कृपया यहाँ भुगतान करें: {link}\n— {foreman}"
    ),
    "ta": (
        "வணக்கம் {name}, {group} (டிக்கெட் {ticket}) குழுவில் உங்கள் LuckyChit தவணை {amount} {since} முதல் "
        "நிலுவையில் உள்ளது. இங்கே செலுத்துங்கள்: {link}\n— {foreman}"
    ),
    "te": (
        "నమస్కారం {name}, {group} (టికెట్ {ticket})లో మీ LuckyChit వాయిదా {amount} {since} నుండి బకాయిగా "
        "ఉంది. దయచేసి ఇక్కడ చెల్లించండి: {link}\n— {foreman}"
    ),
    "kn": (
        "ನಮಸ್ಕಾರ {name}, {group} (ಟಿಕೆಟ್ {ticket}) ಗುಂಪಿನಲ್ಲಿ ನಿಮ್ಮ LuckyChit ಕಂತು {amount} {since}ರಿಂದ ಬಾಕಿ "
        "ಇದೆ. ದಯವಿಟ್ಟು ಇಲ್ಲಿ ಪಾವತಿಸಿ: {link}\n— {foreman}"
    ),
    "ml": (
        "നമസ്കാരം {name}, {group} (ടിക്കറ്റ് {ticket}) ഗ്രൂപ്പിലെ നിങ്ങളുടെ LuckyChit തവണ {amount} {since} മുതൽ "
        "കുടിശ്ശികയാണ്. ദയവായി ഇവിടെ അടയ്ക്കുക: {link}\n— {foreman}"
    ),
}
_SUBJECT = {
    "en": "Payment reminder: {group}",
    "hi": "भुगतान अनुस्मारक: {group}",
    "ta": "தவணை நினைவூட்டல்: {group}",
    "te": "చెల్లింపు గుర్తుచేత: {group}",
    "kn": "ಪಾವತಿ ಜ್ಞಾಪನೆ: {group}",
    "ml": "അടവ് ഓർമ്മപ്പെടുത്തൽ: {group}",
}


def pay_link() -> str:
    """Where a member pays: their payments page (sign-in leads there)."""
    return f"{get_settings().public_url}/m/payments"


def reminder_text(
    *, language: str, name: str, group: str, ticket: int, amount: int, since: date, foreman: str
) -> str:
    """The reminder in the member's language (English for a language without a template)."""
    template = _TEXT.get(language, _TEXT["en"])
    return template.format(
        name=name,
        group=group,
        ticket=ticket,
        amount=format_inr(amount),
        since=format_date(since, language),
        link=pay_link(),
        foreman=foreman,
    )


@dataclass(frozen=True)
class OverdueTicket:
    ticket: Ticket
    user: User
    group: ChitGroup
    owing: int
    since: date


def _overdue(
    session: Session,
    actor: Actor,
    *,
    group_id: object = None,
    ticket_id: int | None = None,
    today: date,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[OverdueTicket], int]:
    ids = owned_groups(actor)
    if group_id not in (None, ""):
        ids = select(ChitGroup.id).where(ChitGroup.id == group_for_foreman(session, actor, group_id).id)
    owed = overdue_by_ticket(session, ids, today).subquery()
    base = (
        select(Ticket, User, ChitGroup, owed.c.owing, owed.c.since)
        .join(owed, owed.c.ticket_id == Ticket.id)
        .join(User, User.id == Ticket.member_id)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(Ticket.status != "removed", Ticket.member_id != actor.user_id)
    )
    if ticket_id is not None:
        base = base.where(Ticket.id == ticket_id)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    stmt = base.order_by(owed.c.since, owed.c.owing.desc(), Ticket.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [OverdueTicket(t, u, g, int(owing), since) for t, u, g, owing, since in session.exec(stmt).all()]
    return rows, int(total)


def overdue_list(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object = None,
    offset: object = 0,
    limit: object = 25,
    today: date | None = None,
) -> tuple[list[dict[str, str]], int]:
    """One page of overdue tickets, oldest arrears first."""
    actor = require_role(actor, "foreman")
    first, size = page_window(offset, limit)
    today = today or today_ist()
    rows, total = _overdue(session, actor, group_id=group_id, today=today, offset=first, limit=size)
    return [
        {
            "ticket_id": str(r.ticket.id),
            "ticket_no": str(r.ticket.ticket_no),
            "name": r.user.name,
            "mobile": r.user.mobile,
            "group_id": str(r.group.id),
            "group": r.group.name,
            "amount": format_inr(r.owing),
            "since": format_date(r.since),
            "days": str((today - r.since).days),
            "language": native_name(r.user.language),
            "status": r.ticket.status,
        }
        for r in rows
    ], total


def whatsapp_reminder(
    session: Session, *, actor: Actor | None, ticket_id: object, today: date | None = None
) -> str:
    """The click-to-chat link for one overdue ticket; the reminder is recorded in the audit log."""
    actor = require_role(actor, "foreman")
    tid = require_id(ticket_id, "ticket")
    rows, _ = _overdue(session, actor, ticket_id=tid, today=today or today_ist())
    if not rows:
        raise NotAllowed("This member has nothing overdue.")
    r = rows[0]
    text = reminder_text(
        language=r.user.language,
        name=r.user.name,
        group=r.group.name,
        ticket=r.ticket.ticket_no,
        amount=r.owing,
        since=r.since,
        foreman=actor.name or "Your foreman",
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action="reminder.whatsapp",
        object_type="ticket",
        object_id=r.ticket.id,
        detail={"amount": r.owing, "language": r.user.language},
    )
    return whatsapp_link(r.user.mobile[-10:], text)


@dataclass(frozen=True)
class RemindAllResult:
    tickets: int
    sms: int
    email: int
    skipped_recent: int
    no_channel: int

    def summary(self) -> str:
        parts = [f"{self.sms} SMS and {self.email} email reminders queued for {self.tickets} overdue tickets"]
        if self.skipped_recent:
            parts.append(f"{self.skipped_recent} already reminded in the last 20 hours")
        if self.no_channel:
            parts.append(f"{self.no_channel} members turned SMS and email off (use WhatsApp)")
        return "; ".join(parts) + "."


def remind_all_overdue(
    session: Session, *, actor: Actor | None, group_id: object = None, today: date | None = None
) -> RemindAllResult:
    """Queue an SMS (and an email where the member has one and wants it) for every overdue ticket."""
    actor = require_role(actor, "foreman")
    today = today or today_ist()
    rows, _ = _overdue(session, actor, group_id=group_id, today=today)
    recent = set(
        session.exec(
            select(OutboxMessage.recipient, OutboxMessage.subject).where(
                OutboxMessage.created_at > utcnow() - REMIND_AGAIN_AFTER
            )
        ).all()
    )
    sms = email = skipped = silent = 0
    reminded: list[int] = []
    for r in rows:
        lang = r.user.language if r.user.language in _TEXT else "en"
        subject = _SUBJECT[lang].format(group=r.group.name)[:200]
        body = reminder_text(
            language=lang,
            name=r.user.name,
            group=r.group.name,
            ticket=r.ticket.ticket_no,
            amount=r.owing,
            since=r.since,
            foreman=actor.name or "Your foreman",
        )
        targets = []
        if r.user.notify_sms:
            targets.append(("sms", r.user.mobile))
        if r.user.notify_email and r.user.email:
            targets.append(("email", r.user.email))
        if not targets:
            silent += 1
            continue
        fresh = [(channel, to) for channel, to in targets if (to, subject) not in recent]
        if not fresh:
            skipped += 1
            continue
        for channel, to in fresh:
            outbox.enqueue(
                session,
                channel=channel,
                recipient=to,
                kind="reminder",
                subject=subject,
                body=body,
                params={"name": r.user.name, "group": r.group.name, "amount": format_inr(r.owing)},
                language=lang,
            )
            recent.add((to, subject))
            sms += channel == "sms"
            email += channel == "email"
        reminded.append(r.ticket.id)
    result = RemindAllResult(len(rows), sms, email, skipped, silent)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="reminder.queued",
        object_type="group" if group_id not in (None, "") else "foreman",
        object_id=group_id if group_id not in (None, "") else actor.user_id,
        detail={"tickets": reminded, "sms": sms, "email": email, "skipped": skipped, "no_channel": silent},
    )
    return result
