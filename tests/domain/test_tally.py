"""The pure rules behind the accountant's hand-off (issue 19): Tally's amounts, dates, voucher types
and ledger names; the Indian financial year; the readable names of the books' accounts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luckychit_app.domain import financial_year as fy
from luckychit_app.domain import ledger as books
from luckychit_app.domain import tally
from luckychit_app.domain.account_labels import TicketName, account_label, refs_of
from luckychit_app.domain.errors import DomainError


@pytest.mark.parametrize(
    ("paise", "text"),
    [(123_450, "-1234.50"), (-123_450, "1234.50"), (5, "-0.05"), (-100, "1.00"), (0, "0.00")],
)
def test_a_debit_is_negative_in_tally_and_a_credit_positive(paise, text):
    assert tally.tally_amount(paise) == text
    assert tally.paise_of(text) == paise
    assert tally.deemed_positive(paise) == ("Yes" if paise > 0 else "No")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_amounts_survive_the_round_trip_exactly(paise):
    assert tally.paise_of(tally.tally_amount(paise)) == paise


@pytest.mark.parametrize("text", ["1e3", "10.5", "1,000.00", "-", "nan", " 1.000", "0x10.00", ""])
def test_anything_but_two_decimals_is_not_an_amount(text):
    with pytest.raises(DomainError):
        tally.paise_of(text)


def test_floats_and_bools_are_not_paise():
    for bad in (1.5, True, "100"):
        with pytest.raises(DomainError):
            tally.tally_amount(bad)


def test_voucher_types_follow_the_cash():
    assert tally.voucher_type([("cash", 100), ("receivable", -100)]) == "Receipt"
    assert tally.voucher_type([("prize_payable", 100), ("cash", -80), ("receivable", -20)]) == "Payment"
    assert tally.voucher_type([("cash", 100), ("cash_with", -100)]) == "Contra"
    assert tally.voucher_type([("own_cash", 100), ("cash", -100)]) == "Contra"
    assert tally.voucher_type([("pot", 100), ("prize_payable", -95), ("commission", -5)]) == "Journal"
    assert tally.voucher_type(iter([("cash", 100), ("receivable", -100)])) == "Receipt"  # a generator


def test_every_kind_of_account_has_a_tally_group():
    kinds = {kind for kind, _pattern in books._ACCOUNT_PATTERNS}
    assert kinds <= set(tally.PARENTS), kinds - set(tally.PARENTS)
    assert tally.parent_group("receivable") == "Sundry Debtors"
    assert tally.parent_group("gst_payable") == "Duties & Taxes"
    assert tally.parent_group(None) == tally.SUSPENSE


def test_ledger_names_are_unique_short_and_clean():
    labels = {
        "group:1:cash": "Diwali Savings — cash",
        "group:2:cash": "DIWALI SAVINGS — CASH",  # Tally ignores case
        "ticket:3:receivable": "Asha\x00 Rao\n— " + "x" * 200,
        "foreman:1:commission": "Commission income",
    }
    names = tally.unique_ledger_names(labels)
    assert names["group:1:cash"] == "Diwali Savings — cash [group:1:cash]"
    assert names["group:2:cash"] == "DIWALI SAVINGS — CASH [group:2:cash]"
    assert names["foreman:1:commission"] == "Commission income"
    assert (
        names["ticket:3:receivable"].startswith("Asha Rao — xxx")
        and "\x00" not in names["ticket:3:receivable"]
    )
    assert all(len(n) <= tally.NAME_LIMIT for n in names.values())


@given(
    st.dictionaries(
        st.from_regex(r"group:[0-9]{1,4}:cash", fullmatch=True), st.text(max_size=120), max_size=30
    )
)
def test_any_labels_give_unique_names(labels):
    names = tally.unique_ledger_names(labels)
    assert set(names) == set(labels)
    assert len({n.casefold() for n in names.values()}) == len(names)
    assert all(0 < len(n) <= tally.NAME_LIMIT for n in names.values())


def test_the_financial_year_turns_at_midnight_on_1_april():
    assert fy.fy_of(date(2026, 3, 31)) == 2025 and fy.fy_of(date(2026, 4, 1)) == 2026
    assert fy.fy_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    assert fy.fy_label(2025) == "2025-26" and fy.fy_label(2099) == "2099-00"
    months = fy.fy_months(2025)
    assert months[0] == (2025, 4) and months[-1] == (2026, 3) and len(months) == 12
    assert fy.month_label(2026, 3) == "Mar 2026"


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_every_day_is_in_exactly_the_year_it_names(day):
    first, last = fy.fy_bounds(fy.fy_of(day))
    assert first <= day <= last and (last - first).days in (364, 365)
    assert fy.fy_of(last + timedelta(days=1)) == fy.fy_of(day) + 1


@pytest.mark.parametrize("good", [2025, "2025", "2025-26", " 2025-26 "])
def test_a_year_is_named_by_its_start(good):
    assert fy.parse_fy(good) == 2025


@pytest.mark.parametrize("bad", ["2025-27", "25-26", "1999", "2101", "", None, True, 2025.0, "2025-2026"])
def test_other_years_are_refused(bad):
    with pytest.raises(DomainError):
        fy.parse_fy(bad)


def test_accounts_are_named_for_people():
    groups = {7: "Diwali Savings"}
    tickets = {74: TicketName("Asha Rao", "Diwali Savings", 3)}
    people = {2: "Ramesh Kumar", 5: "Selvi Raman"}

    def label(account: str, **kw: bool) -> str:
        return account_label(account, groups=groups, tickets=tickets, people=people, **kw)

    assert label(books.receivable(74)) == "Asha Rao — Diwali Savings ticket 3 (dues receivable)"
    assert label(books.prize_payable(74)) == "Asha Rao — Diwali Savings ticket 3 (prize payable)"
    assert label(books.security_deposit(74)) == "Asha Rao — Diwali Savings ticket 3 (security deposit held)"
    assert label(books.cash(7)) == "Diwali Savings — cash"
    assert label(books.pot(7, 4)) == "Diwali Savings — month 4 pot"
    assert label(books.cash_with(7, 5)) == "Diwali Savings — cash with Selvi Raman (not yet handed over)"
    assert label(books.commission_income(2)) == "Commission income"
    assert label(books.commission_income(2), name_foreman=True) == "Commission income (Ramesh Kumar)"
    assert label(books.gst_payable(2)) == "GST payable"
    assert label(books.penalty_income(7)) == "Diwali Savings — late fees"
    assert label(books.receivable(99)) == "Ticket id 99 (dues receivable)"
    assert label("something:else") == "something:else"
    refs = refs_of([books.receivable(74), books.cash_with(7, 5), books.commission_income(2), "junk"])
    assert (refs.tickets, refs.groups, refs.people) == ({74}, {7}, {5, 2})
