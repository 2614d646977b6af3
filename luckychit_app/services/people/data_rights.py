"""A member's rights over their personal data under the Digital Personal Data Protection Act, 2023
(issue 21, item 2): a copy of everything the app holds about them (s.11, the right to access
information) and the erasure of their personal data (s.12, the right to correction and erasure).

Erasure happens at once, on the member's own request, with no foreman or admin approval: s.12(3)
obliges the data fiduciary to erase on request unless retention is needed for the specified purpose
or for compliance with a law, and both of those are checked here mechanically (open obligations,
the retention period below), so an approval step would add only delay. The member's foreman is
told (a notification) that the member's personal data was erased.

What is kept: the books of account. The Chit Funds Act 1982 s.23 (and the State rules under it) and
the Income-tax Act s.44AA with Rule 6F require a chit business to keep its books, so tickets,
installments, payments, receipts' numbers, journal entries and the audit log stay as they are; they
refer to the member only by user id, and the member's name becomes a pseudonym ("Erased member
EM-<id>"), so the books still add up and still identify who paid what to the foreman, who knows the
pseudonym's account. s.8(7) asks the fiduciary to erase once the purpose is served "unless retention
is necessary for compliance with any law": the books are that exception, the member's contact and
KYC data are not.

The retention period (`LUCKYCHIT_RETENTION_YEARS`, default 8) covers the few records that by law
must carry the member's own name and address: the GST tax invoices issued to them (CGST Rules
r.46(e): recipient's name and address; CGST Act s.36: kept 72 months after the annual return's due
date). Eight years is chosen because it covers the longest of the periods that apply: Rule 6F(5)
keeps books six years from the end of the relevant assessment year (up to eight years after the
financial year), and the 72 months of GST run to about seven years after the year. While such a
record is inside the period, erasure is refused with the date it becomes possible.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import zipfile
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, select

from luckychit_app.clock import format_date, utcnow
from luckychit_app.crypto import decrypt
from luckychit_app.i18n import text
from luckychit_app.models import (
    AuthSession,
    ChitGroup,
    Dispute,
    DisputeMessage,
    Draw,
    Guarantor,
    Installment,
    JoinRequest,
    JournalEntry,
    KycRecord,
    LoginThrottle,
    Notification,
    OneTimeCode,
    OutboxMessage,
    Payment,
    Payout,
    PrizeSecurity,
    Refund,
    SubscriberRefund,
    TaxInvoice,
    Ticket,
    TicketTransfer,
    User,
)
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.dues import open_dues
from luckychit_app.services.people.auth import hash_password

RETENTION_ENV = "LUCKYCHIT_RETENTION_YEARS"
DEFAULT_RETENTION_YEARS = 8
"""See the module's docstring: the longest of the Income-tax (Rule 6F) and GST (s.36) periods."""
ERASED_PREFIX = "Erased member "
MOBILE_PREFIX = "X"
"""An erased account's mobile: "X" and nine digits of its id. Unique (the id is), never a mobile number
(clean_mobile takes ten digits), so nobody can sign in with it or sign up over it."""
REDACTED = "[erased]"
UNFINISHED_GROUP = ("forming", "active", "completed")
"""Group statuses whose tickets still bind the member: a completed group is not yet closed (its
closing shares and the no-dues certificate are still to come)."""


