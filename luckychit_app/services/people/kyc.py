"""KYC numbers (PAN, Aadhaar): validated with python-stdnum, stored only encrypted (AES-256-GCM,
bound to the user's row), shown masked. The foreman of a member's group sets the status."""

from __future__ import annotations

from sqlmodel import Session, select
from stdnum.exceptions import ValidationError
from stdnum.in_ import aadhaar, pan

from luckychit_app.clock import utcnow
from luckychit_app.crypto import active_key_id, decrypt, encrypt
from luckychit_app.models import ChitGroup, KycRecord, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError

STATUSES = ("none", "submitted", "verified", "rejected")


def _context(user_id: int, kind: str) -> str:
    return f"kyc:{user_id}:{kind}"


def clean_pan(value: object, field: str = "pan") -> str:
    """A PAN checked with python-stdnum (also for a guarantor's, services/money/guarantors.py)."""
    if not isinstance(value, str) or len(value) > 20:
        raise ServiceError("Enter your 10-character PAN, like ABCPE1234F.", field)
    try:
        return pan.validate(value.strip().upper())
    except ValidationError as exc:
        raise ServiceError("That PAN is not valid (format: 5 letters, 4 digits, 1 letter).", field) from exc


def clean_aadhaar(value: object, field: str = "aadhaar") -> str:
    """An Aadhaar number checked with python-stdnum (its Verhoeff check digit)."""
    if not isinstance(value, str) or len(value) > 20:
        raise ServiceError("Enter your 12-digit Aadhaar number.", field)
    try:
        return aadhaar.validate(value.strip())
    except ValidationError as exc:
        raise ServiceError(
            "That Aadhaar number is not valid (12 digits with a valid checksum).", field
        ) from exc


def _given(value: object) -> bool:
    """Blank means "keep what is stored"; anything else (even of the wrong type) is validated."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def mask_aadhaar(last4: str) -> str:
    return f"XXXX XXXX {last4}" if last4 else ""


def mask_pan(last4: str) -> str:
    return f"XXXXXX{last4}" if last4 else ""


def submit(
    session: Session, *, actor: Actor | None, pan_number: object = "", aadhaar_number: object = ""
) -> KycRecord:
    """A member submits or replaces their numbers; either may be left blank to keep the stored one."""
    actor = require_role(actor, "member", "foreman")
    give_pan = _given(pan_number)
    give_aadhaar = _given(aadhaar_number)
    if not give_pan and not give_aadhaar:
        raise ServiceError("Enter your PAN, your Aadhaar number, or both.")
    new_pan = clean_pan(pan_number) if give_pan else None
    new_aadhaar = clean_aadhaar(aadhaar_number) if give_aadhaar else None
    record = session.exec(select(KycRecord).where(KycRecord.user_id == actor.user_id)).first()
    if record is None:
        record = KycRecord(user_id=actor.user_id)
    if new_pan:
        record.pan_encrypted = encrypt(new_pan.encode(), context=_context(actor.user_id, "pan"))
        record.pan_last4 = new_pan[-4:]
    if new_aadhaar:
        record.aadhaar_encrypted = encrypt(new_aadhaar.encode(), context=_context(actor.user_id, "aadhaar"))
        record.aadhaar_last4 = new_aadhaar[-4:]
    record.key_id, record.status, record.updated_at = active_key_id(), "submitted", utcnow()
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="kyc.submitted",
        object_type="user",
        object_id=actor.user_id,
        detail={"pan": bool(new_pan), "aadhaar": bool(new_aadhaar)},
    )
    return record


def summary(session: Session, *, actor: Actor | None) -> dict[str, str]:
    actor = require_role(actor, "member", "foreman", "admin")
    record = session.exec(select(KycRecord).where(KycRecord.user_id == actor.user_id)).first()
    if record is None:
        return {"status": "none", "pan": "", "aadhaar": ""}
    return {
        "status": record.status,
        "pan": mask_pan(record.pan_last4),
        "aadhaar": mask_aadhaar(record.aadhaar_last4),
    }


def set_status(session: Session, *, actor: Actor | None, user_id: object, status: object) -> KycRecord:
    """Only the foreman of a group the member belongs to (or an admin) may verify or reject."""
    actor = require_role(actor, "foreman", "admin")
    uid = require_id(user_id, "member")
    if status not in ("verified", "rejected"):
        raise ServiceError("Status must be verified or rejected.", "status")
    if actor.role == "foreman":
        shared = session.exec(
            select(Ticket.id)
            .join(ChitGroup, ChitGroup.id == Ticket.group_id)
            .where(Ticket.member_id == uid, ChitGroup.foreman_id == actor.user_id)
            .limit(1)
        ).first()
        if shared is None:
            raise NotAllowed()
    record = session.exec(select(KycRecord).where(KycRecord.user_id == uid)).first()
    if record is None or record.status == "none":
        raise ServiceError("This member has not submitted KYC.")
    record.status, record.updated_at = status, utcnow()
    session.add(record)
    audit.record(session, actor_id=actor.user_id, action=f"kyc.{status}", object_type="user", object_id=uid)
    return record


def reveal_for_admin(session: Session, *, actor: Actor | None, user_id: object) -> dict[str, str]:
    """Full numbers, for an admin handling a regulator's request; every reveal is audited."""
    actor = require_role(actor, "admin")
    uid = require_id(user_id, "user")
    record = session.exec(select(KycRecord).where(KycRecord.user_id == uid)).first()
    if record is None:
        raise ServiceError("No KYC on record.")
    out = {
        "pan": decrypt(record.pan_encrypted, context=_context(uid, "pan")).decode()
        if record.pan_encrypted
        else "",
        "aadhaar": decrypt(record.aadhaar_encrypted, context=_context(uid, "aadhaar")).decode()
        if record.aadhaar_encrypted
        else "",
    }
    audit.record(session, actor_id=actor.user_id, action="kyc.revealed", object_type="user", object_id=uid)
    return out


def rotate_keys(session: Session, *, batch: int = 500) -> int:
    """Re-encrypt every KYC value under the active key (after adding a new first key to
    LUCKYCHIT_DATA_KEYS); the old key can be removed once this reports zero left."""
    active = active_key_id()
    done = 0
    while True:
        rows = session.exec(select(KycRecord).where(KycRecord.key_id != active).limit(batch)).all()
        if not rows:
            return done
        for row in rows:
            for kind in ("pan", "aadhaar"):
                token = getattr(row, f"{kind}_encrypted")
                if token:
                    plain = decrypt(token, context=_context(row.user_id, kind))
                    setattr(row, f"{kind}_encrypted", encrypt(plain, context=_context(row.user_id, kind)))
            row.key_id = active
            session.add(row)
            done += 1
        session.flush()
        audit.record(
            session,
            actor_id=None,
            action="kyc.keys_rotated",
            object_type="kyc",
            object_id="batch",
            detail={"rows": len(rows), "key_id": active},
        )
