"""Money a staff member takes from a member, at the door or at the counter: cash or UPI, recorded
from a phone on a line that may drop at any moment.

Who may record for whom (issue 23): a collection agent only for the members assigned to them in
their branch; a clerk or branch manager for any ticket of their branch; the company's owner for any
group of the company. The receipt is numbered from the group's branch series and a text with the
receipt's link goes to the member at once, in the same transaction, so a member never hands over
money without proof of it.

A retried tap must not record twice: every attempt carries an idempotency key made when the
collect sheet opened, unique on the payment row. The same key with the same details returns the
first payment; with other details it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.clock import today_ist
from luckychit_app.domain.money import format_inr, receipt_label
from luckychit_app.models import AgentAssignment, Branch, ChitGroup, Payment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_staff, require_company, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages import outbox
from luckychit_app.services.messages.notifications import whatsapp_link
from luckychit_app.services.money.allocation import apply_captured
from luckychit_app.services.money.cash_limit import check_cash, note_override
from luckychit_app.services.money.dues import CAPTURED
from luckychit_app.services.money.offline_payments import check_payable, payment_in_hand, refuse_if_stale
from luckychit_app.services.money.upi import clean_utr
from luckychit_app.services.validation import clean_amount, clean_request_key
from luckychit_app.settings import get_settings

FIELD_METHODS = ("cash", "upi")
"""What a collector takes in hand: notes, or a UPI transfer the member shows on their phone."""
KEY_TAKEN = "This collection was already recorded with different details; refresh the list to see it."
UTR_TAKEN = "This UTR has already been used for a payment."


@dataclass(frozen=True)
class Collected:
    """What the collector's screen shows after recording: the receipt, and the text to share."""

    payment_id: int
    receipt: str  # "MAIN/000123"
    amount: str  # "₹1,000"
    member_name: str
    replayed: bool  # True: this key had already recorded the payment; nothing new was written
    message: str  # the receipt text sent to the member
    share_url: str  # the same text as a WhatsApp link to the member


def clean_key(value: object) -> str:
    """An idempotency key made by the browser (validation.clean_request_key)."""
    return clean_request_key(
        value, "This collection has no valid request key; close the sheet and open it again."
    )


def _collector(actor: Actor | None) -> Actor:
    """The owner, or staff whose role collects (branch-wide) or collects in the field (assigned)."""
    actor = require_company(actor)
    if not (actor.can("collect") or actor.can("field")):
        raise NotAllowed()
    return actor


def collect_group(session: Session, actor: Actor, ticket: Ticket) -> ChitGroup:
    """The ticket's group, if this actor may take money for it (issue 23: least privilege).

    `collect` (clerk, branch manager, owner) reaches every ticket of the actor's branch (the owner's:
    every branch); `field` (an agent) reaches only members assigned to this agent in this branch, and
    only in groups of that branch."""
    if actor.can("collect"):
        return group_for_staff(session, actor, ticket.group_id, "collect")
    group = group_for_staff(session, actor, ticket.group_id, "field")  # checks the branch too
    assigned = session.exec(
        select(AgentAssignment.agent_id).where(
            AgentAssignment.branch_id == actor.branch_id, AgentAssignment.member_id == ticket.member_id
        )
    ).first()
    if assigned != actor.user_id:
        raise NotAllowed()
    return group


def receipt_message(amount: int, group_name: str, ticket_no: int, label: str, payment_id: int) -> str:
    """The text the member receives (and the collector may share): amount, ticket, receipt link."""
    url = f"{get_settings().public_url}/receipts/{payment_id}"
    return f"Received {format_inr(amount)} for {group_name} ticket {ticket_no}. Receipt {label}: {url}"


def _result(session: Session, payment: Payment, *, replayed: bool) -> Collected:
    group = session.get(ChitGroup, payment.group_id)
    ticket = session.get(Ticket, payment.ticket_id)
    member = session.get(User, ticket.member_id)
    branch = session.get(Branch, payment.branch_id)
    label = receipt_label(branch.code, payment.receipt_no)
    text = receipt_message(payment.amount, group.name, ticket.ticket_no, label, payment.id)
    return Collected(
        payment_id=payment.id,
        receipt=label,
        amount=format_inr(payment.amount),
        member_name=member.name,
        replayed=replayed,
        message=text,
        share_url=whatsapp_link(member.mobile, text),
    )


