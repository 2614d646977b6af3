"""CSV exports, the printable statement and the CSV bulk import."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select

from luckychit_app.models import AuditLog, ChitGroup, Ticket, User
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.people import members
from luckychit_app.services.reporting import reports
from tests.services.helpers import (
    active_group,
    branch,
    conduct,
    create_group,
    foreman,
    member_actor,
    pay,
    staff,
)

RUPEE = 100
INSTALLMENT = 10_000 * RUPEE


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_exports_use_rupees_with_indian_grouping_and_indian_dates(tx):
    boss = foreman(tx)
    group_id, (t1, t2, t3) = active_group(tx, boss, tickets=3, chit_value="3,00,000")
    pay(tx, boss, t1, 1_00_000 * RUPEE)
    pay(tx, boss, t2, 40_000 * RUPEE, method="bank")
    with tx() as s:
        name, members_csv = reports.export_csv(s, actor=boss, group_id=group_id, kind="members", audit_in=s)
        _, dues_csv = reports.export_csv(s, actor=boss, group_id=group_id, kind="dues", audit_in=s)
        _, payments_csv = reports.export_csv(s, actor=boss, group_id=group_id, kind="payments", audit_in=s)
        _, ledger_csv = reports.export_csv(s, actor=boss, group_id=group_id, kind="ledger", audit_in=s)
    assert name.startswith("diwali-savings-members-") and name.endswith(".csv")
    assert rows(members_csv)[0][:3] == ["Ticket", "Member", "Mobile"]
    assert len(rows(members_csv)) == 4
    dues = rows(dues_csv)
    assert dues[1] == ["1", "10-01-2026", "1", "Member 1", "₹1,00,000", "₹1,00,000", "₹0", "paid"]
    assert dues[2][5:] == ["₹40,000", "₹60,000", "partial"]
    pays = rows(payments_csv)
    assert [p[4] for p in pays[1:]] == ["Cash", "Bank transfer"]
    assert pays[1][5] == "₹1,00,000" and pays[1][0] == "MAIN/000001"  # the printed receipt number
    assert len(pays[1][1]) == 10 and pays[1][1][2] == "-"  # DD-MM-YYYY
    ledger = rows(ledger_csv)
    assert ledger[0] == ["Entry", "Date", "Kind", "Memo", "Account", "Account id", "Debit", "Credit"]
    debits = sum(int(r[6].strip("₹").replace(",", "")) for r in ledger[1:] if r[6])
    credits = sum(int(r[7].strip("₹").replace(",", "")) for r in ledger[1:] if r[7])
    assert debits == credits  # the books balance in the export too
    with tx() as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "report.exported")).all()
    assert t3


def test_exports_refuse_other_foremen_members_and_unknown_kinds(tx):
    boss = foreman(tx)
    group_id, (t1, *_rest) = active_group(tx, boss, tickets=3)
    other = foreman(tx, name="Other Foreman")
    with tx() as s:
        for actor in (other, member_actor(tx, t1), None):
            with pytest.raises(NotAllowed):
                reports.export_csv(s, actor=actor, group_id=group_id, kind="ledger", audit_in=s)
            with pytest.raises(NotAllowed):
                reports.group_statement(s, actor=actor, group_id=group_id)
        with pytest.raises(ServiceError):
            reports.export_csv(s, actor=boss, group_id=group_id, kind="../../etc/passwd", audit_in=s)


def test_text_typed_by_people_cannot_become_a_spreadsheet_formula(tx):
    boss = foreman(tx)
    group_id = create_group(tx, boss)
    with tx() as s:
        members.add_member(s, actor=boss, group_id=group_id, name="=HYPERLINK(evil)", mobile="9811100001")
    with tx() as s:
        _, text = reports.export_csv(s, actor=boss, group_id=group_id, kind="members", audit_in=s)
    assert rows(text)[1][1] == "'=HYPERLINK(evil)"


def test_statement_has_terms_books_members_and_draws_escaped(tx):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3, name="Chit <b>& Co</b>")
    for t in tickets:
        pay(tx, boss, t, INSTALLMENT)
    conduct(tx, boss, group_id)
    with tx() as s:
        data = reports.group_statement(s, actor=boss, group_id=group_id)
    assert data["cash"] == "₹30,000" and data["prize_payable"] == "₹28,500"
    assert data["commission_income"] == "₹1,500"
    assert len(data["members"]) == 3 and len(data["draws"]) == 1
    assert data["draws"][0]["payout"] == "Payable"
    page = reports.statement_html(data)
    assert "Chit &lt;b&gt;&amp; Co&lt;/b&gt;" in page and "<b>&" not in page
    assert "<script" not in page


def test_bulk_import_reports_each_bad_row_and_adds_the_rest(tx):
    boss = foreman(tx)
    group_id = create_group(tx, boss, tickets="5", chit_value="50,000")
    text = (
        "name,mobile,language\n"
        "Asha Rao,9876511111,hi\n"
        "X,9876522222\n"  # name too short
        "Ravi Kumar,12345\n"  # bad mobile
        "\n"
        "Meena Iyer,+91 98765 33333,en\n"
        "Meena Again,9876533333\n"  # same number twice
        "Gopal,9876544444,fr\n"  # unknown language
        "Too,9876555555,en,extra\n"
    )
    with tx() as s:
        result = reports.import_members_csv(s, actor=boss, group_id=group_id, text=text)
    by_line = {r["line"]: r for r in result}
    assert [r["line"] for r in result] == ["2", "3", "4", "6", "7", "8", "9"]
    assert by_line["2"]["ok"] == "yes" and by_line["2"]["ticket"] == "1" and by_line["2"]["password"]
    assert "at least 2" in by_line["3"]["error"]
    assert "10-digit" in by_line["4"]["error"]
    assert by_line["6"]["ok"] == "yes" and by_line["6"]["ticket"] == "2"
    assert "twice" in by_line["7"]["error"]
    assert "en, hi, ta, te, kn, ml" in by_line["8"]["error"]
    assert "columns" in by_line["9"]["error"]
    with tx() as s:
        seated = s.exec(select(Ticket).where(Ticket.group_id == group_id)).all()
        assert len(seated) == 2
        asha = s.exec(select(User).where(User.mobile == "9876511111")).one()
        assert asha.language == "hi" and asha.must_change_password


def test_bulk_import_stops_at_the_seat_limit_and_refuses_junk(tx):
    boss = foreman(tx)
    group_id = create_group(tx, boss)  # 3 tickets
    text = "\n".join(f"Member {i},98765{i:05d}" for i in range(1, 5))
    with tx() as s:
        result = reports.import_members_csv(s, actor=boss, group_id=group_id, text=text)
    assert [r["ok"] for r in result] == ["yes", "yes", "yes", ""]
    assert "taken" in result[3]["error"]
    other = foreman(tx, name="Other Foreman")
    with tx() as s:
        for junk in ("", None, ["a"], "x" * 70_000):
            with pytest.raises(ServiceError):
                reports.import_members_csv(s, actor=boss, group_id=group_id, text=junk)
        with pytest.raises(NotAllowed):
            reports.import_members_csv(s, actor=other, group_id=group_id, text="A B,9876500000")
        assert s.get(ChitGroup, group_id).status == "forming"


def test_those_who_keep_the_books_download_them_and_nobody_else_of_the_company(tx):
    """Issue 23: an accountant (company-wide or of the group's branch) and the branch manager read
    the books and exports ("books"); a clerk, an agent, another branch's accountant and another
    company's accountant may not, and a refused download writes no audit row."""
    boss = foreman(tx)
    group_id, _ = active_group(tx, boss)
    other_branch = branch(tx, boss, "Madurai", "MDU")
    readers = [staff(tx, boss, "accountant"), staff(tx, boss, "branch_manager")]
    refused = [
        staff(tx, boss, "clerk"),
        staff(tx, boss, "agent"),
        staff(tx, boss, "accountant", other_branch),
        staff(tx, foreman(tx, "Other Owner"), "accountant"),
    ]
    for reader in readers:
        with tx() as s:
            name, content = reports.export_csv(s, actor=reader, group_id=group_id, kind="ledger", audit_in=s)
            assert name.startswith("diwali-savings-ledger-") and content.count("\n") > 1
            assert reports.group_statement(s, actor=reader, group_id=group_id)["name"] == "Diwali Savings"
    for actor in refused:
        with pytest.raises(NotAllowed), tx() as s:
            reports.export_csv(s, actor=actor, group_id=group_id, kind="payments", audit_in=s)
        with pytest.raises(NotAllowed), tx() as s:
            reports.group_statement(s, actor=actor, group_id=group_id)
    with tx() as s:
        exported_by = {
            a.actor_id for a in s.exec(select(AuditLog).where(AuditLog.action == "report.exported"))
        }
    assert exported_by == {r.user_id for r in readers}
