"""Closing a group, as arithmetic: equal shares to the paisa, and entries that leave every account of
the group and its tickets at zero (issue 15; DESIGN §2: the carry-forward is paid out at closing)."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luckychit_app.domain import closing as C
from luckychit_app.domain import ledger as L
from luckychit_app.domain.errors import DomainError

G, F = 7, 3


def test_shares_worked_example():
    # 7 paise among 3 tickets: 2 each, the odd paisa to the lowest ticket number.
    assert C.split_evenly(7, 3) == [3, 2, 2]
    assert C.split_evenly(0, 4) == [0, 0, 0, 0]
    assert C.split_evenly(1_00_001, 2) == [50_001, 50_000]


@given(total=st.integers(0, 10**12), parts=st.integers(1, 100))
def test_shares_sum_exactly_and_differ_by_at_most_one_paisa(total, parts):
    shares = C.split_evenly(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)  # the odd paise go to the lowest ticket numbers


@pytest.mark.parametrize(
    ("total", "parts"), [(-1, 2), (5, 0), (True, 2), (5, True), ("5", 2), (5.0, 2), (5, -3)]
)
def test_shares_refuse_bad_input(total, parts):
    with pytest.raises(DomainError):
        C.split_evenly(total, parts)


tickets_strategy = st.lists(st.integers(-(10**9), 0), min_size=1, max_size=30).map(
    lambda receivables: [(100 + i, i + 1, r) for i, r in enumerate(receivables)]
)


def _apply(entries, opening):
    balances = defaultdict(int, opening)
    for posting in chain.from_iterable(e.postings for e in entries):
        balances[posting.account] += posting.amount
    return balances


@given(
    carry=st.integers(0, 10**9),
    fees=st.integers(0, 10**9),
    to=st.sampled_from(["foreman", "members"]),
    tickets=tickets_strategy,
)
def test_the_settlement_empties_the_pools_and_owes_every_paisa_back(carry, fees, to, tickets):
    plan = C.plan_closing(carry=carry, late_fees=fees, late_fees_to=to, tickets=tickets)
    assert [s.ticket_no for s in plan.shares] == sorted(t[1] for t in tickets)
    assert sum(s.carry for s in plan.shares) == carry
    assert sum(s.late_fees for s in plan.shares) == (fees if to == "members" else 0)
    assert plan.to_foreman == (fees if to == "foreman" else 0)
    assert max(s.carry for s in plan.shares) - min(s.carry for s in plan.shares) <= 1
    advances = -sum(r for _, _, r in tickets)
    assert plan.refunds == carry + (fees if to == "members" else 0) + advances
    if plan.empty:
        with pytest.raises(DomainError):
            C.closing_settled(G, F, plan)
        return
    entry = C.closing_settled(G, F, plan)
    assert entry.key == f"closing:{G}" and entry.kind == C.KIND_CLOSING
    opening = {L.carry_forward(G): -carry, L.penalty_income(G): -fees}
    opening.update({L.receivable(tid): r for tid, _, r in tickets})
    after = _apply([entry], opening)
    assert after[L.carry_forward(G)] == 0 and after[L.penalty_income(G)] == 0
    assert all(after[L.receivable(tid)] == 0 for tid, _, _ in tickets)
    for share in plan.shares:
        assert after[L.refunds_payable(share.ticket_id)] == -share.total
    # Paying every refund and moving the rest of the cash leaves the group's accounts at zero.
    cash = carry + fees + advances  # the cash the pools and advances stand for
    paid = [
        L.subscriber_refund_paid(G, s.ticket_id, 900 + i, s.total)
        for i, s in enumerate(plan.shares)
        if s.total
    ]
    after = _apply(paid, {**after, L.cash(G): cash})
    assert after[L.cash(G)] == plan.to_foreman
    assert all(after[L.refunds_payable(s.ticket_id)] == 0 for s in plan.shares)
    if plan.to_foreman:
        after = _apply([C.group_closed(G, F, plan.to_foreman)], after)
        assert after[L.cash(G)] == 0 and after[L.owner_cash(F)] == plan.to_foreman


def test_a_ticket_that_still_owes_cannot_be_settled():
    with pytest.raises(DomainError, match=r"Ticket 2 still owes ₹1\.$"):
        C.plan_closing(carry=5, late_fees=0, late_fees_to="members", tickets=[(1, 1, 0), (2, 2, 100)])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"carry": -1},
        {"late_fees": -5},
        {"late_fees_to": "charity"},
        {"tickets": []},
        {"tickets": [(1, 1, 0), (1, 2, 0)]},
        {"tickets": [(1, 1, 0), (2, 1, 0)]},
        {"tickets": [(1, 1, 1.5)]},
        {"carry": True},
    ],
)
def test_the_plan_refuses_bad_input(kwargs):
    args = {"carry": 3, "late_fees": 0, "late_fees_to": "foreman", "tickets": [(1, 1, 0), (2, 2, 0)]}
    with pytest.raises(DomainError):
        C.plan_closing(**{**args, **kwargs})


def test_the_late_fee_pool_goes_to_the_foreman_when_the_agreement_says_so():
    plan = C.plan_closing(carry=10, late_fees=500, late_fees_to="foreman", tickets=[(1, 1, 0), (2, 2, -300)])
    entry = C.closing_settled(G, F, plan)
    lines = {p.account: p.amount for p in entry.postings}
    assert lines == {
        L.carry_forward(G): 10,
        L.penalty_income(G): 500,
        L.commission_income(F): -500,
        L.receivable(2): 300,
        L.refunds_payable(1): -5,
        L.refunds_payable(2): -305,
    }


def test_the_close_entry_moves_the_rest_of_the_cash_to_the_foreman():
    closed = C.group_closed(G, F, 9_000)
    assert closed.key == f"close:{G}" and closed.kind == C.KIND_CLOSE
    assert {p.account: p.amount for p in closed.postings} == {L.owner_cash(F): 9_000, L.cash(G): -9_000}
    assert L.owner_cash(F) == "foreman:3:own_cash" and L.account_kind(L.owner_cash(F)) == "own_cash"
    for bad in (0, -1, True, 1.5):
        with pytest.raises(DomainError):
            C.group_closed(G, F, bad)
    with pytest.raises(DomainError):
        C.group_closed("4 0", F, 100)
    assert C.no_dues_number("MAIN", 7, 3) == "ND/MAIN/7/003"
