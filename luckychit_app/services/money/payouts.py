"""Releasing prizes. Each draw leaves a payout "payable" (the prize is credited to the winner's
prize payable in the books); the foreman releases it by bank transfer, UPI or cash with a reference
and date, optionally keeping back the winner's arrears (they pay the winner's own dues through a
'prize' payment, with a receipt like any other).

Before the release the foreman records the prized member's security (s.21(1)(e)): a guarantor, a
deposit, property, or future installments deducted from the prize. A deposit is money the foreman
holds for the member (services/money/security_deposits.py): received by cash, bank or UPI with a
reference and date, or kept back from the prize at its release. A guarantor security names at
least one guarantor as a record (services/money/guarantors.py: name, mobile, relation, KYC, date
signed; s.31). The app warns when it is worth less than 4/3 of the member's remaining dues (3/2 for
immovable property). A security replaced (a prized ticket transferred to a new holder gives a new
one) keeps its row with `released_at` set and no longer counts. A payout never exceeds the prize
payable, is released once (row lock + status), and never pays out more cash than the group holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import format_inr, parse_rupees
from luckychit_app.models import ChitGroup, Draw, Guarantor, Payment, Payout, PrizeSecurity, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.money import guarantors as sureties
from luckychit_app.services.money import security_deposits as deposits
from luckychit_app.services.money.advances import available_cash
from luckychit_app.services.money.allocation import apply_captured, lock_ticket
from luckychit_app.services.money.amount_due import (
    GroupBooks,
    TicketMoney,
    amount_due,
    books_of,
    owed,
    still_to_pay,
    ticket_money,
)
from luckychit_app.services.money.ledger import balance, post
from luckychit_app.services.money.payment_methods import METHOD_LABELS
from luckychit_app.services.validation import clean_date, clean_int, clean_text

PAYOUT_METHODS = ("bank", "upi", "cash")
SECURITY_KINDS = ("guarantor", "deposit", "property", "deduct_future")
SECURITY_LABELS = {
    "guarantor": "Guarantor",
    "deposit": "Deposit",
    "property": "Property (immovable)",
    "deduct_future": "Future installments deducted from the prize",
}
# How much security each rupee of remaining dues needs: 4/3 in general, 3/2 for immovable property;
# money kept back from the prize is the money itself.
COVER = {
    "guarantor": Fraction(4, 3),
    "deposit": Fraction(4, 3),
    "property": Fraction(3, 2),
    "deduct_future": Fraction(1),
}


def remaining_dues(session: Session, *, ticket_id: int) -> int:
    """What the member has still to pay over the rest of the chit (amount_due.still_to_pay)."""
    return still_to_pay(ticket_money(session, [ticket_id])[ticket_id])


def security_shortfall(remaining: int, securities: list[tuple[str, int]]) -> int:
    """Paise of remaining dues not covered by the securities at their required ratios (0 = enough)."""
    covered = sum((Fraction(value) / COVER[kind] for kind, value in securities), Fraction(0))
    return max(0, int(-(-(Fraction(remaining) - covered) // 1)))


def security_warning(remaining: int, securities: list[tuple[str, int]]) -> str:
    short = security_shortfall(remaining, securities)
    if not short or not remaining:
        return ""
    need = int(-(-(remaining * 4) // 3))
    return (
        f"Security is below the legal cover: remaining dues are {format_inr(remaining)}, which needs "
        f"security worth {format_inr(need)} (4/3; 3/2 for property). {format_inr(short)} of dues is "
        "not covered."
    )


def _securities_of(
    session: Session, payout_ids: list[int], *, with_replaced: bool = False
) -> dict[int, list[PrizeSecurity]]:
    """The securities standing for each of these prizes, oldest first, in one query (with
    `with_replaced`, also those replaced)."""
    found: dict[int, list[PrizeSecurity]] = {pid: [] for pid in payout_ids}
    stmt = select(PrizeSecurity).where(PrizeSecurity.payout_id.in_(payout_ids)).order_by(PrizeSecurity.id)
    if not with_replaced:
        stmt = stmt.where(PrizeSecurity.released_at.is_(None))
    for security in session.exec(stmt).all():
        found[security.payout_id].append(security)
    return found


def _securities(session: Session, payout_id: int, *, with_replaced: bool = False) -> list[PrizeSecurity]:
    """The securities standing for a prize (with `with_replaced`, also those replaced)."""
    return _securities_of(session, [payout_id], with_replaced=with_replaced)[payout_id]


def current_securities(session: Session, *, payout_id: int) -> list[PrizeSecurity]:
    return _securities(session, payout_id)


def release_securities(session: Session, *, payout_id: int) -> list[int]:
    """Mark the prize's standing securities replaced (their rows and guarantors stay, for the record)."""
    ids = []
    for security in _securities(session, payout_id):
        security.released_at = utcnow()
        session.add(security)
        ids.append(security.id)
    session.flush()
    return ids


