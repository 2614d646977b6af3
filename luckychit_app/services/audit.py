"""Append-only, hash-chained audit log: one hash chain per company, plus one for the platform.

Each row's hash covers its content and the previous row's hash *in its chain*, so editing,
deleting or reordering any row breaks every later hash of that chain.

Why one chain per foreman. A chain has one end, so appending to it is serialised: each writer
locks the chain, reads its last row and links the new row to it. With one chain for the whole
platform every audited write of every company queued on one lock (single payments topped out near
86/s for all foremen together). A company's audit trail only ever needs to be ordered within the
company, so each company owner (the foreman: `ChitGroup.foreman_id`; staff act for
`Actor.owner_id`) gets a chain of their own, `chain` = the owner's user id, and foremen no longer
wait for each other. Chain 0 holds what belongs to no company: admin actions, sign-ins of users
not acting for a company (members, admins), jobs that touch no group.

Which chain a row goes to (:func:`record`, :func:`record_many`): the caller's `chain` when it has
the group at hand (the money paths pass `group.foreman_id`), else :func:`chain_for` works it out:
from the object when it belongs to a group or a company (group, ticket, payment, draw, payout,
refund, ...), else from the actor (a foreman's own chain, a staff member's company owner's, else 0).
Deadlocks: a transaction appends to the chain of its first row; a later row of the same
transaction that belongs to another chain goes to chain 0 instead. So a transaction takes at most
a foreman's chain lock and then chain 0's, never chain 0's and then a foreman's nor two foremen's,
and two transactions can never wait for each other's chain locks in a circle (an admin job that
touches two companies' groups in one transaction, beside those foremen's own payments). A foreman's
chain thus holds only rows of that foreman's company.

Rows: `chain`, `seq` (1, 2, 3, ... without gaps within a chain) and `id` (the table's key, global
insertion order, ordering nothing). Locking: PostgreSQL `pg_advisory_xact_lock(7710001, chain)`
(the two-int4 key space: class 7710001, object = chain), then the chain's last (seq, row_hash) via
the unique (chain, seq) index; SQLite's writers are already serialised by BEGIN IMMEDIATE.

The hashed body is the JSON of {prev, id, at, actor, action, object_type, object_id, detail}, sorted
keys, where "id" carries the row's `seq`. Rows written before chains existed (migration 0019) are
chain 0 with seq = id and their body had "id": id, so they verify unchanged. Rows of any other chain
add "chain": chain to the body, so a row cannot be moved to another chain at the same place
without breaking its hash; chain 0's body has no "chain" key, exactly as before."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import insert, text, tuple_
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import (
    AuditLog,
    Branch,
    ChitGroup,
    Company,
    Dispute,
    Draw,
    JoinRequest,
    Payment,
    Payout,
    Refund,
    StaffMember,
    SubscriberRefund,
    Ticket,
    User,
)

GENESIS = "0" * 64
PLATFORM = 0
"""The chain of rows that belong to no company."""
LOCK_CLASS = 7710001
"""First key of the chains' advisory locks on PostgreSQL: `pg_advisory_xact_lock(LOCK_CLASS, chain)`."""
_HELD = "audit_chain"  # session.info: (root transaction, chain) of the rows already written


def _row_hash(prev_hash: str, row: AuditLog) -> str:
    fields = {
        "prev": prev_hash,
        "id": row.seq,
        "at": row.at.isoformat(timespec="microseconds"),
        "actor": row.actor_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "detail": row.detail,
    }
    if row.chain != PLATFORM:
        fields["chain"] = row.chain
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _owner_of(object_type: str, oid: int) -> Select | None:
    """The query for the company owner (foreman) of an object, for the kinds that belong to one."""
    group_foreman = select(ChitGroup.foreman_id)
    via_group = {
        "ticket": Ticket,
        "draw": Draw,
        "payout": Payout,
        "subscriber_refund": SubscriberRefund,
        "dispute": Dispute,
        "join_request": JoinRequest,
    }
    if object_type in ("group", "chit_group"):
        return group_foreman.where(ChitGroup.id == oid)
    if object_type in via_group:
        model = via_group[object_type]
        return group_foreman.join(model, model.group_id == ChitGroup.id).where(model.id == oid)
    if object_type == "payment":
        return select(Payment.foreman_id).where(Payment.id == oid)
    if object_type == "refund":
        return (
            select(Payment.foreman_id).join(Refund, Refund.payment_id == Payment.id).where(Refund.id == oid)
        )
    if object_type == "company":
        return select(Company.owner_id).where(Company.id == oid)
    if object_type == "branch":
        return select(Company.owner_id).join(Branch, Branch.company_id == Company.id).where(Branch.id == oid)
    return None


def chain_for(session: Session, *, actor_id: int | None, object_type: str, object_id: object) -> int:
    """The chain of a row whose caller did not say: the company owner of the object when it belongs
    to a group or company, else the actor's (a foreman's own, a staff member's company owner's),
    else chain 0 (admins, members, system jobs). One indexed query."""
    oid = object_id if isinstance(object_id, int) else None
    if isinstance(object_id, str) and object_id.isdigit() and len(object_id) < 12:
        oid = int(object_id)
    query = _owner_of(object_type, oid) if oid is not None else None
    if query is not None:
        owner = session.exec(query).first()
        if owner is not None:
            return int(owner)
    if actor_id is None:
        return PLATFORM
    found = session.exec(
        select(User.role, Company.owner_id)
        .select_from(User)
        .outerjoin(StaffMember, StaffMember.user_id == User.id)
        .outerjoin(Company, Company.id == StaffMember.company_id)
        .where(User.id == actor_id)
    ).first()
    if found is None:
        return PLATFORM
    role, owner_id = found
    if role == "foreman":
        return actor_id
    if role == "staff" and owner_id is not None:
        return int(owner_id)
    return PLATFORM


