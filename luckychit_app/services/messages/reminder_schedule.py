"""Reminders that go on their own (issue 18, item 4): before a due, on its day and when it is late,
on the days each group sets, in the member's language, with what they owe today (late fees
included) and the link to pay it.

Why it is shaped like this:
- The job runs every few minutes in every worker (luckychit_app/background.py). Each reminder has a
  dedupe key (ticket, the due it is about, the stage, the channel) and the outbox's unique index
  keeps one row per key, so two workers, or a restart in the middle of a run, never queue the same
  reminder twice (services/messages/outbox.enqueue).
- Reminders go only between SEND_FROM and SEND_UNTIL India time. TRAI's Telecom Commercial
  Communications Customer Preference Regulations, 2018 (TCCCPR) keep promotional texts to
  10:00-21:00; a due reminder is a service message outside that rule, but a member should not be
  texted at night either. A day's reminders missed because the app was down all day are not sent
  late: the next stage's reminder says what is owed by then.
- Several dues of one ticket that hit a stage on the same day make one message (the total owed);
  a ticket paid up by the time the job runs is not reminded.
- A member's opt-outs (notify_sms / notify_whatsapp / notify_email, the profile page) stop reminders
  on that channel; transactional texts (codes, receipts) still go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.i18n import text
from luckychit_app.models import ChitGroup, Installment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_role
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.messages import outbox
from luckychit_app.services.money.amount_due import owed as owed_now
from luckychit_app.services.money.amount_due import ticket_money
from luckychit_app.settings import get_settings

SEND_FROM, SEND_UNTIL = time(9, 0), time(20, 0)
"""India time: reminders are queued only in this window (see the module's docstring)."""
DAYS_RANGE = (-15, 60)
"""A reminder day is at most 15 days before a due and at most 60 days after it."""
MAX_DAYS = 6


def parse_days(value: object) -> tuple[int, ...]:
    """ "-3, 0, 3, 7" -> (-3, 0, 3, 7): the days from a due's date, sorted; a clear message otherwise."""
    if not isinstance(value, str) or len(value) > 60:
        raise ServiceError(
            "Enter the reminder days as numbers separated by commas, e.g. -3, 0, 3, 7.", "days"
        )
    parts = [p.strip() for p in value.split(",") if p.strip()]
    try:
        days = sorted({int(p) for p in parts})
    except ValueError:
        raise ServiceError(
            "Enter the reminder days as numbers separated by commas, e.g. -3, 0, 3, 7.", "days"
        ) from None
    low, high = DAYS_RANGE
    if not days or len(days) > MAX_DAYS or days[0] < low or days[-1] > high:
        raise ServiceError(
            f"Choose 1 to {MAX_DAYS} reminder days between {low} (before the due) and {high} (after it).",
            "days",
        )
    return tuple(days)


def _days_of(group: ChitGroup) -> tuple[int, ...]:
    try:
        return parse_days(group.reminder_days)
    except ServiceError:
        return ()


@dataclass(frozen=True)
class Reminder:
    """One reminder to one member on one channel."""

    group: ChitGroup
    ticket: Ticket
    user: User
    installment_id: int
    stage: int  # days from the due's date: negative before it, 0 on it, positive late
    due_date: date
    owed: int  # paise, late fees included, as of the day
    channel: str
    recipient: str

    @property
    def dedupe_key(self) -> str:
        return f"remind:{self.ticket.id}:{self.installment_id}:{self.stage}:{self.channel}"

    @property
    def language(self) -> str:
        return self.user.language or "en"

    def params(self) -> dict[str, str]:
        """The template's values (DLT and WhatsApp templates are registered with these variables)."""
        return {
            "name": self.user.name,
            "amount": format_inr(self.owed),
            "group": self.group.name,
            "ticket": str(self.ticket.ticket_no),
            "date": format_date(self.due_date, self.language),
            "days": str(abs(self.stage)),
            # A DLT variable holds at most 30 characters (TRAI TCCCPR 2018 content templates), so the
            # registered template carries the pay address and this fills in its end: the ticket.
            "ticket_id": str(self.ticket.id),
        }

    @property
    def kind(self) -> str:
        return (
            "reminder_before" if self.stage < 0 else "reminder_due" if self.stage == 0 else "reminder_overdue"
        )

    def body(self) -> str:
        key = {
            "reminder_before": "remind.before",
            "reminder_due": "remind.today",
            "reminder_overdue": "remind.late",
        }
        link = f"{get_settings().public_url}/m/pay/{self.ticket.id}"
        return text(self.language, key[self.kind], link=link, **self.params())

    def subject(self) -> str:
        return text(self.language, "remind.subject", group=self.group.name)


def _channels(user: User) -> list[tuple[str, str]]:
    chosen = []
    if user.notify_sms:
        chosen.append(("sms", user.mobile))
    if user.notify_whatsapp:
        chosen.append(("whatsapp", user.mobile))
    if user.notify_email and user.email:
        chosen.append(("email", user.email))
    return chosen


def plan(session: Session, *, day: date, group_ids: list[int] | None = None) -> list[Reminder]:
    """Every reminder due on `day`: for each active, unpaused group, the unpaid dues whose date is one
    of the group's reminder days away from `day`, one message per ticket and channel."""
    stmt = (
        select(Installment, Ticket, User, ChitGroup)
        .join(Ticket, Ticket.id == Installment.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(
            ChitGroup.status == "active",
            ChitGroup.reminders_paused == False,  # noqa: E712 (SQL)
            Installment.paid < Installment.amount,
            Installment.due_date >= day - timedelta(days=DAYS_RANGE[1]),
            Installment.due_date <= day - timedelta(days=DAYS_RANGE[0]),
            Ticket.status.in_(("active", "suspended")),
            Ticket.member_id != ChitGroup.foreman_id,  # the foreman's own ticket is his to watch
            User.is_active,
        )
        .order_by(Ticket.id, Installment.due_date)
    )
    if group_ids is not None:
        stmt = stmt.where(ChitGroup.id.in_(group_ids))
    hits: dict[int, tuple[Installment, Ticket, User, ChitGroup, int]] = {}
    days: dict[int, tuple[int, ...]] = {}  # each group's days, parsed once
    for inst, ticket, user, group in session.exec(stmt).all():
        stage = (day - inst.due_date).days
        if group.id not in days:
            days[group.id] = _days_of(group)
        if stage in days[group.id] and ticket.id not in hits:  # the oldest due speaks for the ticket
            hits[ticket.id] = (inst, ticket, user, group, stage)
    reminders = []
    money = ticket_money(session, hits)
    for inst, ticket, user, group, stage in hits.values():
        owed = owed_now(group, money[ticket.id], as_of=day).total
        if stage < 0:  # before its date the due itself is not yet counted as owed
            owed = max(owed, inst.amount - inst.paid)
        if owed <= 0:
            continue  # an advance covers it
        for channel, recipient in _channels(user):
            reminders.append(
                Reminder(group, ticket, user, inst.id, stage, inst.due_date, owed, channel, recipient)
            )
    return reminders


def in_window(now: datetime) -> bool:
    return SEND_FROM <= to_ist(now).time() < SEND_UNTIL


def send_scheduled(session: Session, *, now: datetime) -> dict[str, int]:
    """Queue today's reminders (India time) that are not queued yet; nothing outside the window.
    Returns {"queued": n, "already": m}."""
    if not in_window(now):
        return {"queued": 0, "already": 0}
    queued = already = 0
    for r in plan(session, day=to_ist(now).date()):
        row = outbox.enqueue(
            session,
            channel=r.channel,
            recipient=r.recipient,
            kind=r.kind,
            subject=r.subject(),
            body=r.body(),
            params=r.params(),
            language=r.language,
            dedupe_key=r.dedupe_key,
            now=now,
        )
        if row is None:
            already += 1
        else:
            queued += 1
    return {"queued": queued, "already": already}


CHANNEL_LABELS = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "Email"}


def preview(
    session: Session, *, actor: Actor | None, group_id: object, day: date | None = None
) -> list[dict[str, str]]:
    """What the group's members will be sent on `day` (tomorrow by default), for the foreman to see
    before it goes: who, on which channel, in which language, the amount and the text."""
    actor = require_role(actor, "foreman", "admin")
    group = group_for_foreman(session, actor, group_id)
    day = day or today_ist() + timedelta(days=1)
    return [
        {
            "ticket_id": str(r.ticket.id),
            "ticket_no": str(r.ticket.ticket_no),
            "name": r.user.name,
            "channel": CHANNEL_LABELS[r.channel],
            "language": r.language,
            "amount": format_inr(r.owed),
            "stage": f"{-r.stage} days before"
            if r.stage < 0
            else "on the day"
            if r.stage == 0
            else f"{r.stage} days late",
            "text": r.body(),
        }
        for r in plan(session, day=day, group_ids=[group.id])
    ]


def schedule_of(session: Session, *, actor: Actor | None, group_id: object) -> dict[str, str]:
    actor = require_role(actor, "foreman", "admin")
    group = group_for_foreman(session, actor, group_id)
    return {"days": ", ".join(map(str, _days_of(group))), "paused": "yes" if group.reminders_paused else ""}


def set_schedule(
    session: Session, *, actor: Actor | None, group_id: object, days: object, paused: object
) -> dict[str, str]:
    """The group's reminder days and pause; audited. Bad days change nothing."""
    actor = require_role(actor, "foreman", "admin")
    group = group_for_foreman(session, actor, group_id)
    parsed = parse_days(days)
    if not isinstance(paused, bool):
        raise ServiceError("Say whether reminders are paused.", "paused")
    before = {"days": group.reminder_days, "paused": group.reminders_paused}
    group.reminder_days = ",".join(map(str, parsed))
    group.reminders_paused = paused
    session.add(group)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="group.reminders_set",
        object_type="group",
        object_id=group.id,
        detail={"before": before, "after": {"days": group.reminder_days, "paused": paused}},
    )
    return schedule_of(session, actor=actor, group_id=group.id)
