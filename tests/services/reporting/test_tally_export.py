"""The Tally file (issue 19, item 9): a run group's entries exported for a range of IST days, read
back with xml.etree as Tally would, every voucher balancing to the paisa and every ledger's lines
adding up to the books; opening balances for a range that starts mid-way; who may download it; and a
file that fails its own check is never sent."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from luckychit_app.clock import IST, today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.domain import tally
from luckychit_app.models import AuditLog, ChitGroup, JournalEntry, PostingRow, User
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money.ledger import balances
from luckychit_app.services.reporting import tally_export
from tests.services.groups.test_closing import completed_group
from tests.services.helpers import active_group, foreman, member_actor, new_mobile, pay, staff

RUPEE = 100
TODAY = today_ist().isoformat()


def export(tx, actor, start=TODAY, end=TODAY, owner=None, openings=False):
    with tx() as s:
        return tally_export.tally_export(
            s,
            actor=actor,
            foreman_id=owner if owner is not None else actor.user_id,
            start=start,
            end=end,
            openings=openings,
            audit_in=s,
        )


def parse(text: str) -> tuple[dict[str, tuple[str, str, str | None]], list[dict]]:
    """The file read independently of the service: {ledger name: (alias code, parent, opening)} and
    the vouchers with their lines in paise (Decimal, never float)."""
    root = ET.fromstring(text)
    assert root.tag == "ENVELOPE" and root.findtext("HEADER/TALLYREQUEST") == "Import Data"
    blocks = root.findall("BODY/IMPORTDATA")
    assert [b.findtext("REQUESTDESC/REPORTNAME") for b in blocks] == ["All Masters", "Vouchers"]
    ledgers = {}
    for node in blocks[0].iter("LEDGER"):
        names = [n.text for n in node.iterfind("NAME.LIST/NAME")]
        assert names[0] == node.get("NAME")
        ledgers[node.get("NAME")] = (names[1], node.findtext("PARENT"), node.findtext("OPENINGBALANCE"))
    vouchers = []
    for node in blocks[1].iter("VOUCHER"):
        lines = []
        for line in node.iterfind("ALLLEDGERENTRIES.LIST"):
            amount = Decimal(line.findtext("AMOUNT"))
            assert amount == amount.quantize(Decimal("0.01")) and "." in line.findtext("AMOUNT")
            # Tally's convention: a debit is negative and deemed positive.
            assert line.findtext("ISDEEMEDPOSITIVE") == ("Yes" if amount < 0 else "No")
            lines.append((line.findtext("LEDGERNAME"), int(-amount * 100)))
        vouchers.append(
            {
                "type": node.get("VCHTYPE"),
                "typename": node.findtext("VOUCHERTYPENAME"),
                "date": node.findtext("DATE"),
                "number": node.findtext("VOUCHERNUMBER"),
                "narration": node.findtext("NARRATION"),
                "lines": lines,
            }
        )
    return ledgers, vouchers


def platform_admin(tx) -> Actor:
    """The platform admin, as a row (audited downloads name a real user)."""
    with tx() as s:
        user = User(mobile=new_mobile(), name="Platform Admin", role="admin", password_hash="x")
        s.add(user)
        s.flush()
        return Actor(user.id, "admin")


def books_of(tx, owner: Actor) -> dict[str, int]:
    """Every account of the foreman's groups, summed by the ledger service."""
    out: dict[str, int] = {}
    with tx() as s:
        for gid in s.exec(select(ChitGroup.id).where(ChitGroup.foreman_id == owner.user_id)).all():
            for account, paise in balances(s, group_id=gid).items():
                out[account] = out.get(account, 0) + paise
    return {a: p for a, p in out.items() if p}