def retention_years() -> int:
    """The configured retention period in whole years (at least 1; a bad value is the default)."""
    raw = os.environ.get(RETENTION_ENV, "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 30 else DEFAULT_RETENTION_YEARS


def pseudonym(user_id: int) -> str:
    """What the books call an erased member: their account id, which the foreman's records know."""
    return f"EM-{user_id}"


def is_erased(user: User) -> bool:
    return user.mobile.startswith(MOBILE_PREFIX)


def _member(session: Session, actor: Actor | None) -> User:
    """Only a member exercises these rights here: a foreman's or staff account is the company's (its
    records are the business's own, kept under the Acts), and the admin is the platform's."""
    actor = require_role(actor, "member")
    user = session.get(User, actor.user_id)
    if user is None or is_erased(user):
        raise NotAllowed()
    return user


# --- s.11: a copy of the member's data ------------------------------------------------------------


def _when(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) or hasattr(value, "isoformat") else str(value)


def _rows(rows: list[Any], *columns: str) -> list[dict[str, Any]]:
    return [{c: _plain(getattr(r, c)) for c in columns} for r in rows]


def _plain(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return _when(value)


def _kyc_numbers(record: KycRecord | None) -> dict[str, str]:
    """The member's own numbers, decrypted: s.11 gives them the data itself, not a masked copy."""
    if record is None:
        return {}
    out: dict[str, str] = {"status": record.status, "ifsc": record.ifsc}
    for kind in ("pan", "aadhaar", "bank_account"):
        token = getattr(record, f"{kind}_encrypted")
        out[kind] = decrypt(token, context=f"kyc:{record.user_id}:{kind}").decode() if token else ""
    out.update(nominee_name=record.nominee_name, nominee_relation=record.nominee_relation)
    out["review_note"] = record.review_note
    return out


def _profile(session: Session, user: User) -> dict[str, Any]:
    record = session.exec(select(KycRecord).where(KycRecord.user_id == user.id)).first()
    return {
        "name": user.name,
        "mobile": user.mobile,
        "email": user.email or "",
        "address": user.address,
        "date_of_birth": _plain(user.date_of_birth),
        "language": user.language,
        "state_code": user.state_code,
        "notifications": {
            "sms": user.notify_sms,
            "email": user.notify_email,
            "whatsapp": user.notify_whatsapp,
        },
        "joined": _plain(user.created_at),
        "kyc": _kyc_numbers(record),
    }


def _receipt_files(session: Session, actor: Actor, payments: list[Payment]) -> dict[str, bytes]:
    """The receipt PDFs (services/money/receipts.receipt_pdf), read as the member reads them."""
    from luckychit_app.services.money.receipts import receipt_pdf

    files: dict[str, bytes] = {}
    for p in payments:
        if p.receipt_no is not None and p.status in ("captured", "refunded"):
            name, data = receipt_pdf(session, actor=actor, payment_id=p.id)
            files[f"receipts/{name}"] = data
    return files


README = """Your data in LuckyChit
======================

This archive is the copy of your personal data that LuckyChit holds, given to you under the Digital
Personal Data Protection Act, 2023, s.11 (right to access information). It was made on {made}.

profile.json        your name, mobile, email, address, language and KYC (PAN, Aadhaar, bank account
                    and nominee as you gave them; keep this file safe)
tickets.json        your seats in chit groups
dues.json           each installment of your tickets: amount, paid, outstanding
payments.json       your payments and their receipt numbers
receipts/           the receipt PDFs
draws.json          the draws of your groups, with the proof each draw published: check one at
                    the app's /verify page or with `python -m luckychit_app.verify`
queries.json        your queries to the foreman and their answers
notifications.json  the notices the app sent you

To correct your data, change it on your profile page or ask your foreman. To erase it, use "Erase my
data" on the profile page (s.12): the books of account stay, under a pseudonym, as the law requires.
"""


def export_member_data(session: Session, actor: Actor | None, *, audit_in: Session) -> tuple[bytes, str]:
    """A zip of the signed-in member's own data (s.11) and its file name. Only rows that are the
    actor's (their user row, their tickets and what hangs off them, their queries and notices) are
    read; the draws of their groups are the groups' published results, which every member of the
    group may already see and verify. Read in `session` (the read replica's, db.read_transaction);
    audited, without the data itself, in `audit_in` (a session on the primary)."""
    user = _member(session, actor)
    tickets = list(session.exec(select(Ticket).where(Ticket.member_id == user.id).order_by(Ticket.id)).all())
    ticket_ids = [t.id for t in tickets]
    group_ids = sorted({t.group_id for t in tickets})
    groups = {g.id: g for g in session.exec(select(ChitGroup).where(ChitGroup.id.in_(group_ids))).all()}
    installments = session.exec(
        select(Installment)
        .where(Installment.ticket_id.in_(ticket_ids))
        .order_by(Installment.ticket_id, Installment.month)
    ).all()
    payments = list(
        session.exec(
            select(Payment)
            .where(or_(Payment.ticket_id.in_(ticket_ids), Payment.payer_id == user.id))
            .order_by(Payment.id)
        ).all()
    )
    draws = session.exec(
        select(Draw).where(Draw.group_id.in_(group_ids)).order_by(Draw.group_id, Draw.month)
    ).all()
    ticket_no = {
        t.id: (t.group_id, t.ticket_no)
        for t in session.exec(select(Ticket).where(Ticket.group_id.in_(group_ids))).all()
    }
    disputes = session.exec(select(Dispute).where(Dispute.raised_by_id == user.id).order_by(Dispute.id)).all()
    messages = session.exec(
        select(DisputeMessage)
        .where(DisputeMessage.dispute_id.in_([d.id for d in disputes]))
        .order_by(DisputeMessage.id)
    ).all()
    notices = session.exec(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()
    payouts = session.exec(select(Payout).where(Payout.ticket_id.in_(ticket_ids))).all()

    files: dict[str, Any] = {
        "profile.json": _profile(session, user),
        "tickets.json": [
            {
                **_rows(
                    [t], "id", "group_id", "ticket_no", "status", "status_reason", "prized_month", "joined_at"
                )[0],
                "group": groups[t.group_id].name,
                "group_status": groups[t.group_id].status,
            }
            for t in tickets
        ],
        "dues.json": [
            {
                **_rows([i], "ticket_id", "month", "due_date", "amount", "paid")[0],
                "outstanding": i.amount - i.paid,
            }
            for i in installments
        ],
        "payments.json": _rows(
            payments, "id", "ticket_id", "amount", "method", "status", "receipt_no", "reference", "created_at"
        ),
        "prizes.json": _rows(
            payouts, "id", "draw_id", "ticket_id", "gross", "deduction", "status", "method", "reference"
        ),
        "draws.json": [
            {
                **_rows(
                    [d],
                    "id",
                    "group_id",
                    "month",
                    "kind",
                    "status",
                    "commitment",
                    "public_value",
                    "server_seed_hex",
                    "proof_sha256",
                    "committed_at",
                )[0],
                "winner_ticket_no": ticket_no.get(d.winner_ticket_id, (None, None))[1],
                "proof": json.loads(d.proof_json) if d.proof_json else None,
            }
            for d in draws
        ],
        "queries.json": [
            {
                **_rows([d], "id", "group_id", "subject_type", "subject_id", "title", "status", "created_at")[
                    0
                ],
                "messages": _rows(
                    [m for m in messages if m.dispute_id == d.id], "author_id", "body", "created_at"
                ),
            }
            for d in disputes
        ],
        "notifications.json": _rows(notices, "kind", "title", "body", "link", "created_at"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(made=format_date(utcnow().date())))
        for name, content in files.items():
            archive.writestr(name, json.dumps(content, indent=2, ensure_ascii=False, default=str))
        for name, data in _receipt_files(session, actor, payments).items():
            archive.writestr(name, data)
    audit.record(
        audit_in,
        actor_id=user.id,
        action="data.exported",
        object_type="user",
        object_id=user.id,
        detail={"files": len(files), "payments": len(payments)},  # the DPDP Act s.11 request
    )
    return buffer.getvalue(), f"luckychit-my-data-{user.id}.zip"


# --- s.12: erasure ----------------------------------------------------------------------------------


def erasure_blockers(session: Session, user_id: int) -> list[tuple[str, dict[str, object]]]:
    """Why the member's data cannot be erased yet, as (i18n key, values); [] when it can. An open
    obligation means the data is still needed for the contract (s.12(3), s.8(7)): the foreman must
    be able to reach and identify them while money is owed either way or a query is open."""
    reasons: list[tuple[str, dict[str, object]]] = []
    tickets = session.exec(
        select(Ticket, ChitGroup)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(Ticket.member_id == user_id)
    ).all()
    ids = [t.id for t, _g in tickets]
    if open_dues(session, ids):
        reasons.append(("rights.block_dues", {}))
    unfinished = sorted(
        {g.name for t, g in tickets if t.status != "removed" and g.status in UNFINISHED_GROUP}
    )
    if unfinished:
        reasons.append(("rights.block_group", {"groups": ", ".join(unfinished)}))
    if (
        ids
        and session.exec(
            select(Payout.id).where(Payout.ticket_id.in_(ids), Payout.status == "payable")
        ).first()
    ):
        reasons.append(("rights.block_prize", {}))
    due_refund = select(SubscriberRefund.id).where(
        SubscriberRefund.member_id == user_id, SubscriberRefund.status == "due"
    )
    if session.exec(due_refund).first():
        reasons.append(("rights.block_refund", {}))
    if session.exec(
        select(Payment.id).where(Payment.payer_id == user_id, Payment.status == "pending")
    ).first():
        reasons.append(("rights.block_payment", {}))
    open_query = select(Dispute.id).where(Dispute.raised_by_id == user_id, Dispute.status != "closed")
    if session.exec(open_query).first():
        reasons.append(("rights.block_query", {}))
    pending_join = select(JoinRequest.id).where(
        JoinRequest.user_id == user_id, JoinRequest.status == "pending"
    )
    if session.exec(pending_join).first():
        reasons.append(("rights.block_join", {}))
    kept = _kept_until(session, ids)
    if kept is not None:
        reasons.append(("rights.block_invoice", {"until": format_date(kept), "years": retention_years()}))
    return reasons


def erasure_check(session: Session, actor: Actor | None) -> list[str]:
    """The reasons erasure is refused now, in the member's language, for the profile page."""
    user = _member(session, actor)
    return [text(user.language, key, **values) for key, values in erasure_blockers(session, user.id)]


def _kept_until(session: Session, ticket_ids: list[int]) -> Any:
    """The day the newest tax invoice issued to the member leaves the retention period, if that is
    still in the future (else None)."""
    if not ticket_ids:
        return None
    newest = session.exec(
        select(func.max(TaxInvoice.created_at)).where(TaxInvoice.ticket_id.in_(ticket_ids))
    ).one()
    if newest is None:
        return None
    years = retention_years()
    try:
        until = newest.replace(year=newest.year + years)
    except ValueError:  # 29 February
        until = newest.replace(year=newest.year + years, day=28)
    now = utcnow()
    if until.tzinfo is None:  # SQLite hands back naive UTC, PostgreSQL an aware value
        now = now.replace(tzinfo=None)
    return until.date() if until > now else None


def _scrub_mentions(session: Session, needles: list[str], replacement: str) -> None:
    """Free-text columns others wrote that may mention the member (a foreman's reason, a message's
    text, a journal narration): each mention of their name, mobile or email becomes `replacement`.
    Amounts, keys and links are untouched, so the books are too."""
    columns = (
        (Ticket.status_reason,),
        (Payment.reference, Payment.failure_reason, Payment.cash_override),
        (Refund.reason,),
        (PrizeSecurity.description,),
        (TicketTransfer.reason,),
        (JournalEntry.memo,),
        (Notification.title, Notification.body, Notification.values_json),
        (OutboxMessage.subject, OutboxMessage.body, OutboxMessage.params),
        (DisputeMessage.body,),
        (Dispute.title,),
    )
    for group in columns:
        for column in group:
            for needle in needles:
                if len(needle) < 4:  # too short to be told from other words
                    continue
                session.execute(
                    update(column.class_)
                    .where(column.contains(needle, autoescape=True))
                    .values({column.key: func.replace(column, needle, replacement)})
                    .execution_options(synchronize_session=False)
                )


def request_erasure(session: Session, actor: Actor | None) -> str:
    """Erases the signed-in member's personal data at once (s.12), or refuses with every reason it
    cannot yet (a ServiceError listing them). Returns the pseudonym the books now use.

    Removed: name (pseudonym), mobile (a placeholder that cannot sign in), email, address, date of
    birth, state, password, the KYC record (PAN, Aadhaar, bank account, IFSC, nominee), sessions and
    sign-in codes, their notices and texts, their words in queries and join requests, the guarantors
    they gave (the security's purpose ended with their obligations: s.8(7)), and mentions of them in
    others' free text. Kept: tickets, installments, payments, payouts, journal entries and the audit
    log (see the module docstring)."""
    user = _member(session, actor)
    reasons = erasure_blockers(session, user.id)
    if reasons:
        said = [text("en", key, **values) for key, values in reasons]
        raise ServiceError(" ".join([text("en", "rights.cannot_erase"), *said]))
    alias = pseudonym(user.id)
    old_mobile, old_emails = user.mobile, [e for e in (user.email, user.email_pending) if e]
    needles = [user.name, old_mobile, *old_emails, user.address]
    ticket_ids = list(session.exec(select(Ticket.id).where(Ticket.member_id == user.id)).all())
    foremen = set(
        session.exec(select(ChitGroup.foreman_id).join(Ticket).where(Ticket.member_id == user.id)).all()
    )

    session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    session.execute(delete(OneTimeCode).where(OneTimeCode.mobile == old_mobile))
    session.execute(delete(LoginThrottle).where(LoginThrottle.mobile == old_mobile))
    session.execute(delete(KycRecord).where(KycRecord.user_id == user.id))
    session.execute(delete(Notification).where(Notification.user_id == user.id))
    to_them = [
        OutboxMessage.recipient.contains(old_mobile),
        *(OutboxMessage.recipient == e for e in old_emails),
    ]
    session.execute(delete(OutboxMessage).where(or_(*to_them)))
    session.execute(update(JoinRequest).where(JoinRequest.user_id == user.id).values(message=""))
    session.execute(update(Dispute).where(Dispute.raised_by_id == user.id).values(title=REDACTED))
    session.execute(update(DisputeMessage).where(DisputeMessage.author_id == user.id).values(body=REDACTED))
    if ticket_ids:
        securities = select(PrizeSecurity.id).join(Payout).where(Payout.ticket_id.in_(ticket_ids))
        session.execute(
            update(Guarantor)
            .where(Guarantor.security_id.in_(securities))
            .values(name="Erased guarantor", mobile="", relation="", kyc_encrypted="", kyc_last4="")
        )
        session.execute(
            update(TaxInvoice)
            .where(TaxInvoice.ticket_id.in_(ticket_ids))
            .values(recipient_name=ERASED_PREFIX + alias, recipient_address="")
        )
    _scrub_mentions(session, [n for n in needles if n], ERASED_PREFIX + alias)

    user.name = ERASED_PREFIX + alias
    user.mobile = f"{MOBILE_PREFIX}{user.id:09d}"
    user.email = user.email_pending = None
    user.email_verified_at = None
    user.address, user.state_code, user.date_of_birth = "", "", None
    user.password_hash = hash_password(secrets.token_urlsafe(24))  # nobody knows it
    user.must_change_password = False
    user.is_active = False
    user.notify_sms = user.notify_email = user.notify_whatsapp = False
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor_id=user.id,
        action="data.erased",
        object_type="user",
        object_id=user.id,
        detail={"pseudonym": alias, "tickets": len(ticket_ids), "retention_years": retention_years()},
    )
    notify(
        session,
        sorted(foremen),
        kind="data_erased",
        title=f"A member's personal data was erased ({alias})",
        body="The books keep this member's tickets and payments under the pseudonym.",
        title_key="notify.data_erased",
        body_key="notify.data_erased_body",
        values={"alias": alias},
    )
    return alias
