"""Receipts: the numbered record of money received, on screen (printable) and as a PDF.

Numbers come from the branch's gap-free counter when a payment is captured (see receipt_numbers.py) and
are shown everywhere as the printed label domain/money.receipt_label gives ("MAIN/000177"); a receipt
exists only for received money. The member who holds the ticket (or paid), the group's
foreman and an admin may see it; anyone else gets the same refusal whether or not it exists.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist
from luckychit_app.domain.money import format_inr, receipt_label
from luckychit_app.i18n import text
from luckychit_app.models import (
    Branch,
    ChitGroup,
    Installment,
    Payment,
    PaymentAllocation,
    Refund,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, group_in_reach, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money import pdf_fonts
from luckychit_app.services.money.payment_methods import METHOD_LABELS
from luckychit_app.services.money.receipt_numbers import branch_codes
from luckychit_app.services.money.refunds import refunded_totals

log = logging.getLogger("luckychit")

_ONES = (
    "",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
)
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")


def _below_hundred(n: int) -> str:
    return _ONES[n] if n < 20 else (_TENS[n // 10] + (" " + _ONES[n % 10] if n % 10 else ""))


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} Hundred"] if hundreds else []
    if rest:
        parts.append(_below_hundred(rest))
    return " ".join(parts)


def _words(n: int) -> str:
    """A whole number in words with Indian grouping: 1,23,45,678 = One Crore Twenty Three Lakh ..."""
    crore, n = divmod(n, 1_00_00_000)
    lakh, n = divmod(n, 1_00_000)
    thousand, n = divmod(n, 1_000)
    parts = [f"{_words(crore)} Crore"] if crore else []
    parts += [f"{_below_hundred(lakh)} Lakh"] if lakh else []
    parts += [f"{_below_hundred(thousand)} Thousand"] if thousand else []
    parts += [_below_thousand(n)] if n else []
    return " ".join(parts)


_HINDI_BELOW_HUNDRED = (
    "",
    "एक",
    "दो",
    "तीन",
    "चार",
    "पाँच",
    "छह",
    "सात",
    "आठ",
    "नौ",
    "दस",
    "ग्यारह",
    "बारह",
    "तेरह",
    "चौदह",
    "पंद्रह",
    "सोलह",
    "सत्रह",
    "अठारह",
    "उन्नीस",
    "बीस",
    "इक्कीस",
    "बाईस",
    "तेईस",
    "चौबीस",
    "पच्चीस",
    "छब्बीस",
    "सत्ताईस",
    "अट्ठाईस",
    "उनतीस",
    "तीस",
    "इकतीस",
    "बत्तीस",
    "तैंतीस",
    "चौंतीस",
    "पैंतीस",
    "छत्तीस",
    "सैंतीस",
    "अड़तीस",
    "उनतालीस",
    "चालीस",
    "इकतालीस",
    "बयालीस",
    "तैंतालीस",
    "चवालीस",
    "पैंतालीस",
    "छियालीस",
    "सैंतालीस",
    "अड़तालीस",
    "उनचास",
    "पचास",
    "इक्यावन",
    "बावन",
    "तिरपन",
    "चौवन",
    "पचपन",
    "छप्पन",
    "सत्तावन",
    "अट्ठावन",
    "उनसठ",
    "साठ",
    "इकसठ",
    "बासठ",
    "तिरसठ",
    "चौंसठ",
    "पैंसठ",
    "छियासठ",
    "सड़सठ",
    "अड़सठ",
    "उनहत्तर",
    "सत्तर",
    "इकहत्तर",
    "बहत्तर",
    "तिहत्तर",
    "चौहत्तर",
    "पचहत्तर",
    "छिहत्तर",
    "सतहत्तर",
    "अठहत्तर",
    "उनासी",
    "अस्सी",
    "इक्यासी",
    "बयासी",
    "तिरासी",
    "चौरासी",
    "पचासी",
    "छियासी",
    "सत्तासी",
    "अट्ठासी",
    "नवासी",
    "नब्बे",
    "इक्यानवे",
    "बानवे",
    "तिरानवे",
    "चौरानवे",
    "पंचानवे",
    "छियानवे",
    "सत्तानवे",
    "अट्ठानवे",
    "निन्यानवे",
)
"""Hindi has a word of its own for every number below a hundred (no tens-and-units pattern)."""


def _hindi_words(n: int) -> str:
    """A whole number in Hindi words with Indian grouping: 1,23,45,678 = एक करोड़ तेईस लाख ..."""
    crore, n = divmod(n, 1_00_00_000)
    lakh, n = divmod(n, 1_00_000)
    thousand, n = divmod(n, 1_000)
    hundred, n = divmod(n, 100)
    parts = [f"{_hindi_words(crore)} करोड़"] if crore else []
    parts += [f"{_HINDI_BELOW_HUNDRED[lakh]} लाख"] if lakh else []
    parts += [f"{_HINDI_BELOW_HUNDRED[thousand]} हज़ार"] if thousand else []
    parts += [f"{_HINDI_BELOW_HUNDRED[hundred]} सौ"] if hundred else []
    parts += [_HINDI_BELOW_HUNDRED[n]] if n else []
    return " ".join(parts)


def rupees_in_hindi_words(paise: int) -> str:
    """The receipt's amount in words for a member who reads Hindi: रुपये ... मात्र."""
    rupees, rest = divmod(abs(paise), 100)
    words = "रुपये " + (_hindi_words(rupees) or "शून्य")
    if rest:
        words += f" और {_HINDI_BELOW_HUNDRED[rest]} पैसे"
    return words + " मात्र"


