"""Applying payments oldest-first and computing late fees."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain.dues import allocate_payment, days_late, late_fee
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.terms import GroupTerms

RUPEE = 100
DUE = date(2025, 3, 10)


def terms(**changes) -> GroupTerms:
    return dataclasses.replace(GroupTerms(chit_value=100_000 * RUPEE, tickets=20, kind="lucky"), **changes)


def test_partial_payment_goes_to_oldest_first():
    allocations, excess = allocate_payment(7_000, [(11, 5_000), (12, 5_000), (13, 5_000)])
    assert allocations == [(11, 5_000), (12, 2_000)]
    assert excess == 0


def test_overpayment_becomes_advance():
    assert allocate_payment(12_000, [(11, 5_000), (12, 5_000)]) == ([(11, 5_000), (12, 5_000)], 2_000)
    assert allocate_payment(500, []) == ([], 500)


def test_settled_rows_are_skipped():
    assert allocate_payment(100, [(1, 0), (2, 300)]) == ([(2, 100)], 0)


@pytest.mark.parametrize(
    ("amount", "outstanding"),
    [(0, [(1, 5)]), (-5, [(1, 5)]), (5.0, [(1, 5)]), (True, [(1, 5)]), (5, [(1, -1)]), (5, [(1, 2), (1, 3)])],
)
def test_bad_allocation_input(amount, outstanding):
    with pytest.raises(DomainError):
        allocate_payment(amount, outstanding)


@settings(max_examples=300, deadline=None)
@given(
    amount=st.integers(1, 10**9),
    owed=st.lists(st.integers(0, 10**8), max_size=30),
)
def test_allocation_properties(amount, owed):
    outstanding = list(enumerate(owed, start=100))
    allocations, excess = allocate_payment(amount, outstanding)
    assert sum(applied for _, applied in allocations) + excess == amount
    assert excess >= 0
    owed_by_id = dict(outstanding)
    for installment_id, applied in allocations:
        assert 0 < applied <= owed_by_id[installment_id]
    ids = [i for i, _ in allocations]
    assert ids == sorted(ids)  # oldest first
    # Every row before the last one touched is fully paid; nothing after it is touched.
    if allocations:
        last = ids[-1]
        for installment_id, amount_owed in outstanding:
            applied = dict(allocations).get(installment_id, 0)
            if installment_id < last:
                assert applied == amount_owed
    if excess:
        assert dict(allocations) == {i: o for i, o in outstanding if o}


def test_days_late():
    assert days_late(DUE, DUE) == 0
    assert days_late(DUE, DUE - timedelta(days=3)) == 0
    assert days_late(DUE, DUE + timedelta(days=3)) == 3


def test_no_fee_mode_or_within_grace():
    assert late_fee(terms(), 5_000 * RUPEE, DUE, DUE + timedelta(days=90)) == 0
    flat = terms(late_fee_mode="flat", late_fee_flat=50 * RUPEE, grace_days=5)
    assert late_fee(flat, 5_000 * RUPEE, DUE, DUE + timedelta(days=5)) == 0
    assert late_fee(flat, 0, DUE, DUE + timedelta(days=50)) == 0


@pytest.mark.parametrize(("days", "months"), [(6, 1), (35, 1), (36, 2), (65, 2), (66, 3)])
def test_flat_fee_per_started_month_after_grace(days, months):
    flat = terms(late_fee_mode="flat", late_fee_flat=50 * RUPEE, grace_days=5)
    assert late_fee(flat, 5_000 * RUPEE, DUE, DUE + timedelta(days=days)) == months * 50 * RUPEE


def test_interest_fee_is_simple_and_floored():
    interest = terms(late_fee_mode="interest", late_fee_interest_bp=200, grace_days=3)
    # 2% a month on ₹5,000 for 30 days after grace = ₹100
    assert late_fee(interest, 5_000 * RUPEE, DUE, DUE + timedelta(days=33)) == 100 * RUPEE
    # 1 day: 500000 × 200 × 1 / 300000 = 333.33 → 333 paise
    assert late_fee(interest, 5_000 * RUPEE, DUE, DUE + timedelta(days=4)) == 333
    assert late_fee(interest, 5_000 * RUPEE, DUE, DUE + timedelta(days=3)) == 0


def test_late_fee_validates_input():
    with pytest.raises(DomainError):
        late_fee(terms(), -1, DUE, DUE)
    with pytest.raises(DomainError):
        late_fee(terms(grace_days=40), 100, DUE, DUE)