def _locked_payout(session: Session, actor: Actor | None, payout_id: object) -> tuple[Payout, ChitGroup]:
    pid = require_id(payout_id, "payout")
    payout = session.exec(select(Payout).where(Payout.id == pid).with_for_update()).first()
    if payout is None:
        raise NotAllowed()
    return payout, group_for_foreman(session, actor, payout.group_id)


def add_security(
    session: Session,
    *,
    payout: Payout,
    subscriber: User,
    actor_id: int,
    kind: object,
    value: object,
    description: object,
    guarantors: object = (),
    method: object = None,
    reference: object = "",
    received_on: object = None,
) -> PrizeSecurity:
    """Check and write one security (a guarantor security with its guarantors) for `subscriber`, the
    prized ticket's holder; the caller has checked the foreman and locked the payout. A deposit says
    how it came in (`method` cash/bank/upi with `reference` and `received_on`, or "prize": kept from
    the prize at its release) and is booked (security_deposits); other kinds ignore those three."""
    if kind not in SECURITY_KINDS:
        raise ServiceError("Choose guarantor, deposit, property or deduction from the prize.", "kind")
    try:
        paise = parse_rupees(value if not isinstance(value, int) else str(value))
    except DomainError as exc:
        raise ServiceError(f"Value: {exc}", "value") from exc
    if kind == "deduct_future" and payout.status != "payable":
        raise ServiceError(
            "The prize has been paid, so nothing can be kept from it: choose a guarantor, deposit or "
            "property.",
            "kind",
        )
    if kind == "deduct_future" and paise > payout.gross:
        raise ServiceError("The deduction cannot be more than the prize.", "value")
    people = sureties.clean_guarantors(guarantors, subscriber_mobile=subscriber.mobile)
    if kind == "guarantor" and not people:
        # s.31: the surety is a person the foreman can hold to it, so their details are a record.
        raise ServiceError(
            "A guarantor security needs its guarantor: name, mobile, relation, PAN or Aadhaar and the "
            "date they signed.",
            "g_name",
        )
    if kind != "guarantor" and people:
        raise ServiceError("Guarantors go with a guarantor security.", "kind")
    if kind == "guarantor":
        text = clean_text(description or "", field="description", label="Details", min_len=0, max_len=300)
        text = text or ("Guarantor: " + ", ".join(g.name for g in people))[:300]
    else:
        text = clean_text(description, field="description", label="Details", min_len=3, max_len=300)
    receipt = None
    if kind == "deposit":  # s.21(1)(e): a deposit is money the foreman holds, so say how it came
        draw = session.get(Draw, payout.draw_id)
        receipt = deposits.clean_receipt(
            method,
            reference,
            received_on,
            prize_payable=payout.status == "payable",
            drawn_on=to_ist(draw.drawn_at).date() if draw.drawn_at else None,
        )
        if receipt.method == "prize":
            standing = _securities(session, payout.id)
            already = sum(s.value for s in deposits.pending_from_prize(session, standing))
            already += sum(s.value for s in standing if s.kind == "deduct_future")
            if paise + already >= payout.gross:
                raise ServiceError(
                    f"The prize of {format_inr(payout.gross)} cannot hold this deposit"
                    + (f": {format_inr(already)} of it is already kept back." if already else ".")
                    + " Part of it must be paid out.",
                    "value",
                )
    security = PrizeSecurity(
        payout_id=payout.id, kind=kind, value=paise, description=text, recorded_by_id=actor_id
    )
    session.add(security)
    session.flush()
    sureties.store(session, security_id=security.id, guarantors=people)
    if receipt is not None:
        group = session.get(ChitGroup, payout.group_id)
        deposits.receive(
            session,
            group=group,
            ticket_id=payout.ticket_id,
            security=security,
            receipt=receipt,
            actor_id=actor_id,
        )
    return security


