"""Cash in staff hands and its hand-over to the branch (issue 23).

Cash a staff member records stays theirs in the books (``group:G:cash_with:U``, domain/ledger.py)
until someone they report to counts it: the giver lists the notes and coins they hand over, the
receiver counts them, and only the counted money moves (one entry per group, the giver's oldest
group first). A clerk who receives it then holds it in turn; a branch manager or the owner puts it
in the branch's till, the group's cash. A shortfall stays in the giver's custody and is flagged; an
excess is booked to no group (the books cannot say whose it is) and is flagged for the manager.

Custody balances are sums of postings, like every balance (DESIGN §6). One hand-over per giver is
pending at a time (the giver's staff row is locked while one is started), a retried start with the
same idempotency key returns the same hand-over, and a confirmation locks the hand-over row so two
receivers tapping at once post it once.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, utcnow
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr
from luckychit_app.models import Branch, CashHandover, ChitGroup, StaffMember, User
from luckychit_app.services import audit
from luckychit_app.services.access import (
    OWNER,
    ROLE_LABELS,
    Actor,
    branch_for_staff,
    require_company,
    require_id,
)
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.money.ledger import custody_rows, post
from luckychit_app.services.validation import clean_text

# Notes and coins of the Reserve Bank of India in circulation, in rupees: ₹2000, 500, 200, 100, 50,
# 20 and 10 notes and ₹20, 10, 5, 2 and 1 coins (RBI Act 1934 s.24; Coinage Act 2011 s.6). The ₹2000
# note was withdrawn from circulation on 19 May 2023 but remains legal tender (RBI press release
# 2023-2024/257), so a member may still pay with one.
DENOMINATIONS: tuple[int, ...] = (2000, 500, 200, 100, 50, 20, 10, 5, 2, 1)
MAX_COUNT = 100_000
"""Per denomination: a hundred bundles of a thousand notes is far beyond any day's collection."""

# Who holds cash they recorded (any role that may record cash, access.PERMISSIONS "collect"/"field")
# and whom each may hand it to: up the branch, ending with the owner.
HOLDING_ROLES = ("agent", "clerk", "branch_manager")
_RECEIVER_ROLES: dict[str, tuple[str, ...]] = {
    "agent": ("clerk", "branch_manager"),
    "clerk": ("branch_manager",),
    "branch_manager": (),
}
_KEY_RE = re.compile(r"^[A-Za-z0-9_.:\-]{8,64}$")
_NAMES = {str(d): d for d in DENOMINATIONS}


# --- cleaning -----------------------------------------------------------------------------------


def _count(raw: object, name: str, field: str) -> int:
    label = f"The number of ₹{name} notes or coins"
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return 0  # a box left empty: none of that note
    if isinstance(raw, str) and re.fullmatch(r"\d{1,6}", raw.strip()):
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ServiceError(f"{label} must be a whole number (0 or more).", field)
    if raw < 0:
        raise ServiceError(f"{label} cannot be negative.", field)
    if raw > MAX_COUNT:
        raise ServiceError(f"{label} must be between 0 and {MAX_COUNT:,}.", field)
    return raw


def clean_denominations(value: object, *, prefix: str = "denom") -> tuple[dict[str, int], int]:
    """({note: count} of the non-zero counts, largest note first; total in paise) from what a form
    sent. Only Indian notes and coins are accepted; a count is a whole number, never negative."""
    if not isinstance(value, Mapping) or len(value) > len(DENOMINATIONS):
        raise ServiceError("Enter how many of each note and coin there are.", prefix)
    counts: dict[str, int] = {}
    for key, raw in value.items():
        name = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
        if not isinstance(name, str) or name not in _NAMES:
            shown = str(key)[:12]
            raise ServiceError(
                f"₹{shown} is not a note or coin we count; use "
                + ", ".join(f"₹{d}" for d in DENOMINATIONS)
                + ".",
                prefix,
            )
        counts[name] = _count(raw, name, f"{prefix}-{name}")
    ordered = {str(d): counts[str(d)] for d in DENOMINATIONS if counts.get(str(d))}
    return ordered, sum(_NAMES[n] * c * 100 for n, c in ordered.items())