def _replay(
    session: Session, actor: Actor, key: str, details: tuple[int, int, str, str | None]
) -> Collected | None:
    """The payment this key already recorded, if any: returned unchanged when it is the same
    collection, refused when the key was used for anything else."""
    found = session.exec(select(Payment).where(Payment.idempotency_key == key)).first()
    if found is None:
        return None
    same = (found.ticket_id, found.amount, found.method, found.utr) == details
    if found.recorded_by_id != actor.user_id or not same or found.status not in CAPTURED:
        raise ServiceError(KEY_TAKEN)
    return _result(session, found, replayed=True)


def record_collection(
    session: Session,
    *,
    actor: Actor | None,
    ticket_id: object,
    amount: object,
    method: object,
    utr: object = "",
    idempotency_key: object,
    seen: object = None,
    cash_override: object = "",
) -> Collected:
    """Record cash or UPI money a collector took for a ticket; the receipt is issued at once.

    Cash a staff member records stays theirs to hand over (their custody account) until a confirmed
    hand-over; the owner's cash and all UPI money are the group's cash at once (issue 23, DESIGN §6).
    Cash of ₹2 lakh or more from the member today needs `cash_override`, the reason (s.269ST).
    """
    actor = _collector(actor)
    key = clean_key(idempotency_key)
    tid = require_id(ticket_id, "ticket")
    if method not in FIELD_METHODS:
        raise ServiceError("Method must be cash or UPI.", "method")
    paise = clean_amount(amount)
    ref = clean_utr(utr) if method == "upi" else None
    details = (tid, paise, method, ref)
    replayed = _replay(session, actor, key, details)
    if replayed is not None:  # a retry of a collection already recorded (its sheet timed out)
        return replayed
    ticket = session.get(Ticket, tid)
    if ticket is None:
        raise NotAllowed()
    group = collect_group(session, actor, ticket)
    check_payable(group, ticket)  # the counter's checks (offline_payments.offline_terms)
    if ref is not None and session.exec(select(Payment.id).where(Payment.utr == ref)).first() is not None:
        raise ServiceError(UTR_TAKEN, "utr")
    payment = payment_in_hand(
        session,
        group=group,
        ticket=ticket,
        paise=paise,
        method=method,
        reference=(f"UPI UTR {ref}" if ref else f"Cash collected by {actor.name or 'staff'}")[:100],
        recorded_by_id=actor.user_id,
        utr=ref,
        idempotency_key=key,
    )
    refuse_if_stale(session, ticket.id, seen)  # a second phone, or a second tab, on the same due
    day = today_ist()
    reason = check_cash(
        session,
        payer_id=ticket.member_id,
        foreman_id=group.foreman_id,
        day=day,
        paise=paise,
        method=method,
        override=cash_override,
    )
    try:
        with session.begin_nested():
            session.add(payment)
    except IntegrityError:
        # The same key committed a moment ago by a racing request (the first tap on a slow line), or
        # the same UTR recorded by someone else at the same moment.
        replayed = _replay(session, actor, key, details)
        if replayed is not None:
            return replayed
        if ref is not None:
            raise ServiceError(UTR_TAKEN, "utr") from None
        raise
    # Cash custody (issue 23, DESIGN §6): staff cash is held by them; the owner's and UPI are the group's.
    held_by = actor.user_id if method == "cash" and actor.role == "staff" else None
    apply_captured(
        session, payment=payment, group=group, actor_id=actor.user_id, paid_on=day, held_by=held_by
    )
    note_override(session, actor_id=actor.user_id, payment=payment, reason=reason, day=day)
    result = _result(session, payment, replayed=False)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payment.collected",
        object_type="payment",
        object_id=payment.id,
        detail={
            "ticket_id": ticket.id,
            "amount": paise,
            "method": method,
            "utr": ref,
            "receipt_no": payment.receipt_no,
            "receipt": result.receipt,
            "branch_id": group.branch_id,
            "recorded_by": actor.user_id,
            "staff_role": actor.staff_role,
            "held_by": held_by,
            "late_fee_paid": payment.late_fee_paid,
        },
    )
    member = session.get(User, ticket.member_id)
    # A numbered receipt is issued at once for money received (DESIGN §5): for cash handed to a
    # collector it is the member's only proof, so it is sent whatever their reminder settings.
    outbox.enqueue(
        session,
        channel="sms",
        recipient=member.mobile,
        kind="receipt",
        body=result.message,
        params={
            "amount": result.amount,
            "group": group.name,
            "ticket": ticket.ticket_no,
            "receipt": result.receipt,
            "payment": payment.id,
        },
        language=member.language,
        dedupe_key=f"receipt:{payment.id}",
    )
    return result
