"""Money a group owes a subscriber outside the draws. Kind "removal": a removed defaulter's or an
exiting member's contributions less the dues they still owed and the agreement's deduction (Chit
Funds Act 1982 s.30); kind "closing": a seated ticket's share of what the group returns at its close
(services.groups.closing records those; they are paid here the same way).

The amount is set aside in the books when the substitute takes the seat (the ticket's refund payable,
domain.ledger.substitution_posted) and recorded as a `subscriber_refunds` row. It is payable either
on substitution or at the group's close, as the chit agreement says (`removed_refund_at`); always at
the close when the company itself holds the vacant seat (s.30(3): a seat never substituted is
settled after the chit ends). The foreman pays a due refund by bank transfer, UPI or cash with a
reference and date, once (row lock + status), and never beyond the cash the group holds.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import IST, format_date, to_ist, today_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, SubscriberRefund, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money.advances import available_cash
from luckychit_app.services.money.allocation import lock_ticket
from luckychit_app.services.money.ledger import balance, post
from luckychit_app.services.validation import clean_date, clean_text

REFUND_METHODS = ("bank", "upi", "cash")
CLOSED = ("completed", "closed")
"""A group past its last draw: refunds kept for the close (s.30(3)) are payable."""
EXIT_REASON = "Exit at the member's request"
"""The recorded reason of a voluntary exit (handled as removal and substitution without default)."""


def payable_now(refund: SubscriberRefund, group: ChitGroup) -> bool:
    """Due, and its time has come: on substitution, or the group has run its course."""
    return refund.status == "due" and (refund.payable_at == "substitution" or group.status in CLOSED)


def when_label(refund: SubscriberRefund, group: ChitGroup) -> str:
    """In words: paid when and how, payable now, or kept for the group's close."""
    if refund.status == "paid":
        if not refund.amount:
            return "nothing to refund"
        day = format_date(to_ist(refund.paid_at).date()) if refund.paid_at else ""
        return f"paid on {day} by {refund.method.upper()} {refund.reference}".strip()
    if payable_now(refund, group):
        return "payable now"
    return "payable when the group closes (Chit Funds Act s.30(3))"


def _locked_refund(
    session: Session, actor: Actor | None, refund_id: object
) -> tuple[SubscriberRefund, ChitGroup]:
    rid = require_id(refund_id, "refund")
    refund = session.exec(
        select(SubscriberRefund)
        .where(SubscriberRefund.id == rid)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if refund is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, refund.group_id)
    return refund, group