def test_a_run_group_exports_balanced_vouchers_that_add_up_to_the_books(tx):
    boss = foreman(tx, name="Ramesh Kumar")
    completed_group(tx, boss)  # three months: dues, payments, draws settled, prizes released
    other, (t1, *_rest) = active_group(tx, boss, tickets=3, name="Pongal Savings")
    pay(tx, boss, t1, 4_000 * RUPEE, method="bank")
    name, text = export(tx, boss)
    assert name == f"tally-ramesh-kumar-{today_ist():%Y%m%d}-{today_ist():%Y%m%d}.xml"
    ledgers, vouchers = parse(text)

    with tx() as s:
        entries = s.exec(
            select(JournalEntry).where(
                JournalEntry.group_id.in_(select(ChitGroup.id).where(ChitGroup.foreman_id == boss.user_id))
            )
        ).all()
    assert len(vouchers) == len(entries) and len({v["number"] for v in vouchers}) == len(entries)
    totals: dict[str, int] = {}
    for v in vouchers:
        assert sum(p for _n, p in v["lines"]) == 0, v  # every voucher balances to the paisa
        assert v["type"] == v["typename"] and v["date"] == f"{today_ist():%Y%m%d}"
        cash = [p for n, p in v["lines"] if ledgers[n][1] == "Cash-in-Hand"]
        expected = "Journal" if not cash else ("Receipt" if sum(cash) > 0 else "Payment")
        assert v["type"] == expected
        for ledger, paise in v["lines"]:
            code = ledgers[ledger][0]
            totals[code] = totals.get(code, 0) + paise
    # Every entry is today's, so the range's movements are the books' balances.
    assert {c: p for c, p in totals.items() if p} == books_of(tx, boss)
    assert {"Receipt", "Payment", "Journal"} <= {v["type"] for v in vouchers}

    # Ledgers: readable, unique, under Tally's groups, the account code as the alias.
    assert len({n.casefold() for n in ledgers}) == len(ledgers)
    by_code = {code: (n, parent) for n, (code, parent, _o) in ledgers.items()}
    assert by_code[books.commission_income(boss.user_id)] == ("Commission income", "Direct Incomes")
    assert by_code[books.receivable(t1)] == (
        "Member 1 — Pongal Savings ticket 1 (dues receivable)",
        "Sundry Debtors",
    )
    assert by_code[books.cash(other)] == ("Pongal Savings — cash", "Cash-in-Hand")
    assert by_code[books.pot(other, 1)][1] == "Current Liabilities"
    assert all(len(n) <= 80 for n in ledgers)
    payment = next(v for v in vouchers if v["type"] == "Receipt")
    assert "Payment received" in payment["narration"] and "LuckyChit payment:" in payment["narration"]
    with tx() as s:
        audit = s.exec(select(AuditLog).where(AuditLog.action == "report.exported")).all()
    assert audit and '"tally"' in audit[-1].detail


def _move(tx, entry_ids, when: datetime) -> None:
    with tx() as s:
        for entry in s.exec(select(JournalEntry).where(JournalEntry.id.in_(entry_ids))).all():
            entry.created_at = when
            s.add(entry)


def test_a_range_takes_the_entries_of_its_ist_days_and_openings_carry_the_rest(tx):
    boss = foreman(tx)
    group_id, (t1, t2, _t3) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, 10_000 * RUPEE)
    pay(tx, boss, t2, 5_000 * RUPEE)
    with tx() as s:
        dues = s.exec(select(JournalEntry.id).where(JournalEntry.kind == "dues")).all()
        paid = s.exec(
            select(JournalEntry.id).where(JournalEntry.kind == "payment").order_by(JournalEntry.id)
        ).all()
    # The dues were raised at 23:59:59 IST on 31 March; the first payment at 00:00 IST on 1 April.
    _move(tx, dues, datetime(2026, 3, 31, 23, 59, 59, tzinfo=IST).astimezone(UTC))
    _move(tx, paid[:1], datetime(2026, 4, 1, 0, 0, tzinfo=IST).astimezone(UTC))
    _move(tx, paid[1:], datetime(2026, 4, 2, 12, 0, tzinfo=IST).astimezone(UTC))
    _name, text = export(tx, boss, "2026-04-01", "2026-04-01", openings=True)
    ledgers, vouchers = parse(text)
    assert [v["date"] for v in vouchers] == ["20260401"]  # one payment: the dues were the day before
    by_code = {code: (opening, name) for name, (code, _p, opening) in ledgers.items()}
    # Opening balances are the books as they stood when 1 April began (IST): the dues, raised.
    assert by_code[books.receivable(t1)][0] == "-10000.00"  # a debit balance, written negative
    assert by_code[books.pot(group_id, 1)][0] == "30000.00"
    with tx() as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "report.exported")).first()
    # A range with nothing in it is a valid, empty file.
    _name, empty = export(tx, boss, "2026-03-01", "2026-03-30")
    assert parse(empty) == ({}, [])


