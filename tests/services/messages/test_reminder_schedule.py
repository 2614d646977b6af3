"""Issue 18, item 4: reminders go on their own, before a due, on its day and when it is late, in the
member's language, on the channels they chose, and never twice for the same due and stage.

The month is simulated: the job runs at 08:00, 10:00, 13:00 and 19:30 India time every day from a
week before month 1's due to ten days after it, as several workers would run it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import select, update

from luckychit_app.clock import IST, format_date
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Installment, OutboxMessage, Ticket, User
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import outbox, reminder_schedule
from tests.services.helpers import active_group, foreman, member_actor, pay, snapshot

RUNS = (time(8, 0), time(10, 0), time(13, 0), time(19, 30))


def _at(day: date, when: time) -> datetime:
    return datetime.combine(day, when, tzinfo=IST)


def _reminders(tx) -> list[OutboxMessage]:
    with tx() as s:
        return list(
            s.exec(
                select(OutboxMessage)
                .where(OutboxMessage.kind.startswith("reminder"))
                .order_by(OutboxMessage.id)
            ).all()
        )


@pytest.fixture
def month(tx):
    """A three-ticket group with a ₹50 flat late fee: member 1 pays month 1 early, member 2 reads
    Tamil and takes SMS, member 3 turned SMS off and takes WhatsApp."""
    owner = foreman(tx)
    group_id, tickets = active_group(tx, owner, tickets=3)
    members = [member_actor(tx, t) for t in tickets]
    with tx() as s:
        s.exec(
            update(ChitGroup)
            .where(ChitGroup.id == group_id)
            .values(late_fee_mode="flat", late_fee_flat=5000, grace_days=0)
        )
        s.exec(update(User).where(User.id == members[1].user_id).values(language="ta"))
        s.exec(
            update(User).where(User.id == members[2].user_id).values(notify_sms=False, notify_whatsapp=True)
        )
        due = s.exec(
            select(Installment).where(Installment.ticket_id == tickets[0], Installment.month == 1)
        ).one()
        mobiles = [s.get(User, m.user_id).mobile for m in members]
    pay(tx, owner, tickets[0], due.amount)
    return owner, group_id, tickets, mobiles, due.due_date, due.amount


def test_a_simulated_month_sends_exactly_the_reminders_due(tx, month):
    _owner, _group_id, tickets, mobiles, due_date, amount = month
    day = due_date - timedelta(days=7)
    while day <= due_date + timedelta(days=10):
        for when in RUNS:
            with tx() as s:
                reminder_schedule.send_scheduled(s, now=_at(day, when))
        day += timedelta(days=1)
    sent = _reminders(tx)
    got = sorted((_stage(m, due_date), m.channel, m.recipient, m.language) for m in sent)
    expected = sorted(
        (stage, channel, mobile, lang)
        for stage in (-3, 0, 3, 7)
        for channel, mobile, lang in (("sms", mobiles[1], "ta"), ("whatsapp", mobiles[2], "en"))
    )
    assert got == expected  # member 1 paid early: nothing; nothing at 08:00; nothing twice
    assert all(_at_hour(m) >= 9 for m in sent)
    by_stage = {(_stage(m, due_date), m.channel): m for m in sent}
    before, late = by_stage[(-3, "whatsapp")], by_stage[(3, "whatsapp")]
    assert "is due on" in before.body and format_inr(amount) in before.body
    assert before.kind == "reminder_before" and by_stage[(0, "whatsapp")].kind == "reminder_due"
    assert late.kind == "reminder_overdue" and "3 days late" in late.body
    assert format_inr(amount + 5000) in late.body  # the ₹50 late fee is in what is owed now
    assert f"/m/pay/{tickets[2]}" in late.body
    tamil_before, tamil_late = by_stage[(-3, "sms")], by_stage[(7, "sms")]
    assert format_date(due_date, "ta") in tamil_before.body  # "12 மார்., 2026": the month in Tamil
    assert "வணக்கம்" in tamil_late.body and "தாமத" in tamil_late.body and tamil_late.category == "service"


def _stage(m: OutboxMessage, due_date: date) -> int:
    return (m.created_at.astimezone(IST).date() - due_date).days


def _at_hour(m: OutboxMessage) -> int:
    return m.created_at.astimezone(IST).hour


def test_a_run_that_fails_midway_and_a_second_worker_send_nothing_twice(tx, month, monkeypatch):
    _owner, _group_id, _tickets, _mobiles, due_date, _amount = month
    now = _at(due_date, time(10, 0))
    real = outbox.enqueue
    calls = {"n": 0}

    def crash_after_one(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the worker died here")
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox, "enqueue", crash_after_one)
    with pytest.raises(RuntimeError), tx() as s:
        reminder_schedule.send_scheduled(s, now=now)
    monkeypatch.setattr(outbox, "enqueue", real)
    assert _reminders(tx) == []  # the failed run's transaction left nothing half-done
    with tx() as s:
        assert reminder_schedule.send_scheduled(s, now=now) == {"queued": 2, "already": 0}
    with tx() as s:  # another worker, the same minute
        assert reminder_schedule.send_scheduled(s, now=now + timedelta(minutes=3)) == {
            "queued": 0,
            "already": 2,
        }
    assert len(_reminders(tx)) == 2


def test_paying_stops_the_next_reminders_and_a_pause_stops_all(tx, month):
    owner, group_id, tickets, _mobiles, due_date, amount = month
    with tx() as s:
        reminder_schedule.send_scheduled(s, now=_at(due_date - timedelta(days=3), time(10)))
    assert len(_reminders(tx)) == 2
    pay(tx, owner, tickets[1], amount)
    with tx() as s:
        reminder_schedule.send_scheduled(s, now=_at(due_date, time(10)))
    assert [m.channel for m in _reminders(tx)[2:]] == ["whatsapp"]  # member 2 paid
    with tx() as s:
        reminder_schedule.set_schedule(
            s, actor=owner, group_id=str(group_id), days="-3, 0, 3, 7", paused=True
        )
        assert (
            reminder_schedule.send_scheduled(s, now=_at(due_date + timedelta(days=3), time(10)))["queued"]
            == 0
        )


def test_the_foreman_previews_tomorrow_and_sets_the_days(tx, month):
    owner, group_id, tickets, _mobiles, due_date, _amount = month
    with tx() as s:
        rows = reminder_schedule.preview(s, actor=owner, group_id=str(group_id), day=due_date)
    assert [(r["ticket_id"], r["channel"], r["language"], r["stage"]) for r in rows] == [
        (str(tickets[1]), "SMS", "ta", "on the day"),
        (str(tickets[2]), "WhatsApp", "en", "on the day"),
    ]
    assert _reminders(tx) == []  # a preview queues nothing
    with tx() as s:
        got = reminder_schedule.set_schedule(
            s, actor=owner, group_id=str(group_id), days=" 5,-1,1 ", paused=False
        )
    assert got == {"days": "-1, 1, 5", "paused": ""}
    with tx() as s:
        assert reminder_schedule.preview(s, actor=owner, group_id=str(group_id), day=due_date) == []
        assert (
            len(
                reminder_schedule.preview(s, actor=owner, group_id=str(group_id), day=due_date + timedelta(1))
            )
            == 2
        )


def test_bad_days_and_strangers_change_nothing(tx, engine, month):
    owner, group_id, tickets, _mobiles, _due, _amount = month
    other = foreman(tx, name="Other Foreman")
    member = member_actor(tx, tickets[1])
    before = snapshot(engine)
    for days in ("", "soon", "-16", "61", "1,2,3,4,5,6,7", None, 7, "1;2", "x" * 100):
        with pytest.raises(ServiceError) as caught, tx() as s:
            reminder_schedule.set_schedule(s, actor=owner, group_id=str(group_id), days=days, paused=False)
        assert caught.value.field == "days"
    with pytest.raises(ServiceError), tx() as s:
        reminder_schedule.set_schedule(s, actor=owner, group_id=str(group_id), days="0", paused="yes")
    for caller in (other, member, None):
        with pytest.raises(NotAllowed), tx() as s:
            reminder_schedule.set_schedule(s, actor=caller, group_id=str(group_id), days="0", paused=True)
        with pytest.raises(NotAllowed), tx() as s:
            reminder_schedule.preview(s, actor=caller, group_id=str(group_id))
    assert snapshot(engine) == before
    with tx() as s:
        assert s.exec(select(Ticket).where(Ticket.group_id == group_id)).all()