def cover_warning(session: Session, *, payout: Payout) -> tuple[int, str]:
    """(the ticket's remaining dues, the cover warning of the standing securities: "" when enough)."""
    remaining = remaining_dues(session, ticket_id=payout.ticket_id)
    return remaining, security_warning(
        remaining, [(s.kind, s.value) for s in _securities(session, payout.id)]
    )


def _holder(session: Session, payout: Payout) -> User:
    return session.get(User, session.get(Ticket, payout.ticket_id).member_id)


def record_security(
    session: Session,
    *,
    actor: Actor | None,
    payout_id: object,
    kind: object,
    value: object,
    description: object,
    guarantors: object = (),
    method: object = None,
    reference: object = "",
    received_on: object = None,
    seen: object = None,
) -> tuple[PrizeSecurity, str]:
    """Record one security for a prize; returns it and the cover warning (empty when enough).
    `guarantors`: for kind "guarantor", a list of at least one dict of guarantors.FIELDS; for a
    deposit, `method`, `reference` and `received_on` (add_security). `seen` is the prize's latest
    security as the form showed it (payouts_for_group's "security_seen"): a second click, or the
    form from a second tab, finds a newer one and is refused instead of recording it twice."""
    payout, _group = _locked_payout(session, actor, payout_id)
    if payout.status != "payable":
        raise ServiceError("This prize has already been released.")
    if seen is not None:
        shown = clean_int(seen, field="seen", label="Page version", lo=0, hi=2**62)
        if max((s.id for s in _securities(session, payout.id, with_replaced=True)), default=0) != shown:
            raise ServiceError(
                "A security was recorded for this prize after this page was loaded. "
                "Reload the page to see it before recording another."
            )
    security = add_security(
        session,
        payout=payout,
        subscriber=_holder(session, payout),
        actor_id=actor.user_id,
        kind=kind,
        value=value,
        description=description,
        guarantors=guarantors,
        method=method,
        reference=reference,
        received_on=received_on,
    )
    remaining, warning = cover_warning(session, payout=payout)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payout.security_recorded",
        object_type="payout",
        object_id=payout.id,
        detail={
            "kind": security.kind,
            "value": security.value,
            "remaining_dues": remaining,
            "warning": bool(warning),
            "guarantors": len(sureties.of_securities(session, [security.id]).get(security.id, [])),
            "method": method if security.kind == "deposit" else None,
        },
    )
    return security, warning


