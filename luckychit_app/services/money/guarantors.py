"""Guarantors: the people who stand surety for a prized subscriber's future subscriptions (Chit Funds
Act 1982 s.21(1)(e) security, s.31), kept as records the foreman can write to rather than free text:
name, mobile, relation to the subscriber, a PAN or Aadhaar number (validated with python-stdnum,
stored only encrypted with AES-256-GCM and shown masked, as services/people/kyc.py keeps a member's)
and the day they signed. A recovery notice reaches them at that mobile when the subscriber defaults
(s.32; services/groups/prize_defaults.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from luckychit_app.clock import format_date, today_ist
from luckychit_app.crypto import active_key_id, decrypt, encrypt
from luckychit_app.models import Guarantor
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.people.kyc import clean_aadhaar, clean_pan, mask_aadhaar, mask_pan
from luckychit_app.services.validation import clean_date, clean_mobile, clean_name, clean_text

MAX_GUARANTORS = 5
"""Per security, so a crafted event cannot write thousands of rows."""
FIELDS = ("name", "mobile", "relation", "kyc", "signed_on")
"""What the browser sends for one guarantor; the form's inputs are these with a "g_" prefix."""
EARLIEST_SIGNING = date(2000, 1, 1)


@dataclass(frozen=True)
class CleanGuarantor:
    name: str
    mobile: str
    relation: str
    kyc_kind: str  # "pan" | "aadhaar"
    kyc_number: str  # the plain number: never stored, never shown
    signed_on: date


def _clean_kyc(value: object) -> tuple[str, str]:
    """("pan" | "aadhaar", the number), told apart by shape: 12 digits or 5 letters, 4 digits, 1 letter."""
    if not isinstance(value, str) or len(value) > 20:
        raise ServiceError("Enter the guarantor's PAN (like ABCPE1234F) or 12-digit Aadhaar number.", "g_kyc")
    compact = re.sub(r"[\s\-]", "", value)
    if compact.isdigit():
        return "aadhaar", clean_aadhaar(compact, field="g_kyc")
    if len(compact) == 10:
        return "pan", clean_pan(compact, field="g_kyc")
    raise ServiceError("Enter the guarantor's PAN (like ABCPE1234F) or 12-digit Aadhaar number.", "g_kyc")


def clean_guarantor(value: object, *, subscriber_mobile: str) -> CleanGuarantor:
    """One guarantor from the browser (a dict of FIELDS); the subscriber cannot stand surety for
    themself, and a signature cannot be dated in the future."""
    if not isinstance(value, dict):
        raise ServiceError("Enter the guarantor's details.", "g_name")
    name = clean_name(value.get("name"), field="g_name")
    mobile = clean_mobile(value.get("mobile"), field="g_mobile")
    if mobile == subscriber_mobile:
        raise ServiceError("The subscriber cannot be their own guarantor.", "g_mobile")
    relation = clean_text(
        value.get("relation"), field="g_relation", label="Relation to the subscriber", min_len=2, max_len=40
    )
    kind, number = _clean_kyc(value.get("kyc"))
    signed = clean_date(value.get("signed_on"), field="g_signed_on", label="Date signed")
    if signed > today_ist():
        raise ServiceError("The date the guarantor signed cannot be in the future.", "g_signed_on")
    if signed < EARLIEST_SIGNING:
        raise ServiceError("Check the date the guarantor signed.", "g_signed_on")
    return CleanGuarantor(name, mobile, relation, kind, number, signed)


def clean_guarantors(value: object, *, subscriber_mobile: str) -> list[CleanGuarantor]:
    """A list of guarantors (possibly empty); the same mobile twice is refused."""
    if value is None or value == ():
        return []
    if not isinstance(value, list | tuple) or len(value) > MAX_GUARANTORS:
        raise ServiceError(f"Enter at most {MAX_GUARANTORS} guarantors.", "g_name")
    cleaned = [clean_guarantor(v, subscriber_mobile=subscriber_mobile) for v in value]
    if len({g.mobile for g in cleaned}) != len(cleaned):
        raise ServiceError("The same guarantor is entered twice.", "g_mobile")
    return cleaned


def _context(security_id: int, kind: str, mobile: str) -> str:
    """Binds the encrypted number to its security and guarantor (AES-GCM associated data)."""
    return f"guarantor:{security_id}:{kind}:{mobile}"


def store(session: Session, *, security_id: int, guarantors: Iterable[CleanGuarantor]) -> list[Guarantor]:
    """Write the guarantors of a security; only the last four characters of the number stay clear."""
    rows = [
        Guarantor(
            security_id=security_id,
            name=g.name,
            mobile=g.mobile,
            relation=g.relation,
            kyc_kind=g.kyc_kind,
            kyc_encrypted=encrypt(g.kyc_number.encode(), context=_context(security_id, g.kyc_kind, g.mobile)),
            kyc_last4=g.kyc_number[-4:],
            signed_on=g.signed_on,
        )
        for g in guarantors
    ]
    session.add_all(rows)
    session.flush()
    return rows


def of_securities(session: Session, security_ids: Iterable[int]) -> dict[int, list[Guarantor]]:
    """The guarantors of each security, in the order they were recorded."""
    ids = sorted(set(security_ids))
    found: dict[int, list[Guarantor]] = defaultdict(list)
    if ids:
        for row in session.exec(
            select(Guarantor).where(Guarantor.security_id.in_(ids)).order_by(Guarantor.id)
        ).all():
            found[row.security_id].append(row)
    return found


def masked_kyc(row: Guarantor) -> str:
    return (
        f"PAN {mask_pan(row.kyc_last4)}"
        if row.kyc_kind == "pan"
        else f"Aadhaar {mask_aadhaar(row.kyc_last4)}"
    )


def describe(row: Guarantor) -> str:
    """One line for the foreman's screens: who, how related, how to reach them, masked KYC, signed."""
    return (
        f"{row.name} ({row.relation}), {row.mobile}, {masked_kyc(row)}, signed {format_date(row.signed_on)}"
    )


def rotate_keys(session: Session, *, batch: int = 500) -> int:
    """Re-encrypt every guarantor's PAN or Aadhaar under the active data key (the KYC records'
    rotation, services/people/kyc.rotate_keys, does the same for members); a token names its key."""
    active = active_key_id()
    done = 0
    while True:
        rows = session.exec(
            select(Guarantor).where(Guarantor.kyc_encrypted.not_like(f"{active}:%")).limit(batch)
        ).all()
        if not rows:
            return done
        for row in rows:
            context = _context(row.security_id, row.kyc_kind, row.mobile)
            row.kyc_encrypted = encrypt(decrypt(row.kyc_encrypted, context=context), context=context)
            session.add(row)
        done += len(rows)
        session.flush()
