"""KYC: identity numbers (PAN, Aadhaar; validated with python-stdnum), the date of birth (adults
only), the bank account payouts and refunds go to (number encrypted, IFSC checked), and the nominee.
Numbers are stored only encrypted (AES-256-GCM, bound to the user's row) and shown masked. The
foreman of a member's group reviews them: verifies, or rejects with a reason the member is told."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select
from stdnum.exceptions import ValidationError
from stdnum.in_ import aadhaar, pan

from luckychit_app.clock import format_date, format_datetime_ist, today_ist, utcnow
from luckychit_app.crypto import active_key_id, decrypt, encrypt
from luckychit_app.domain.majority import age_on, birth_date_problem
from luckychit_app.i18n import text
from luckychit_app.models import KycRecord, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_id, require_role, runs_a_group_of
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.validation import clean_date, clean_text

STATUSES = ("none", "submitted", "verified", "rejected")
ENCRYPTED = ("pan", "aadhaar", "bank_account")
"""The columns `<kind>_encrypted` that hold a number under the data key (rotate_keys re-encrypts them)."""
RELATIONS = ("spouse", "son", "daughter", "father", "mother", "brother", "sister", "other")
"""The nominee's relation to the member (labels: i18n "relation.<key>")."""
# The Indian Financial System Code (RBI): four letters of the bank, a 0 kept for future use, and six
# letters or digits of the branch. python-stdnum (2.2) has no IFSC module and no well-kept Python
# package validates one offline, so the format is checked here; the bank confirms the branch when it
# pays (a transfer to a wrong IFSC is returned).
IFSC_RE = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
# Indian bank account numbers run from 9 to 18 digits, depending on the bank.
ACCOUNT_RE = re.compile(r"^\d{9,18}$")


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


def clean_bank_account(value: object, field: str = "bank_account") -> str:
    """A bank account number: 9 to 18 digits (spaces and hyphens as typed are dropped)."""
    digits = re.sub(r"[\s\-]", "", value) if isinstance(value, str) and len(value) <= 40 else ""
    if not ACCOUNT_RE.fullmatch(digits) or not digits.strip("0"):
        raise ServiceError("Enter your bank account number: 9 to 18 digits.", field)
    return digits


def clean_ifsc(value: object, field: str = "ifsc") -> str:
    """An IFSC in the RBI's format (like SBIN0001234); lower case and spaces as typed are accepted."""
    code = re.sub(r"\s", "", value).upper() if isinstance(value, str) and len(value) <= 20 else ""
    if not IFSC_RE.fullmatch(code):
        raise ServiceError(
            "That IFSC is not valid: 11 characters, 4 letters, then 0, then 6 letters or digits "
            "(like SBIN0001234).",
            field,
        )
    return code


def clean_birth_date(value: object, *, today: date, field: str = "date_of_birth") -> date:
    """A date of birth of an adult on `today`: a minor cannot enter a chit agreement (Indian Majority
    Act 1875 s.3: majority at eighteen; Indian Contract Act 1872 s.11: a minor cannot contract)."""
    born = clean_date(value, field=field, label="Date of birth")
    problem = birth_date_problem(born, today)
    if problem:
        raise ServiceError(problem, field)
    return born


def clean_relation(value: object, field: str = "nominee_relation") -> str:
    if value not in RELATIONS:
        raise ServiceError("Choose the nominee's relation to you.", field)
    return str(value)


