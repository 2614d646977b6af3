"""The GST papers: a commission's tax invoice (screen and PDF) and the month-by-month GST summary an
accountant files the returns from (GSTR-1 and GSTR-3B).

A tax invoice carries the particulars of CGST Rules 2017 r.46: the supplier's name, address and
GSTIN; a serial number unique for the financial year; the date; the recipient's name and address
(an unregistered recipient: r.46(e)); the SAC; the description and taxable value; the rate and
amount of each tax head; the place of supply with the state's name (r.46(n)); and a signature
(r.46(q)). Its readers: the foreman's office (any of their groups), the prized member it was issued
to, and the platform admin.

The summary lists outward supplies by month, then by place of supply and rate (a member is an
unregistered recipient: GSTR-1 Table 7, "B2C (others)", reports supplies by state and rate), and
then every invoice of the financial year."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

from sqlmodel import Session, select

from luckychit_app.clock import format_date
from luckychit_app.domain.gst import GST_STATES, SAC_CHIT
from luckychit_app.domain.money import format_inr, percent_bp
from luckychit_app.models import ChitGroup, Company, Draw, TaxInvoice, Ticket
from luckychit_app.services.access import Actor, group_in_reach, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import pdf_fonts

_FY = re.compile(r"^(\d{4})-(\d{2})$")
_MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


def _state(code: str) -> str:
    return f"{GST_STATES.get(code, 'Unknown')} ({code})"


def _invoice_in_reach(session: Session, actor: Actor | None, invoice_id: object) -> TaxInvoice:
    """The invoice, for its group's foreman (or their staff who keep the books, in reach), the member
    whose ticket it was issued to, or the admin; anyone else is refused as if it did not exist."""
    actor = require_role(actor, "foreman", "staff", "member", "admin")
    invoice = session.get(TaxInvoice, require_id(invoice_id, "invoice"))
    if invoice is None:
        raise NotAllowed()
    if actor.role == "admin":
        return invoice
    if actor.role == "member":
        if session.get(Ticket, invoice.ticket_id).member_id != actor.user_id:
            raise NotAllowed()
        return invoice
    group = session.get(ChitGroup, invoice.group_id)
    if group.foreman_id == actor.user_id or (
        actor.role == "staff" and actor.can("books") and group_in_reach(actor, group)
    ):
        return invoice
    raise NotAllowed()


def invoice_view(session: Session, *, actor: Actor | None, invoice_id: object) -> dict[str, str]:
    """The invoice's particulars as display strings (r.46)."""
    invoice = _invoice_in_reach(session, actor, invoice_id)
    company = session.get(Company, invoice.company_id)
    group = session.get(ChitGroup, invoice.group_id)
    draw = session.get(Draw, invoice.draw_id)
    ticket = session.get(Ticket, invoice.ticket_id)
    half = percent_bp(invoice.rate_bp // 2)
    return {
        "number": invoice.number,
        "date": format_date(invoice.issued_on),
        "supplier": company.legal_name or company.name,
        "supplier_address": company.gst_address,
        "gstin": invoice.supplier_gstin,
        "recipient": invoice.recipient_name,
        "recipient_address": invoice.recipient_address or "—",
        "place_of_supply": _state(invoice.place_of_supply),
        "sac": SAC_CHIT,
        "description": f"Foreman's commission, {group.name}, month {draw.month} (ticket {ticket.ticket_no})",
        "taxable": format_inr(invoice.taxable),
        "rate": percent_bp(invoice.rate_bp),
        "cgst": f"{format_inr(invoice.cgst)} ({half})" if invoice.cgst else "",
        "sgst": f"{format_inr(invoice.sgst)} ({half})" if invoice.sgst else "",
        "igst": f"{format_inr(invoice.igst)} ({percent_bp(invoice.rate_bp)})" if invoice.igst else "",
        "tax": format_inr(invoice.cgst + invoice.sgst + invoice.igst),
        "total": format_inr(invoice.taxable + invoice.cgst + invoice.sgst + invoice.igst),
        "recovery": "Tax recovered from the prize amount"
        if invoice.recovered_from_prize
        else "Tax borne by the foreman",
    }


def invoice_pdf(session: Session, *, actor: Actor | None, invoice_id: object) -> tuple[str, bytes]:
    """(file name, A5 PDF) of the tax invoice."""
    v = invoice_view(session, actor=actor, invoice_id=invoice_id)
    pdf = pdf_fonts.ShapedFPDF(format="A5")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    fonts = pdf_fonts.register(pdf, list(v.values()))

    def money(text: str) -> str:
        return text if fonts.unicode else text.replace("₹", "Rs. ")

    width = pdf.epw
    pdf.set_font(fonts.family, "B", 15)
    pdf.cell(width, 8, "Tax invoice", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fonts.family, "B", 10)
    pdf.multi_cell(width, 5, v["supplier"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fonts.family, "", 8)
    pdf.multi_cell(width, 4, f"{v['supplier_address']}\nGSTIN {v['gstin']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    rows = [
        ("Invoice no.", v["number"]),
        ("Date", v["date"]),
        ("Recipient", v["recipient"]),
        ("Address", v["recipient_address"]),
        ("Place of supply", v["place_of_supply"]),
        ("SAC", v["sac"]),
        ("Description", v["description"]),
        ("Taxable value", v["taxable"]),
        *((head.upper(), v[head]) for head in ("cgst", "sgst", "igst") if v[head]),
        ("Total tax", v["tax"]),
        ("Invoice value", v["total"]),
    ]
    for label, value in rows:
        pdf.set_font(fonts.family, "", 8)
        pdf.cell(30, 5.5, label)
        pdf.set_font(fonts.family, "B", 9)
        pdf.multi_cell(width - 30, 5.5, money(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(fonts.family, "", 8)
    pdf.multi_cell(
        width,
        4,
        f"{v['recovery']}. Tax is not payable on reverse charge. Issued under CGST Act s.31 "
        "with the settlement of the month's draw.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.cell(width, 5, f"For {v['supplier']}: authorised signatory", align="R")
    return f"tax-invoice-{v['number'].replace('/', '-')}.pdf", bytes(pdf.output())


def clean_fy(value: object) -> str:
    """A financial year as "2026-27" (April 2026 to March 2027)."""
    found = _FY.match(value) if isinstance(value, str) else None
    if not found or (int(found.group(1)) + 1) % 100 != int(found.group(2)):
        raise ServiceError('Choose a financial year such as "2026-27".', "fy")
    return value


def _company_invoices(session: Session, actor: Actor | None, fy: str) -> list[TaxInvoice]:
    """The financial year's invoices of the caller's company (the owner; the admin sees none here)."""
    actor = require_role(actor, "foreman")
    company = session.exec(select(Company).where(Company.owner_id == actor.user_id)).first()
    if company is None:
        raise NotAllowed()
    return list(
        session.exec(
            select(TaxInvoice)
            .where(TaxInvoice.company_id == company.id, TaxInvoice.fy == clean_fy(fy))
            .order_by(TaxInvoice.serial)
        ).all()
    )


def invoice_rows(session: Session, *, actor: Actor | None, fy: object) -> list[dict[str, str]]:
    """The year's invoices for the foreman's Reports page, newest first."""
    invoices = _company_invoices(session, actor, fy)  # type: ignore[arg-type]
    return [
        {
            "id": str(i.id),
            "number": i.number,
            "date": format_date(i.issued_on),
            "recipient": i.recipient_name,
            "taxable": format_inr(i.taxable),
            "tax": format_inr(i.cgst + i.sgst + i.igst),
            "place": GST_STATES.get(i.place_of_supply, i.place_of_supply),
        }
        for i in reversed(invoices)
    ]


def _rupees(paise: int) -> str:
    """Plain rupees with two decimals for a spreadsheet ("1800.00")."""
    return f"{paise // 100}.{paise % 100:02d}"


def gst_summary_csv(session: Session, *, actor: Actor | None, fy: object) -> tuple[str, str]:
    """(file name, CSV) of the financial year's outward supplies: by month, by month, place of
    supply and rate (GSTR-1 Table 7), then every invoice. Amounts in rupees with paise."""
    year = clean_fy(fy)
    invoices = _company_invoices(session, actor, year)
    by_month: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    by_place: dict[tuple[int, str, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for i in invoices:
        index = (i.issued_on.month - 4) % 12
        for bucket in (by_month[index], by_place[(index, i.place_of_supply, i.rate_bp)]):
            for k, amount in enumerate((1, i.taxable, i.cgst, i.sgst, i.igst)):
                bucket[k] += amount
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([f"GST summary {year}", "Outward supplies: foreman's commission", f"SAC {SAC_CHIT}"])
    w.writerow(["Month", "Invoices", "Taxable value", "CGST", "SGST", "IGST", "Total tax"])
    totals = [0, 0, 0, 0, 0]
    for index, name in enumerate(_MONTHS):
        row = by_month.get(index, [0, 0, 0, 0, 0])
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        w.writerow([name, row[0], *map(_rupees, row[1:]), _rupees(sum(row[2:]))])
    w.writerow(["Total", totals[0], *map(_rupees, totals[1:]), _rupees(sum(totals[2:]))])
    w.writerow([])
    w.writerow(["Month", "Place of supply", "Rate", "Invoices", "Taxable value", "CGST", "SGST", "IGST"])
    for (index, place, rate), row in sorted(by_place.items()):
        w.writerow([_MONTHS[index], _state(place), percent_bp(rate), row[0], *map(_rupees, row[1:])])
    w.writerow([])
    w.writerow(
        ["Invoice", "Date", "Recipient", "Place of supply", "Rate", "Taxable value", "CGST", "SGST", "IGST"]
    )
    for i in invoices:
        w.writerow(
            [
                i.number,
                format_date(i.issued_on),
                i.recipient_name,
                _state(i.place_of_supply),
                percent_bp(i.rate_bp),
                *map(_rupees, (i.taxable, i.cgst, i.sgst, i.igst)),
            ]
        )
    return f"gst-summary-{year}.csv", out.getvalue()
