"""Bank statement reconciliation (issue 19, item 10), on SQLite and PostgreSQL: the owner imports the
HDFC-style statement in tests/fixtures/bank, its deposits are matched to the payments on record (UTR
first, then amount within two days), a pending UPI payment is confirmed from its line exactly as the
manual confirm does it, a re-import adds nothing, and a line confirms one payment only - also when two
requests race for it on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from luckychit_app.models import (
    AuditLog,
    BankMatch,
    BankStatement,
    BankStatementLine,
    JournalEntry,
    Payment,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import bank_matching, bank_statements, offline_payments, upi
from luckychit_app.services.money.ledger import ledger_check
from tests.services.helpers import active_group, foreman, member_actor, race, snapshot, staff

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bank"
HDFC = (FIXTURES / "hdfc_statement.csv").read_bytes()
PRIYA_UTR, LATA_UTR = "606112345678", "606198765432"  # on the HDFC statement's 2 and 4 March lines


@pytest.fixture(autouse=True)
def _books_stay_sound(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx") if "tx" in request.fixturenames else None
    yield
    if tx is not None:
        with tx() as s:
            assert ledger_check(s) == []


def _on(tx, payment_id: int, day: date, *, paid: bool = False) -> None:
    """Date a payment as if made on `day` (the statement is of March 2026)."""
    moment = datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)  # noon in India
    with tx() as s:
        payment = s.get(Payment, payment_id)
        payment.created_at = moment
        if paid:
            payment.paid_at = moment
        s.add(payment)


@pytest.fixture
def book(tx):
    """A company whose members claimed two UPI payments (one with a typo in its amount) and paid
    ₹1,00,000 by bank transfer, all in the first week of March 2026."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, upi_vpa="ramesh.chits@okhdfcbank")
    priya, lata = member_actor(tx, tickets[0]), member_actor(tx, tickets[1])
    with tx() as s:
        p1 = upi.submit_utr(s, actor=priya, ticket_id=tickets[0], amount="10,000", utr=PRIYA_UTR).id
    with tx() as s:
        p2 = upi.submit_utr(s, actor=lata, ticket_id=tickets[1], amount="10,000", utr=LATA_UTR).id
    with tx() as s:
        bank = offline_payments.record_offline_payment(
            s,
            actor=boss,
            ticket_id=tickets[2],
            amount="1,00,000",
            method="bank",
            reference="IMPS",
            received_on="2026-03-05",
        ).id
    _on(tx, p1, date(2026, 3, 2))
    _on(tx, p2, date(2026, 3, 4))
    return boss, group_id, tickets, p1, p2, bank


def _import(tx, actor, data=HDFC, name="Acct_Statement_XX5678.csv"):
    with tx() as s:
        return bank_statements.import_statement(s, actor=actor, filename=name, data=data)


def _view(tx, actor):
    with tx() as s:
        return bank_matching.reconciliation(s, actor=actor)


def _line(tx, narration_start: str) -> int:
    with tx() as s:
        return s.exec(
            select(BankStatementLine.id).where(BankStatementLine.narration.startswith(narration_start))
        ).one()


def test_the_statement_is_matched_utr_first_then_amount(tx, book):
    boss, _group, _tickets, p1, p2, bank = book
    done = _import(tx, boss)
    assert (done.lines_read, done.lines_new, done.credits_new, done.account) == (7, 7, 5, "50100012345678")
    assert "Imported 7 new lines" in done.summary()
    view = _view(tx, boss)
    by_start = {r["narration"][:10]: r for r in view["rows"]}
    assert view["counts"] == {"matched": "2", "doubtful": "1", "unmatched": "2"}
    assert len(view["rows"]) == 5  # deposits only; the withdrawals are stored, not listed
    priya = by_start["UPI-PRIYA "]
    assert (priya["status"], priya["confirm_id"], priya["confirm_label"]) == ("matched", str(p1), "Confirm")
    assert "waiting for confirmation" in priya["payment"]
    lata = by_start["UPI-LATA M"]  # ₹9,500 arrived for a ₹10,000 claim
    assert (lata["status"], lata["confirm_id"], lata["confirm_label"]) == (
        "doubtful",
        str(p2),
        "Confirm at ₹9,500",
    )
    imps = by_start["IMPS-60615"]  # the bank transfer, by amount and date (already receipted)
    assert (imps["status"], imps["confirm_id"]) == ("matched", "")
    assert "receipt" in imps["payment"] and str(bank) not in imps["confirm_id"]
    assert by_start["CASH DEPOS"]["status"] == by_start["NEFT CR-SB"]["status"] == "unmatched"


