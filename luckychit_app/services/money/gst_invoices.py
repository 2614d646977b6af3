"""GST on each month's commission and its tax invoice, issued in the settlement's transaction.

A company with a GSTIN charges GST on every commission it earns (domain/gst.py for the rate, the
heads and the rules); one without charges none (CGST Act s.22, s.32(1)). The invoice is the prized
subscriber's: the practice is that the tax is recovered from their prize (ChitGroup.gst_recovery
"prize"); a group whose foreman bears it still issues the invoice (the supply is the same, CGST Act
s.31), marked as not recovered. Its number runs gap-free per company and financial year under the
counter row's lock, as receipt numbers do (CGST Rules 2017 r.46(b)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.domain import gst
from luckychit_app.domain import ledger as books
from luckychit_app.models import Branch, ChitGroup, Company, Draw, TaxInvoice, TaxInvoiceCounter, Ticket, User


@dataclass(frozen=True)
class MonthTax:
    """The tax on one month's commission, and who it is charged by and to."""

    charge: gst.GstCharge
    company: Company | None
    recipient: User | None
    place_of_supply: str

    @property
    def total(self) -> int:
        return self.charge.total


UNTAXED = MonthTax(gst.NO_GST, None, None, "")


def company_of(session: Session, group: ChitGroup) -> Company:
    """The company that runs the group: the supplier of its foreman's service."""
    branch = session.get(Branch, group.branch_id)
    return session.get(Company, branch.company_id)


def tax_for_month(session: Session, group: ChitGroup, winner: Ticket, commission: int, day: date) -> MonthTax:
    """GST on `commission` (paise) for a draw held on `day` (IST), or none for an unregistered
    company or a month without commission (the foreman's first chit, s.21(1)(a))."""
    company = company_of(session, group)
    if not commission or not company.gstin:
        return UNTAXED
    recipient = session.get(User, winner.member_id)
    place = gst.place_of_supply(recipient.state_code, company.state_code)
    charge = gst.charge(commission, gst.rate_on(day), intra_state=place == company.state_code)
    return MonthTax(charge, company, recipient, place)


def next_serial(session: Session, company_id: int, fy: str) -> int:
    """The next invoice serial of the company's financial year, under the counter's row lock (held
    to commit, so a rolled-back settlement gives its number back and the series has no gap)."""
    stmt = (
        select(TaxInvoiceCounter)
        .where(TaxInvoiceCounter.company_id == company_id, TaxInvoiceCounter.fy == fy)
        .with_for_update()
    )
    counter = session.exec(stmt).first()
    if counter is None:
        try:
            with session.begin_nested():
                session.add(TaxInvoiceCounter(company_id=company_id, fy=fy, last_serial=0))
        except IntegrityError:
            pass
        counter = session.exec(stmt).first()
    counter.last_serial += 1
    session.add(counter)
    return counter.last_serial


def invoice_number(fy: str, serial: int) -> str:
    """ "2026-27/000012": unique for the financial year and at most 16 characters (r.46(b))."""
    return f"{fy}/{serial:06d}"


def issue_invoice(
    session: Session,
    *,
    draw: Draw,
    group: ChitGroup,
    winner: Ticket,
    tax: MonthTax,
    day: date,
    recovered: bool,
) -> TaxInvoice:
    """The tax invoice for the month's commission, numbered now (the settlement's transaction)."""
    assert tax.company is not None and tax.recipient is not None  # only a taxed month has an invoice
    fy = gst.financial_year(day)
    serial = next_serial(session, tax.company.id, fy)
    invoice = TaxInvoice(
        company_id=tax.company.id,
        fy=fy,
        serial=serial,
        number=invoice_number(fy, serial),
        draw_id=draw.id,
        group_id=group.id,
        ticket_id=winner.id,
        issued_on=day,
        supplier_gstin=tax.company.gstin or "",
        supplier_state=tax.company.state_code,
        place_of_supply=tax.place_of_supply,
        recipient_name=tax.recipient.name,
        recipient_address=tax.recipient.address,
        taxable=tax.charge.taxable,
        rate_bp=tax.charge.rate_bp,
        cgst=tax.charge.cgst,
        sgst=tax.charge.sgst,
        igst=tax.charge.igst,
        recovered_from_prize=recovered,
    )
    session.add(invoice)
    session.flush()
    return invoice


def gst_books_check(session: Session, totals: dict[str, int]) -> list[str]:
    """The tax in the books is the tax on the invoices: each foreman's GST-payable account equals
    the sum of their invoices' CGST + SGST + IGST (no GST is paid over from the app yet), and each
    taxed draw has exactly its invoice's tax (`ledger_check` runs this with the account balances)."""
    problems: list[str] = []
    invoiced = {
        foreman_id: int(total)  # PostgreSQL sums BIGINT as NUMERIC
        for foreman_id, total in session.exec(
            select(ChitGroup.foreman_id, func.sum(TaxInvoice.cgst + TaxInvoice.sgst + TaxInvoice.igst))
            .join(ChitGroup, ChitGroup.id == TaxInvoice.group_id)
            .group_by(ChitGroup.foreman_id)
        ).all()
    }
    payable = {
        int(account.split(":")[1]): -total  # "foreman:<id>:gst_payable"
        for account, total in totals.items()
        if books.account_kind(account) == "gst_payable"
    }
    for foreman_id in sorted(set(invoiced) | set(payable)):
        if invoiced.get(foreman_id, 0) != payable.get(foreman_id, 0):
            problems.append(
                f"{books.gst_payable(foreman_id)} holds {payable.get(foreman_id, 0)} paise but the "
                f"foreman's tax invoices charge {invoiced.get(foreman_id, 0)}"
            )
    mismatched = session.exec(
        select(Draw.id, Draw.gst, TaxInvoice.cgst + TaxInvoice.sgst + TaxInvoice.igst)
        .outerjoin(TaxInvoice, TaxInvoice.draw_id == Draw.id)
        .where(
            Draw.status == "completed",
            func.coalesce(TaxInvoice.cgst + TaxInvoice.sgst + TaxInvoice.igst, 0) != Draw.gst,
        )
        .limit(20)
    ).all()
    problems += [
        f"draw {did} records GST {g} paise but its invoice charges {t or 0}" for did, g, t in mismatched
    ]
    return problems