def add_guarantor(
    session: Session, *, actor: Actor | None, payout_id: object, guarantor: object
) -> tuple[Guarantor, str]:
    """One more guarantor on the prize's latest guarantor security (a second surety is common);
    returns it and the cover warning."""
    payout, _group = _locked_payout(session, actor, payout_id)
    if payout.status != "payable":
        raise ServiceError("This prize has already been released.")
    security = next((s for s in reversed(_securities(session, payout.id)) if s.kind == "guarantor"), None)
    if security is None:
        raise ServiceError("Record a guarantor security first, then add more guarantors to it.")
    person = sureties.clean_guarantor(guarantor, subscriber_mobile=_holder(session, payout).mobile)
    already = sureties.of_securities(session, [security.id]).get(security.id, [])
    if len(already) >= sureties.MAX_GUARANTORS:
        raise ServiceError(f"A security has at most {sureties.MAX_GUARANTORS} guarantors.")
    if any(g.mobile == person.mobile for g in already):
        raise ServiceError("This guarantor is already recorded.", "g_mobile")
    (row,) = sureties.store(session, security_id=security.id, guarantors=[person])
    _remaining, warning = cover_warning(session, payout=payout)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payout.guarantor_added",
        object_type="payout",
        object_id=payout.id,
        detail={"security_id": security.id, "guarantor_id": row.id, "kyc_kind": row.kyc_kind},
    )
    return row, warning


def release_payout(
    session: Session,
    *,
    actor: Actor | None,
    payout_id: object,
    method: object,
    reference: object,
    paid_on: object,
    deduction: object = "0",
) -> Payout:
    """Pay the prize: cash out ``gross − deduction − deposits kept``; the deduction pays the winner's
    own dues, a deposit to be kept from the prize is held for them (s.21(1)(e))."""
    payout, group = _locked_payout(session, actor, payout_id)
    if payout.status != "payable":
        raise ServiceError("This prize has already been released.")
    if method not in PAYOUT_METHODS:
        raise ServiceError("Method must be bank transfer, UPI or cash.", "method")
    ref = clean_text(
        reference if reference not in (None, "") or method != "cash" else "Cash",
        field="reference",
        label="Reference",
        min_len=3 if method != "cash" else 1,
        max_len=100,
    )
    day = clean_date(paid_on, field="paid_on", label="Date paid")
    draw = session.get(Draw, payout.draw_id)
    if day > today_ist():
        raise ServiceError("The payment date cannot be in the future.", "paid_on")
    if draw.drawn_at and day < to_ist(draw.drawn_at).date():
        raise ServiceError("The prize cannot be paid before its draw.", "paid_on")
    try:
        kept = parse_rupees(deduction if not isinstance(deduction, int) else str(deduction), allow_zero=True)
    except DomainError as exc:
        raise ServiceError(f"Deduction: {exc}", "deduction") from exc

    lock_ticket(session, payout.ticket_id)
    payable = -balance(session, books.prize_payable(payout.ticket_id))
    if payout.gross > payable:
        raise ServiceError(f"Only {format_inr(max(payable, 0))} is payable on this prize.")
    if kept > payout.gross:
        raise ServiceError("The deduction cannot be more than the prize.", "deduction")
    arrears = amount_due(session, group=group, ticket_id=payout.ticket_id, as_of=day).total
    securities = _securities(session, payout.id)
    future = sum(s.value for s in securities if s.kind == "deduct_future")
    if kept > arrears + future:
        raise ServiceError(
            f"You can keep back at most {format_inr(arrears + future)}: the arrears"
            + (" and the future installments recorded as security." if future else "."),
            "deduction",
        )
    if future and kept < future:
        raise ServiceError(
            f"The security says {format_inr(future)} of future installments is kept from the prize.",
            "deduction",
        )
    remaining = remaining_dues(session, ticket_id=payout.ticket_id)
    if remaining > kept and not securities:
        raise ServiceError("Record the prized member's security before releasing the prize.")
    held = sum(s.value for s in deposits.pending_from_prize(session, securities))
    if kept + held > payout.gross:
        raise ServiceError(
            f"{format_inr(held)} of the prize is kept as the security deposit: at most "
            f"{format_inr(payout.gross - held)} can be kept back for dues.",
            "deduction",
        )
    cash_out = payout.gross - kept - held
    cash = available_cash(session, group_id=group.id)
    if cash_out > cash:
        raise ServiceError(
            f"The group holds {format_inr(max(cash, 0))} (after refunds in progress and security deposits "
            f"held), less than the "
            f"{format_inr(cash_out)} to pay out. Collect the month's dues first."
        )

    ticket = session.get(Ticket, payout.ticket_id)
    if kept:
        deducted = Payment(
            group_id=group.id,
            ticket_id=ticket.id,
            foreman_id=group.foreman_id,
            payer_id=ticket.member_id,
            amount=kept,
            method="prize",
            status="pending",
            reference=f"Kept from the month {draw.month} prize"[:100],
            recorded_by_id=actor.user_id,
        )
        session.add(deducted)
        session.flush()
        apply_captured(
            session, payment=deducted, group=group, actor_id=actor.user_id, paid_on=day, post_entry=False
        )
    # s.21(1)(e): the deposit kept from the prize moves from the prize payable to the money held for
    # the member first, so the release pays out the rest (its entry clears the prize payable).
    deposits.keep_from_prize(session, payout=payout, securities=securities, actor_id=actor.user_id)
    post(
        session,
        books.payout_released(group.id, ticket.id, payout.id, payout.gross - held, kept),
        group_id=group.id,
        created_by_id=actor.user_id,
    )
    payout.status, payout.method, payout.reference, payout.paid_on = "released", method, ref, day
    payout.deduction, payout.released_by_id, payout.released_at = kept, actor.user_id, utcnow()
    session.add(payout)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="payout.released",
        object_type="payout",
        object_id=payout.id,
        detail={
            "gross": payout.gross,
            "deduction": kept,
            "deposit_kept": held,
            "paid": cash_out,
            "method": method,
            "reference": ref,
            "paid_on": day.isoformat(),
        },
        chain=group.foreman_id,
    )
    notify(
        session,
        [ticket.member_id],
        kind="payout",
        title=f"Prize of {format_inr(cash_out)} paid for {group.name}",
        body=f"{method.upper()} {ref}"
        + (f"; {format_inr(kept)} kept for your dues" if kept else "")
        + (f"; {format_inr(held)} kept as your security deposit" if held else ""),
        link="/m/payments",
        title_key="notify.payout",
        body_key="notify.payout_kept_body" if kept else "notify.payout_body",
        values={
            "amount": format_inr(cash_out),
            "group": group.name,
            "method": method.upper(),
            "ref": ref,
            "kept": format_inr(kept),
        },
    )
    return payout


