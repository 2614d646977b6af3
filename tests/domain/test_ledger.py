"""Double-entry journal drafts and the book checks."""

from __future__ import annotations

import dataclasses
from itertools import chain
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain import ledger as L
from luckychit_app.domain.errors import DomainError, UnbalancedEntryError
from luckychit_app.domain.ledger import JournalDraft, Posting
from luckychit_app.domain.settlement import settle_auction, settle_foreman_first, settle_lucky
from luckychit_app.domain.terms import GroupTerms

RUPEE = 100
G, F = 7, 3


def balances(entries):
    return L.trial_balance(chain.from_iterable(e.postings for e in entries))


def assert_balanced(entry: JournalDraft) -> None:
    assert entry.postings
    assert sum(p.amount for p in entry.postings) == 0
    assert all(p.amount != 0 for p in entry.postings)


# --- accounts and drafts ----------------------------------------------------------------------------


def test_account_names():
    assert L.cash(G) == "group:7:cash"
    assert L.receivable(12) == "ticket:12:receivable"
    assert L.pot(G, 3) == "group:7:pot:3"
    assert L.prize_payable(12) == "ticket:12:prize_payable"
    assert L.commission_income(F) == "foreman:3:commission"
    assert L.penalty_income(G) == "group:7:late_fees"
    assert L.carry_forward(G) == "group:7:carry_forward"
    assert L.refunds_payable(12) == "ticket:12:refund_payable"
    assert L.account_kind(L.pot(G, 3)) == "pot"
    assert L.account_kind("nonsense") is None


@pytest.mark.parametrize("bad", ["a:b", "", "x y", True, 1.5, None])
def test_ids_cannot_forge_accounts(bad):
    with pytest.raises(DomainError):
        L.cash(bad)


def test_draft_rejects_unbalanced_zero_and_empty():
    with pytest.raises(UnbalancedEntryError):
        JournalDraft("x", "k", "m", (Posting("a", 5), Posting("b", -4)))
    with pytest.raises(UnbalancedEntryError):
        JournalDraft("x", "k", "m", (Posting("a", 5), Posting("b", -5), Posting("c", 0)))
    with pytest.raises(UnbalancedEntryError):
        JournalDraft("x", "k", "m", ())
    with pytest.raises(UnbalancedEntryError):
        JournalDraft("x", "", "m", (Posting("a", 5), Posting("b", -5)))
    with pytest.raises(UnbalancedEntryError):
        Posting("a", 1.5)  # type: ignore[arg-type]
    entry = JournalDraft("x", "k", "m", [Posting("a", 5), Posting("b", -5)])  # type: ignore[arg-type]
    assert isinstance(entry.postings, tuple)
    assert entry.total == 5


def test_every_builder_is_balanced_and_keyed():
    terms = GroupTerms(chit_value=100_000 * RUPEE, tickets=4, kind="auction")
    settlement = settle_auction(terms, 2, 10_000 * RUPEE + 3)
    drafts = {
        "dues:7:2": L.dues_raised(G, 2, [(1, 25_000 * RUPEE), (2, 25_000 * RUPEE)]),
        "draw:99": L.settlement_posted(G, F, 99, settlement, 2, [1, 2, 3, 4], "carry"),
        "payment:55": L.payment_received(G, 1, 55, 1_000),
        "late:1:2025-03": L.late_fee_charged(G, 1, "late:1:2025-03", 250),
        "payout:8": L.payout_released(G, 2, 8, 90_000 * RUPEE, 500),
        "refund:4": L.refund_issued(G, 1, 4, 300),
    }
    for key, draft in drafts.items():
        assert draft.key == key
        assert_balanced(draft)
        undo = L.reversal(draft, f"rev:{key}")
        assert_balanced(undo)
        assert undo.reverses == key
        assert balances([draft, undo]) == {a: 0 for a in balances([draft])}


def test_builders_reject_bad_amounts():
    with pytest.raises(DomainError):
        L.payment_received(G, 1, 1, 0)
    with pytest.raises(DomainError):
        L.refund_issued(G, 1, 1, -5)
    with pytest.raises(DomainError):
        L.payout_released(G, 1, 1, 100, 101)
    with pytest.raises(DomainError):
        L.dues_raised(G, 1, [])
    with pytest.raises(DomainError):
        L.dues_raised(G, 1, [(1, 5), (1, 5)])
    with pytest.raises(DomainError):
        L.reversal(L.payment_received(G, 1, 1, 5), "payment:1")