def rupees_in_words(paise: int) -> str:
    """Amount in words the Indian way (crore, lakh, thousand), as written on receipts and cheques."""
    rupees, rest = divmod(abs(paise), 100)
    text = "Rupees " + (_words(rupees) or "Zero")
    if rest:
        text += f" and {_below_hundred(rest)} Paise"
    return text + " Only"


def _payment_for(
    session: Session, actor: Actor | None, payment_id: object
) -> tuple[Payment, ChitGroup, Ticket]:
    actor = require_role(actor, "member", "foreman", "admin", "staff")
    payment = session.get(Payment, require_id(payment_id, "receipt"))
    if payment is None:
        raise NotAllowed()
    group = session.get(ChitGroup, payment.group_id)
    ticket = session.get(Ticket, payment.ticket_id)
    # Staff see the receipts they issued in their company, and with "view" every receipt in reach.
    staff_sees = actor.role == "staff" and (
        (payment.recorded_by_id == actor.user_id and group.foreman_id == actor.owner_id)
        or (actor.can("view") and group_in_reach(actor, group))
    )
    allowed = (
        actor.role == "admin"
        or group.foreman_id == actor.user_id
        or staff_sees
        or (actor.role == "member" and actor.user_id in (ticket.member_id, payment.payer_id))
    )
    if not allowed:
        raise NotAllowed()
    return payment, group, ticket


