"""The foreman's group page: each ticket's overdue amount is what it has not paid of the dues already
past their date, read from the unpaid dues alone (issue 22: the page summed every allocation of the
group, 25 ms on the bench book's 40-ticket group, now 3 ms)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from luckychit_app.clock import today_ist
from luckychit_app.models import Installment
from luckychit_app.services.reporting import home_dashboard
from luckychit_app.services.reporting.views import group_page
from tests.services.helpers import active_group, conduct, foreman, outstanding, pay, pay_dues


def test_overdue_is_what_is_unpaid_of_the_dues_past_their_date(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)  # started 2026-01-01: month 1 due 10-01-2026
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, group_id)  # month 2 raised, due 10-02-2026: past
    month2 = outstanding(tx, tickets[1], 2)
    pay(tx, boss, tickets[0], month2 + 5_000_00)  # month 2 and money ahead: nothing overdue
    pay(tx, boss, tickets[1], 2_500_00)  # part of month 2
    with tx() as s:
        rows = {r["ticket_id"]: r for r in group_page(s, actor=boss, group_id=group_id)["members"]}
    assert rows[str(tickets[0])]["overdue"] == "—"
    assert rows[str(tickets[1])]["overdue"] == f"₹{(month2 - 2_500_00) // 100:,}"
    assert rows[str(tickets[2])]["overdue"] == f"₹{outstanding(tx, tickets[2], 2) // 100:,}"


def test_a_due_falling_today_is_not_overdue_until_tomorrow_as_on_the_dashboard(tx):
    """The group page and the dashboard's overdue card agree: a due on today's date is still on
    time (it was overdue on the group page alone until 2026-12-07)."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, group_id)  # month 2 raised, due 10-02-2026
    for days_ago, shown in ((0, False), (1, True)):
        with tx() as s:
            month2 = select(Installment).where(Installment.group_id == group_id, Installment.month == 2)
            for due in s.exec(month2):
                due.due_date = today_ist() - timedelta(days=days_ago)
                s.add(due)
        with tx() as s:
            rows = group_page(s, actor=boss, group_id=group_id)["members"]
            cards = home_dashboard.cards(s, actor=boss, today=today_ist())
        assert {r["overdue"] != "—" for r in rows} == {shown}, days_ago
        assert (cards["overdue"] != "0") is shown, (days_ago, cards)
