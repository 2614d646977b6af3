"""GST on the commission through a real settlement (issue 19): the company's registration, the
tax at the draw's rate, recovered from the prize or borne by the foreman, the invoice and its
gap-free number, and the books (`ledger_check`: GST payable equals the invoices' tax)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select, update

from luckychit_app.domain import ledger as books
from luckychit_app.models import ChitGroup, Company, Draw, Payout, TaxInvoice, Ticket, User
from luckychit_app.services.access import Actor
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import gst_documents, passbook
from luckychit_app.services.money.ledger import balance, ledger_check
from luckychit_app.services.people import branch_members, gst_registration
from luckychit_app.services.reporting import home_dashboard
from tests.services.helpers import (
    active_group,
    conduct,
    foreman,
    member_actor,
    pay_dues,
    snapshot,
    ticket_ids,
)

GSTIN_TN = "33ABCPE1234F1ZI"
GSTIN_KA = "29ABCPE1234F1Z7"


@pytest.fixture(autouse=True)
def _books_balance(request: pytest.FixtureRequest):
    tx = request.getfixturevalue("tx")
    yield
    with tx() as s:
        assert ledger_check(s) == []


def conduct_lucky(tx, boss, group_id: int) -> int:
    """The group's next draw, every due of its month paid first; the draw's id."""
    with tx() as s:
        month = s.get(ChitGroup, group_id).current_month
    pay_dues(tx, boss, ticket_ids(tx, group_id), month)
    return conduct(tx, boss, group_id).id


def _register(tx, boss, gstin: str = GSTIN_TN) -> str:
    with tx() as s:
        return gst_registration.save_registration(
            s, actor=boss, gstin=gstin, legal_name="Ramesh Chits Pvt Ltd", address="12 Anna Salai, Chennai"
        )


def test_an_unregistered_company_charges_no_gst(tx):
    boss = foreman(tx)
    group_id, _tickets = active_group(tx, boss, tickets=4, kind="lucky")
    draw = conduct_lucky(tx, boss, group_id)
    with tx() as s:
        assert s.get(Draw, draw).gst == 0
        assert s.exec(select(TaxInvoice)).all() == []


def test_gst_recovered_from_the_prize_within_the_state(tx):
    boss = foreman(tx)
    _register(tx, boss)
    group_id, _tickets = active_group(tx, boss, tickets=4, kind="lucky", chit_value="1,00,000")
    draw_id = conduct_lucky(tx, boss, group_id)
    with tx() as s:
        draw = s.get(Draw, draw_id)
        invoice = s.exec(select(TaxInvoice).where(TaxInvoice.draw_id == draw_id)).one()
        commission = 5_000 * 100  # 5 % of ₹1,00,000
        assert draw.commission == commission and draw.gst == 90_000  # 18 % of ₹5,000 = ₹900
        assert draw.prize == 100_000 * 100 - commission - 90_000  # ₹94,100
        assert (invoice.cgst, invoice.sgst, invoice.igst) == (45_000, 45_000, 0)
        assert invoice.number.endswith("/000001") and invoice.recovered_from_prize
        assert invoice.place_of_supply == "33" and invoice.supplier_gstin == GSTIN_TN
        assert s.exec(select(Payout.gross).where(Payout.draw_id == draw_id)).one() == draw.prize
        assert balance(s, books.gst_payable(boss.user_id)) == -90_000
        assert balance(s, books.commission_income(boss.user_id)) == -commission


def test_a_member_of_another_state_is_charged_igst_and_the_foreman_may_bear_it(tx):
    boss = foreman(tx)
    _register(tx, boss)
    group_id, tickets = active_group(tx, boss, tickets=2, kind="lucky", chit_value="1,00,000")
    with tx() as s:
        s.exec(update(ChitGroup).where(ChitGroup.id == group_id).values(gst_recovery="foreman"))
        members = [s.get(Ticket, t).member_id for t in tickets]
        s.exec(update(User).where(User.id.in_(members)).values(state_code="29"))  # both in Karnataka
    draw_id = conduct_lucky(tx, boss, group_id)
    with tx() as s:
        draw = s.get(Draw, draw_id)
        invoice = s.exec(select(TaxInvoice).where(TaxInvoice.draw_id == draw_id)).one()
        assert (invoice.cgst, invoice.sgst, invoice.igst) == (0, 0, 90_000)
        assert not invoice.recovered_from_prize and invoice.place_of_supply == "29"
        assert draw.prize == 95_000 * 100  # the member's prize is whole
        assert balance(s, books.commission_income(boss.user_id)) == -(5_000 * 100 - 90_000)


def test_invoice_numbers_run_without_a_gap_per_company(tx):
    boss = foreman(tx)
    _register(tx, boss)
    group_id, _ = active_group(tx, boss, tickets=3, kind="lucky")
    numbers = []
    for _ in range(2):
        draw_id = conduct_lucky(tx, boss, group_id)
        with tx() as s:
            numbers.append(s.exec(select(TaxInvoice.serial).where(TaxInvoice.draw_id == draw_id)).one())
    assert numbers == [1, 2]


def test_a_bad_gstin_is_refused_and_changes_nothing(tx, engine):
    boss = foreman(tx)
    before = snapshot(engine)
    for bad in ("", "33ABCPE1234F1ZX", "99ABCPE1234F1Z5", "not a gstin"):
        with pytest.raises(ServiceError):
            _register(tx, boss, bad)
    assert snapshot(engine) == before


def test_only_the_owner_registers_and_a_gstin_belongs_to_one_company(tx):
    boss, other = foreman(tx), foreman(tx)
    assert "Tamil Nadu" in _register(tx, boss)
    with pytest.raises(ServiceError, match="Another company"):
        _register(tx, other)
    member = member_actor(tx, active_group(tx, boss, tickets=2)[1][0])
    with pytest.raises(NotAllowed), tx() as s:
        gst_registration.save_registration(
            s, actor=member, gstin=GSTIN_KA, legal_name="X Y", address="Somewhere 1"
        )
    with tx() as s:
        company = s.exec(select(Company).where(Company.owner_id == boss.user_id)).one()
        assert (company.gstin, company.state_code) == (GSTIN_TN, "33")


def test_the_invoice_and_the_summary_an_accountant_files_from(tx):
    boss = foreman(tx)
    _register(tx, boss)
    group_id, tickets = active_group(tx, boss, tickets=2, kind="lucky", chit_value="1,00,000")
    draw_id = conduct_lucky(tx, boss, group_id)
    with tx() as s:
        invoice = s.exec(select(TaxInvoice).where(TaxInvoice.draw_id == draw_id)).one()
        winner = s.get(Ticket, invoice.ticket_id)
        view = gst_documents.invoice_view(s, actor=boss, invoice_id=invoice.id)
        assert view["gstin"] == GSTIN_TN and view["sac"] == "9971" and view["tax"] == "₹900"
        assert view["cgst"] == "₹450 (9%)" and view["place_of_supply"] == "Tamil Nadu (33)"
        name, pdf = gst_documents.invoice_pdf(
            s, actor=Actor(winner.member_id, "member"), invoice_id=invoice.id
        )  # the prized member reads their own invoice
        assert name.startswith("tax-invoice-") and pdf.startswith(b"%PDF-")
        loser = next(t for t in tickets if t != winner.id)
        with pytest.raises(NotAllowed):
            gst_documents.invoice_view(
                s, actor=Actor(s.get(Ticket, loser).member_id, "member"), invoice_id=invoice.id
            )
        fy = invoice.fy
        name, content = gst_documents.gst_summary_csv(s, actor=boss, fy=fy)
        rows = list(csv.reader(io.StringIO(content)))
        month_name = invoice.issued_on.strftime("%b")
        month_row = next(r for r in rows if r and r[0] == month_name)
        assert month_row[1:] == ["1", "5000.00", "450.00", "450.00", "0.00", "900.00"]
        assert ["Total", "1", "5000.00", "450.00", "450.00", "0.00", "900.00"] in rows
        assert any(r and r[0] == invoice.number for r in rows)
        with pytest.raises(ServiceError):
            gst_documents.gst_summary_csv(s, actor=boss, fy="2026-28")
        cards = home_dashboard.cards(s, actor=boss)
        assert cards["gst_payable"] == "₹900"
        book = passbook.passbook(s, actor=boss, ticket_id=winner.id)
        assert any("after GST ₹900" in line["text"] for line in book["lines"])


def test_the_office_records_a_members_state_for_the_place_of_supply(tx, engine):
    boss = foreman(tx)
    _group_id, tickets = active_group(tx, boss, tickets=2)
    member = member_actor(tx, tickets[0])
    with tx() as s:
        branch_members.set_member_address(
            s, actor=boss, member_id=member.user_id, address="4 MG Road, Bengaluru", state="29"
        )
        assert s.get(User, member.user_id).state_code == "29"
    before = snapshot(engine)
    for bad in ("99", "Karnataka", 29):
        with pytest.raises(ServiceError), tx() as s:
            branch_members.set_member_address(
                s, actor=boss, member_id=member.user_id, address="x y z", state=bad
            )
    assert snapshot(engine) == before
    with tx() as s:  # an address change alone keeps the state
        branch_members.set_member_address(
            s, actor=boss, member_id=member.user_id, address="5 MG Road, Bengaluru"
        )
        assert s.get(User, member.user_id).state_code == "29"
