"""A prized subscriber's security deposit in the books (Chit Funds Act s.21(1)(e), s.32-s.33), as pure
entries: received in cash or kept from the prize, applied to the dues without touching the cash, and
what is left moved to the member's refund at the close, so every account ends at zero."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luckychit_app.domain import closing as C
from luckychit_app.domain import ledger as L
from luckychit_app.domain.errors import DomainError

G, F, T = 7, 3, 41


def _apply(entries, opening=None):
    balances = defaultdict(int, opening or {})
    for posting in chain.from_iterable(e.postings for e in entries):
        balances[posting.account] += posting.amount
    return balances


def test_the_account_is_a_ticket_liability():
    assert L.security_deposit(T) == f"ticket:{T}:security_deposit"
    assert L.account_kind(L.security_deposit(T)) == "security_deposit"
    with pytest.raises(DomainError):
        L.security_deposit("1:cash")


def test_received_kept_and_applied_entries():
    received = L.security_deposit_received(G, T, 5, 15_000_00, how="bank NEFT-1 on 01-03-2026")
    assert received.key == "security_deposit:5" and received.kind == L.KIND_SECURITY_DEPOSIT
    assert {(p.account, p.amount) for p in received.postings} == {
        (L.cash(G), 15_000_00),
        (L.security_deposit(T), -15_000_00),
    }
    assert "NEFT-1" in received.memo
    kept = L.security_deposit_received(G, T, 6, 5_000_00, from_prize=True)
    assert {(p.account, p.amount) for p in kept.postings} == {
        (L.prize_payable(T), 5_000_00),
        (L.security_deposit(T), -5_000_00),
    }
    applied = L.security_deposit_applied(G, T, 99, 12_000_00)
    assert (applied.key, applied.kind) == ("payment:99", L.KIND_PAYMENT)
    # No cash line: the cash came in with the deposit.
    assert {(p.account, p.amount) for p in applied.postings} == {
        (L.security_deposit(T), 12_000_00),
        (L.receivable(T), -12_000_00),
    }
    for bad in (0, -1, 1.5, True, "100"):
        with pytest.raises(DomainError):
            L.security_deposit_received(G, T, 5, bad)
        with pytest.raises(DomainError):
            L.security_deposit_applied(G, T, 5, bad)


def test_check_books_names_a_deposit_applied_beyond_what_was_held():
    entries = [L.security_deposit_received(G, T, 1, 100), L.security_deposit_applied(G, T, 2, 150)]
    problems = L.check_books(entries)
    assert any(L.security_deposit(T) in p and "debited past zero" in p for p in problems)
    assert L.check_books([*entries[:1], L.security_deposit_applied(G, T, 2, 100)]) == []


@given(
    deposit=st.integers(1, 10**9),
    applied=st.integers(0, 10**9),
    advance=st.integers(0, 10**6),
    carry=st.integers(0, 10**6),
)
def test_what_is_left_goes_back_at_the_close_and_every_account_ends_at_zero(deposit, applied, advance, carry):
    applied = min(applied, deposit)
    left = deposit - applied
    entries = [L.security_deposit_received(G, T, 1, deposit)]
    if applied:
        entries.append(L.security_deposit_applied(G, T, 2, applied))
    # The dues the deposit paid were raised into a month's pot; the member paid an advance in cash.
    opening = {
        L.receivable(T): applied - advance,
        L.pot(G, 2): -applied,
        L.cash(G): advance + carry,
        L.carry_forward(G): -carry,
    }
    after = _apply(entries, opening)
    assert after[L.security_deposit(T)] == -left
    assert after[L.cash(G)] == deposit + advance + carry  # the recovery moved no cash
    plan = C.plan_closing(
        carry=carry,
        late_fees=0,
        late_fees_to="members",
        tickets=[(T, 1, after[L.receivable(T)]), (T + 1, 2, 0)],
        deposits={T: left} if left else {},
    )
    assert plan.shares[0].deposit == left and plan.empty == (not (carry or advance or left))
    if plan.empty:
        return
    settled = _apply([C.closing_settled(G, F, plan)], after)
    assert settled[L.security_deposit(T)] == 0 and settled[L.receivable(T)] == 0
    paid = [
        L.subscriber_refund_paid(G, s.ticket_id, 900 + i, s.total)
        for i, s in enumerate(plan.shares)
        if s.total
    ]
    final = _apply(paid, settled)
    # Left: the dues the deposit paid, in cash, for the month's pot (its draw pays them out).
    assert {k: v for k, v in final.items() if v} == (
        {L.cash(G): applied, L.pot(G, 2): -applied} if applied else {}
    )


def test_a_deposit_for_a_ticket_not_seated_or_negative_is_refused():
    with pytest.raises(DomainError, match="not seated"):
        C.plan_closing(carry=0, late_fees=0, late_fees_to="members", tickets=[(1, 1, 0)], deposits={2: 5})
    with pytest.raises(DomainError):
        C.plan_closing(carry=0, late_fees=0, late_fees_to="members", tickets=[(1, 1, 0)], deposits={1: -5})
    plan = C.plan_closing(carry=0, late_fees=0, late_fees_to="members", tickets=[(1, 1, 0)], deposits={1: 5})
    assert not plan.empty and plan.refunds == 5
    entry = C.closing_settled(G, F, plan)
    assert {(p.account, p.amount) for p in entry.postings} == {
        (L.security_deposit(1), 5),
        (L.refunds_payable(1), -5),
    }