def pay_subscriber_refund(
    session: Session,
    *,
    actor: Actor | None,
    refund_id: object,
    method: object,
    reference: object,
    paid_on: object,
) -> SubscriberRefund:
    """Pay a due refund out of the group's cash: Dr the ticket's refund payable, Cr cash."""
    refund, group = _locked_refund(session, actor, refund_id)
    refuse_if_locked(group)  # a closed or cancelled group changes no more
    if refund.status == "paid":
        raise ServiceError("This refund has already been paid.")
    if not payable_now(refund, group):
        # s.30(3): the agreement (or the company holding the seat) keeps it for the close.
        raise ServiceError(
            "This refund is payable when the group closes (Chit Funds Act s.30(3)); the group is "
            "still running."
        )
    if method not in REFUND_METHODS:
        raise ServiceError("Method must be bank transfer, UPI or cash.", "method")
    ref = clean_text(
        reference if reference not in (None, "") or method != "cash" else "Cash",
        field="reference",
        label="Reference",
        min_len=3 if method != "cash" else 1,
        max_len=100,
    )
    day = clean_date(paid_on, field="paid_on", label="Date paid")
    if day > today_ist():
        raise ServiceError("The payment date cannot be in the future.", "paid_on")
    if day < to_ist(refund.created_at).date():
        raise ServiceError("The refund cannot be paid before the subscriber left.", "paid_on")
    # Refund payments take turns per group, so two of them cannot both spend the same cash; the
    # ticket first, then the group, in the order a draw takes them (no lock cycle with a draw).
    lock_ticket(session, refund.ticket_id)
    session.exec(select(ChitGroup.id).where(ChitGroup.id == group.id).with_for_update(key_share=True)).first()
    owed = -balance(session, books.refunds_payable(refund.ticket_id))
    if refund.amount > owed:
        raise ServiceError(f"Only {format_inr(max(owed, 0))} is owed on this ticket's refund.")
    cash = available_cash(session, group_id=group.id)
    if refund.amount > cash:
        raise ServiceError(
            f"The group holds {format_inr(max(cash, 0))}, less than the {format_inr(refund.amount)} "
            "to refund. Collect the dues first."
        )
    post(
        session,
        books.subscriber_refund_paid(group.id, refund.ticket_id, refund.id, refund.amount),
        group_id=group.id,
        created_by_id=actor.user_id,
    )
    refund.status, refund.method, refund.reference = "paid", method, ref
    refund.paid_at = utcnow() if day >= today_ist() else datetime.combine(day, time(12, 0), tzinfo=IST)
    refund.paid_by_id = actor.user_id
    session.add(refund)
    session.flush()
    ticket = session.get(Ticket, refund.ticket_id)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="subscriber_refund.paid",
        object_type="subscriber_refund",
        object_id=refund.id,
        detail={
            "ticket_id": refund.ticket_id,
            "amount": refund.amount,
            "method": method,
            "reference": ref,
            "paid_on": day.isoformat(),
        },
    )
    notify(
        session,
        [refund.member_id],
        kind="subscriber_refund",
        title=f"Refund of {format_inr(refund.amount)} paid for {group.name}",
        body=f"Ticket {ticket.ticket_no}: {method.upper()} {ref}",
        link="/m/payments",
        title_key="notify.subscriber_refund",
        values={"amount": format_inr(refund.amount), "group": group.name},
    )
    return refund


def refund_rows(session: Session, *, actor: Actor | None, group_id: object) -> list[dict[str, str]]:
    """The group's refunds to subscribers who left, newest first, for the foreman's members tab."""
    group = group_for_foreman(session, actor, group_id)
    rows = session.exec(
        select(SubscriberRefund, Ticket, User)
        .join(Ticket, Ticket.id == SubscriberRefund.ticket_id)
        .join(User, User.id == SubscriberRefund.member_id)
        .where(SubscriberRefund.group_id == group.id)
        .order_by(SubscriberRefund.id.desc())
    ).all()
    cash = available_cash(session, group_id=group.id)
    return [
        {
            "id": str(r.id),
            "ticket_no": str(t.ticket_no),
            "name": u.name,
            "kind": "Closing share"
            if r.kind == "closing"
            else ("Exit" if t.status_reason == EXIT_REASON else "Removal"),
            "contributed": format_inr(max(r.contributed, 0)),
            "deduction": format_inr(r.deduction),
            "amount": format_inr(r.amount),
            "when": when_label(r, group),
            "status": r.status,
            "payable": "yes" if payable_now(r, group) else "",
            "cash_short": "yes" if payable_now(r, group) and r.amount > cash else "",
        }
        for r, t, u in rows
    ]


def refunds_due(session: Session, group_ids: Select, *, limit: int = 50) -> list[tuple]:
    """(refund, group, ticket, member) of refunds payable now in the groups `group_ids` selects,
    oldest first: the foreman's pending actions."""
    return list(
        session.exec(
            select(SubscriberRefund, ChitGroup, Ticket, User)
            .join(ChitGroup, ChitGroup.id == SubscriberRefund.group_id)
            .join(Ticket, Ticket.id == SubscriberRefund.ticket_id)
            .join(User, User.id == SubscriberRefund.member_id)
            .where(
                SubscriberRefund.group_id.in_(group_ids),
                SubscriberRefund.status == "due",
                (SubscriberRefund.payable_at == "substitution") | ChitGroup.status.in_(CLOSED),
            )
            .order_by(SubscriberRefund.id)
            .limit(limit)
        ).all()
    )
