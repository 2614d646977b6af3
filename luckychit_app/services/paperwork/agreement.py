"""A group's chit agreement (Chit Funds Act 1982 s.6(1)), built from its frozen terms.

Every particular of s.6(1) the app holds, each under its clause letter: (a)/(b) the subscribers, their
addresses and tickets; (c) the instalments, their amount and due dates, and the late fee; (d) the
commencement and termination; (e) how the prized subscriber is chosen; (f) the maximum discount;
(g) how the discount is shared (dividend, the foreman's commission, who bears the GST on it); (h) the
date, time and place of the draws; (i) the foreman's own chit; (j) the approved bank; (l) the
consequences of default, with the prized subscriber's security; (m) when a subscriber is a defaulter
and what a removed one forfeits (s.30); (n) the foreman's security (s.20); (o) inspection of records.
(k) is for a foreman who is an individual and (p) the nominees, which members give on their own forms.

Readers: the group's foreman, its members (their own group only) and the admin (group_for_viewer).
The words are in the reader's language (i18n keys "agreement.*"); amounts and dates as on receipts.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from luckychit_app.clock import format_date, utcnow
from luckychit_app.domain.money import format_inr, percent_bp
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.i18n import TABLES, text
from luckychit_app.models import (
    AgreementParticulars,
    Branch,
    ChitGroup,
    Company,
    ForemanSecurity,
    RegistrarFiling,
    Ticket,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, group_for_viewer, user_of
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.terms import SEATED, terms_of
from luckychit_app.services.money import pdf_fonts
from luckychit_app.services.validation import clean_text

FORM_KEYS = {
    "cash": "agreement.form_cash",
    "bank_guarantee": "agreement.form_bank_guarantee",
    "govt_securities": "agreement.form_govt_securities",
    "other": "agreement.form_other",
}
"""The forms of the foreman's security (s.20(1)), by their i18n keys."""


def _lang(actor: Actor) -> str:
    return actor.language if actor.language in TABLES else "en"


def _late_fee(group: ChitGroup, lang: str) -> str:
    if group.late_fee_mode == "flat":
        return text(
            lang, "agreement.late_flat", amount=format_inr(group.late_fee_flat), days=group.grace_days
        )
    if group.late_fee_mode == "interest":
        return text(
            lang,
            "agreement.late_interest",
            rate=percent_bp(group.late_fee_interest_bp),
            days=group.grace_days,
        )
    return text(lang, "agreement.late_none")


def _foreman(session: Session, group: ChitGroup) -> tuple[str, str]:
    """The foreman's name and office address: the company (its legal name when it has one) and the
    group's branch (s.6(1) is signed by the foreman; the Registrar knows them by this address)."""
    company = session.exec(select(Company).where(Company.owner_id == group.foreman_id)).first()
    branch = session.get(Branch, group.branch_id)
    owner = session.get(User, group.foreman_id)
    name = (company.legal_name or company.name) if company else owner.name
    address = (branch.address if branch else "") or (company.gst_address if company else "") or owner.address
    return name, address


