"""A group's register of filings with the Registrar (Chit Funds Act 1982) and what is still to file.

The papers a foreman files for each chit, and when each falls due in this app:
- ``agreement``: the chit agreement, filed in duplicate for registration (s.7(1)); the chit may not
  commence unregistered (s.4(1)), so it is due by the start date;
- ``commencement``: the declaration that every ticket is subscribed (s.9(1)), on which the Registrar
  gives the certificate of commencement (s.9(2)); due once the seats are full, by the first draw;
- ``copies``: true copies of the agreement given to every subscriber, not later than the first draw
  (s.10(1)), and the certificate of it filed with the Registrar (s.10(2)); due by the first draw;
- ``minutes``: a copy of each draw's minutes (prepared under s.17) filed with the Registrar (s.18);
  due ``MINUTES_DAYS`` after the draw.

The foreman records each filing (date and the Registrar's reference); recording one again corrects
it, and both are audited. The group's foreman (or the admin) reads and writes the register."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, today_ist, utcnow
from luckychit_app.domain.schedule import due_date_for
from luckychit_app.models import ChitGroup, Draw, RegistrarFiling, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, group_for_foreman
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.terms import SEATED
from luckychit_app.services.validation import clean_date, clean_int, clean_text

KINDS = ("agreement", "commencement", "copies", "minutes")
LABELS = {
    "agreement": "Chit agreement (s.7)",
    "commencement": "Declaration for the certificate of commencement (s.9)",
    "copies": "Certificate that subscribers have true copies (s.10(2))",
    "minutes": "Minutes of the draw of month {month} (s.18)",
}
MINUTES_DAYS = 21
"""Days after a draw by which the app asks for its minutes to be filed with the Registrar (s.18)."""
SOON_DAYS = 7
"""A filing due within this many days is listed among the pending actions."""


def _first_draw(group: ChitGroup) -> date | None:
    return due_date_for(group.start_date, 1, group.draw_day, group.period) if group.start_date else None


def _expected(session: Session, group: ChitGroup) -> list[tuple[str, int, date | None]]:
    """(kind, month, due date or None) of every paper the group needs filed so far."""
    facts = _group_facts(session, [group.id])
    return _papers(group, *facts.get(group.id, (0, [])))


def _group_facts(session: Session, group_ids: list[int]) -> dict[int, tuple[int, list[tuple[int, object]]]]:
    """{group id: (seats taken, [(month, drawn_at) of completed draws])} in two queries, however many
    groups (the dashboard's query count does not grow with the book)."""
    seats = dict(
        session.exec(
            select(Ticket.group_id, func.count())
            .where(Ticket.group_id.in_(group_ids), Ticket.status.in_(SEATED))
            .group_by(Ticket.group_id)
        ).all()
    )
    draws: dict[int, list[tuple[int, object]]] = {gid: [] for gid in group_ids}
    for gid, month, at in session.exec(
        select(Draw.group_id, Draw.month, Draw.drawn_at)
        .where(Draw.group_id.in_(group_ids), Draw.status == "completed")
        .order_by(Draw.group_id, Draw.month)
    ).all():
        draws[gid].append((month, at))
    return {gid: (seats.get(gid, 0), draws[gid]) for gid in group_ids}


def _papers(
    group: ChitGroup, seats: int, draws: list[tuple[int, object]]
) -> list[tuple[str, int, date | None]]:
    if group.status == "cancelled":
        return []
    first = _first_draw(group)
    wanted: list[tuple[str, int, date | None]] = [("agreement", 0, group.start_date)]
    if group.status != "forming" or seats >= group.tickets:
        wanted += [("commencement", 0, first), ("copies", 0, first)]
    wanted += [
        ("minutes", month, (to_ist(at).date() if at else today_ist()) + timedelta(days=MINUTES_DAYS))
        for month, at in draws
    ]
    return wanted


def _row(
    kind: str, month: int, due: date | None, filed: RegistrarFiling | None, today: date
) -> dict[str, str]:
    status = "filed" if filed else "overdue" if due is not None and due < today else "pending"
    return {
        "kind": kind,
        "month": str(month),
        "label": LABELS[kind].format(month=month),
        "due": format_date(due) if due else "—",
        "filed_on": format_date(filed.filed_on) if filed else "",
        "reference": filed.reference if filed else "",
        "note": filed.note if filed else "",
        "status": status,
    }


def register(
    session: Session, *, actor: Actor | None, group_id: object, today: date | None = None
) -> list[dict]:
    """Every paper the group needs, filed or not, with its due date and status (filed, pending,
    overdue), then any filing recorded that the app did not ask for (say, the minutes of a month
    whose draw was later cancelled)."""
    group = group_for_foreman(session, actor, group_id)
    today = today or today_ist()
    filed = {
        (f.kind, f.month): f
        for f in session.exec(select(RegistrarFiling).where(RegistrarFiling.group_id == group.id)).all()
    }
    rows = [_row(k, m, due, filed.pop((k, m), None), today) for k, m, due in _expected(session, group)]
    rows += [_row(k, m, None, f, today) for (k, m), f in sorted(filed.items())]
    return rows


def record_filing(
    session: Session,
    *,
    actor: Actor | None,
    group_id: object,
    kind: object,
    month: object = 0,
    filed_on: object,
    reference: object,
    note: object = "",
    today: date | None = None,
) -> RegistrarFiling:
    """Record (or correct) a filing of the group: its kind, the draw's month for minutes, the date
    filed (not in the future) and the Registrar's reference."""
    group = group_for_foreman(session, actor, group_id)
    if kind not in KINDS:
        raise ServiceError("Choose what was filed.", "kind")
    month = clean_int(month or 0, field="month", label="Month", lo=0, hi=group.tickets)
    if (kind == "minutes") != (month >= 1):
        raise ServiceError("Minutes are filed for a draw's month; other papers have none.", "month")
    day = clean_date(filed_on, field="filed_on", label="Date filed")
    if day > (today or today_ist()):
        raise ServiceError("The date filed cannot be in the future.", "filed_on")
    reference = clean_text(reference, field="reference", label="Reference", max_len=80)
    note = clean_text(note or "", field="note", label="Note", min_len=0, max_len=200)
    row = session.exec(
        select(RegistrarFiling).where(
            RegistrarFiling.group_id == group.id, RegistrarFiling.kind == kind, RegistrarFiling.month == month
        )
    ).first()
    before = {"filed_on": row.filed_on.isoformat(), "reference": row.reference} if row else None
    if row is None:
        row = RegistrarFiling(
            group_id=group.id,
            kind=kind,
            month=month,
            filed_on=day,
            reference=reference,
            note=note,
            recorded_by_id=actor.user_id,
        )
    else:
        row.filed_on, row.reference, row.note = day, reference, note
        row.recorded_by_id, row.recorded_at = actor.user_id, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="registrar_filing.recorded",
        object_type="chit_group",
        object_id=group.id,
        detail={
            "kind": kind,
            "month": month,
            "filed_on": day.isoformat(),
            "reference": reference,
            "before": before,
        },
    )
    return row


