"""month_totals (migration 0006): the dashboard chart's rollup, kept by database triggers on
installments, payment_allocations and payments.method, and proved by ledger-check."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlmodel import select

from luckychit_app.models import Installment, MonthTotal, Payment
from luckychit_app.services.money.ledger import ledger_check, month_totals_drift
from luckychit_app.services.reporting import home_dashboard
from tests.services.helpers import active_group, foreman, pay

RUPEE = 100


def totals(tx, group_id: int) -> dict[tuple[str, str], int]:
    with tx() as s:
        rows = s.exec(select(MonthTotal).where(MonthTotal.group_id == group_id)).all()
        return {(r.month.strftime("%Y-%m"), r.kind): r.amount for r in rows if r.amount}


def test_rollup_follows_dues_payments_and_their_method(tx):
    boss = foreman(tx)
    group_id, (t1, t2, _t3) = active_group(tx, boss, tickets=3)
    with tx() as s:
        dues = s.exec(select(Installment).where(Installment.group_id == group_id)).all()
        first = next(i for i in dues if i.ticket_id == t1 and i.month == 1)
        month, due = first.due_date.strftime("%Y-%m"), first.amount
    baseline = {}
    for inst in dues:
        key = (inst.due_date.strftime("%Y-%m"), "due")
        baseline[key] = baseline.get(key, 0) + inst.amount
    assert totals(tx, group_id) == baseline and baseline[(month, "due")] == 3 * due

    cash = pay(tx, boss, t1, 4_000 * RUPEE)
    pay(tx, boss, t2, due)
    assert totals(tx, group_id) == baseline | {(month, "cash"): 4_000 * RUPEE + due}

    with tx() as s:  # a correction of the method moves the money between the chart's stacks
        s.get(Payment, cash.id).method = "bank"
    assert totals(tx, group_id) == baseline | {(month, "cash"): due, (month, "bank"): 4_000 * RUPEE}

    with tx() as s:  # a due moved to another month takes its collections with it
        moved = s.get(Installment, first.id)
        moved.due_date = first.due_date - timedelta(days=62)
        earlier = moved.due_date.strftime("%Y-%m")
    assert totals(tx, group_id) == baseline | {
        (month, "due"): 2 * due,
        (month, "cash"): due,
        (earlier, "due"): due,
        (earlier, "bank"): 4_000 * RUPEE,
    }
    with tx() as s:
        assert ledger_check(s) == []
        series = home_dashboard.collection_series(s, actor=boss, today=first.due_date)
    assert series.collected["bank"][-3] == 4_000 * RUPEE and series.collected["cash"][-1] == due
    assert series.due[-1] == 2 * due and series.due[-3] == due


def test_ledger_check_names_a_bucket_that_drifted(tx):
    boss = foreman(tx)
    _, (t1, _t2, _t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, 1_000 * RUPEE)
    with tx() as s:
        assert month_totals_drift(s) == []
        s.execute(text("UPDATE month_totals SET amount = amount + 1 WHERE kind = 'cash'"))
    with tx() as s:
        problems = ledger_check(s)
    assert len(problems) == 1 and "cash is 100001 paise, rows say 100000" in problems[0]