def _chained_row(
    chain: int,
    seq: int,
    prev_hash: str,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    detail: dict | None,
) -> AuditLog:
    row = AuditLog(
        chain=chain,
        seq=seq,
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=json.dumps(detail or {}, sort_keys=True, default=str, ensure_ascii=False),
        prev_hash=prev_hash,
        row_hash="",
    )
    row.row_hash = _row_hash(prev_hash, row)
    return row


def _pick_chain(session: Session, chain: int | None, first: tuple[int | None, str, object]) -> int:
    """The chain for a row (the first of a batch): the caller's `chain`, else :func:`chain_for`'s;
    but in a transaction that already appended to another chain, chain 0 (module docstring)."""
    session.connection()  # begins the transaction, so it has its root to compare
    held = session.info.get(_HELD)
    root = session.get_transaction()
    if held is not None and held[0] is root and held[1] == PLATFORM:
        return PLATFORM
    if chain is None:
        actor_id, object_type, object_id = first
        chain = chain_for(session, actor_id=actor_id, object_type=object_type, object_id=object_id)
    if held is not None and held[0] is root:
        return chain if chain == held[1] else PLATFORM
    session.info[_HELD] = (root, chain)
    return chain


def _chain_end(session: Session, chain: int) -> tuple[int, str]:
    """Locks the chain and returns its next seq and the hash to chain from. Writers of one chain
    append one at a time, or two rows could claim the same predecessor; other chains go on."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:k, :c)").bindparams(k=LOCK_CLASS, c=chain))
    last = session.exec(
        select(AuditLog.seq, AuditLog.row_hash)
        .where(AuditLog.chain == chain)
        .order_by(AuditLog.seq.desc())
        .limit(1)
    ).first()
    return (last[0] + 1, last[1]) if last else (1, GENESIS)


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    detail: dict | None = None,
    chain: int | None = None,
) -> AuditLog:
    """Append one row. `chain`: the company owner's user id (`group.foreman_id`) when the caller has
    the group loaded, saving :func:`chain_for`'s query; None works it out."""
    chain = _pick_chain(session, chain, (actor_id, object_type, object_id))
    row = _chained_row(chain, *_chain_end(session, chain), actor_id, action, object_type, object_id, detail)
    session.add(row)
    session.flush()
    return row


def record_many(
    session: Session,
    entries: list[tuple[int | None, str, str, object, dict]],
    *,
    chain: int | None = None,
) -> list[AuditLog]:
    """Append one row per ``(actor_id, action, object_type, object_id, detail)``, in order, to one
    chain under one chain lock and with one multi-row insert: the same rows and hashes as calling
    :func:`record` for each, for a batch that writes many (e.g. a whole collection sheet). The
    returned rows carry no `id` (the insert does not read the keys back)."""
    if not entries:
        return []
    first = entries[0]
    chain = _pick_chain(session, chain, (first[0], first[2], first[3]))
    seq, prev_hash = _chain_end(session, chain)
    rows = []
    for offset, entry in enumerate(entries):
        row = _chained_row(chain, seq + offset, prev_hash, *entry)
        prev_hash = row.row_hash
        rows.append(row)
    session.execute(insert(AuditLog.__table__), [_columns(row) for row in rows])
    return rows


def _columns(row: AuditLog) -> dict:
    return {c.name: getattr(row, c.name) for c in AuditLog.__table__.columns if c.name != "id"}


@dataclass(frozen=True)
class ChainReport:
    """`rows` checked in `chains` chains; on the first problem, its chain, the row's `id` and why."""

    rows: int
    first_bad_id: int | None
    reason: str
    chains: int = 0
    bad_chain: int | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None

    def describe(self) -> str:
        """One line for the commands and screens."""
        if self.ok:
            return f"{self.rows} rows in {self.chains} chains"
        return f"chain {self.bad_chain} at row {self.first_bad_id}: {self.reason}"


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Verify every chain: rows read in batches in (chain, seq) order (the unique index); within a
    chain seq runs 1, 2, 3, ... without gaps, each row names its predecessor's hash and its content
    matches its own hash. Stops at the first problem."""
    prev_hash = GENESIS
    chain: int | None = None
    expected = 1
    count = chains = 0
    after = (-1, 0)
    while True:
        rows = session.exec(
            select(AuditLog)
            .where(tuple_(AuditLog.chain, AuditLog.seq) > tuple_(*after))
            .order_by(AuditLog.chain, AuditLog.seq)
            .limit(batch)
        ).all()
        if not rows:
            return ChainReport(count, None, "ok", chains)
        for row in rows:
            count += 1
            if row.chain != chain:
                chain, prev_hash, expected = row.chain, GENESIS, 1
                chains += 1
            reason = None
            if row.seq != expected:
                reason = f"row {expected} of the chain is missing (the next is row {row.seq})"
            elif row.prev_hash != prev_hash:
                reason = "prev_hash does not match the previous row"
            elif _row_hash(prev_hash, row) != row.row_hash:
                reason = "content does not match its hash (row was changed)"
            if reason is not None:
                return ChainReport(count, row.id, reason, chains, row.chain)
            prev_hash = row.row_hash
            expected += 1
            after = (row.chain, row.seq)
