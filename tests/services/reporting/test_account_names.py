"""Accounts named for people (issue 19, item 11): one naming rule for the ledger CSV, the Tally file
and the statements, looked up in at most three queries however many accounts are named."""

from __future__ import annotations

import csv
import io

from sqlalchemy import event

from luckychit_app.domain import ledger as books
from luckychit_app.services.reporting import reports
from luckychit_app.services.reporting.account_names import account_names
from tests.services.helpers import active_group, conduct, foreman, pay, pay_dues, staff, staff_cash

RUPEE = 100


def test_the_ledger_csv_names_accounts_for_people_and_keeps_the_code(tx):
    boss = foreman(tx, name="Ramesh Kumar")
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, group_id)
    with tx() as s:
        _name, text = reports.export_csv(s, actor=boss, group_id=group_id, kind="ledger", audit_in=s)
    table = list(csv.reader(io.StringIO(text)))
    named = {row[5]: row[4] for row in table[1:]}
    assert named[books.receivable(tickets[0])] == "Member 1 — Diwali Savings ticket 1 (dues receivable)"
    assert named[books.cash(group_id)] == "Diwali Savings — cash"
    assert named[books.pot(group_id, 1)] == "Diwali Savings — month 1 pot"
    assert named[books.commission_income(boss.user_id)] == "Commission income"
    assert any(
        code.endswith(":prize_payable") and name.endswith("(prize payable)") for code, name in named.items()
    )


def test_names_cost_three_queries_however_many_accounts(tx, engine):
    boss = foreman(tx)
    agent = staff(tx, boss, "clerk", name="Selvi Raman")
    accounts: set[str] = set()
    for _ in range(3):
        group_id, tickets = active_group(tx, boss, tickets=4)
        staff_cash(tx, agent, tickets[0], 500 * RUPEE)
        pay(tx, boss, tickets[1], 500 * RUPEE)
        accounts |= {books.cash(group_id), books.cash_with(group_id, agent.user_id), books.pot(group_id, 1)}
        accounts |= {books.receivable(t) for t in tickets} | {books.prize_payable(t) for t in tickets}
    accounts |= {books.commission_income(boss.user_id), books.gst_payable(boss.user_id), "not:an:account"}
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with tx() as s:
        s.connection()  # the transaction's own BEGIN is not a lookup
        event.listen(engine, "before_cursor_execute", count)
        try:
            names = account_names(s, accounts)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 3, statements
    assert len(names) == len(accounts) and names["not:an:account"] == "not:an:account"
    cash_with = [n for a, n in names.items() if books.account_kind(a) == "cash_with"]
    assert cash_with and all("cash with Selvi Raman (not yet handed over)" in n for n in cash_with)
    assert names[books.gst_payable(boss.user_id)] == "GST payable"
