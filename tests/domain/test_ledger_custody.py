"""Cash in staff custody in the books: collected into the collector's account, handed over to a
clerk's account or into the group's cash (the branch's till), never below zero."""

from __future__ import annotations

from itertools import chain

import pytest

from luckychit_app.domain import ledger as L
from luckychit_app.domain.errors import DomainError

RUPEE = 100
G, H = 7, 8  # two groups of one branch
AGENT, CLERK = 41, 42


def balances(entries: list[L.JournalDraft]) -> dict[str, int]:
    return L.trial_balance(chain.from_iterable(e.postings for e in entries))


def test_custody_account_names_and_kind():
    assert L.cash_with(G, AGENT) == "group:7:cash_with:41"
    assert L.account_kind(L.cash_with(G, AGENT)) == "cash_with"
    assert L.account_kind(L.cash(G)) == "cash"
    with pytest.raises(DomainError):
        L.cash_with(G, "41:x")


def test_payment_held_by_a_staff_member_goes_to_their_custody():
    kept = L.payment_received(G, 12, 501, 2_000 * RUPEE, held_by=AGENT)
    till = L.payment_received(G, 12, 502, 2_000 * RUPEE)
    assert {p.account: p.amount for p in kept.postings} == {
        "group:7:cash_with:41": 2_000 * RUPEE,
        "ticket:12:receivable": -2_000 * RUPEE,
    }
    assert {p.account: p.amount for p in till.postings}["group:7:cash"] == 2_000 * RUPEE
    assert kept.kind == L.KIND_PAYMENT and kept.key == "payment:501"


def test_hand_over_to_a_person_and_to_the_till():
    to_clerk = L.cash_handed_over(9, G, AGENT, CLERK, 1_500 * RUPEE)
    to_till = L.cash_handed_over(10, G, CLERK, None, 1_500 * RUPEE)
    assert {p.account: p.amount for p in to_clerk.postings} == {
        "group:7:cash_with:42": 1_500 * RUPEE,
        "group:7:cash_with:41": -1_500 * RUPEE,
    }
    assert {p.account: p.amount for p in to_till.postings} == {
        "group:7:cash": 1_500 * RUPEE,
        "group:7:cash_with:42": -1_500 * RUPEE,
    }
    assert to_clerk.kind == L.KIND_HANDOVER
    for bad in (0, -5, 1.5, True):
        with pytest.raises(DomainError):
            L.cash_handed_over(9, G, AGENT, CLERK, bad)


def test_hand_over_keys_are_unique_per_group():
    first = L.cash_handed_over(9, G, AGENT, None, 100 * RUPEE)
    other_group = L.cash_handed_over(9, H, AGENT, None, 100 * RUPEE)
    other_handover = L.cash_handed_over(10, G, AGENT, None, 100 * RUPEE)
    assert first.key == "handover:9:7"
    assert len({first.key, other_group.key, other_handover.key}) == 3
    # The same hand-over of the same group posted twice is caught by the key check.
    problems = L.check_books([L.payment_received(G, 12, 1, 100 * RUPEE, held_by=AGENT), first, first])
    assert any("handover:9:7" in p and "2 entries" in p for p in problems)


def test_check_books_flags_custody_below_zero():
    entries = [
        L.payment_received(G, 12, 1, 500 * RUPEE, held_by=AGENT),
        L.cash_handed_over(9, G, AGENT, None, 700 * RUPEE),
    ]
    problems = L.check_books(entries)
    assert problems == ["group:7:cash_with:41: ₹200 more handed over than this person collected."]
    # Handing over exactly what was collected is sound.
    entries[1] = L.cash_handed_over(9, G, AGENT, None, 500 * RUPEE)
    assert L.check_books(entries) == []


def test_worked_example_agent_to_clerk_to_till_in_rupees():
    """An agent collects ₹3,000 in group 7 and ₹1,200 in group 8 on a round. The clerk counts ₹4,000
    (₹200 short): the ₹200 stays with the agent. Hand-over 9 moves group 7 first (the oldest group),
    ₹3,000, then ₹1,000 of group 8. The clerk hands the ₹4,000 to the manager, into the till."""
    entries = [
        L.payment_received(G, 12, 1, 3_000 * RUPEE, held_by=AGENT),
        L.payment_received(H, 22, 2, 1_200 * RUPEE, held_by=AGENT),
        L.cash_handed_over(9, G, AGENT, CLERK, 3_000 * RUPEE),
        L.cash_handed_over(9, H, AGENT, CLERK, 1_000 * RUPEE),
    ]
    after_first = balances(entries)
    assert after_first[L.cash_with(G, AGENT)] == 0
    assert after_first[L.cash_with(H, AGENT)] == 200 * RUPEE  # the shortfall, still the agent's
    assert after_first[L.cash_with(G, CLERK)] + after_first[L.cash_with(H, CLERK)] == 4_000 * RUPEE
    entries += [
        L.cash_handed_over(10, G, CLERK, None, 3_000 * RUPEE),
        L.cash_handed_over(10, H, CLERK, None, 1_000 * RUPEE),
    ]
    final = balances(entries)
    assert final[L.cash(G)] == 3_000 * RUPEE and final[L.cash(H)] == 1_000 * RUPEE
    assert final[L.cash_with(G, CLERK)] == final[L.cash_with(H, CLERK)] == 0
    assert final[L.receivable(12)] == -3_000 * RUPEE and final[L.receivable(22)] == -1_200 * RUPEE
    assert sum(final.values()) == 0
    assert L.check_books(entries) == []
