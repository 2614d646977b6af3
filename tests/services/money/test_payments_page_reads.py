"""The foreman's payments page reads every ticket's dues, fees, advance, refunds and prize standing
set-based (issue 22): a fixed number of statements however many tickets the group has, and the same
figures as reading each ticket alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from luckychit_app.models import ChitGroup, Payout
from luckychit_app.services.access import Actor
from luckychit_app.services.groups import prize_defaults, setup
from luckychit_app.services.money import overdue_dues, passbook, payouts, receipts, upi
from luckychit_app.services.money.amount_due import GroupBooks, amount_due, owed, still_to_pay, ticket_money
from luckychit_app.services.people import members
from tests.services.helpers import (
    active_group,
    add_members,
    conduct,
    create_group,
    foreman,
    member_actor,
    new_mobile,
    outstanding,
    pay,
    pay_dues,
    ticket_ids,
)

READS: dict[str, Callable[[Session, Actor, int], Any]] = {
    "cash": lambda s, a, g: passbook.cash_position(s, actor=a, group_id=g),
    "dues": lambda s, a, g: passbook.ticket_dues(s, actor=a, group_id=g),
    "upi": lambda s, a, g: upi.upi_queue(s, actor=a, group_id=g),
    "overdue": lambda s, a, g: overdue_dues.overdue_list(s, actor=a, group_id=g),
    "payments": lambda s, a, g: receipts.payments_for_group(s, group=s.get(ChitGroup, g)),
    "prizes": lambda s, a, g: prize_defaults.prize_rows(s, actor=a, group_id=g),
}


def _busy_group(tx, boss: Actor, tickets: int) -> tuple[int, list[int]]:
    """Two months drawn (two prizes), late flat fees charged and accruing, one ticket paid ahead
    and one paid short: every kind of row the payments page shows."""
    group_id, ids = active_group(tx, boss, tickets=tickets, late_fee_mode="flat", late_fee_flat="100")
    pay_dues(tx, boss, ids, 1)
    conduct(tx, boss, group_id)
    pay(tx, boss, ids[0], outstanding(tx, ids[0], 2))  # month 2, late: a fee
    pay(tx, boss, ids[1], outstanding(tx, ids[1], 2) // 2)  # part of month 2, late
    pay_dues(tx, boss, ids[2:], 2)
    conduct(tx, boss, group_id)
    pay(tx, boss, ids[2], outstanding(tx, ids[2], 3) + 10_000_00)  # month 3, its fees, money ahead
    return group_id, ids


def _statements(engine: Engine, tx, read: Callable[[Session], Any]) -> int:
    seen: list[int] = []

    def count(*_args: object) -> None:
        seen.append(1)

    with tx() as s:
        event.listen(engine, "before_cursor_execute", count)
        try:
            read(s)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_fixed_number_of_statements_however_many_tickets(tx, engine):
    boss = foreman(tx)
    small, _ = _busy_group(tx, boss, tickets=3)
    large, _ = _busy_group(tx, boss, tickets=8)
    for name, read in READS.items():
        few = _statements(engine, tx, lambda s, g=small, r=read: r(s, boss, g))
        many = _statements(engine, tx, lambda s, g=large, r=read: r(s, boss, g))
        assert many == few, (name, few, many)
        assert few <= 20, (name, few)


def test_read_together_each_ticket_has_the_figures_it_has_alone(tx):
    boss = foreman(tx)
    group_id, ids = _busy_group(tx, boss, tickets=5)
    with tx() as s:
        group = s.get(ChitGroup, group_id)
        together = ticket_money(s, ids)
        assert together[ids[2]].advance > 0 and together[ids[0]].fees_charged  # the cases are there
        assert any(ln.paid for ln in together[ids[1]].lines)
        for tid in ids:
            alone = ticket_money(s, [tid])[tid]
            assert together[tid] == alone, tid
            assert owed(group, together[tid]) == amount_due(s, group=group, ticket_id=tid)
            assert still_to_pay(together[tid]) == payouts.remaining_dues(s, ticket_id=tid)
        rows = {r["ticket_id"]: r for r in passbook.ticket_dues(s, actor=boss, group_id=group_id)}
        for tid in ids:
            due = amount_due(s, group=group, ticket_id=tid)
            shown = rows[str(tid)]["owes"]
            assert (shown == "—") == (due.total == 0), tid
        prized = {p.ticket_id for p in s.exec(select(Payout).where(Payout.group_id == group_id)).all()}
        standing = {r["ticket_id"]: r for r in prize_defaults.prize_rows(s, actor=boss, group_id=group_id)}
        assert {int(t) for t in standing} == prized
        for tid in prized:
            alone = prize_defaults.standing(s, group=group, ticket_id=tid)
            assert standing[str(tid)]["future"] == passbook.format_inr(alone.future), tid


def test_the_prizes_tab_reads_the_prized_tickets_books_once(tx, engine):
    """prize_rows shows payouts_for_group's rows with each prized ticket's standing: it adds the
    deposits held and today's demands (a statement each) and takes the tickets and their books
    (ticket_money, four statements) from what payouts_for_group read (payouts.group_payouts)."""
    boss = foreman(tx)
    group_id, _ = _busy_group(tx, boss, tickets=3)
    rows = _statements(engine, tx, lambda s: payouts.payouts_for_group(s, actor=boss, group_id=group_id))
    prizes = _statements(engine, tx, lambda s: prize_defaults.prize_rows(s, actor=boss, group_id=group_id))
    assert prizes - rows <= 2, (rows, prizes)


SHARED = ("dues", "overdue", "prizes")
"""The payments page's lists of the same tickets' books (their dues, fees and advances)."""


def test_the_payments_page_reads_its_tickets_books_once_for_its_three_lists(tx, engine):
    """The page's refresh passes one GroupBooks to the dues, overdue and prizes lists: each shows
    what it shows alone, and the seated tickets and their books (ticket_money's four statements)
    are read once, not three times."""
    boss = foreman(tx)
    group_id, _ = _busy_group(tx, boss, tickets=5)
    with tx() as s:
        alone = {name: READS[name](s, boss, group_id) for name in SHARED}
    assert all(alone.values())  # every list has rows: the books are really shared

    def together(s: Session) -> dict[str, Any]:
        shared = GroupBooks(s, s.get(ChitGroup, group_id))
        return {
            "dues": passbook.ticket_dues(s, actor=boss, group_id=group_id, page_books=shared),
            "overdue": overdue_dues.overdue_list(s, actor=boss, group_id=group_id, page_books=shared),
            "prizes": prize_defaults.prize_rows(s, actor=boss, group_id=group_id, page_books=shared),
        }

    with tx() as s:
        assert together(s) == alone
    apart = sum(_statements(engine, tx, lambda s, r=READS[name]: r(s, boss, group_id)) for name in SHARED)
    shared_reads = _statements(engine, tx, together)
    assert apart - shared_reads >= 7, (apart, shared_reads)  # 2 x (tickets + their books) + dues twice


def test_shared_books_are_one_groups_and_one_transactions(tx):
    boss = foreman(tx)
    first, _ = _busy_group(tx, boss, tickets=3)
    second, _ = _busy_group(tx, boss, tickets=3)
    with tx() as s:
        shared = GroupBooks(s, s.get(ChitGroup, first))
        with pytest.raises(ValueError):
            passbook.ticket_dues(s, actor=boss, group_id=second, page_books=shared)


def _member_of(tx, boss: Actor, groups: int) -> Actor:
    """A member holding the first ticket of `groups` new groups, a month drawn in each, each
    ticket late on its second month (a fee) with a UPI claim waiting."""
    mobile = new_mobile()
    for _ in range(groups):
        group_id = create_group(
            tx, boss, tickets="3", late_fee_mode="flat", late_fee_flat="100", upi_vpa="boss@okaxis"
        )
        with tx() as s:
            members.add_member(s, actor=boss, group_id=group_id, name="Lakshmi Devi", mobile=mobile)
        add_members(tx, boss, group_id, 2)
        with tx() as s:
            setup.activate_group(s, actor=boss, group_id=group_id, start="2026-01-01")
        ids = ticket_ids(tx, group_id)
        pay_dues(tx, boss, ids, 1)
        conduct(tx, boss, group_id)
        with tx() as s:
            upi.submit_utr(
                s, actor=member_actor(tx, ids[0]), ticket_id=ids[0], amount="100", utr=new_mobile() + "00"
            )
    return member_actor(tx, ids[0])


def test_the_members_payments_page_reads_a_fixed_number_of_statements(tx, engine):
    """The member's Payments tab and a ticket's statement (state/passbook.read_page): the tickets'
    dues, fees, advances and waiting UPI claims read together, the statement's dated events in one
    statement, and the tab's ticket and group rows reused by the statement: the same statements for
    one ticket as for three, and no more than 15."""
    boss = foreman(tx)
    one, three = _member_of(tx, boss, 1), _member_of(tx, boss, 3)
    counts = []
    for member in (one, three):
        with tx() as s:
            data, _, book = passbook.payments_page(s, actor=member, chosen="")
        assert len(data["tickets"]) in (1, 3) and all(t["pending"] == "₹100" for t in data["tickets"])
        assert all(t["overdue"] for t in data["tickets"]) and book["lines"]
        counts.append(
            _statements(engine, tx, lambda s, m=member: passbook.payments_page(s, actor=m, chosen=""))
        )
    assert counts[0] == counts[1] <= 16, counts  # 15 reads, and SQLite's BEGIN IMMEDIATE