def receipt(session: Session, *, actor: Actor | None, payment_id: object, lang: str = "en") -> dict:
    """The receipt as display strings in ``lang`` (the member's screen and the PDF), or a clear
    message while the payment is not received. The amount in words is in Hindi for Hindi, else in
    English (the words of Tamil, Telugu, Kannada and Malayalam numbers are not written yet)."""
    payment, group, ticket = _payment_for(session, actor, payment_id)
    if payment.receipt_no is None or payment.status not in ("captured", "refunded"):
        raise ServiceError(
            {
                "pending": "This payment is waiting for confirmation; the receipt comes once it is received.",
                "created": "This payment was not completed, so there is no receipt.",
                "failed": "This payment failed, so there is no receipt.",
                "rejected": "This UPI payment was not confirmed by the foreman, so there is no receipt.",
            }.get(payment.status, "There is no receipt for this payment.")
        )
    member = session.get(User, ticket.member_id)
    foreman = session.get(User, group.foreman_id)
    branch = session.get(Branch, payment.branch_id or group.branch_id)
    recorder = session.get(User, payment.recorded_by_id) if payment.recorded_by_id else None
    lines = session.exec(
        select(Installment.month, PaymentAllocation.amount)
        .join(Installment, Installment.id == PaymentAllocation.installment_id)
        .where(PaymentAllocation.payment_id == payment.id)
        .order_by(Installment.month)
    ).all()
    refunds = session.exec(
        select(Refund).where(Refund.payment_id == payment.id, Refund.status != "failed").order_by(Refund.id)
    ).all()
    applied = sum(int(a) for _, a in lines)
    refunded = sum(r.amount for r in refunds)
    advance = payment.amount - applied - payment.late_fee_paid - refunded
    utr = f"UTR {payment.utr}" if payment.utr else None
    reference = utr or payment.gateway_payment_id or payment.reference
    return {
        "id": str(payment.id),
        "receipt_no": receipt_label(branch.code, payment.receipt_no),
        "branch": branch.name,
        # Who took the money: staff by name; online money has no one (DESIGN §6, issue 23).
        "recorded_by": recorder.name if recorder else text(lang, "receipt.online"),
        "date": format_datetime_ist(payment.paid_at or payment.created_at, lang=lang),
        "foreman": foreman.name,
        "foreman_mobile": foreman.mobile,
        "group": group.name,
        "member": member.name,
        "mobile": member.mobile,
        "ticket_no": str(ticket.ticket_no),
        "amount": format_inr(payment.amount),
        "amount_words": rupees_in_hindi_words(payment.amount)
        if lang == "hi"
        else rupees_in_words(payment.amount),
        "method": text(lang, f"method.{payment.method}")
        if payment.method in METHOD_LABELS
        else payment.method,
        "reference": reference or "—",
        "lines": [
            {"label": text(lang, "receipt.line_installment", month=m), "amount": format_inr(int(a))}
            for m, a in lines
        ]
        + (
            [{"label": text(lang, "receipt.line_late_fees"), "amount": format_inr(payment.late_fee_paid)}]
            if payment.late_fee_paid
            else []
        )
        + (
            [{"label": text(lang, "receipt.line_advance"), "amount": format_inr(advance)}]
            if advance > 0
            else []
        ),
        "refunds": [
            {
                "label": text(
                    lang,
                    "receipt.refund_done" if r.status == "processed" else "receipt.refund_progress",
                    reason=r.reason,
                ),
                "amount": "-" + format_inr(r.amount),
            }
            for r in refunds
        ],
        "status": text(lang, "status.refunded" if payment.status == "refunded" else "status.captured"),
        "is_refunded": bool(refunds),
    }


