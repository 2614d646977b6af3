"""Whose books an accountant's download covers (issue 19: the Tally file and the year-end
statements): one foreman's, and of them only the groups the caller may read.

The foreman (the company's owner) reads the books of every group they run (`foreman_scope`); staff
whose role keeps the books ("books": the accountant, a branch manager) read those of the groups in
their reach, as they may download each group's ledger already (reports.export_csv); the platform
admin reads any foreman's, as elsewhere. Anyone else, or a foreman id that is not the caller's own
company's, is refused with the same answer whether or not the foreman exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import ist_day_bounds, to_ist
from luckychit_app.models import ChitGroup, JournalEntry, User
from luckychit_app.services.access import Actor, groups_in_reach, require_id, require_staff
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.reporting.foreman_scope import owned_groups


@dataclass(frozen=True)
class Books:
    """One foreman's books as the caller may read them: ``groups`` is a sub-select of group ids
    (used inside IN, never materialised)."""

    foreman_id: int
    foreman_name: str
    groups: Select


def books_of(session: Session, actor: Actor | None, foreman_id: object) -> Books:
    """The foreman's books the actor may read, or NotAllowed."""
    fid = require_id(foreman_id, "foreman")
    if actor is not None and actor.role == "admin":
        groups = select(ChitGroup.id).where(ChitGroup.foreman_id == fid)
    else:
        actor = require_staff(actor, "books")
        owner = actor.user_id if actor.role == "foreman" else actor.owner_id
        if fid != owner:
            raise NotAllowed()
        groups = owned_groups(actor) if actor.role == "foreman" else groups_in_reach(actor)
    foreman = session.get(User, fid)
    if foreman is None or foreman.role != "foreman":
        raise NotAllowed()
    return Books(foreman_id=fid, foreman_name=foreman.name, groups=groups)


def first_day(session: Session, books: Books) -> date | None:
    """The IST day of the first entry in these books, or None for books with no entry yet."""
    first = session.exec(
        select(func.min(JournalEntry.created_at)).where(JournalEntry.group_id.in_(books.groups))
    ).one()
    return to_ist(first).date() if first is not None else None


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of ``first``, end of ``last``) as aware UTC instants: Indian calendar days."""
    return ist_day_bounds(first)[0], ist_day_bounds(last)[1]


def slug(name: str) -> str:
    """A name as part of a file name: "ramesh-kumar"."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:40] or "books"