def pending_filings(session: Session, group_ids: Select, today: date) -> list[dict[str, str]]:
    """Unfiled papers of the foreman's groups that are overdue or due within SOON_DAYS (or have no
    date yet: the agreement of a forming group without a start date), overdue first, at most 50."""
    groups = session.exec(
        select(ChitGroup).where(ChitGroup.id.in_(group_ids), ChitGroup.status.in_(("forming", "active")))
    ).all()
    if not groups:
        return []
    filed = set(
        session.exec(
            select(RegistrarFiling.group_id, RegistrarFiling.kind, RegistrarFiling.month).where(
                RegistrarFiling.group_id.in_([g.id for g in groups])
            )
        ).all()
    )
    soon = today + timedelta(days=SOON_DAYS)
    found = []
    facts = _group_facts(session, [g.id for g in groups])
    for group in groups:
        for kind, month, due in _papers(group, *facts[group.id]):
            if (group.id, kind, month) in filed or (due is not None and due > soon):
                continue
            found.append((due or soon, group, kind, month, due))
    found.sort(key=lambda f: (f[0], f[1].id, f[3]))
    return [
        {
            "id": f"{g.id}-{kind}-{month}",
            "group": g.name,
            "paper": LABELS[kind].format(month=month),
            "due": format_date(due) if due else "—",
            "overdue": "yes" if due is not None and due < today else "",
            "link": f"/f/groups/{g.id}",
        }
        for _, g, kind, month, due in found[:50]
    ]