def test_the_file_fails_its_own_check_when_anything_disagrees(tx, monkeypatch):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, 10_000 * RUPEE)
    _name, text = export(tx, boss)
    found = tally_export.read_tally_xml(text)
    first = last = today_ist()
    movements: dict[str, int] = {}
    with tx() as s:
        for account, amount in s.exec(select(PostingRow.account, PostingRow.amount)).all():
            movements[account] = movements.get(account, 0) + amount
    assert tally_export.check_tally_file(found, first=first, last=last, movements=movements) == []
    # One amount changed by a paisa: the voucher no longer balances and the ledger disagrees.
    broken = text.replace("<AMOUNT>10000.00</AMOUNT>", "<AMOUNT>10000.01</AMOUNT>", 1)
    problems = tally_export.check_tally_file(
        tally_export.read_tally_xml(broken), first=first, last=last, movements=movements
    )
    assert any("does not balance" in p for p in problems) and any("the books" in p for p in problems)
    # A date outside the range, and a wrong voucher type, are caught too.
    problems = tally_export.check_tally_file(
        tally_export.read_tally_xml(text.replace('VCHTYPE="Receipt"', 'VCHTYPE="Journal"')),
        first=first + timedelta(days=1),
        last=last + timedelta(days=1),
        movements=movements,
    )
    assert any("outside the range" in p for p in problems) and any(
        "no valid voucher type" in p for p in problems
    )
    # The download refuses a file that fails: nothing is sent and nothing is audited.
    real = tally_export.build_tally_xml
    monkeypatch.setattr(
        tally_export, "build_tally_xml", lambda *a, **k: real(*a, **k).replace("-10000.00", "-9999.00")
    )
    with tx() as s:
        audited = len(s.exec(select(AuditLog).where(AuditLog.action == "report.exported")).all())
    with pytest.raises(ServiceError, match="did not pass its own check"):
        export(tx, boss)
    with tx() as s:
        assert len(s.exec(select(AuditLog).where(AuditLog.action == "report.exported")).all()) == audited


def test_names_are_unique_escaped_and_clean_in_the_file(tx):
    boss = foreman(tx)
    a, (ta, *_ra) = active_group(tx, boss, tickets=3, name="Savings & Co <North>")
    b, (tb, *_rb) = active_group(tx, boss, tickets=3, name="Savings & Co <North>")
    pay(tx, boss, ta, 1_000 * RUPEE)
    pay(tx, boss, tb, 1_000 * RUPEE)
    _name, text = export(tx, boss)
    assert "&amp; Co &lt;North&gt;" in text and "<North>" not in text
    ledgers, vouchers = parse(text)
    # Two groups of one name: their ledgers are told apart by the account code.
    assert f"Savings & Co <North> — cash [{books.cash(a)}]" in ledgers
    assert f"Savings & Co <North> — cash [{books.cash(b)}]" in ledgers
    assert all(sum(p for _n, p in v["lines"]) == 0 for v in vouchers)


