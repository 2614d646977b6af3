"""The entries of a subscriber leaving a group with a substitute (Chit Funds Act s.28-s.30)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luckychit_app.domain import ledger as L
from luckychit_app.domain.errors import DomainError

RUPEE = 100
G = 7


def test_a_defaulter_who_paid_two_of_five_instalments():
    """₹5,000 instalments, 5 raised, 2 paid: the substitute owes ₹25,000, the defaulter paid
    ₹10,000, the agreement keeps 5 % of ₹1,00,000 = ₹5,000, so ₹5,000 is set aside for them."""
    f = L.removal_figures(25_000 * RUPEE, 15_000 * RUPEE, 5_000 * RUPEE)
    assert (f.contributed, f.kept, f.refund) == (10_000 * RUPEE, 5_000 * RUPEE, 5_000 * RUPEE)
    entry = L.substitution_posted(G, 11, 12, f)
    assert entry.key == "substitution:11" and entry.kind == L.KIND_SUBSTITUTION
    assert dict((p.account, p.amount) for p in entry.postings) == {
        "ticket:12:receivable": 25_000 * RUPEE,
        "ticket:11:receivable": -15_000 * RUPEE,
        "ticket:11:refund_payable": -5_000 * RUPEE,
        "group:7:late_fees": -5_000 * RUPEE,
    }


def test_an_advance_goes_into_the_refund_and_unpaid_fees_are_written_off():
    advance = L.removal_figures(10_000 * RUPEE, -2_000 * RUPEE, 0)
    assert (advance.contributed, advance.refund, advance.kept) == (12_000 * RUPEE, 12_000 * RUPEE, 0)
    lines = {p.account: p.amount for p in L.substitution_posted(G, 1, 2, advance).postings}
    assert lines["ticket:1:receivable"] == 2_000 * RUPEE  # the advance leaves the ticket
    assert "group:7:late_fees" not in lines
    owes_fees = L.removal_figures(10_000 * RUPEE, 10_300 * RUPEE, 500 * RUPEE)
    assert (owes_fees.refund, owes_fees.kept) == (0, -300 * RUPEE)
    lines = {p.account: p.amount for p in L.substitution_posted(G, 1, 2, owes_fees).postings}
    assert lines["group:7:late_fees"] == 300 * RUPEE and "ticket:1:refund_payable" not in lines


def test_refund_paid_and_bad_input():
    paid = L.subscriber_refund_paid(G, 11, 4, 5_000 * RUPEE)
    assert paid.key == "subscriber_refund:4" and paid.kind == L.KIND_SUBSCRIBER_REFUND
    assert {p.account: p.amount for p in paid.postings} == {
        "ticket:11:refund_payable": 5_000 * RUPEE,
        "group:7:cash": -5_000 * RUPEE,
    }
    with pytest.raises(DomainError):
        L.subscriber_refund_paid(G, 11, 4, 0)
    with pytest.raises(DomainError):
        L.removal_figures(100, 0, -1)
    with pytest.raises(DomainError):
        L.removal_figures(1.5, 0, 0)  # type: ignore[arg-type]
    f = L.removal_figures(100, 0, 0)
    with pytest.raises(DomainError):
        L.substitution_posted(G, 3, 3, f)
    with pytest.raises(DomainError):  # figures that do not add up
        L.substitution_posted(G, 3, 4, L.RemovalFigures(100, 0, 100, 0, 90))
    with pytest.raises(DomainError):  # nothing raised, nothing to post
        L.substitution_posted(G, 3, 4, L.removal_figures(0, 0, 0))


@given(
    raised=st.integers(min_value=1, max_value=10**11),
    balance=st.integers(min_value=-(10**10), max_value=10**11),
    deduction=st.integers(min_value=0, max_value=10**9),
)
def test_the_substitution_always_balances_and_never_refunds_more_than_was_paid(raised, balance, deduction):
    f = L.removal_figures(raised, balance, deduction)
    entry = L.substitution_posted(G, 1, 2, f)
    assert sum(p.amount for p in entry.postings) == 0
    assert f.refund >= 0
    if f.contributed >= 0:
        assert f.refund <= f.contributed
        assert f.kept == min(deduction, f.contributed)  # never more than the agreement's deduction
    else:
        assert f.refund == 0
    problems = L.check_books([entry])
    # On its own (without the fees charged before it) only a write-off of unpaid fees can show.
    assert problems == [] if f.kept >= 0 else all("late_fees" in p for p in problems)