def receipt_pdf(
    session: Session, *, actor: Actor | None, payment_id: object, lang: str | None = None
) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the receipt; A5, with Unicode fonts so ₹ prints as ₹ and every
    script as itself. In `lang`, by default the language of the member who holds the ticket: the
    receipt is theirs, whoever downloads it (the foreman hands it over). A language whose script
    font is missing on this machine prints in English (services/money/pdf_fonts)."""
    if lang is None:
        _payment, _group, ticket = _payment_for(session, actor, payment_id)
        lang = session.exec(select(User.language).where(User.id == ticket.member_id)).one()
    if not pdf_fonts.printable(lang):
        log.warning("receipt %s: no font for %r on this machine; printed in English", payment_id, lang)
        lang = "en"
    data = receipt(session, actor=actor, payment_id=payment_id, lang=lang)
    pdf = pdf_fonts.ShapedFPDF(format="A5")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_lang(lang)
    pdf.add_page()
    issued = text(lang, "receipt.issued_for", foreman=data["foreman"])
    rows = (
        (text(lang, "receipt.from"), f"{data['member']} ({data['mobile']})"),
        (text(lang, "receipt.group"), data["group"]),
        (text(lang, "receipt.ticket"), data["ticket_no"]),
        (text(lang, "receipt.method"), data["method"]),
        (text(lang, "receipt.reference"), data["reference"]),
    )
    words = [issued, data["amount_words"], data["status"], data["date"], *(w for row in rows for w in row)]
    words += [line["label"] for line in data["lines"] + data["refunds"]]
    fonts = pdf_fonts.register(pdf, words + [text(lang, k) for k in _PDF_KEYS])
    family = fonts.family

    def money(value: str) -> str:
        return value if fonts.unicode else value.replace("₹", "Rs. ")

    width = pdf.epw
    pdf.set_font(family, "B", 16)
    pdf.cell(width, 9, text(lang, "receipt.title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.multi_cell(
        width,
        5,
        f"{data['foreman']} {text(lang, 'receipt.foreman')} · {data['foreman_mobile']}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font(family, "B", 11)
    pdf.cell(width / 2, 7, f"{text(lang, 'receipt.no')} {data['receipt_no']}")
    pdf.set_font(family, "", 10)
    pdf.cell(width / 2, 7, data["date"], align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    label_width = 38 if lang == "en" else 42  # Indian scripts set wider than Latin at one size
    for label, value in rows:
        pdf.set_font(family, "", 9)
        pdf.cell(label_width, 6, label)
        pdf.set_font(family, "B", 10)
        pdf.multi_cell(width - label_width, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "B", 20)
    pdf.cell(width, 11, money(data["amount"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.multi_cell(width, 5, data["amount_words"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_draw_color(180, 180, 180)
    for line in data["lines"] + data["refunds"]:
        pdf.set_font(family, "", 10)
        pdf.cell(width * 0.7, 7, line["label"][:60], border="B")
        pdf.cell(width * 0.3, 7, money(line["amount"]), border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "", 8)
    status = f"{text(lang, 'profile.kyc_status')}: {data['status']}."
    # Ragged right: justified Tamil and Malayalam stretch the gaps between their long words.
    pdf.multi_cell(width, 4, f"{status} {issued} {text(lang, 'receipt.note')}", align="L")
    return f"receipt-{data['receipt_no'].replace('/', '-')}.pdf", bytes(pdf.output())


_PDF_KEYS = ("receipt.title", "receipt.foreman", "receipt.no", "profile.kyc_status", "receipt.note")
"""The receipt's fixed words in the PDF besides its rows (their scripts pick the fonts to embed)."""


def payments_for_group(session: Session, *, group: ChitGroup, limit: int = 100) -> list[dict[str, str]]:
    """Recent payments of a group (newest first) for the foreman's payments page; access is the
    caller's job (the page service checks the foreman first)."""
    # Plain columns: a Payment, Ticket and User object per row cost more than the page's formatting.
    rows = session.exec(
        select(
            Payment.id,
            Payment.receipt_no,
            Payment.branch_id,
            Payment.paid_at,
            Payment.created_at,
            Payment.amount,
            Payment.method,
            Payment.status,
            Payment.failure_reason,
            Payment.utr,
            Payment.reference,
            Ticket.ticket_no,
            User.name,
        )
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .where(
            Payment.group_id == group.id, Payment.status.in_(("captured", "refunded", "failed", "rejected"))
        )
        .order_by(Payment.id.desc())
        .limit(limit)
    ).all()
    codes = branch_codes(session, [group.branch_id, *(row.branch_id for row in rows)])
    refundable_ids = {row.id for row in rows if row.status == "captured" and row.method != "prize"}
    refunded = refunded_totals(session, refundable_ids) if refundable_ids else {}
    out = []
    for p in rows:
        refundable = p.amount - refunded.get(p.id, 0) if p.id in refundable_ids else 0
        out.append(
            {
                "id": str(p.id),
                "receipt_no": receipt_label(codes[p.branch_id or group.branch_id], p.receipt_no)
                if p.receipt_no
                else "—",
                "date": format_datetime_ist(p.paid_at or p.created_at),
                "ticket_no": str(p.ticket_no),
                "name": p.name,
                "amount": format_inr(p.amount),
                "method": METHOD_LABELS.get(p.method, p.method),
                "status": p.status,
                "note": p.failure_reason or (f"UTR {p.utr}" if p.utr else p.reference),
                "refundable": format_inr(refundable) if refundable > 0 else "",
                "refundable_rupees": f"{refundable // 100}.{refundable % 100:02d}" if refundable > 0 else "",
                "has_receipt": p.receipt_no is not None,
            }
        )
    return out
