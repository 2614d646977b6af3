"""Append-only, hash-chained audit log. Each row's hash covers its content and the previous
row's hash, so editing, deleting or reordering any row breaks every hash after it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import insert, text
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import AuditLog

GENESIS = "0" * 64


def _row_hash(prev_hash: str, row: AuditLog) -> str:
    body = json.dumps(
        {
            "prev": prev_hash,
            "id": row.id,
            "at": row.at.isoformat(timespec="microseconds"),
            "actor": row.actor_id,
            "action": row.action,
            "object_type": row.object_type,
            "object_id": row.object_id,
            "detail": row.detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _lock_chain(session: Session) -> None:
    """Writers append one at a time, or two rows could claim the same predecessor."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(7710001)"))


def _chained_row(
    row_id: int,
    prev_hash: str,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    detail: dict | None,
) -> AuditLog:
    row = AuditLog(
        id=row_id,
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


def _chain_end(session: Session) -> tuple[int, str]:
    """Locks the chain and returns the next row id and the hash to chain from."""
    _lock_chain(session)
    last = session.exec(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).first()
    return (last.id + 1, last.row_hash) if last else (1, GENESIS)


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    detail: dict | None = None,
) -> AuditLog:
    row = _chained_row(*_chain_end(session), actor_id, action, object_type, object_id, detail)
    session.add(row)
    session.flush()
    return row


def record_many(session: Session, entries: list[tuple[int | None, str, str, object, dict]]) -> list[AuditLog]:
    """Append one row per ``(actor_id, action, object_type, object_id, detail)``, in order, under
    one chain lock and with one multi-row insert: the same rows and hashes as calling
    :func:`record` for each, for a batch that writes many (e.g. a whole collection sheet)."""
    if not entries:
        return []
    next_id, prev_hash = _chain_end(session)
    rows = []
    for offset, entry in enumerate(entries):
        row = _chained_row(next_id + offset, prev_hash, *entry)
        prev_hash = row.row_hash
        rows.append(row)
    session.execute(insert(AuditLog.__table__), [_columns(row) for row in rows])
    return rows


def _columns(row: AuditLog) -> dict:
    return {c.name: getattr(row, c.name) for c in AuditLog.__table__.columns}


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_bad_id: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    prev_hash = GENESIS
    expected_id = 1
    count = 0
    last_id = 0
    while True:
        rows = session.exec(
            select(AuditLog).where(AuditLog.id > last_id).order_by(AuditLog.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(count, None, "ok")
        for row in rows:
            count += 1
            if row.id != expected_id:
                return ChainReport(count, row.id, f"row {expected_id} is missing (next row is {row.id})")
            if row.prev_hash != prev_hash:
                return ChainReport(count, row.id, "prev_hash does not match the previous row")
            if _row_hash(prev_hash, row) != row.row_hash:
                return ChainReport(count, row.id, "content does not match its hash (row was changed)")
            prev_hash = row.row_hash
            expected_id += 1
            last_id = row.id
