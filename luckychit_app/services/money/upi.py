"""UPI direct to the foreman's VPA: a QR code and a ``upi://pay`` deep link for the member, the UTR
they enter afterwards, and the foreman's confirm/reject queue.

Nothing reaches the books until the foreman confirms the money is in the account: a UTR is only a
claim. Each UTR can be used once, ever (unique in the database; a rejected UTR stays used, so the
same bank reference cannot be replayed), and a UPI payment is posted with the late fee as of the day
the member paid, not the day the foreman got round to confirming it.
"""

from __future__ import annotations

import re
import urllib.parse

import segno
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, to_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, Payment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id, ticket_for_member
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.allocation import apply_captured
from luckychit_app.services.money.dues import PAYING_GROUP
from luckychit_app.services.validation import clean_amount, clean_text

UTR_RE = re.compile(r"^\d{12}$")


def clean_utr(value: object) -> str:
    """A UPI transaction reference: exactly 12 digits (spaces typed while copying are dropped)."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ServiceError("Enter the 12-digit UTR from your UPI app.", "utr")
    text = re.sub(r"[\s\-]", "", str(value))
    if not UTR_RE.fullmatch(text):
        raise ServiceError("The UTR is the 12-digit number in your UPI app's transaction details.", "utr")
    return text


def upi_link(*, vpa: str, payee: str, amount: int, note: str) -> str:
    """``upi://pay?pa=…&pn=…&am=…&cu=INR&tn=…``, the link every UPI app opens with the fields filled."""
    params = {
        "pa": vpa,
        "pn": payee[:50],
        "am": f"{amount // 100}.{amount % 100:02d}",
        "cu": "INR",
        "tn": note[:80],
    }
    return "upi://pay?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def payee_and_note(session: Session, group: ChitGroup, ticket: Ticket) -> tuple[str, str]:
    """Who the member's UPI app shows as the payee, and the note that tells the foreman which
    ticket the money is for."""
    foreman = session.get(User, group.foreman_id)
    return foreman.name, f"LuckyChit {group.name} T{ticket.ticket_no}"


def qr_data_uri(link: str) -> str:
    """The link as a QR code (SVG data URI), scannable by any UPI app from another phone."""
    return segno.make(link, error="m").svg_data_uri(scale=6, border=2, dark="#0b3b36")


def submit_utr(
    session: Session, *, actor: Actor | None, ticket_id: object, amount: object, utr: object
) -> Payment:
    """The member says they paid by UPI; the payment waits for the foreman's confirmation."""
    ticket = ticket_for_member(session, actor, ticket_id)
    group = session.get(ChitGroup, ticket.group_id)
    if not group.upi_vpa:
        raise ServiceError("This group does not take UPI payments directly. Use Pay online instead.")
    refuse_if_locked(group)  # a closed or cancelled group says so (issue 15)
    if group.status not in PAYING_GROUP or ticket.status == "removed":
        raise ServiceError("This group is not collecting payments.")
    paise = clean_amount(amount)
    ref = clean_utr(utr)
    if session.exec(select(Payment.id).where(Payment.utr == ref)).first() is not None:
        raise ServiceError("This UTR has already been used for a payment.", "utr")
    payment = Payment(
        group_id=group.id,
        ticket_id=ticket.id,
        foreman_id=group.foreman_id,
        payer_id=actor.user_id,
        amount=paise,
        method="upi",
        status="pending",
        utr=ref,
        reference=f"UPI to {group.upi_vpa}"[:100],
        recorded_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(payment)
    except IntegrityError as exc:  # the same UTR submitted at the same moment
        raise ServiceError("This UTR has already been used for a payment.", "utr") from exc
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payment.utr_submitted",
        object_type="payment",
        object_id=payment.id,
        detail={"ticket_id": ticket.id, "amount": paise, "utr": ref},
        chain=group.foreman_id,
    )
    notify(
        session,
        [group.foreman_id],
        kind="upi_to_confirm",
        title=f"UPI payment of {format_inr(paise)} to confirm in {group.name}",
        body=f"Ticket {ticket.ticket_no}, UTR {ref}",
        link=f"/f/groups/{group.id}/payments",
    )
    return payment


def _pending_upi(session: Session, actor: Actor | None, payment_id: object) -> tuple[Payment, ChitGroup]:
    pid = require_id(payment_id, "payment")
    payment = session.exec(select(Payment).where(Payment.id == pid).with_for_update()).first()
    if payment is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, payment.group_id)
    if payment.method != "upi":
        raise ServiceError("This is not a UPI payment.")
    return payment, group


def confirm_upi(
    session: Session, *, actor: Actor | None, payment_id: object, amount: object = None
) -> Payment:
    """The money is in the account: post it and issue the receipt. ``amount`` corrects a member's
    typo to what the bank statement shows. Confirming twice is harmless."""
    payment, group = _pending_upi(session, actor, payment_id)
    if payment.status in ("captured", "refunded"):
        return payment
    if payment.status != "pending":
        raise ServiceError("This UPI payment was rejected; ask the member to submit it again.")
    if amount not in (None, ""):
        payment.amount = clean_amount(amount)
    apply_captured(
        session,
        payment=payment,
        group=group,
        actor_id=actor.user_id,
        paid_on=to_ist(payment.created_at).date(),
    )
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payment.upi_confirmed",
        object_type="payment",
        object_id=payment.id,
        detail={"utr": payment.utr, "amount": payment.amount, "receipt_no": payment.receipt_no},
        chain=group.foreman_id,
    )
    return payment


def reject_upi(session: Session, *, actor: Actor | None, payment_id: object, reason: object) -> Payment:
    """No such money arrived (or not this much): the claim is closed and the member told why."""
    payment, group = _pending_upi(session, actor, payment_id)
    if payment.status != "pending":
        raise ServiceError("Only a UPI payment waiting for confirmation can be rejected.")
    why = clean_text(reason, field="reason", label="Reason", min_len=3, max_len=200)
    payment.status, payment.failure_reason = "rejected", why
    session.add(payment)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payment.upi_rejected",
        object_type="payment",
        object_id=payment.id,
        detail={"utr": payment.utr, "reason": why},
        chain=group.foreman_id,
    )
    notify(
        session,
        [payment.payer_id],
        kind="upi_rejected",
        title=f"UPI payment of {format_inr(payment.amount)} not confirmed ({group.name})",
        body=why,
        link="/m/payments",
        title_key="notify.upi_rejected",
        values={"amount": format_inr(payment.amount), "group": group.name},
    )
    return payment


def upi_queue(session: Session, *, actor: Actor | None, group_id: object) -> list[dict[str, str]]:
    """UPI payments waiting for the foreman, oldest first."""
    group = group_for_foreman(session, actor, group_id)
    rows = session.exec(
        select(Payment, Ticket, User)
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .join(User, User.id == Payment.payer_id)
        .where(Payment.group_id == group.id, Payment.method == "upi", Payment.status == "pending")
        .order_by(Payment.id)
    ).all()
    return [
        {
            "id": str(p.id),
            "ticket_no": str(t.ticket_no),
            "name": u.name,
            "amount": format_inr(p.amount),
            "rupees": f"{p.amount // 100}.{p.amount % 100:02d}",
            "utr": p.utr or "",
            "submitted": format_datetime_ist(p.created_at),
        }
        for p, t, u in rows
    ]