def _given(value: object) -> bool:
    """Blank means "keep what is stored"; anything else (even of the wrong type) is validated."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def mask_aadhaar(last4: str) -> str:
    return f"XXXX XXXX {last4}" if last4 else ""


def mask_pan(last4: str) -> str:
    return f"XXXXXX{last4}" if last4 else ""


def mask_account(last4: str) -> str:
    return f"XXXX{last4}" if last4 else ""


def _seal(record: KycRecord, user_id: int, kind: str, number: str) -> None:
    setattr(record, f"{kind}_encrypted", encrypt(number.encode(), context=_context(user_id, kind)))
    setattr(record, f"{kind}_last4", number[-4:])


def _reseal(record: KycRecord) -> None:
    """Every number of the record under the active key (those under another key are decrypted and
    encrypted again), and the record marked with that key: what rotate_keys looks for."""
    active = active_key_id()
    for kind in ENCRYPTED:
        token = getattr(record, f"{kind}_encrypted")
        if token and not token.startswith(f"{active}:"):
            plain = decrypt(token, context=_context(record.user_id, kind))
            setattr(record, f"{kind}_encrypted", encrypt(plain, context=_context(record.user_id, kind)))
    record.key_id = active


def submit(
    session: Session,
    *,
    actor: Actor | None,
    pan_number: object = "",
    aadhaar_number: object = "",
    date_of_birth: object = "",
    bank_account: object = "",
    ifsc: object = "",
    nominee_name: object = "",
    nominee_relation: object = "",
    today: date | None = None,
) -> KycRecord:
    """A member submits or changes their KYC; any field left blank keeps what is stored. The record
    must end with PAN or Aadhaar and a date of birth (adults only); a new account number comes with
    its IFSC, a new nominee with their relation. Any change waits for the foreman's review again."""
    actor = require_role(actor, "member", "foreman")
    given = {
        name: value
        for name, value in (
            ("pan", pan_number),
            ("aadhaar", aadhaar_number),
            ("date_of_birth", date_of_birth),
            ("bank_account", bank_account),
            ("ifsc", ifsc),
            ("nominee_name", nominee_name),
            ("nominee_relation", nominee_relation),
        )
        if _given(value)
    }
    record = session.exec(select(KycRecord).where(KycRecord.user_id == actor.user_id)).first()
    if record is None:
        record = KycRecord(user_id=actor.user_id)
    if not given:
        if record.pan_encrypted or record.aadhaar_encrypted:
            raise ServiceError("Nothing to save: fill in what you want to add or change.")
        raise ServiceError("Enter your PAN, your Aadhaar number, or both.")
    new_pan = clean_pan(pan_number) if "pan" in given else ""
    new_aadhaar = clean_aadhaar(aadhaar_number) if "aadhaar" in given else ""
    born = clean_birth_date(date_of_birth, today=today or today_ist()) if "date_of_birth" in given else None
    account = clean_bank_account(bank_account) if "bank_account" in given else ""
    code = clean_ifsc(ifsc) if "ifsc" in given else ""
    nominee = (
        clean_text(nominee_name, field="nominee_name", label="Nominee's name", min_len=2, max_len=80)
        if "nominee_name" in given
        else ""
    )
    relation = clean_relation(nominee_relation) if "nominee_relation" in given else ""
    if not (new_pan or new_aadhaar or record.pan_encrypted or record.aadhaar_encrypted):
        raise ServiceError("Enter your PAN, your Aadhaar number, or both.")
    if born is None and record.date_of_birth is None:
        raise ServiceError("Enter your date of birth.", "date_of_birth")
    if account and not code:
        raise ServiceError("Enter the IFSC of the branch that holds this account.", "ifsc")
    if code and not (account or record.bank_account_encrypted):
        raise ServiceError("Enter the account number that goes with this IFSC.", "bank_account")
    if nominee and not relation:
        raise ServiceError("Choose the nominee's relation to you.", "nominee_relation")
    if relation and not (nominee or record.nominee_name):
        raise ServiceError("Nominee's name is required.", "nominee_name")
    for kind, number in (("pan", new_pan), ("aadhaar", new_aadhaar), ("bank_account", account)):
        if number:
            _seal(record, actor.user_id, kind, number)
    if born is not None:
        record.date_of_birth = born
    if code:
        record.ifsc = code
    if nominee:
        record.nominee_name = nominee
    if relation:
        record.nominee_relation = relation
    _reseal(record)  # numbers kept from before a key rotation move to the active key with the new ones
    record.status, record.updated_at = "submitted", utcnow()
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="kyc.submitted",
        object_type="user",
        object_id=actor.user_id,
        # Which parts changed, never the values.
        detail={name: True for name in given},
    )
    return record


def _relation_label(relation: str) -> str:
    return text("en", f"relation.{relation}") if relation in RELATIONS else relation


def summary(session: Session, *, actor: Actor | None) -> dict[str, str]:
    """The member's own KYC as their profile shows it: numbers masked, the foreman's reason when
    rejected."""
    actor = require_role(actor, "member", "foreman", "admin")
    record = session.exec(select(KycRecord).where(KycRecord.user_id == actor.user_id)).first()
    if record is None:
        record = KycRecord(user_id=actor.user_id)
    return {
        "status": record.status,
        "pan": mask_pan(record.pan_last4),
        "aadhaar": mask_aadhaar(record.aadhaar_last4),
        "date_of_birth": format_date(record.date_of_birth) if record.date_of_birth else "",
        "bank_account": mask_account(record.bank_account_last4),
        "ifsc": record.ifsc,
        "nominee_name": record.nominee_name,
        "nominee_relation": record.nominee_relation,  # a key of RELATIONS: the page names it
        "review_note": record.review_note if record.status == "rejected" else "",
    }


def _reviewable(
    session: Session, actor: Actor | None, user_id: object
) -> tuple[Actor, int, KycRecord | None]:
    """Only the foreman of a group the member holds a ticket in (or the platform admin) reviews a
    member's KYC, and nobody their own."""
    actor = require_role(actor, "foreman", "admin")
    uid = require_id(user_id, "member")
    if actor.role == "foreman" and not runs_a_group_of(session, actor.user_id, uid):
        raise NotAllowed()
    if uid == actor.user_id:
        raise ServiceError("Your own KYC is reviewed by someone else, not by you.")
    return actor, uid, session.exec(select(KycRecord).where(KycRecord.user_id == uid)).first()