def test_settlement_posting_validates_tickets():
    terms = GroupTerms(chit_value=100_000 * RUPEE, tickets=4, kind="lucky")
    s = settle_lucky(terms, 1)
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 9, [1, 2, 3, 4], "carry")
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 1, [1, 2, 3], "carry")
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 1, [1, 2, 3, 3], "carry")
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 1, [1, 2, 3, 4], "members")  # type: ignore[arg-type]


def test_payout_with_full_deduction_touches_no_cash():
    entry = L.payout_released(G, 1, 1, 1_000, 1_000)
    assert {p.account for p in entry.postings} == {L.prize_payable(1), L.receivable(1)}


# --- full month cycles ----------------------------------------------------------------------------


def test_lucky_month_cycle_clears_the_pot():
    terms = GroupTerms(chit_value=100_000 * RUPEE, tickets=4, kind="lucky")
    tickets = [101, 102, 103, 104]
    s = settle_lucky(terms, 1)
    entries = [L.dues_raised(G, 1, [(t, terms.installment) for t in tickets])]
    entries += [L.payment_received(G, t, f"p{t}", terms.installment) for t in tickets]
    entries.append(L.settlement_posted(G, F, "d1", s, 102, tickets, "carry"))
    entries.append(L.payout_released(G, 102, "o1", s.prize, 0))
    tb = balances(entries)
    assert L.check_books(entries) == []
    assert tb[L.pot(G, 1)] == 0
    assert tb[L.prize_payable(102)] == 0
    assert tb[L.commission_income(F)] == -s.commission
    assert tb[L.cash(G)] == s.commission  # the foreman still holds his commission
    assert all(tb[L.receivable(t)] == 0 for t in tickets)
    assert sum(tb.values()) == 0


@pytest.mark.parametrize("remainder_to", ["carry", "foreman"])
def test_auction_month_cycle_clears_the_pot(remainder_to):
    terms = GroupTerms(
        chit_value=99_999 * RUPEE + 99 - 2, tickets=7, kind="auction", remainder_to=remainder_to
    )
    tickets = list(range(1, 8))
    s = settle_auction(terms, 2, terms.commission + 7 * 1234 + 5)
    assert s.remainder == 5
    entries = [L.dues_raised(G, 2, [(t, terms.installment) for t in tickets])]
    entries.append(L.settlement_posted(G, F, "d2", s, 4, tickets, remainder_to))
    entries += [L.payment_received(G, t, f"p{t}", s.net_installment) for t in tickets]
    entries.append(L.payout_released(G, 4, "o2", s.prize, 0))
    tb = balances(entries)
    assert L.check_books(entries) == []
    assert tb[L.pot(G, 2)] == 0
    assert all(tb[L.receivable(t)] == 0 for t in tickets)  # everyone owed exactly the net installment
    assert tb[L.cash(G)] == s.commission + s.remainder
    if remainder_to == "carry":
        assert tb[L.carry_forward(G)] == -s.remainder
        assert tb[L.commission_income(F)] == -s.commission
    else:
        assert L.carry_forward(G) not in tb
        assert tb[L.commission_income(F)] == -(s.commission + s.remainder)


def test_foreman_first_and_payout_with_arrears_deduction():
    terms = GroupTerms(chit_value=40_000 * RUPEE, tickets=4, kind="auction", foreman_first_chit=True)
    tickets = [1, 2, 3, 4]
    s = settle_foreman_first(terms)
    entries = [L.dues_raised(G, 1, [(t, terms.installment) for t in tickets])]
    entries += [L.payment_received(G, t, f"p{t}", terms.installment) for t in (1, 2, 3)]
    entries.append(L.settlement_posted(G, F, "d1", s, 4, tickets, "carry"))
    # ticket 4 has not paid: its installment is deducted from its prize
    entries.append(L.payout_released(G, 4, "o1", s.prize, terms.installment))
    tb = balances(entries)
    assert L.check_books(entries) == []
    assert tb[L.receivable(4)] == 0
    assert tb[L.cash(G)] == s.commission


# --- check_books finds problems ---------------------------------------------------------------------


