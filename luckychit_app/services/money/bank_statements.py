"""Importing a company's bank statement file (issue 19, item 10): CSV or OFX as net banking gives it
(domain/bank_statement.py reads it), each line stored once.

A line is known by its fingerprint (account, date, amount, reference, running balance), unique per
company in the database: importing the same file again, or next month's file that repeats the last
days of this one, adds only the lines not seen before; two imports of one file at the same moment
add its lines once (the insert skips a fingerprint that is already there). An import that adds
nothing writes nothing. The lines are then matched against the payments on record
(bank_matching).

The company's owner imports (the statement is the company's bank account); staff cannot, until
someone decides which role should.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import case, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from luckychit_app.clock import format_date
from luckychit_app.domain.bank_statement import MAX_FILE_BYTES, StatementLine, fingerprints, parse_statement
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.wording import plural
from luckychit_app.models import BankStatement, BankStatementLine
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_owner
from luckychit_app.services.errors import ServiceError

_CHUNK = 500
"""Fingerprints looked up per query (a year's statement is a few thousand lines)."""


@dataclass(frozen=True)
class Imported:
    """What an import did, for the page to say."""

    statement_id: int | None  # None: nothing new, nothing written
    kind: str
    account: str
    lines_read: int
    lines_new: int
    credits_new: int
    first_day: date
    last_day: date

    def summary(self) -> str:
        where = f" of account {self.account}" if self.account else ""
        span = f"{format_date(self.first_day)} to {format_date(self.last_day)}"
        if not self.lines_new:
            return f"Nothing new: all {plural(self.lines_read, 'line')}{where} ({span}) were imported before."
        repeated = self.lines_read - self.lines_new
        again = f"; {plural(repeated, 'line')} already imported" if repeated else ""
        return (
            f"Imported {plural(self.lines_new, 'new line')}{where} ({span}), "
            f"{plural(self.credits_new, 'deposit')} among them{again}."
        )


def clean_filename(value: object) -> str:
    """The uploaded file's own name, without any folder a browser may send: for the list of
    imports only (the file is never written anywhere)."""
    if not isinstance(value, str):
        return ""
    name = PureWindowsPath(PurePosixPath(value).name).name
    return "".join(ch for ch in name if ch.isprintable())[:120]


def import_statement(session: Session, *, actor: Actor | None, filename: object, data: object) -> Imported:
    """Read the statement file and store its lines not stored before (see the module docstring)."""
    actor = require_owner(actor)
    if not isinstance(data, bytes | bytearray):
        raise ServiceError("Choose a statement file to import.")
    if len(data) > MAX_FILE_BYTES:
        raise ServiceError(
            f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB. Download a shorter period "
            "(a month or a quarter) and import each file."
        )
    try:
        parsed = parse_statement(bytes(data))
    except DomainError as exc:
        raise ServiceError(exc.message) from exc
    prints = fingerprints(parsed.account, parsed.lines)
    known: set[str] = set()
    for start in range(0, len(prints), _CHUNK):
        chunk = prints[start : start + _CHUNK]
        known.update(
            session.exec(
                select(BankStatementLine.fingerprint).where(
                    BankStatementLine.company_id == actor.company_id,
                    BankStatementLine.fingerprint.in_(chunk),
                )
            ).all()
        )
    fresh = [(fp, line) for fp, line in zip(prints, parsed.lines, strict=True) if fp not in known]
    days = [line.day for line in parsed.lines]
    result = Imported(None, parsed.kind, parsed.account, len(parsed.lines), 0, 0, min(days), max(days))
    if not fresh:
        return result
    statement = BankStatement(
        company_id=actor.company_id,
        account=parsed.account,
        source=parsed.kind,
        filename=clean_filename(filename),
        first_day=result.first_day,
        last_day=result.last_day,
        lines_read=len(parsed.lines),
        imported_by_id=actor.user_id,
    )
    session.add(statement)
    session.flush()
    _insert_lines(session, statement, fresh)
    added, credits = session.exec(
        select(
            func.count(), func.coalesce(func.sum(case((BankStatementLine.credit > 0, 1), else_=0)), 0)
        ).where(BankStatementLine.statement_id == statement.id)
    ).one()
    if not added:  # an import of the same file, a moment ahead of this one, took every line
        session.delete(statement)
        return result
    statement.lines_new = added
    session.add(statement)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="bank.statement_imported",
        object_type="bank_statement",
        object_id=statement.id,
        detail={
            "account": parsed.account,
            "source": parsed.kind,
            "filename": statement.filename,
            "lines_read": len(parsed.lines),
            "lines_new": added,
            "first_day": result.first_day.isoformat(),
            "last_day": result.last_day.isoformat(),
        },
    )
    return Imported(
        statement.id,
        parsed.kind,
        parsed.account,
        len(parsed.lines),
        int(added),
        int(credits),
        result.first_day,
        result.last_day,
    )


def _insert_lines(session: Session, statement: BankStatement, fresh: list[tuple[str, StatementLine]]) -> None:
    """Multi-row inserts that skip a fingerprint already stored (by a racing import): the unique
    constraint decides, not the read before it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {
            "company_id": statement.company_id,
            "statement_id": statement.id,
            "fingerprint": fp,
            "account": statement.account,
            "day": line.day,
            "value_day": line.value_day,
            "narration": line.narration,
            "ref": line.ref,
            "utrs": ",".join(line.utrs)[:80],
            "debit": line.debit,
            "credit": line.credit,
            "balance": line.balance,
            "created_at": statement.imported_at,
        }
        for fp, line in fresh
    ]
    for start in range(0, len(rows), _CHUNK):
        session.execute(
            insert(BankStatementLine.__table__)
            .values(rows[start : start + _CHUNK])
            .on_conflict_do_nothing(index_elements=["company_id", "fingerprint"])
        )


def recent_imports(session: Session, *, actor: Actor | None, limit: int = 5) -> list[dict[str, str]]:
    """The company's latest imports, newest first, as the page lists them."""
    actor = require_owner(actor)
    rows = session.exec(
        select(BankStatement)
        .where(BankStatement.company_id == actor.company_id)
        .order_by(BankStatement.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "id": str(st.id),
            "file": st.filename or st.source.upper(),
            "account": st.account or "-",
            "span": f"{format_date(st.first_day)} to {format_date(st.last_day)}",
            "lines": f"{st.lines_new} new of {st.lines_read}",
        }
        for st in rows
    ]