def agreement(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    """The agreement's particulars: ``rows`` (clause, label, value), ``subscribers`` (ticket, name,
    address), ``dues`` (instalment, due date, amount) and the heading's strings."""
    group = group_for_viewer(session, actor, group_id)
    user_of(session, actor)
    lang = _lang(actor)
    terms = terms_of(group)
    extra = session.get(AgreementParticulars, group.id)
    foreman_name, foreman_address = _foreman(session, group)
    tickets = session.exec(
        select(Ticket, User)
        .join(User, User.id == Ticket.member_id)
        .where(Ticket.group_id == group.id, Ticket.status.in_(SEATED))
        .order_by(Ticket.ticket_no)
    ).all()
    # Every subscriber's name is in the agreement (a); a member reading it sees the other members'
    # addresses only as the foreman's office keeps them, not on their phone (the data is theirs).
    member = actor.role == "member"
    subscribers = [
        {
            "ticket": str(t.ticket_no),
            "name": u.name,
            "address": "—" if member and u.id != actor.user_id else (u.address or "—"),
        }
        for t, u in tickets
    ]
    pending = text(lang, "agreement.to_be_fixed")
    dues: list[dict[str, str]] = []
    start = end = pending
    if group.start_date is not None:
        days = [
            due_date_for(group.start_date, k, group.draw_day, group.period)
            for k in range(1, group.tickets + 1)
        ]
        dues = [
            {"month": str(k), "date": format_date(day, lang), "amount": format_inr(terms.installment)}
            for k, day in enumerate(days, start=1)
        ]
        start, end = format_date(group.start_date, lang), format_date(days[-1], lang)
    period = text(lang, f"agreement.period_{group.period}")
    if group.period == "monthly":
        when = text(lang, "agreement.draw_monthly", day=group.draw_day)
    else:
        when = text(lang, "agreement.draw_every", period=period)
    draw_time = extra.draw_time if extra and extra.draw_time else pending
    draw_place = extra.draw_place if extra and extra.draw_place else pending
    securities = session.exec(
        select(ForemanSecurity)
        .where(ForemanSecurity.group_id == group.id, ForemanSecurity.released_on.is_(None))
        .order_by(ForemanSecurity.id)
    ).all()
    security = (
        "; ".join(
            f"{text(lang, FORM_KEYS[s.form])} {format_inr(s.amount)}"
            + (f", {s.bank}" if s.bank else "")
            + f", {s.reference} ({format_date(s.deposited_on, lang)})"
            for s in securities
        )
        or pending
    )
    auction = group.kind == "auction"
    rows = [
        (
            "c",
            "agreement.instalments",
            text(
                lang,
                "agreement.v_instalments",
                n=group.tickets,
                amount=format_inr(terms.installment),
                period=period,
                late=_late_fee(group, lang),
            ),
        ),
        (
            "d",
            "agreement.duration",
            text(lang, "agreement.v_duration", start=start, end=end, n=group.tickets),
        ),
        ("e", "agreement.prized_how", text(lang, "agreement.v_auction" if auction else "agreement.v_lucky")),
        (
            "f",
            "agreement.max_discount",
            text(
                lang,
                "agreement.v_max_discount",
                rate=percent_bp(group.max_discount_bp),
                amount=format_inr(terms.max_discount),
            )
            if auction
            else text(lang, "agreement.v_na"),
        ),
        (
            "g",
            "agreement.discount_use",
            text(
                lang,
                "agreement.v_commission",
                rate=percent_bp(group.commission_bp),
                amount=format_inr(terms.commission),
                gst=text(lang, f"agreement.gst_{group.gst_recovery}"),
            ),
        ),
        (
            "h",
            "agreement.draws",
            text(lang, "agreement.v_draws", when=when, time=draw_time, place=draw_place),
        ),
        (
            "i",
            "agreement.foreman_chit",
            text(
                lang, "agreement.v_foreman_first" if group.foreman_first_chit else "agreement.v_foreman_none"
            ),
        ),
        ("j", "agreement.bank", extra.approved_bank if extra and extra.approved_bank else pending),
        (
            "l",
            "agreement.consequences",
            text(
                lang,
                "agreement.v_consequences",
                late=_late_fee(group, lang),
                forfeit=text(
                    lang,
                    "agreement.v_forfeit" if group.forfeit_dividend_when_late else "agreement.v_no_forfeit",
                ),
            ),
        ),
        (
            "m",
            "agreement.default",
            text(
                lang,
                "agreement.v_default",
                n=group.default_after,
                rate=percent_bp(group.removal_deduction_bp),
                amount=format_inr(terms.removal_deduction),
                refund=text(lang, f"agreement.refund_{group.removed_refund_at}"),
            ),
        ),
        ("n", "agreement.security", security),
        ("o", "agreement.inspection", extra.inspection if extra and extra.inspection else pending),
    ]
    return {
        "title": text(lang, "agreement.title"),
        "group": group.name,
        "group_id": str(group.id),
        "chit_value": format_inr(group.chit_value),
        "foreman": foreman_name,
        "foreman_address": foreman_address or "—",
        "status": group.status,
        "subscribers_clause": "s.6(1)(a), (b)",
        "rows": [
            {"clause": f"s.6(1)({c})", "label": text(lang, key), "value": value} for c, key, value in rows
        ],
        "subscribers": subscribers,
        "dues": dues,
        "language": lang,
    }


def agreement_pdf(session: Session, *, actor: Actor | None, group_id: object) -> tuple[str, bytes]:
    """(file name, A4 PDF) of the agreement in the reader's language, with the signature blocks s.6(1)
    asks for: every subscriber, the foreman, and two witnesses."""
    v = agreement(session, actor=actor, group_id=group_id)
    lang = v["language"]
    words = [
        text(lang, k)
        for k in (
            "agreement.subscribers",
            "agreement.dues",
            "agreement.signatures",
            "agreement.foreman",
            "agreement.witness",
            "agreement.intro",
        )
    ]
    texts = [v["title"], v["group"], v["foreman"], v["foreman_address"], *words]
    texts += [f"{r['label']} {r['value']}" for r in v["rows"]]
    texts += [f"{s['name']} {s['address']}" for s in v["subscribers"]]
    texts += [d["date"] for d in v["dues"][:1]]
    pdf = pdf_fonts.ShapedFPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    fonts = pdf_fonts.register(pdf, texts)

    def fix(value: str) -> str:
        return value if fonts.unicode else value.replace("₹", "Rs. ")

    width = pdf.epw
    pdf.set_font(fonts.family, "B", 16)
    pdf.multi_cell(width, 8, fix(f"{v['title']}: {v['group']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fonts.family, "", 9)
    pdf.multi_cell(width, 5, fix(text(lang, "agreement.intro")), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        width,
        5,
        fix(f"{text(lang, 'agreement.foreman')}: {v['foreman']}, {v['foreman_address']}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(fonts.family, "B", 11)
    pdf.cell(
        width, 7, fix(f"s.6(1)(a), (b) {text(lang, 'agreement.subscribers')}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(fonts.family, "", 9)
    for s in v["subscribers"]:
        pdf.multi_cell(
            width, 5, fix(f"#{s['ticket']}  {s['name']}: {s['address']}"), new_x="LMARGIN", new_y="NEXT"
        )
    for row in v["rows"]:
        pdf.ln(1)
        pdf.set_font(fonts.family, "B", 10)
        pdf.multi_cell(width, 6, fix(f"{row['clause']} {row['label']}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(fonts.family, "", 9)
        pdf.multi_cell(width, 5, fix(row["value"]), new_x="LMARGIN", new_y="NEXT")
    if v["dues"]:
        pdf.ln(2)
        pdf.set_font(fonts.family, "B", 10)
        pdf.cell(width, 6, fix(f"s.6(1)(c) {text(lang, 'agreement.dues')}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(fonts.family, "", 8)
        for d in v["dues"]:
            pdf.cell(
                width, 4.5, fix(f"{d['month']}.  {d['date']}  {d['amount']}"), new_x="LMARGIN", new_y="NEXT"
            )
    pdf.ln(4)
    pdf.set_font(fonts.family, "B", 11)
    pdf.cell(width, 7, fix(text(lang, "agreement.signatures")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fonts.family, "", 9)
    signers = [f"#{s['ticket']} {s['name']}" for s in v["subscribers"]]
    signers += [f"{text(lang, 'agreement.foreman')}: {v['foreman']}"]
    signers += [f"{text(lang, 'agreement.witness')} 1", f"{text(lang, 'agreement.witness')} 2"]
    for name in signers:
        pdf.ln(6)
        pdf.cell(width / 2, 5, fix(name))
        pdf.cell(width / 2, 5, "______________________________", new_x="LMARGIN", new_y="NEXT")
    safe = "".join(ch if ch.isalnum() else "-" for ch in v["group"].lower()).strip("-") or "group"
    return f"chit-agreement-{safe}.pdf", bytes(pdf.output())


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def set_particulars(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    draw_time: object = "",
    draw_place: object = "",
    approved_bank: object = "",
    inspection: object = "",
) -> AgreementParticulars:
    """The foreman's particulars that are not money terms: the draws' time ("HH:MM", India time) and
    place (s.6(1)(h)), the approved bank (j) and the inspection hours (o). Once the agreement is
    filed with the Registrar (s.7) they change only by an alteration of the agreement (s.15)."""
    group = group_for_foreman(session, actor, group_id)
    filed = session.exec(
        select(RegistrarFiling.id).where(
            RegistrarFiling.group_id == group.id, RegistrarFiling.kind == "agreement"
        )
    ).first()
    if filed is not None:
        raise ServiceError("The agreement is filed with the Registrar: its particulars can no longer change.")
    time = clean_text(draw_time or "", field="draw_time", label="Draw time", min_len=0, max_len=5)
    if time and not _TIME.match(time):
        raise ServiceError("Draw time must be a time like 10:30.", "draw_time")
    row = session.get(AgreementParticulars, group.id) or AgreementParticulars(
        group_id=group.id, updated_by_id=actor.user_id
    )
    row.draw_time = time
    row.draw_place = clean_text(
        draw_place or "", field="draw_place", label="Draw place", min_len=0, max_len=200
    )
    row.approved_bank = clean_text(
        approved_bank or "", field="approved_bank", label="Approved bank", min_len=0, max_len=120
    )
    row.inspection = clean_text(
        inspection or "", field="inspection", label="Inspection", min_len=0, max_len=200
    )
    row.updated_by_id, row.updated_at = actor.user_id, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="agreement.particulars_set",
        object_type="chit_group",
        object_id=group.id,
        detail={"draw_time": row.draw_time, "draw_place": row.draw_place, "approved_bank": row.approved_bank},
    )
    return row


def particulars_of(session: Session, *, actor: Actor | None, group_id: object) -> dict[str, str]:
    """The form's current values (empty strings before any is set)."""
    group = group_for_foreman(session, actor, group_id)
    row = session.get(AgreementParticulars, group.id)
    fields = ("draw_time", "draw_place", "approved_bank", "inspection")
    return {f: getattr(row, f) if row else "" for f in fields}