def _clean_key(value: object) -> str:
    if not isinstance(value, str) or not _KEY_RE.match(value):
        raise ServiceError("This form has expired. Reload the page and try again.")
    return value


def breakdown(denominations: str) -> str:
    """ "2 × ₹500, 3 × ₹100" from a hand-over's stored JSON."""
    try:
        counts = json.loads(denominations or "{}")
    except ValueError:
        return ""
    return ", ".join(f"{c} × ₹{n}" for n, c in counts.items())


# --- balances -----------------------------------------------------------------------------------


def _company_groups(actor: Actor) -> Select:
    """Every group of the actor's company, of every branch: a person's custody is counted company-wide
    (not `access.groups_in_reach`, which stops at a staff member's branch)."""
    return select(ChitGroup.id).where(ChitGroup.foreman_id == actor.owner_id)


def custody_by_group(session: Session, actor: Actor, user_id: int) -> dict[int, int]:
    """{group id: balance} of one person's custody accounts in the actor's company (non-zero only),
    oldest group first."""
    return {gid: paise for gid, _b, _u, paise in custody_rows(session, _company_groups(actor), user_id)}


def _holds_cash(actor: Actor) -> bool:
    """Whether the actor's role keeps the cash they record until they hand it over (HOLDING_ROLES)."""
    return actor.role == "staff" and actor.staff_role in HOLDING_ROLES and actor.branch_id is not None


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """{user id: name} for these ids (None skipped), in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.exec(select(User.id, User.name).where(User.id.in_(wanted))).all())


class StaffLabel(NamedTuple):
    name: str
    role: str  # ROLE_LABELS of their staff role; "" for someone who is not staff (the owner)
    stopped: bool  # a staff account the owner stopped


def staff_labels(session: Session, ids: Iterable[int]) -> defaultdict[int, StaffLabel]:
    """{user id: name, role label, stopped} for the people holding or moving cash, in one query; an
    id with no account reads as a blank label."""
    labels: defaultdict[int, StaffLabel] = defaultdict(lambda: StaffLabel("", "", False))
    wanted = set(ids)
    if wanted:
        for uid, name, role, active in session.exec(
            select(User.id, User.name, StaffMember.role, StaffMember.active)
            .outerjoin(StaffMember, StaffMember.user_id == User.id)
            .where(User.id.in_(wanted))
        ).all():
            labels[uid] = StaffLabel(name, ROLE_LABELS.get(role, ""), active is not None and not active)
    return labels


def _view(h: CashHandover, names: dict[int, str]) -> dict[str, Any]:
    difference = h.counted - h.held if h.status == "confirmed" and h.counted is not None else 0
    return {
        "id": h.id,
        "branch_id": h.branch_id,
        "from_user_id": h.from_user_id,
        "from_name": names.get(h.from_user_id, ""),
        "to_user_id": h.to_user_id,
        "to_name": names.get(h.to_user_id, ""),
        "held": h.held,
        "declared": h.declared,
        "counted": h.counted,
        "difference": difference,
        "status": h.status,
        "note": h.note,
        "denominations": json.loads(h.denominations or "{}"),
        "breakdown": breakdown(h.denominations),
        "counted_breakdown": breakdown(h.counted_denominations),
        "created_at": format_datetime_ist(h.created_at),
    }


def handover_views(session: Session, rows: list[CashHandover]) -> list[dict[str, Any]]:
    names = user_names(session, {h.from_user_id for h in rows} | {h.to_user_id for h in rows})
    return [_view(h, names) for h in rows]


def _pending_from(session: Session, user_id: int) -> CashHandover | None:
    return session.exec(
        select(CashHandover).where(CashHandover.from_user_id == user_id, CashHandover.status == "pending")
    ).first()


def cash_in_hand(session: Session, *, actor: Actor | None) -> dict[str, Any]:
    """The actor's own custody: total and per group (paise and text), and the hand-over they have
    waiting to be counted, if any. The owner's cash goes straight to the till, so theirs is zero."""
    actor = require_company(actor)
    by_group = custody_by_group(session, actor, actor.user_id)
    names = dict(
        session.exec(select(ChitGroup.id, ChitGroup.name).where(ChitGroup.id.in_(list(by_group)))).all()
    )
    total = sum(by_group.values())
    pending = _pending_from(session, actor.user_id)
    return {
        "total": total,
        "total_text": format_inr(total),
        "groups": [
            {"group_id": gid, "name": names.get(gid, ""), "amount": amt, "amount_text": format_inr(amt)}
            for gid, amt in by_group.items()
        ],
        "pending": handover_views(session, [pending])[0] if pending else None,
    }


