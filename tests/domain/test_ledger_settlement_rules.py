"""A settled month in the books under the agreement's terms (ledger.settlement_posted): the 7 % cap on
the foreman's remainder and dividends forfeited by tickets in arrears, both kept in the group's
carry-forward; the dues, payments and payout of the month still close every account."""

from __future__ import annotations

from itertools import chain

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luckychit_app.domain import ledger as L
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.settlement import settle_auction, settle_foreman_first, settle_lucky
from luckychit_app.domain.terms import GroupTerms

RUPEE = 100
G, F = 7, 3


def balances(entries):
    return L.trial_balance(chain.from_iterable(e.postings for e in entries))


def test_the_worked_example_books_the_excess_remainder_to_the_group():
    terms = GroupTerms(
        chit_value=300_000 * RUPEE, tickets=30, kind="auction", commission_bp=700, remainder_to="foreman"
    )
    tickets = list(range(1, 31))
    s = settle_auction(terms, 2, 65_000 * RUPEE)
    entry = L.settlement_posted(G, F, 9, s, 5, tickets, "foreman")
    assert (entry.kind, entry.key) == (L.KIND_SETTLEMENT, "draw:9")
    tb = balances([entry])
    assert tb[L.commission_income(F)] == -21_000 * RUPEE  # not ₹21,000.20: s.21(1)(b), 7 % of V
    assert tb[L.carry_forward(G)] == -20


def test_the_remainder_goes_where_the_agreement_says_when_it_fits_under_the_cap():
    terms = GroupTerms(chit_value=100_000 * RUPEE, tickets=4, kind="auction")
    s = settle_auction(terms, 2, 10_000 * RUPEE + 3)
    for remainder_to, account in (("carry", L.carry_forward(G)), ("foreman", L.commission_income(F))):
        tb = balances([L.settlement_posted(G, F, 1, s, 2, [1, 2, 3, 4], remainder_to)])
        assert tb[account] - (-s.commission if remainder_to == "foreman" else 0) == -3  # 5 %: 3 paise fit
    lucky = GroupTerms(chit_value=40_000 * RUPEE, tickets=4, kind="lucky", foreman_first_chit=True)
    first = settle_foreman_first(lucky)
    assert balances([L.settlement_posted(G, F, 2, first, 1, [1, 2, 3, 4], "foreman")]) == {
        L.pot(G, 1): 40_000 * RUPEE,
        L.prize_payable(1): -40_000 * RUPEE,  # the whole chit amount, no commission (s.21(1)(a))
    }


def test_a_forfeited_dividend_stays_with_the_group_and_the_month_still_closes():
    terms = GroupTerms(chit_value=100_000 * RUPEE, tickets=4, kind="auction", forfeit_dividend_when_late=True)
    tickets = [1, 2, 3, 4]
    s = settle_auction(terms, 2, 20_000 * RUPEE + 2)  # dividend ₹3,750, remainder 2 paise
    entries = [L.dues_raised(G, 2, [(t, terms.installment) for t in tickets])]
    entries.append(L.settlement_posted(G, F, "d2", s, 2, tickets, "carry", [3]))
    # Ticket 3 was in arrears: it owes the full installment, the others the net one.
    entries += [L.payment_received(G, t, f"p{t}", s.net_installment) for t in (1, 2, 4)]
    entries.append(L.payment_received(G, 3, "p3", terms.installment))
    entries.append(L.payout_released(G, 2, "o2", s.prize, 0))
    tb = balances(entries)
    assert L.check_books(entries) == []
    assert tb[L.pot(G, 2)] == 0
    assert all(tb[L.receivable(t)] == 0 for t in tickets)
    assert tb[L.carry_forward(G)] == -(s.dividend_per_ticket + s.remainder)
    assert tb[L.commission_income(F)] == -s.commission
    assert tb[L.cash(G)] == s.commission + s.remainder + s.dividend_per_ticket
    assert "forfeited" in entries[1].memo


def test_forfeits_are_checked():
    terms = GroupTerms(chit_value=100_000 * RUPEE, tickets=4, kind="auction")
    s = settle_auction(terms, 2, 20_000 * RUPEE)
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 2, [1, 2, 3, 4], "carry", [3, 3])
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 2, [1, 2, 3, 4], "carry", [9])
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 2, [1, 2, 3, 4], "carry", ["a:b"])
    lucky = settle_lucky(GroupTerms(chit_value=40_000 * RUPEE, tickets=4, kind="lucky"), 2)
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, lucky, 2, [1, 2, 3, 4], "carry", [3])
    with pytest.raises(DomainError):
        L.settlement_posted(G, F, 1, s, 2, [1, 2, 3, 4], "members")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_month_closes_its_pot_and_the_foreman_stays_under_the_cap(data):
    tickets = data.draw(st.integers(2, 40))
    per_ticket = data.draw(st.integers(-(-1_000 * RUPEE // tickets), 1_000_000 * RUPEE // tickets))
    commission_bp = data.draw(st.integers(0, 700))
    terms = GroupTerms(
        chit_value=per_ticket * tickets,
        tickets=tickets,
        kind="auction",
        commission_bp=commission_bp,
        max_discount_bp=data.draw(st.integers(commission_bp, 5000)),
    )
    ids = list(range(1, tickets + 1))
    s = settle_auction(terms, 2, data.draw(st.integers(terms.commission, terms.max_discount)))
    late = sorted(data.draw(st.sets(st.sampled_from(ids))))
    remainder_to = data.draw(st.sampled_from(["carry", "foreman"]))
    entries = [L.dues_raised(G, 2, [(t, terms.installment) for t in ids])]
    entries.append(L.settlement_posted(G, F, "d", s, ids[0], ids, remainder_to, late))
    owed = {t: terms.installment if t in late else s.net_installment for t in ids}
    entries += [L.payment_received(G, t, f"p{t}", owed[t]) for t in ids if owed[t]]
    entries.append(L.payout_released(G, ids[0], "o", s.prize, 0))
    tb = balances(entries)
    assert L.check_books(entries) == []
    assert all(tb.get(L.receivable(t), 0) == 0 for t in ids)
    assert -tb.get(L.commission_income(F), 0) <= terms.chit_value * 7 // 100
    assert -tb.get(L.carry_forward(G), 0) >= s.dividend_per_ticket * len(late)
    # Cash in hand is exactly what the foreman and the group keep.
    assert tb[L.cash(G)] == -tb.get(L.commission_income(F), 0) - tb.get(L.carry_forward(G), 0)
