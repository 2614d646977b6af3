"""Reading bank statements (issue 19, item 10): the shapes HDFC, SBI and ICICI export as CSV, an OFX
file, the dates and amounts Indian banks write, the UTRs in a narration, fingerprints that make a
re-import add nothing, and clear messages for files that cannot be read. Also the matching rules and
the s.269ST cash limit (item 12)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luckychit_app.domain import cash_limit
from luckychit_app.domain.bank_matching import Credit, Recorded, match_credits
from luckychit_app.domain.bank_statement import (
    fingerprints,
    parse_amount,
    parse_day,
    parse_signed,
    parse_statement,
    utrs_in,
)
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import format_inr

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bank"
MARCH = date(2026, 3, 1)


def read(name: str):
    return parse_statement((FIXTURES / name).read_bytes())


def test_an_hdfc_export_with_its_heading_lines_and_summary():
    st_ = read("hdfc_statement.csv")
    assert (st_.kind, st_.account) == ("csv", "50100012345678")
    assert len(st_.lines) == 7  # the asterisks, the summary and the footer are skipped
    first = st_.lines[0]
    assert (first.day, first.value_day, first.credit, first.debit, first.balance) == (
        date(2026, 3, 2),
        date(2026, 3, 2),
        10_000_00,
        0,
        1_10_000_00,
    )
    assert first.utrs == ("606112345678",)  # the 16-digit zero-padded reference and the narration
    assert first.ref == "0000606112345678"
    assert [ln.credit for ln in st_.lines] == [10_000_00, 10_000_00, 10_000_00, 0, 9_500_00, 1_00_000_00, 0]
    assert [ln.debit for ln in st_.lines if ln.debit] == [5_000_00, 25_000_00]
    assert st_.lines[1].utrs == ()  # a cash deposit's zero reference is no UTR
    assert st_.lines[3].utrs == ()  # nor a padded ATM card reference (an RRN never starts 0000)


def test_an_sbi_export_with_day_month_name_dates():
    st_ = read("sbi_statement.csv")
    assert st_.account == "00000032112345678"
    assert [ln.day for ln in st_.lines] == [date(2026, 3, d) for d in (2, 3, 4, 4, 5)]
    assert st_.lines[0].utrs == ("606112345679",)
    assert st_.lines[1].debit == 12_000_00
    assert st_.lines[4].credit == 10_000_50  # paise survive: " 10,000.50"


def test_an_icici_export_with_a_blank_first_column_and_value_date_first():
    st_ = read("icici_statement.csv")
    assert [(ln.day, ln.value_day) for ln in st_.lines][2] == (date(2026, 3, 5), date(2026, 3, 4))
    assert st_.lines[0].utrs == ("606112345680",)
    assert [ln.credit for ln in st_.lines] == [10_000_00, 0, 9_500_00]


def test_an_ofx_file_through_ofxtools():
    st_ = read("icici_statement.ofx")
    assert (st_.kind, st_.account) == ("ofx", "000405012345")
    assert [(ln.day, ln.credit, ln.debit) for ln in st_.lines] == [
        (date(2026, 3, 2), 10_000_00, 0),
        (date(2026, 3, 3), 0, 2_500_00),
        (date(2026, 3, 5), 1_00_000_00, 0),  # 00:00 IST is still the 5th in India
    ]
    assert st_.lines[0].ref == "S81234567" and st_.lines[0].utrs == ("606112345678",)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("02/03/2026", date(2026, 3, 2)),
        ("2/3/26", date(2026, 3, 2)),
        ("02-03-26", date(2026, 3, 2)),
        ("02.03.2026", date(2026, 3, 2)),
        ("02-Mar-2026", date(2026, 3, 2)),
        ("02 MAR 2026", date(2026, 3, 2)),
        ("2 Sept 2026", date(2026, 9, 2)),
        ("02/03/2026 14:05:09", date(2026, 3, 2)),
        ("2026-03-02", date(2026, 3, 2)),
    ],
)
def test_dates_are_read_day_first(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["31/02/2026", "13-Abc-2026", "", "Opening Balance", "2026/13/01"])
def test_a_date_that_is_not_one_is_refused(text):
    with pytest.raises(DomainError):
        parse_day(text)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_day_reads_back_in_every_bank_format(day):
    for fmt in ("%d/%m/%Y", "%d-%m-%y", "%d-%b-%Y", "%d %b %y", "%d.%m.%Y", "%Y-%m-%d"):
        assert parse_day(day.strftime(fmt)) == day


@pytest.mark.parametrize(
    ("text", "paise", "negative"),
    [
        ("1,00,000.00", 1_00_000_00, False),
        ("100,000.00", 1_00_000_00, False),
        (" 2,500.5 ", 2_500_50, False),
        ("", 0, False),
        ("-", 0, False),
        ("0.00", 0, False),
        ("1,234.00 Cr", 1_234_00, False),
        ("1,234.00 Dr", 1_234_00, True),
        ("(500.00)", 500_00, True),
        ("-1,500.00", 1_500_00, True),
        ("₹ 500", 500_00, False),
    ],
)
def test_amounts_in_indian_grouping(text, paise, negative):
    assert parse_signed(text) == (paise, negative)


@given(st.integers(min_value=0, max_value=10**13))
def test_every_amount_reads_back_in_indian_and_international_grouping(paise):
    shown = format_inr(paise).removeprefix("₹")
    if "." not in shown:
        shown += ".00"
    assert parse_amount(shown) == paise
    rupees, rest = divmod(paise, 100)
    assert parse_amount(f"{rupees:,}.{rest:02d}") == paise


@pytest.mark.parametrize("text", ["1,00,0.00", "12.345", "1e5", "abc", "-500"])
def test_an_amount_that_is_not_one_is_refused(text):
    with pytest.raises(DomainError):
        parse_amount(text)


def test_utrs_in_a_narration_and_a_reference():
    assert utrs_in("UPI/CR/606112345679/PRIYA S/UTIB/priya@okaxis") == ("606112345679",)
    assert utrs_in("NEFT CR SBINN52026030312345", "SBINN52026030312345") == ()
    assert utrs_in("IMPS 6061123456789 X") == ()  # 13 digits: not a UTR
    assert utrs_in("UPI-X", "0000606112345678") == ("606112345678",)


def test_fingerprints_are_stable_and_tell_identical_lines_apart():
    lines = read("sbi_statement.csv").lines
    again = read("sbi_statement.csv").lines
    assert fingerprints("X1", lines) == fingerprints("X1", again)
    prints = fingerprints("X1", lines)
    assert len(set(prints)) == len(prints)  # the two ₹20,000 cash deposits differ by balance
    assert fingerprints("X2", lines)[0] != prints[0]  # another account, another line
    no_balance = [ln.__class__(**{**ln.__dict__, "balance": None}) for ln in lines[2:4]]
    twins = fingerprints("X1", no_balance)
    assert twins[0] != twins[1]  # alike in every field: told apart by their order


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "old Excel file"),
        (b"%PDF-1.7 ...", "PDF statement"),
        (b"name,mobile\nAsha,9876543210\n", "No heading row"),
        (b"Date,Narration,Deposit Amt.,Balance\n", "no transactions"),
        (
            b'Date,Narration,Deposit Amt.,Balance\n02/03/2026,UPI,"1,00,0.00",5\n',
            "Line 2: '1,00,0.00' is not",
        ),
        (
            b"Date,Narration,Deposit Amt.,Balance\n31/02/2026,UPI,100.00,5\n",
            "Line 2: '31/02/2026' is not a real",
        ),
        (b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BROKEN>", "OFX file could not be read"),
        (b"x" * 2_000_001, "larger than 2 MB"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(data, words):
    with pytest.raises(DomainError) as caught:
        parse_statement(data)
    assert words in caught.value.message


def test_a_line_with_both_a_withdrawal_and_a_deposit_is_refused():
    data = b"Date,Narration,Withdrawal Amt.,Deposit Amt.,Closing Balance\n02/03/2026,X,5.00,5.00,10.00\n"
    with pytest.raises(DomainError, match="Line 2: a line has both"):
        parse_statement(data)


def test_one_amount_column_with_a_dr_cr_marker():
    data = (
        b"Sl. No.,Transaction Date,Value Date,Description,Chq / Ref No.,Amount,Dr / Cr,Balance,Dr / Cr\n"
        b'1,02/03/2026,02/03/2026,UPI/606112345678/X,,"1,000.00",CR,"5,000.00",CR\n'
        b'2,03/03/2026,03/03/2026,ATM,,"200.00",DR,"4,800.00",CR\n'
    )
    lines = parse_statement(data).lines
    assert [(ln.credit, ln.debit) for ln in lines] == [(1_000_00, 0), (0, 200_00)]


# --- matching ----------------------------------------------------------------------------------------


def test_a_utr_on_the_line_names_the_payment():
    credits = [Credit(1, MARCH, 10_000_00, ("606112345678",))]
    payments = [Recorded(7, MARCH, 10_000_00, "606112345678", pending=True), Recorded(8, MARCH, 10_000_00)]
    found = match_credits(credits, payments)[1]
    assert (found.status, found.how, found.payment_ids, found.confirmable) == ("matched", "utr", (7,), 7)


def test_a_utr_with_another_amount_is_doubtful_but_confirmable_at_the_bank_amount():
    found = match_credits(
        [Credit(1, MARCH, 9_000_00, ("606112345678",))], [Recorded(7, MARCH, 10_000_00, "606112345678")]
    )[1]
    assert (found.status, found.confirmable) == ("doubtful", 7)
    assert "₹10,000" in found.reason and "₹9,000" in found.reason


def test_amount_and_date_within_two_days():
    payments = [Recorded(7, MARCH + timedelta(days=2), 5_000_00)]
    assert match_credits([Credit(1, MARCH, 5_000_00)], payments)[1].status == "matched"
    far = [Recorded(7, MARCH + timedelta(days=3), 5_000_00)]
    assert match_credits([Credit(1, MARCH, 5_000_00)], far)[1].status == "unmatched"


def test_several_candidates_are_doubtful_and_not_confirmable():
    payments = [Recorded(7, MARCH, 5_000_00), Recorded(8, MARCH, 5_000_00)]
    found = match_credits([Credit(1, MARCH, 5_000_00)], payments)[1]
    assert (found.status, found.payment_ids, found.confirmable) == ("doubtful", (7, 8), None)


def test_a_payment_named_by_one_line_is_not_offered_to_another():
    payments = [Recorded(7, MARCH, 5_000_00, "606112345678", pending=True)]
    credits = [Credit(1, MARCH, 5_000_00), Credit(2, MARCH, 5_000_00, ("606112345678",))]
    found = match_credits(credits, payments)
    assert found[1].status == "unmatched" and found[2].status == "matched"


def test_an_amount_match_whose_utr_is_not_on_the_line_is_doubtful():
    payments = [Recorded(7, MARCH, 5_000_00, "606112345678", pending=True)]
    found = match_credits([Credit(1, MARCH, 5_000_00, ("606199999999",))], payments)[1]
    assert (found.status, found.confirmable) == ("doubtful", None)


# --- s.269ST -----------------------------------------------------------------------------------------


def test_the_cash_limit_is_reached_at_two_lakh():
    assert not cash_limit.breaches(0, 1_99_999_99)
    assert cash_limit.breaches(0, 2_00_000_00)
    assert cash_limit.breaches(1_00_000_00, 1_00_000_00)
    assert "s.269ST" in cash_limit.refusal(1_00_000_00, 1_00_000_00)
    assert "s.271DA" in cash_limit.refusal(0, 2_00_000_00)


def test_one_payment_two_lines_could_be_is_doubtful_on_both():
    payments = [Recorded(7, MARCH, 5_000_00)]
    credits = [Credit(1, MARCH, 5_000_00), Credit(2, MARCH + timedelta(days=1), 5_000_00)]
    found = match_credits(credits, payments)
    assert [found[i].status for i in (1, 2)] == ["doubtful", "doubtful"]
    assert found[1].confirmable is None
    # The answer never depends on the order the lines are given in.
    assert match_credits(list(reversed(credits)), payments) == found