def test_check_books_reports_violations():
    terms = GroupTerms(chit_value=40_000 * RUPEE, tickets=4, kind="lucky")
    s = settle_lucky(terms, 1)
    dues = L.dues_raised(G, 1, [(t, terms.installment) for t in (1, 2, 3)])  # one ticket missing
    settle = L.settlement_posted(G, F, "d1", s, 1, [1, 2, 3, 4], "carry")
    payout = L.payout_released(G, 1, "o1", s.prize, 0)  # no cash was collected
    double = L.payout_released(G, 1, "o2", 100, 0)
    row = SimpleNamespace(key="payment:1", postings=[SimpleNamespace(account=L.cash(G), amount=5)])
    problems = L.check_books([dues, settle, payout, double, payout, row])
    text = "\n".join(problems)
    assert "Key payout:o1 is used by 2 entries" in text
    assert "Entry payment:1 is unbalanced" in text
    assert "group:7:pot:1: the month is settled but its pot is" in text
    assert "group:7:cash: cash is negative" in text
    assert "ticket:1:prize_payable" in text


def test_check_books_understands_reversals():
    terms = GroupTerms(chit_value=40_000 * RUPEE, tickets=4, kind="lucky")
    s = settle_lucky(terms, 1)
    dues = L.dues_raised(G, 1, [(t, terms.installment) for t in (1, 2, 3, 4)])
    settle = L.settlement_posted(G, F, "d1", s, 1, [1, 2, 3, 4], "carry")
    undo = L.reversal(settle, "reverse:d1")
    assert L.check_books([dues, settle, undo]) == []  # a reversed settlement leaves an open pot
    orphan = dataclasses.replace(undo, key="reverse:ghost", reverses="draw:ghost")
    assert any("not in the books" in p for p in L.check_books([dues, orphan]))
    again = L.reversal(settle, "reverse:d1:again")
    assert any("reversed more than once" in p for p in L.check_books([dues, settle, undo, again]))


# --- property: any sequence of builder outputs keeps the books summing to zero -------------------

ids = st.integers(1, 5)
amounts = st.integers(1, 10**9)


@st.composite
def any_entry(draw):
    choice = draw(st.sampled_from(["dues", "settle", "payment", "late", "payout", "refund"]))
    group, ticket, event = draw(ids), draw(ids), draw(st.integers(1, 10**6))
    if choice == "dues":
        tickets = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
        return L.dues_raised(group, draw(ids), [(t, draw(amounts)) for t in tickets])
    if choice == "settle":
        n = draw(st.integers(2, 12))
        per_ticket = draw(st.integers(-(-100_000 // n), 10**9 // n))
        kind = draw(st.sampled_from(["lucky", "auction"]))
        terms = GroupTerms(
            chit_value=per_ticket * n, tickets=n, kind=kind, commission_bp=draw(st.integers(0, 700))
        )
        month = draw(st.integers(1, n))
        if kind == "lucky":
            s = settle_lucky(terms, month)
        else:
            s = settle_auction(terms, month, draw(st.integers(terms.commission, terms.max_discount)))
        tickets = list(range(1, n + 1))
        return L.settlement_posted(
            group,
            draw(ids),
            event,
            s,
            draw(st.sampled_from(tickets)),
            tickets,
            draw(st.sampled_from(["carry", "foreman"])),
        )
    if choice == "payment":
        return L.payment_received(group, ticket, event, draw(amounts))
    if choice == "late":
        return L.late_fee_charged(group, ticket, f"late:{event}", draw(amounts))
    if choice == "payout":
        gross = draw(amounts)
        return L.payout_released(group, ticket, event, gross, draw(st.integers(0, gross)))
    return L.refund_issued(group, ticket, event, draw(amounts))


@settings(max_examples=150, deadline=None)
@given(st.lists(any_entry(), max_size=15), st.data())
def test_any_sequence_of_entries_keeps_books_balanced(entries, data):
    if entries and data.draw(st.booleans()):
        original = data.draw(st.sampled_from(entries))
        entries = [*entries, L.reversal(original, f"rev:{original.key}")]
    for entry in entries:
        assert_balanced(entry)
        assert all(L.account_kind(p.account) is not None for p in entry.postings)
    tb = balances(entries)
    assert sum(tb.values()) == 0
    assert not any("unbalanced" in p for p in L.check_books(entries))