def branch_for_cash(session: Session, actor: Actor | None, branch_id: object) -> Branch:
    """The branch, if the actor may see its cash: "cash" (receives it) or "books", or the owner."""
    actor = require_company(actor)
    return branch_for_staff(session, actor, branch_id, "cash" if actor.can("cash") else "books")


def holders(session: Session, *, actor: Actor | None, branch_id: object) -> list[dict[str, Any]]:
    """Everyone holding cash of the branch's groups (stopped staff included: their cash is still
    owed), largest first."""
    branch = branch_for_cash(session, actor, branch_id)
    totals: dict[int, int] = {}
    for _group, _branch, uid, paise in custody_rows(
        session, select(ChitGroup.id).where(ChitGroup.branch_id == branch.id)
    ):
        totals[uid] = totals.get(uid, 0) + paise
    totals = {uid: amt for uid, amt in totals.items() if amt}
    labels = staff_labels(session, totals)
    out = []
    for uid, amount in sorted(totals.items(), key=lambda kv: (-kv[1], labels[kv[0]].name)):
        label = labels[uid]
        out.append(
            {
                "user_id": uid,
                "name": label.name,
                "role": label.role + (" (stopped)" if label.stopped else ""),
                "total": amount,
                "total_text": format_inr(amount),
            }
        )
    return out


def receivers_for(session: Session, *, actor: Actor | None) -> list[dict[str, Any]]:
    """Whom the actor may hand cash to: an agent to a clerk or manager of their branch or the owner,
    a clerk to a manager or the owner, a manager to the owner. The owner and the accountant hold
    no cash, so they hand nothing over."""
    actor = require_company(actor)
    if not _holds_cash(actor):
        return []
    roles = _RECEIVER_ROLES[actor.staff_role]
    staff = session.exec(
        select(User.id, User.name, StaffMember.role)
        .join(StaffMember, StaffMember.user_id == User.id)
        .where(
            StaffMember.company_id == actor.company_id,
            StaffMember.branch_id == actor.branch_id,
            StaffMember.active,
            StaffMember.role.in_(roles),
            User.is_active,
            User.id != actor.user_id,
        )
        .order_by(User.name, User.id)
    ).all()
    out = [
        {"user_id": uid, "name": name, "role": role, "label": f"{name} ({ROLE_LABELS[role]})"}
        for uid, name, role in sorted(staff, key=lambda r: roles.index(r[2]))
    ]
    owner = session.get(User, actor.owner_id) if actor.owner_id else None
    if owner is not None and owner.is_active:
        out.append(
            {
                "user_id": owner.id,
                "name": owner.name,
                "role": OWNER,
                "label": f"{owner.name} ({ROLE_LABELS[OWNER]})",
            }
        )
    return out


def pending_for_me(session: Session, *, actor: Actor | None) -> list[dict[str, Any]]:
    """Hand-overs waiting for the actor to count, oldest first."""
    actor = require_company(actor)
    rows = session.exec(
        select(CashHandover)
        .where(CashHandover.to_user_id == actor.user_id, CashHandover.status == "pending")
        .order_by(CashHandover.id)
    ).all()
    return handover_views(session, list(rows))


