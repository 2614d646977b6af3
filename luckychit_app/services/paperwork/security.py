"""The security the foreman gave the Registrar for a group (Chit Funds Act 1982 s.20): each deposit's
form, amount, reference, bank and date, and its release (s.20(5), after the chit ends and the
subscribers are paid). Whether what is held is enough is domain/foreman_security.py's (s.20(1)).

The group's foreman (or the admin) records and releases; every change is audited."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from luckychit_app.clock import format_date, today_ist
from luckychit_app.domain.foreman_security import FORMS, security_cover
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ForemanSecurity
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.validation import clean_amount, clean_date, clean_text

FORM_LABELS = {
    "cash": "Cash in an approved bank",
    "bank_guarantee": "Bank guarantee",
    "govt_securities": "Government securities",
    "other": "Other trustee securities",
}
CLAUSES = {
    "a": "Enough under s.20(1)(a): cash and bank guarantee",
    "b": "Enough under s.20(1)(b): government securities",
    "c": "Enough under s.20(1)(c): trustee securities",
}


def securities(session: Session, *, actor: Actor | None, group_id: object) -> dict:
    """The group's securities (newest first) and how those not released stand against s.20(1)."""
    group = group_for_foreman(session, actor, group_id)
    rows = session.exec(
        select(ForemanSecurity)
        .where(ForemanSecurity.group_id == group.id)
        .order_by(ForemanSecurity.id.desc())
    ).all()
    held: dict[str, int] = {}
    for r in rows:
        if r.released_on is None:
            held[r.form] = held.get(r.form, 0) + r.amount
    cover = security_cover(group.chit_value, held)
    if cover.sufficient:
        verdict = CLAUSES[cover.clause]
    else:
        verdict = (
            f"Not yet enough: deposit {format_inr(cover.short_a)} more in cash (s.20(1)(a)) or give "
            f"{format_inr(cover.short_b)} more in government securities (s.20(1)(b))."
        )
    return {
        "rows": [
            {
                "id": str(r.id),
                "form": FORM_LABELS[r.form],
                "amount": format_inr(r.amount),
                "reference": r.reference,
                "bank": r.bank or "—",
                "deposited_on": format_date(r.deposited_on),
                "released_on": format_date(r.released_on) if r.released_on else "",
            }
            for r in rows
        ],
        "sufficient": cover.sufficient,
        "verdict": verdict,
    }


def record_security(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    form: object,
    amount: object,
    reference: object,
    bank: object = "",
    deposited_on: object,
    note: object = "",
    today: date | None = None,
) -> ForemanSecurity:
    group = group_for_foreman(session, actor, group_id)
    if form not in FORMS:
        raise ServiceError("Choose the form of the security.", "form")
    paise = clean_amount(amount)
    day = clean_date(deposited_on, field="deposited_on", label="Date given")
    if day > (today or today_ist()):
        raise ServiceError("The date given cannot be in the future.", "deposited_on")
    row = ForemanSecurity(
        group_id=group.id,
        form=form,
        amount=paise,
        reference=clean_text(reference, field="reference", label="Reference", max_len=80),
        bank=clean_text(bank or "", field="bank", label="Bank", min_len=0, max_len=120),
        deposited_on=day,
        note=clean_text(note or "", field="note", label="Note", min_len=0, max_len=200),
        recorded_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="foreman_security.recorded",
        object_type="foreman_security",
        object_id=row.id,
        detail={"group_id": group.id, "form": form, "amount": paise, "reference": row.reference},
    )
    return row


def release_security(
    session: Session,
    *,
    actor: Actor | None,
    security_id: object,
    released_on: object,
    today: date | None = None,
) -> ForemanSecurity:
    """Mark a security released by the Registrar (s.20(5)): only once the group has finished."""
    row = session.get(ForemanSecurity, require_id(security_id, "security"))
    if row is None:
        raise NotAllowed()
    group = group_for_foreman(session, actor, row.group_id)
    if row.released_on is not None:
        raise ServiceError("This security is already released.")
    if group.status not in ("completed", "closed", "cancelled"):
        raise ServiceError("A security is released only after the chit has ended (s.20(5)).")
    day = clean_date(released_on, field="released_on", label="Date released")
    if day > (today or today_ist()) or day < row.deposited_on:
        raise ServiceError("The date released must be between the date given and today.", "released_on")
    row.released_on, row.released_by_id = day, actor.user_id
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="foreman_security.released",
        object_type="foreman_security",
        object_id=row.id,
        detail={"group_id": group.id, "released_on": day.isoformat()},
    )
    return row