def test_only_those_who_keep_the_foremans_books_may_download_them(tx):
    boss = foreman(tx)
    _group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    pay(tx, boss, t1, 1_000 * RUPEE)
    stranger = foreman(tx, name="Other Foreman")
    accountant, clerk = staff(tx, boss, "accountant"), staff(tx, boss, "clerk")
    admin = platform_admin(tx)
    for caller in (stranger, member_actor(tx, t1), clerk, staff(tx, stranger, "accountant"), None):
        with pytest.raises(NotAllowed):
            export(tx, caller, owner=boss.user_id)
    for reader in (accountant, admin):
        _name, text = export(tx, reader, owner=boss.user_id)
        assert parse(text)[1]
    # The stranger's own (empty) books are theirs; a made-up foreman id is refused like any other.
    assert parse(export(tx, stranger)[1]) == ({}, [])
    for forged in (0, -1, "x", 2**40, t1 + 5_000):
        with pytest.raises((NotAllowed, ServiceError)):
            export(tx, boss, owner=forged)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2026-04-02", "2026-04-01", "to"),
        ("2025-04-01", "2026-04-01", "to"),
        ("01-04-2026", "2026-04-01", "from"),
        ("2026-04-01", "", "to"),
        ("2026-02-30", "2026-03-01", "from"),
    ],
)
def test_a_bad_range_is_refused_by_its_field(tx, start, end, field):
    boss = foreman(tx)
    with pytest.raises(ServiceError) as refused:
        export(tx, boss, start, end)
    assert refused.value.field == field


def test_a_year_is_the_longest_range(tx):
    boss = foreman(tx)
    assert tally_export.clean_range("2025-04-01", "2026-03-31") == (date(2025, 4, 1), date(2026, 3, 31))
    assert export(tx, boss, "2024-04-01", "2025-03-31")[0].endswith("20240401-20250331.xml")


ACCOUNTS = [
    books.cash(1),
    books.cash_with(1, 9),
    books.receivable(11),
    books.receivable(12),
    books.pot(1, 2),
    books.prize_payable(11),
    books.commission_income(3),
    books.gst_payable(3),
    books.penalty_income(1),
    books.owner_cash(3),
]


@st.composite
def voucher_lists(draw) -> list[tally_export.Voucher]:
    vouchers = []
    for number in range(1, draw(st.integers(min_value=0, max_value=12)) + 1):
        picked = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=2, max_size=5, unique=True))
        amounts = [draw(st.integers(min_value=-(10**12), max_value=10**12).filter(bool)) for _ in picked[1:]]
        if not sum(amounts):
            amounts[0] += 1
        lines = ((picked[0], -sum(amounts)), *zip(picked[1:], amounts, strict=True))
        memo = draw(st.text(max_size=60))
        vouchers.append(tally_export.Voucher(number, f"k:{number}", date(2026, 4, 1), "payment", memo, lines))
    return vouchers


@given(voucher_lists(), st.booleans())
def test_any_balanced_books_make_a_file_that_passes_its_own_check(vouchers, with_openings):
    """Hypothesis: whatever balanced entries (amounts up to ₹1,000 crore, any memo text), the file
    written reads back balanced, typed by its cash and equal to the books ledger by ledger."""
    names = tally.unique_ledger_names({a: f"Ledger {a}" for a in ACCOUNTS})
    movements: dict[str, int] = {}
    for v in vouchers:
        for account, paise in v.lines:
            movements[account] = movements.get(account, 0) + paise
    openings = {ACCOUNTS[0]: 500, ACCOUNTS[2]: -500} if with_openings else None
    text = tally_export.build_tally_xml(vouchers, names, openings)
    found = tally_export.read_tally_xml(text)
    first = last = date(2026, 4, 1)
    assert (
        tally_export.check_tally_file(found, first=first, last=last, movements=movements, openings=openings)
        == []
    )
    assert len(found.vouchers) == len(vouchers)