def review(
    session: Session, *, actor: Actor | None, user_id: object, today: date | None = None
) -> dict[str, str]:
    """A member's KYC as the foreman reviews it: every number masked, the age from the date of birth,
    where money is paid to, the nominee, and the last review."""
    actor, uid, record = _reviewable(session, actor, user_id)
    user = session.get(User, uid)
    if user is None:
        raise NotAllowed()
    record = record or KycRecord(user_id=uid)
    born = record.date_of_birth
    reviewer = session.get(User, record.reviewed_by_id) if record.reviewed_by_id else None
    last = ""
    if reviewer is not None and record.reviewed_at is not None:
        verb = {"verified": "Verified", "rejected": "Rejected"}.get(record.status, "Last reviewed")
        last = f"{verb} by {reviewer.name}, {format_datetime_ist(record.reviewed_at)}"
    return {
        "user_id": str(uid),
        "name": user.name,
        "mobile": user.mobile,
        "status": record.status,
        "pan": mask_pan(record.pan_last4) or "—",
        "aadhaar": mask_aadhaar(record.aadhaar_last4) or "—",
        "date_of_birth": f"{format_date(born)} (age {age_on(born, today or today_ist())})" if born else "—",
        "bank_account": mask_account(record.bank_account_last4) or "—",
        "ifsc": record.ifsc or "—",
        "nominee": f"{record.nominee_name} ({_relation_label(record.nominee_relation)})"
        if record.nominee_name
        else "—",
        "submitted": format_datetime_ist(record.updated_at) if record.status != "none" else "",
        "last_review": last,
        "review_note": record.review_note if record.status == "rejected" else "",
        "can_verify": "yes" if record.status != "none" and born is not None else "",
    }


def set_status(
    session: Session, *, actor: Actor | None, user_id: object, status: object, note: object = ""
) -> KycRecord:
    """The foreman verifies a member's KYC, or rejects it with a reason; the member is told either
    way (in-app, in their language). Verifying needs a date of birth on record: the adults-only check
    (Indian Majority Act 1875 s.3; Indian Contract Act 1872 s.11) is made on it."""
    actor, uid, record = _reviewable(session, actor, user_id)
    if status not in ("verified", "rejected"):
        raise ServiceError("Status must be verified or rejected.", "status")
    reason = (
        clean_text(note, field="note", label="Reason", min_len=1, max_len=200) if status == "rejected" else ""
    )
    if record is None or record.status == "none":
        raise ServiceError("This member has not submitted KYC.")
    if status == "verified" and record.date_of_birth is None:
        raise ServiceError("There is no date of birth on record: ask the member to complete their KYC.")
    record.status, record.updated_at = status, utcnow()
    record.reviewed_by_id, record.reviewed_at, record.review_note = actor.user_id, utcnow(), reason
    session.add(record)
    audit.record(
        session,
        actor_id=actor.user_id,
        action=f"kyc.{status}",
        object_type="user",
        object_id=uid,
        detail={"reason": reason} if reason else None,
    )
    if status == "verified":
        notify(
            session,
            [uid],
            kind="kyc",
            title="Your KYC has been verified",
            link="/m/profile",
            title_key="notify.kyc_verified",
        )
    else:
        notify(
            session,
            [uid],
            kind="kyc",
            title="Your KYC was not accepted",
            body=f"Reason: {reason}. Correct it on your profile and submit again.",
            link="/m/profile",
            title_key="notify.kyc_rejected",
            body_key="notify.kyc_rejected_body",
            values={"reason": reason},
        )
    return record


def payee_account(session: Session, user_id: int) -> str:
    """Where a member's payouts and refunds go, masked for a foreman's screen ("A/c XXXX1234, IFSC
    SBIN0001234"), or "" when no account is on record."""
    record = session.exec(select(KycRecord).where(KycRecord.user_id == user_id)).first()
    if record is None or not record.bank_account_last4:
        return ""
    return f"A/c {mask_account(record.bank_account_last4)}, IFSC {record.ifsc}"


def reveal_for_admin(session: Session, *, actor: Actor | None, user_id: object) -> dict[str, str]:
    """Full numbers, for an admin handling a regulator's request; every reveal is audited."""
    actor = require_role(actor, "admin")
    uid = require_id(user_id, "user")
    record = session.exec(select(KycRecord).where(KycRecord.user_id == uid)).first()
    if record is None:
        raise ServiceError("No KYC on record.")
    out = {}
    for kind in ENCRYPTED:
        token = getattr(record, f"{kind}_encrypted")
        out[kind] = decrypt(token, context=_context(uid, kind)).decode() if token else ""
    audit.record(session, actor_id=actor.user_id, action="kyc.revealed", object_type="user", object_id=uid)
    return out


def rotate_keys(session: Session, *, batch: int = 500) -> int:
    """Re-encrypt every KYC value (PAN, Aadhaar, bank account) under the active key (after adding a
    new first key to LUCKYCHIT_DATA_KEYS); the old key can be removed once this reports zero left."""
    active = active_key_id()
    done = 0
    while True:
        rows = session.exec(select(KycRecord).where(KycRecord.key_id != active).limit(batch)).all()
        if not rows:
            return done
        for row in rows:
            _reseal(row)
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