def test_confirming_from_a_line_is_the_manual_confirm(tx, book):
    boss, group_id, _tickets, p1, _p2, _bank = book
    _import(tx, boss)
    line = _line(tx, "UPI-PRIYA")
    with tx() as s:
        payment = bank_matching.confirm_line(s, actor=boss, line_id=line, payment_id=p1)
        assert (payment.status, payment.receipt_no, payment.amount) == (
            "captured",
            2,
            10_000_00,
        )  # receipt 1 is the bank transfer
    with tx() as s:
        assert upi.upi_queue(s, actor=boss, group_id=group_id)[0]["utr"] == LATA_UTR  # only Lata's waits
        entries = s.exec(select(JournalEntry).where(JournalEntry.key == f"payment:{p1}")).all()
        assert len(entries) == 1  # posted once, under the payment's own key, as confirm_upi posts it
        actions = s.exec(select(AuditLog.action).where(AuditLog.object_id.in_([str(p1), str(line)]))).all()
        assert {"payment.upi_confirmed", "bank.line_confirmed"} <= set(actions)
        assert s.exec(select(BankMatch.payment_id).where(BankMatch.line_id == line)).one() == p1
    row = next(r for r in _view(tx, boss)["rows"] if r["id"] == str(line))
    assert (row["status"], row["label"], row["confirm_id"]) == ("confirmed", "Confirmed", "")
    with tx() as s, pytest.raises(ServiceError, match="already confirmed a payment"):
        bank_matching.confirm_line(s, actor=boss, line_id=line, payment_id=p1)


def test_a_typo_in_the_claim_is_confirmed_at_the_bank_amount(tx, book):
    boss, _group, _tickets, _p1, p2, _bank = book
    _import(tx, boss)
    with tx() as s:
        payment = bank_matching.confirm_line(s, actor=boss, line_id=_line(tx, "UPI-LATA"), payment_id=p2)
        assert (payment.status, payment.amount) == ("captured", 9_500_00)


def test_a_line_cannot_confirm_a_payment_it_does_not_show(tx, engine, book):
    boss, _group, _tickets, p1, p2, _bank = book
    _import(tx, boss)
    before = snapshot(engine)
    for line, pid in ((_line(tx, "UPI-PRIYA"), p2), (_line(tx, "CASH DEPOSIT"), p1), (_line(tx, "ATW"), p1)):
        with tx() as s, pytest.raises(ServiceError):
            bank_matching.confirm_line(s, actor=boss, line_id=line, payment_id=pid)
    assert snapshot(engine) == before


def test_importing_again_or_an_overlapping_file_adds_nothing(tx, engine, book):
    boss = book[0]
    _import(tx, boss)
    before = snapshot(engine)
    again = _import(tx, boss)
    assert (again.statement_id, again.lines_new) == (None, 0)
    assert again.summary().startswith("Nothing new: all 7 lines")
    assert snapshot(engine) == before  # not even an import row
    # The next statement repeats the last two days and adds one line.
    lines = HDFC.decode().splitlines()
    heading = lines.index(next(ln for ln in lines if ln.startswith("Date,")))
    overlap = "\r\n".join(
        [
            *lines[: heading + 1],
            *[ln for ln in lines if ln.startswith("05/03/26")],
            '06/03/26,CASH DEPOSIT BY - SELF - T NAGAR,0000000000000000,06/03/26,,"2,000.00","2,11,500.00"',
        ]
    ).encode()
    more = _import(tx, boss, overlap, "next.csv")
    assert (more.lines_read, more.lines_new, more.credits_new) == (3, 1, 1)
    with tx() as s:
        assert s.exec(select(func.count()).select_from(BankStatementLine)).one() == 8
        assert s.exec(select(func.count()).select_from(BankStatement)).one() == 2


