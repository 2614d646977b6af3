"""Creating, changing and starting chit groups. Terms are validated by the domain rules; the
foreman sees one clear message per wrong field."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import today_ist, utcnow
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import parse_rupees
from luckychit_app.domain.schedule import build_schedule
from luckychit_app.domain.terms import GroupTerms, validate_terms
from luckychit_app.models import ChitGroup, Installment, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_role
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.months import open_month
from luckychit_app.services.validation import (
    clean_date,
    clean_int,
    clean_percent_bp,
    clean_text,
    clean_vpa,
)

TERM_FIELDS = (
    "kind",
    "chit_value",
    "tickets",
    "commission_bp",
    "max_discount_bp",
    "min_bid_step",
    "foreman_first_chit",
    "remainder_to",
    "late_fee_mode",
    "late_fee_flat",
    "late_fee_interest_bp",
    "grace_days",
    "draw_day",
)
SEATED = ("pending", "active", "suspended")
# The domain names rates by their stored unit; the form asks for percentages. Errors must name the
# form's input, or the UI has nowhere to show the message.
FORM_FIELD = {
    "commission_bp": "commission_pct",
    "max_discount_bp": "max_discount_pct",
    "late_fee_interest_bp": "late_fee_interest_pct",
}


def _get(form: dict, key: str, default: object) -> object:
    """Hidden or blank form fields arrive missing, None or "": all mean "use the default"."""
    value = form.get(key)
    return default if value is None or (isinstance(value, str) and not value.strip()) else value


def _money_field(form: dict, key: str, label: str, *, allow_zero: bool = False, default: str = "0") -> int:
    raw = _get(form, key, default)
    # Whole rupees may arrive as an int; a float goes on to parse_rupees, which refuses it (binary
    # floats cannot hold every paise value, so str(float) could silently change the amount).
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    try:
        return parse_rupees(raw, allow_zero=allow_zero)
    except DomainError as exc:
        raise ServiceError(f"{label}: {exc}", key) from exc


def _choice(form: dict, key: str, label: str, options: tuple[str, ...], default: str) -> str:
    value = _get(form, key, default)
    if value not in options:
        raise ServiceError(f"{label} must be one of: {', '.join(options)}.", key)
    return value


def _flag(form: dict, key: str) -> bool:
    value = form.get(key, False)
    if isinstance(value, bool):
        return value
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("", "off", "false", "0", "no", None):
        return False
    raise ServiceError("Invalid choice.", key)


def terms_from_form(form: object) -> tuple[str, GroupTerms, str | None]:
    """(name, terms, upi_vpa) from a form dict of strings; raises ServiceError naming the field."""
    if not isinstance(form, dict):
        raise ServiceError("Invalid form.")
    name = clean_text(form.get("name"), field="name", label="Group name", min_len=3, max_len=80)
    kind = _choice(form, "kind", "Draw type", ("lucky", "auction"), "lucky")
    late_mode = _choice(form, "late_fee_mode", "Late fee", ("none", "flat", "interest"), "none")
    terms = GroupTerms(
        chit_value=_money_field(form, "chit_value", "Chit value", default=""),
        tickets=clean_int(_get(form, "tickets", None), field="tickets", label="Tickets", lo=2, hi=100),
        kind=kind,
        commission_bp=clean_percent_bp(
            _get(form, "commission_pct", "5"), field="commission_pct", label="Foreman commission", hi_bp=700
        ),
        max_discount_bp=clean_percent_bp(
            _get(form, "max_discount_pct", "30"),
            field="max_discount_pct",
            label="Maximum discount",
            hi_bp=4000,
        ),
        min_bid_step=_money_field(form, "min_bid_step", "Minimum bid step", default="100"),
        foreman_first_chit=_flag(form, "foreman_first_chit"),
        remainder_to=_choice(form, "remainder_to", "Rounding remainder", ("carry", "foreman"), "carry"),
        late_fee_mode=late_mode,
        late_fee_flat=_money_field(form, "late_fee_flat", "Flat late fee", allow_zero=True),
        late_fee_interest_bp=clean_percent_bp(
            _get(form, "late_fee_interest_pct", "0"),
            field="late_fee_interest_pct",
            label="Late fee interest",
            hi_bp=500,
        ),
        grace_days=clean_int(
            _get(form, "grace_days", 0), field="grace_days", label="Grace days", lo=0, hi=30
        ),
        draw_day=clean_int(_get(form, "draw_day", 10), field="draw_day", label="Draw day", lo=1, hi=28),
    )
    try:
        validate_terms(terms)
    except DomainError as exc:
        raise ServiceError(str(exc), FORM_FIELD.get(exc.field, exc.field)) from exc
    return name, terms, clean_vpa(form.get("upi_vpa"))


def terms_of(group: ChitGroup) -> GroupTerms:
    return GroupTerms(**{f: getattr(group, f) for f in TERM_FIELDS})


def _new_invite_code(session: Session) -> str:
    while True:
        code = secrets.token_urlsafe(9)[:12]
        if session.exec(select(ChitGroup.id).where(ChitGroup.invite_code == code)).first() is None:
            return code


def seats_taken(session: Session, group_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Ticket).where(Ticket.group_id == group_id, Ticket.status.in_(SEATED))
    ).one()


def create_group(session: Session, *, actor: Actor | None, form: object) -> ChitGroup:
    actor = require_role(actor, "foreman")
    name, terms, vpa = terms_from_form(form)
    group = ChitGroup(
        foreman_id=actor.user_id,
        name=name,
        upi_vpa=vpa,
        invite_code=_new_invite_code(session),
        **asdict(terms),
    )
    session.add(group)
    session.flush()
    if terms.foreman_first_chit:
        # s.21(1)(a): the foreman holds ticket 1 and takes the first prize without discount.
        session.add(Ticket(group_id=group.id, ticket_no=1, member_id=actor.user_id, status="active"))
    audit.record(
        session,
        actor_id=actor.user_id,
        action="group.created",
        object_type="group",
        object_id=group.id,
        detail={"name": name, **asdict(terms)},
    )
    return group


def update_group(session: Session, *, actor: Actor | None, group_id: object, form: object) -> ChitGroup:
    """Terms can change only while the group is forming; afterwards only the name and UPI ID."""
    group = group_for_foreman(session, actor, group_id)
    name, terms, vpa = terms_from_form(form)
    before = {"name": group.name, "upi_vpa": group.upi_vpa, **asdict(terms_of(group))}
    if group.status != "forming" and asdict(terms) != asdict(terms_of(group)):
        raise ServiceError("The terms of a running group cannot change; only its name and UPI ID can.")
    if terms.foreman_first_chit != group.foreman_first_chit:
        # create_group seats the foreman's own ticket for this option; switching it later would leave
        # month 1 with no foreman ticket to settle (or the foreman holding an ordinary seat).
        raise ServiceError(
            "Whether the foreman takes the first chit is fixed when the group is created.",
            "foreman_first_chit",
        )
    if terms.tickets < seats_taken(session, group.id):
        raise ServiceError("More members have joined than that number of tickets.", "tickets")
    group.name, group.upi_vpa, group.updated_at = name, vpa, utcnow()
    for key, value in asdict(terms).items():
        setattr(group, key, value)
    session.add(group)
    after = {"name": name, "upi_vpa": vpa, **asdict(terms)}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit.record(
        session,
        actor_id=actor.user_id,
        action="group.updated",
        object_type="group",
        object_id=group.id,
        detail=changes,
    )
    return group


def activate_group(
    session: Session, *, actor: Actor | None, group_id: object, start: object = None
) -> ChitGroup:
    """Every seat must be filled. Generates every ticket's schedule and opens month 1."""
    group = group_for_foreman(session, actor, group_id)
    if group.status != "forming":
        raise ServiceError("This group has already started.")
    start_date: date = (
        today_ist() if start in (None, "") else clean_date(start, field="start", label="Start date")
    )
    tickets = session.exec(
        select(Ticket)
        .where(Ticket.group_id == group.id, Ticket.status.in_(SEATED))
        .order_by(Ticket.ticket_no)
    ).all()
    if any(t.status != "active" for t in tickets):
        raise ServiceError("Approve or remove pending and suspended members before starting.")
    if len(tickets) != group.tickets:
        raise ServiceError(
            f"All {group.tickets} tickets must be filled before the group starts ({len(tickets)} filled)."
        )
    schedule = build_schedule(terms_of(group), start_date)
    for ticket in tickets:
        session.add_all(
            Installment(
                group_id=group.id,
                ticket_id=ticket.id,
                month=row.month,
                due_date=row.due_date,
                amount=row.amount,
            )
            for row in schedule
        )
    group.status, group.start_date, group.updated_at = "active", start_date, utcnow()
    session.add(group)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="group.activated",
        object_type="group",
        object_id=group.id,
        detail={"start": start_date.isoformat()},
    )
    open_month(session, group=group, month=1, actor_id=actor.user_id)
    return group


def groups_of_foreman(
    session: Session, *, actor: Actor | None, offset: int = 0, limit: int = 50
) -> list[ChitGroup]:
    actor = require_role(actor, "foreman", "admin")
    stmt = select(ChitGroup).order_by(ChitGroup.created_at.desc(), ChitGroup.id.desc())
    if actor.role == "foreman":
        stmt = stmt.where(ChitGroup.foreman_id == actor.user_id)
    return list(session.exec(stmt.offset(max(0, offset)).limit(min(max(1, limit), 200))).all())