@dataclass(frozen=True)
class GroupPayouts:
    """`payouts_for_group`'s rows with what it read to make them, for a caller that shows more of
    the prized tickets (prize_defaults.prize_rows) without reading their books a second time."""

    group: ChitGroup
    rows: list[dict]
    tickets: dict[int, Ticket]
    money: dict[int, TicketMoney]


def payouts_for_group(session: Session, *, actor: Actor | None, group_id: object) -> list[dict]:
    """Every prize of the group, newest first, with what the foreman needs to release it and
    the securities given for it (the standing ones and those replaced, with their guarantors)."""
    return group_payouts(session, actor=actor, group_id=group_id).rows


def group_payouts(
    session: Session, *, actor: Actor | None, group_id: object, page_books: GroupBooks | None = None
) -> GroupPayouts:
    """`payouts_for_group`, with the group, the prized tickets and their books it read (from
    `page_books`, the page's, when it lists the same tickets' books in other ways too)."""
    group = group_for_foreman(session, actor, group_id)
    rows = session.exec(
        select(Payout, Draw, Ticket, User)
        .join(Draw, Draw.id == Payout.draw_id)
        .join(Ticket, Ticket.id == Payout.ticket_id)
        .join(User, User.id == Ticket.member_id)
        .where(Payout.group_id == group.id)
        .order_by(Draw.month.desc())
    ).all()
    cash = available_cash(session, group_id=group.id)
    out = []
    shown = _securities_of(session, [p.id for p, _, _, _ in rows], with_replaced=True)
    money = books_of(session, group, page_books).money([ticket.id for _, _, ticket, _ in rows])
    released = [p for p, _, _, _ in rows if p.status == "released" and p.paid_on]
    kept = deposits.kept_from_prizes(session, released)
    released_ids = {p.id for p in released}
    people = sureties.of_securities(session, [s.id for found in shown.values() for s in found])
    in_books = deposits.booked(
        session, [s.id for found in shown.values() for s in found if s.kind == "deposit"]
    )
    for payout, draw, ticket, user in rows:
        securities = [s for s in shown[payout.id] if s.released_at is None]
        remaining = still_to_pay(money[ticket.id])
        arrears = owed(group, money[ticket.id]).total if payout.status == "payable" else 0
        pairs = [(s.kind, s.value) for s in securities]
        out.append(
            {
                "id": str(payout.id),
                # The prize's latest security as this row shows it, sent back by its form (record_security).
                "security_seen": str(max((s.id for s in shown[payout.id]), default=0)),
                "ticket_id": str(ticket.id),
                "month": str(draw.month),
                "ticket_no": str(ticket.ticket_no),
                "name": user.name,
                "gross": format_inr(payout.gross),
                "status": payout.status,
                "payable": payout.status == "payable",
                "arrears": format_inr(arrears),
                "arrears_rupees": f"{arrears // 100}.{arrears % 100:02d}",
                "remaining": format_inr(remaining),
                "needed": format_inr(int(-(-(remaining * 4) // 3))),
                "securities": [
                    {
                        "kind": SECURITY_LABELS[s.kind],
                        "value": format_inr(s.value),
                        "description": s.description,
                        # Masked KYC only (the numbers are stored encrypted; DESIGN.md §7).
                        "guarantors": "; ".join(sureties.describe(g) for g in people.get(s.id, [])),
                        "replaced": f"replaced {format_date(to_ist(s.released_at).date())}"
                        if s.released_at
                        else "",
                        "deposit": _deposit_note(s, in_books),
                    }
                    for s in shown[payout.id]
                ],
                "has_security": bool(securities),
                "has_guarantor": any(s.kind == "guarantor" for s in securities),
                "warning": security_warning(remaining, pairs) if payout.status == "payable" else "",
                "cash_short": payout.status == "payable" and payout.gross - arrears > cash,
                "paid": _paid_text(payout, kept.get(payout.id, 0)) if payout.id in released_ids else "",
            }
        )
    return GroupPayouts(group, out, {ticket.id: ticket for _, _, ticket, _ in rows}, money)


def _deposit_note(security: PrizeSecurity, in_books: dict[int, bool]) -> str:
    """How a deposit security stands in the books (s.21(1)(e)); "" for the other kinds."""
    if security.kind != "deposit":
        return ""
    if security.id in in_books:
        return "kept from the prize" if in_books[security.id] else "received"
    return "" if security.released_at else "to be kept from the prize at its release"


def cash_paid(session: Session, payout: Payout) -> int:
    """What a released prize paid out in cash: the prize less what was kept for dues and as the
    security deposit."""
    return payout.gross - payout.deduction - deposits.kept_from_prize(session, payout)


def _paid_text(payout: Payout, deposit: int) -> str:
    """How a released prize was paid; `deposit`: what it kept back as the security deposit."""
    return (
        f"{format_inr(payout.gross - payout.deduction - deposit)} by {METHOD_LABELS[payout.method]} "
        f"{payout.reference} on {format_date(payout.paid_on)}"
        + (f" ({format_inr(payout.deduction)} kept for dues)" if payout.deduction else "")
        + (f" ({format_inr(deposit)} kept as the security deposit)" if deposit else "")
    )


def payable_total(session: Session, *, group_id: int) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(Payout.gross), 0)).where(
                Payout.group_id == group_id, Payout.status == "payable"
            )
        ).one()
    )