def test_an_ofx_statement_is_read_and_matched(tx, book):
    boss, _group, _tickets, p1, _p2, _bank = book
    done = _import(tx, boss, (FIXTURES / "icici_statement.ofx").read_bytes(), "icici.ofx")
    assert (done.kind, done.account, done.credits_new) == ("ofx", "000405012345", 2)
    rows = {r["ref"]: r for r in _view(tx, boss)["rows"]}
    assert (rows["S81234567"]["status"], rows["S81234567"]["confirm_id"]) == ("matched", str(p1))
    assert rows["S81234569"]["status"] == "matched"  # ₹1,00,000 by amount: the bank transfer


def test_a_file_that_cannot_be_read_changes_nothing(tx, engine, book):
    boss = book[0]
    before = snapshot(engine)
    for data, words in (
        (b"PK\x03\x04zip", "Excel"),
        (b"hello,world\n1,2\n", "No heading row"),
        ("text", "Choose"),
    ):
        with tx() as s, pytest.raises(ServiceError, match=words):
            bank_statements.import_statement(s, actor=boss, filename="x.csv", data=data)
    assert snapshot(engine) == before


def test_only_the_owner_and_only_their_own_lines(tx, engine, book):
    boss, _group, _tickets, p1, _p2, _bank = book
    _import(tx, boss)
    line = _line(tx, "UPI-PRIYA")
    other = foreman(tx, name="Other Foreman")
    assert _view(tx, other)["rows"] == []  # another company sees none of these lines
    clerk, accountant = staff(tx, boss, "clerk"), staff(tx, boss, "accountant")
    before = snapshot(engine)
    for who in (other, clerk, accountant, member_actor(tx, book[2][0]), None):
        with tx() as s, pytest.raises(NotAllowed):
            bank_matching.confirm_line(s, actor=who, line_id=line, payment_id=p1)
        if who is not other:  # another owner may import: into their own company
            with tx() as s, pytest.raises(NotAllowed):
                bank_statements.import_statement(s, actor=who, filename="x.csv", data=HDFC)
    for junk in (None, "abc", -1, 10**30, [1], {"id": 1}):
        with tx() as s, pytest.raises(ServiceError):
            bank_matching.confirm_line(s, actor=boss, line_id=junk, payment_id=p1)
    assert snapshot(engine) == before


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_clicks_racing_on_one_line_post_the_money_once(tx, engine, book):
    boss, _group, _tickets, p1, _p2, _bank = book
    _import(tx, boss)
    line = _line(tx, "UPI-PRIYA")
    results = race(
        engine, [lambda s: bank_matching.confirm_line(s, actor=boss, line_id=line, payment_id=p1).id] * 4
    )
    assert results.count(p1) == 1
    assert all(isinstance(r, ServiceError) for r in results if r != p1)
    with tx() as s:
        assert s.exec(select(func.count()).select_from(BankMatch)).one() == 1
        assert s.exec(select(func.count()).where(JournalEntry.key == f"payment:{p1}")).one() == 1
        assert s.get(Payment, p1).receipt_no == 2  # receipt 1: the bank transfer


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_database_lets_a_line_confirm_one_payment_only(tx, engine, book):
    """Past the service's checks: two sessions writing a match for one line at the same moment, one
    per payment. The unique constraint on bank_matches.line_id refuses the second."""
    boss, _group, _tickets, p1, p2, _bank = book
    _import(tx, boss)
    line = _line(tx, "UPI-PRIYA")

    def claim(payment_id: int):
        def write(s):
            s.add(
                BankMatch(
                    company_id=boss.company_id,
                    line_id=line,
                    payment_id=payment_id,
                    how="utr",
                    confirmed_by_id=boss.user_id,
                )
            )
            s.flush()
            return payment_id

        return write

    results = race(engine, [claim(p1), claim(p2)])
    assert sum(isinstance(r, IntegrityError) for r in results) == 1
    with tx() as s:
        assert s.exec(select(func.count()).where(BankMatch.line_id == line)).one() == 1


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_imports_of_one_file_at_once_store_its_lines_once(tx, engine, book):
    boss = book[0]
    results = race(
        engine,
        [
            lambda s: bank_statements.import_statement(s, actor=boss, filename="a.csv", data=HDFC).lines_new
            for _ in range(3)
        ],
    )
    assert sum(r for r in results if isinstance(r, int)) == 7, results
    with tx() as s:
        assert s.exec(select(func.count()).select_from(BankStatementLine)).one() == 7
