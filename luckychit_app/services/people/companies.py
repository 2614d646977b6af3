"""A foreman's company and its branches.

Every foreman account is the owner of one company, founded with the account and holding a first
branch, so groups, receipt series and cash books always have a branch to belong to. The owner adds
branches; staff are invited into them (services.people.staff)."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.models import Branch, ChitGroup, Company, StaffMember, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_owner
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.validation import clean_text

MAIN_BRANCH = ("Main branch", "MAIN")
MAX_BRANCHES = 50
_CODE = re.compile(r"^[A-Z0-9]{2,8}$")


def found_company(session: Session, owner: User, name: str | None = None) -> Company:
    """The owner's company with its first branch (called when a foreman account is created)."""
    company = Company(owner_id=owner.id, name=(name or f"{owner.name} Chits")[:80])
    session.add(company)
    session.flush()
    session.add(Branch(company_id=company.id, name=MAIN_BRANCH[0], code=MAIN_BRANCH[1]))
    session.flush()
    return company


def branches_of(session: Session, company_id: int) -> list[Branch]:
    return list(session.exec(select(Branch).where(Branch.company_id == company_id).order_by(Branch.id)).all())


def branches_in_reach(session: Session, actor: Actor) -> list[Branch]:
    """The branches the actor works in: all of the company's for its owner and company-wide staff,
    else their own. No permission is checked here: callers check theirs first."""
    if actor.branch_id is None:
        return branches_of(session, actor.company_id)
    branch = session.get(Branch, actor.branch_id)
    return [branch] if branch is not None and branch.company_id == actor.company_id else []


def clean_branch_code(value: object) -> str:
    code = clean_text(value, field="code", label="Branch code", min_len=2, max_len=8).upper()
    if not _CODE.match(code):
        raise ServiceError("A branch code is 2 to 8 letters or digits, like TNR or KOCHI2.", "code")
    return code


def add_branch(
    session: Session, *, actor: Actor | None, name: object, code: object, address: object = ""
) -> Branch:
    """A new branch of the owner's company, with its own receipt series and cash book."""
    actor = require_owner(actor)
    clean = clean_text(name, field="name", label="Branch name", min_len=2, max_len=60)
    short = clean_branch_code(code)
    place = clean_text(address or "-", field="address", label="Address", max_len=200)
    existing = branches_of(session, actor.company_id)
    if len(existing) >= MAX_BRANCHES:
        raise ServiceError(f"A company can have at most {MAX_BRANCHES} branches.")
    if any(b.code == short for b in existing):
        raise ServiceError(f"Another branch already uses the code {short}.", "code")
    if any(b.name.casefold() == clean.casefold() for b in existing):
        raise ServiceError(f"There is already a branch called {clean}.", "name")
    branch = Branch(
        company_id=actor.company_id, name=clean, code=short, address="" if place == "-" else place
    )
    session.add(branch)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="branch.created",
        object_type="branch",
        object_id=branch.id,
        detail={"name": clean, "code": short},
    )
    return branch


def branch_for_new_group(session: Session, actor: Actor, branch_id: object) -> Branch:
    """The branch a new group goes into: the one chosen, if it is the owner's, else the first."""
    company = session.exec(select(Company.id).where(Company.owner_id == actor.user_id)).first()
    if company is None:
        raise NotAllowed()
    branches = branches_of(session, company)
    if branch_id in (None, ""):
        return branches[0]
    for branch in branches:
        if str(branch.id) == str(branch_id):
            return branch
    raise ServiceError("Choose one of your branches.", "branch_id")


def company_summary(session: Session, *, actor: Actor | None) -> dict[str, object]:
    """The owner's company page header: its name, and each branch with its groups and active staff
    counted in SQL (two grouped queries, however many branches)."""
    actor = require_owner(actor)
    company = session.get(Company, actor.company_id)
    groups = dict(
        session.exec(
            select(ChitGroup.branch_id, func.count())
            .where(ChitGroup.foreman_id == actor.user_id)
            .group_by(ChitGroup.branch_id)
        ).all()
    )
    staff = dict(
        session.exec(
            select(StaffMember.branch_id, func.count())
            .where(StaffMember.company_id == actor.company_id, StaffMember.active)
            .group_by(StaffMember.branch_id)
        ).all()
    )
    return {
        "name": company.name if company else "",
        "branches": [
            {
                "id": str(b.id),
                "name": b.name,
                "code": b.code,
                "address": b.address or "—",
                "groups": str(groups.get(b.id, 0)),
                "staff": str(staff.get(b.id, 0)),
            }
            for b in branches_of(session, actor.company_id)
        ],
    }


def branch_choices(session: Session, *, actor: Actor | None) -> list[dict[str, str]]:
    """The owner's branches for a form's Branch select (a new group's, say)."""
    actor = require_owner(actor)
    return [{"id": str(b.id), "name": f"{b.name} ({b.code})"} for b in branches_of(session, actor.company_id)]
