"""The company's GST registration: the supplier's particulars every tax invoice prints (CGST Rules
2017 r.46(a)-(b): name, address and GSTIN of the supplier) and the state that decides CGST+SGST or
IGST (IGST Act s.12(2)). Only the owner sets it: it decides whether every later commission is taxed.

A GSTIN is checked with python-stdnum (its check character and form); its first two digits are the
state code of the registration, so the state is read from it rather than typed a second time."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select
from stdnum.exceptions import ValidationError
from stdnum.in_ import gstin as stdnum_gstin

from luckychit_app.domain.gst import GST_STATES
from luckychit_app.models import Company
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_owner
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.validation import clean_text


def registration(session: Session, *, actor: Actor | None) -> dict[str, str]:
    """The company's GST particulars for its page ("" where not registered)."""
    actor = require_owner(actor)
    company = session.get(Company, actor.company_id)
    return {
        "gstin": company.gstin or "",
        "legal_name": company.legal_name,
        "address": company.gst_address,
        "state": GST_STATES.get(company.state_code, ""),
        "registered": "yes" if company.gstin else "",
    }


def clean_gstin(value: object) -> str:
    """A valid GSTIN in its compact form, or a message naming what is wrong."""
    if not isinstance(value, str) or not value.strip():
        raise ServiceError("Enter the 15-character GSTIN.", "gstin")
    try:
        compact = stdnum_gstin.validate(value)
    except ValidationError as exc:
        raise ServiceError(f"This is not a valid GSTIN: {exc.message}.", "gstin") from None
    if compact[:2] not in GST_STATES:
        raise ServiceError(f"A GSTIN starts with a state code; {compact[:2]} is not one.", "gstin")
    return compact


def save_registration(
    session: Session, *, actor: Actor | None, gstin: object, legal_name: object, address: object
) -> str:
    """Record the GSTIN with the legal name and the address of the principal place of business, as
    on the registration certificate (GST REG-06); commissions of draws held from now on are taxed."""
    actor = require_owner(actor)
    number = clean_gstin(gstin)
    name = clean_text(legal_name, field="legal_name", label="Legal name", min_len=2, max_len=120)
    where = clean_text(address, field="address", label="Address", min_len=5, max_len=200)
    taken = session.exec(
        select(func.count())
        .select_from(Company)
        .where(Company.gstin == number, Company.id != actor.company_id)
    ).one()
    if taken:
        raise ServiceError("Another company is registered with this GSTIN.", "gstin")
    company = session.get(Company, actor.company_id)
    before = {"gstin": company.gstin, "legal_name": company.legal_name, "address": company.gst_address}
    company.gstin, company.legal_name, company.gst_address = number, name, where
    company.state_code = number[:2]
    session.add(company)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="company.gst_registered",
        object_type="company",
        object_id=company.id,
        detail={"before": before, "gstin": number, "legal_name": name, "address": where},
    )
    return f"GSTIN {number} saved ({GST_STATES[number[:2]]}): commissions are taxed from the next draw."
