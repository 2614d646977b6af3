"""Creating, changing and starting chit groups, and listing a foreman's groups. The terms are read
and checked in services.groups.terms; activation raises every ticket's dues and opens month 1."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import date

from sqlmodel import Session, select

from luckychit_app.clock import today_ist, utcnow
from luckychit_app.domain.schedule import build_schedule
from luckychit_app.models import ChitGroup, Installment, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman, require_role
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.locking import refuse_if_locked
from luckychit_app.services.groups.months import open_month
from luckychit_app.services.groups.terms import SEATED, seats_taken, terms_from_form, terms_of
from luckychit_app.services.people.companies import branch_for_new_group
from luckychit_app.services.validation import clean_date


def _new_invite_code(session: Session) -> str:
    while True:
        code = secrets.token_urlsafe(9)[:12]
        if session.exec(select(ChitGroup.id).where(ChitGroup.invite_code == code)).first() is None:
            return code


def create_group(session: Session, *, actor: Actor | None, form: object) -> ChitGroup:
    actor = require_role(actor, "foreman")
    name, terms, vpa = terms_from_form(form)
    branch = branch_for_new_group(session, actor, form.get("branch_id") if isinstance(form, dict) else None)
    group = ChitGroup(
        foreman_id=actor.user_id,
        branch_id=branch.id,
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
        chain=group.foreman_id,
    )
    return group


def update_group(session: Session, *, actor: Actor | None, group_id: object, form: object) -> ChitGroup:
    """Terms can change only while the group is forming; afterwards only the name and UPI ID."""
    group = group_for_foreman(session, actor, group_id)
    refuse_if_locked(group)  # a closed or cancelled group keeps its name and terms (issue 15)
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
        chain=group.foreman_id,
    )
    return group


def activate_group(
    session: Session, *, actor: Actor | None, group_id: object, start: object = None
) -> ChitGroup:
    """Every seat must be filled. Generates every ticket's schedule and opens month 1."""
    group = group_for_foreman(session, actor, group_id)
    refuse_if_locked(group)
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
    if group.foreman_first_chit and not any(t.member_id == group.foreman_id for t in tickets):
        # s.21(1)(a): month 1 is settled to the foreman's own ticket; without one it could not be.
        raise ServiceError(
            "This group gives the first chit to the foreman (s.21(1)(a)), but the foreman holds no "
            "ticket in it: free a seat and give it to the foreman before starting."
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
        chain=group.foreman_id,
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
