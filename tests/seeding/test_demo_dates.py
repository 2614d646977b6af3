"""The demo data must show overdue dues on any day it is loaded, not only late in a month, and the
group's life (a defaulter's ticket substituted, a group closed) whatever the day."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from luckychit_app import clock
from luckychit_app.models import ChitGroup, SubscriberRefund, Ticket, User
from luckychit_app.seeding.demo import FOREMAN_MOBILE, SUBSTITUTE_MOBILE, seed_demo_data
from luckychit_app.services.access import Actor
from luckychit_app.services.money import overdue_dues
from luckychit_app.services.money.ledger import ledger_check


def _frozen(day: date) -> type[datetime]:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:
            return datetime(day.year, day.month, day.day, 9, 0, tzinfo=clock.IST).astimezone(tz)

    return Frozen


DAYS = [date(2026, 12, 1), date(2026, 12, 13), date(2026, 12, 14), date(2027, 1, 28)]


@pytest.mark.parametrize("day", DAYS)
def test_the_lucky_group_has_overdue_dues_whatever_the_day(tx, monkeypatch, day):
    monkeypatch.setattr(clock, "datetime", _frozen(day))
    assert clock.today_ist() == day
    with tx() as s:
        seed_demo_data(s)
    with tx() as s:
        foreman = s.exec(select(User).where(User.mobile == FOREMAN_MOBILE)).one()
        lucky = s.exec(select(ChitGroup).where(ChitGroup.name == "Diwali Lucky Chit 2026")).one()
        rows = overdue_dues.overdue_list(s, actor=Actor(foreman.id, "foreman"), group_id=lucky.id, as_of=day)
        removed = s.exec(select(Ticket).where(Ticket.group_id == lucky.id, Ticket.status == "removed")).one()
        seat = s.exec(
            select(Ticket.status, User.mobile)
            .join(User, User.id == Ticket.member_id)
            .where(Ticket.replaces_ticket_id == removed.id)
        ).one()
        refund = s.exec(select(SubscriberRefund).where(SubscriberRefund.group_id == lucky.id)).one()
        closed = s.exec(select(ChitGroup).where(ChitGroup.name == "Pongal Savings 2026")).one()
        assert ledger_check(s) == []
    late = {(r["ticket_no"], r["month"]) for r in rows}
    assert {("7", "3"), ("7", "4"), ("9", "4")} <= late, late
    assert lucky.current_month == 4
    # A defaulter was removed after the notice (s.28) and a substitute seated on the same number,
    # whose earlier instalments fall due on the day they joined; the defaulter's refund waits (s.30).
    assert tuple(seat) == ("active", SUBSTITUTE_MOBILE) and removed.prized_month is None
    assert (refund.kind, refund.payable_at, refund.status) == ("removal", "close", "due")
    assert closed.status == "closed" and closed.closed_at is not None