# --- hand-overs ---------------------------------------------------------------------------------


def start_handover(
    session: Session,
    *,
    actor: Actor | None,
    to_user_id: object,
    denominations: object,
    idempotency_key: object,
    note: object = "",
) -> CashHandover:
    """The giver lists the notes and coins they hand to `to_user_id`; nothing moves until the
    receiver counts them. A retry with the same key returns the first hand-over."""
    actor = require_company(actor)
    key = _clean_key(idempotency_key)
    if not _holds_cash(actor):
        raise NotAllowed("Only staff holding cash hand it over.")
    # The giver's staff row is the lock that keeps one hand-over pending per giver and a retried
    # key from racing its first attempt.
    session.exec(select(StaffMember).where(StaffMember.user_id == actor.user_id).with_for_update()).first()
    again = session.exec(select(CashHandover).where(CashHandover.idempotency_key == key)).first()
    if again is not None:
        if again.from_user_id != actor.user_id:
            raise ServiceError("This form has expired. Reload the page and try again.")
        return again
    receiver = require_id(to_user_id, "receiver") if to_user_id not in (None, "") else None
    allowed = {r["user_id"]: r for r in receivers_for(session, actor=actor)}
    if receiver is None or receiver not in allowed:
        raise ServiceError("Choose who you are handing the cash to.", "handover-to")
    counts, declared = clean_denominations(denominations)
    if declared <= 0:
        raise ServiceError("Enter the notes and coins you are handing over.", "denom")
    text = clean_text(note or "-", field="note", label="Note", max_len=200)
    held = sum(custody_by_group(session, actor, actor.user_id).values())
    if held <= 0:
        raise ServiceError("You hold no cash to hand over.")
    waiting = _pending_from(session, actor.user_id)
    if waiting is not None:
        to_name = user_names(session, [waiting.to_user_id]).get(waiting.to_user_id, "")
        raise ServiceError(
            f"Your hand-over of {format_inr(waiting.declared)} to {to_name} is still waiting to be "
            "counted; cancel it or wait for it first."
        )
    row = CashHandover(
        branch_id=actor.branch_id,
        from_user_id=actor.user_id,
        to_user_id=receiver,
        held=held,
        declared=declared,
        denominations=json.dumps(counts),
        note="" if text == "-" else text,
        idempotency_key=key,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:  # the key was taken meanwhile by another giver's form
        raise ServiceError("This form has expired. Reload the page and try again.") from exc
    audit.record(
        session,
        actor_id=actor.user_id,
        action="cash.handover_started",
        object_type="cash_handover",
        object_id=row.id,
        detail={
            "to_user_id": receiver,
            "branch_id": actor.branch_id,
            "held": held,
            "declared": declared,
            "denominations": counts,
        },
    )
    return row


def _locked(session: Session, handover_id: object) -> CashHandover:
    hid = require_id(handover_id, "hand-over")
    row = session.exec(select(CashHandover).where(CashHandover.id == hid).with_for_update()).first()
    if row is None:
        raise NotAllowed()
    return row


def _still_pending(row: CashHandover) -> None:
    if row.status != "pending":
        done = "cancelled" if row.note == "cancelled" else row.status
        raise ServiceError(f"This hand-over has already been {done}.")


def _is_owner_of(session: Session, actor: Actor, row: CashHandover) -> bool:
    if actor.staff_role != OWNER or actor.role != "foreman":
        return False
    branch = session.get(Branch, row.branch_id)
    return branch is not None and branch.company_id == actor.company_id


def _for_receiver(session: Session, actor: Actor | None, handover_id: object) -> tuple[Actor, CashHandover]:
    """The locked hand-over, if the actor is its receiver or the owner of its branch's company."""
    actor = require_company(actor)
    row = _locked(session, handover_id)
    owner = _is_owner_of(session, actor, row)
    if not owner and (row.to_user_id != actor.user_id or actor.staff_role not in ("clerk", "branch_manager")):
        raise NotAllowed()
    _still_pending(row)
    return actor, row


def confirm_handover(
    session: Session, *, actor: Actor | None, handover_id: object, counted_denominations: object
) -> CashHandover:
    """The receiver's count. Moves min(counted, what the giver holds now) out of the giver's custody,
    oldest group first, into the receiver's custody (a clerk) or the group's cash (a branch manager or
    the owner, whoever counted it). `held` becomes the giver's custody at this moment, so
    `counted - held` is exactly the shortfall left with the giver (negative) or the excess booked to
    no group (positive)."""
    actor, row = _for_receiver(session, actor, handover_id)
    counts, counted = clean_denominations(counted_denominations, prefix="count")
    if counted <= 0:
        raise ServiceError("Enter the notes and coins you counted, or reject the hand-over.", "count")
    giver_groups = custody_by_group(session, actor, row.from_user_id)
    held = sum(amount for amount in giver_groups.values() if amount > 0)
    # Whoever counts the cash holds it: a clerk keeps it until their own hand-over; a manager's or the
    # owner's count puts it in the branch's till.
    receiver = actor.user_id if actor.role == "staff" and actor.staff_role == "clerk" else None
    left = min(counted, held)
    moved: dict[int, int] = {}
    for gid, balance in giver_groups.items():  # oldest group first (custody_by_group's order)
        take = min(balance, left)
        if take <= 0:
            continue
        post(
            session,
            books.cash_handed_over(row.id, gid, row.from_user_id, receiver, take),
            group_id=gid,
            created_by_id=actor.user_id,
        )
        moved[gid] = take
        left -= take
    held_at_start = row.held
    difference = counted - held
    if difference < 0:
        note = f"Short by {format_inr(-difference)}: it stays in the giver's custody."
    elif difference > 0:
        note = f"Excess of {format_inr(difference)}: not booked to any group; the manager must resolve it."
    else:
        note = ""
    if row.to_user_id != actor.user_id:
        note = (note + " Counted by the owner.").strip()
    row.held, row.counted, row.counted_denominations = held, counted, json.dumps(counts)
    row.status, row.decided_at, row.note = "confirmed", utcnow(), note[:200]
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="cash.handover_confirmed",
        object_type="cash_handover",
        object_id=row.id,
        detail={
            "from_user_id": row.from_user_id,
            "declared": row.declared,
            "counted": counted,
            "held": held,
            "held_at_start": held_at_start,
            "difference": difference,
            "moved": {str(g): a for g, a in moved.items()},
            "into": "custody" if receiver else "till",
            "counted_denominations": counts,
        },
    )
    return row


def reject_handover(
    session: Session, *, actor: Actor | None, handover_id: object, reason: object
) -> CashHandover:
    """The receiver refuses the hand-over (the bag does not match, say); nothing moves."""
    actor, row = _for_receiver(session, actor, handover_id)
    why = clean_text(reason, field="reason", label="Reason", min_len=2, max_len=180)
    row.status, row.decided_at, row.note = "rejected", utcnow(), f"Rejected: {why}"
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="cash.handover_rejected",
        object_type="cash_handover",
        object_id=row.id,
        detail={"from_user_id": row.from_user_id, "declared": row.declared, "reason": why},
    )
    return row


def cancel_handover(session: Session, *, actor: Actor | None, handover_id: object) -> CashHandover:
    """The giver takes back a hand-over nobody has counted yet; nothing moves."""
    actor = require_company(actor)
    row = _locked(session, handover_id)
    if row.from_user_id != actor.user_id:
        raise NotAllowed()
    _still_pending(row)
    row.status, row.decided_at, row.note = "rejected", utcnow(), "cancelled"
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="cash.handover_cancelled",
        object_type="cash_handover",
        object_id=row.id,
        detail={"to_user_id": row.to_user_id, "declared": row.declared},
    )
    return row
