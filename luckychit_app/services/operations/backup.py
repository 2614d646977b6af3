"""Backups that can be trusted, and restores that prove they worked (issue 21, item 1).

`backup` writes one `luckychit-<UTC stamp>.lcbak` file: a consistent dump of the whole database,
sealed with the data key (backup_format.py), and a manifest of what the dump holds - the schema
revision, every table's row count, the ledger's debit and credit totals, the audit chain's head and
the number of completed draws - computed from the same snapshot as the dump, so that a restore can
check the restored database against it figure by figure. A dump is taken while the app keeps
writing: PostgreSQL through `pg_dump --snapshot` of a snapshot this module exported and counted in,
SQLite through the online backup API (a read transaction, which writers in WAL mode do not wait for).

`restore` refuses, with nothing changed, a file whose manifest does not authenticate, whose hashes
do not match, whose schema is not this code's, or (without `overwrite`) a target that has data. It
then restores (pg_restore in one transaction; SQLite by an atomic rename) and proves the result:
the books balance, the audit chain verifies, every completed draw's proof verifies, and the counts
and totals are the manifest's. The ledger check lives in services.money, which this package may not
import (pyproject's layers), so the caller - the CLI or a test - passes it in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from luckychit_app.clock import utcnow
from luckychit_app.db import make_engine
from luckychit_app.models import AuditLog, Draw, PostingRow
from luckychit_app.services.audit import verify_chain
from luckychit_app.services.operations.backup_format import (
    BackupRefused,
    decrypt_to,
    encrypt_file,
    new_keys,
    read_manifest,
    sealed_sha256,
    write_container,
)
from luckychit_app.settings import ROOT
from luckychit_app.verify import parse_proof, proof_sha256, verify_proof

__all__ = ["BackupRefused", "RestoreReport", "backup", "code_revision", "restore"]

SUFFIX = ".lcbak"
PREFIX = "luckychit-"
LedgerCheck = Callable[[Session], list[str]]


def code_revision() -> str:
    """The schema revision(s) this code runs on: a dump of any other schema is refused, since the
    app could not run on it after the restore."""
    return ",".join(sorted(ScriptDirectory(str(ROOT / "alembic")).get_heads()))


def _kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupRefused("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _pg_command(url: str, program: str) -> tuple[list[str], dict[str, str]]:
    """The program with the URL's parts as arguments and PG* variables: no shell ever sees them, and
    the password travels in the environment, not on a command line other users can read."""
    binary = shutil.which(program) or program
    parts = make_url(url)
    args = [binary, "--no-password"]
    if parts.host:
        args.append(f"--host={parts.host}")
    if parts.port:
        args.append(f"--port={parts.port}")
    if parts.username:
        args.append(f"--username={parts.username}")
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = str(parts.password)
    if "sslmode" in parts.query:
        env["PGSSLMODE"] = str(parts.query["sslmode"])
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (no shell)
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-3:]) or f"exit status {done.returncode}"
        raise BackupRefused(f"{what} failed: {detail}")


def figures(conn: Connection) -> dict[str, Any]:
    """What the manifest promises about a database, read in `conn`'s transaction (its snapshot)."""
    tables = sorted(inspect(conn).get_table_names())
    preparer = conn.dialect.identifier_preparer
    counts = {
        name: int(conn.execute(text(f"SELECT count(*) FROM {preparer.quote(name)}")).scalar_one())  # noqa: S608
        for name in tables
    }
    revision = ""
    if "alembic_version" in tables:
        revision = ",".join(sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()))
    debits, credits = (0, 0)
    head: dict[str, Any] = {"id": 0, "hash": None}
    draws = 0
    if "postings" in tables:
        amount = PostingRow.__table__.c.amount
        debits = conn.execute(select(func.coalesce(func.sum(amount), 0)).where(amount > 0)).scalar_one()
        credits = conn.execute(select(func.coalesce(func.sum(-amount), 0)).where(amount < 0)).scalar_one()
    if "audit_log" in tables:
        audit = AuditLog.__table__.c
        last = conn.execute(select(audit.id, audit.row_hash).order_by(audit.id.desc()).limit(1)).first()
        if last is not None:
            head = {"id": int(last[0]), "hash": last[1]}
    if "draws" in tables:
        draw = Draw.__table__.c
        draws = conn.execute(select(func.count()).where(draw.status == "completed")).scalar_one()
    return {
        "schema_revision": revision,
        "tables": counts,
        "ledger": {"debits": int(debits), "credits": int(credits)},
        "audit_head": head,
        "completed_draws": int(draws),
    }


@contextlib.contextmanager
def _engine_for(engine_or_url: Engine | str) -> Iterator[Engine]:
    if isinstance(engine_or_url, Engine):
        yield engine_or_url
        return
    engine = make_engine(engine_or_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _dump_postgres(engine: Engine, url: str, dump: Path) -> dict[str, Any]:
    """pg_dump of a snapshot exported from a REPEATABLE READ transaction that counts the same
    snapshot, so the manifest describes exactly the rows in the dump."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        found = figures(conn)
        args, env = _pg_command(url, "pg_dump")
        args += ["--format=custom", f"--snapshot={snapshot}", f"--file={dump}", str(make_url(url).database)]
        _run(args, env, "pg_dump")
    return found


def _dump_sqlite(url: str, dump: Path) -> dict[str, Any]:
    """SQLite's online backup API copies a consistent snapshot while the app writes; the copy is
    switched out of WAL mode so the dump is one self-contained file."""
    path = _sqlite_path(url)
    if not path.is_file():  # sqlite3.connect would create an empty database and back that up
        raise BackupRefused(f"there is no SQLite database at {path}")
    source = sqlite3.connect(path, timeout=30)
    with contextlib.closing(source) as src, contextlib.closing(sqlite3.connect(dump)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    return _sqlite_figures(dump)


def _sqlite_figures(path: Path) -> dict[str, Any]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return figures(conn)
    finally:
        engine.dispose()


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


def backup(engine_or_url: Engine | str, out_dir: str | Path, *, now: datetime | None = None) -> Path:
    """Write one sealed backup into `out_dir` and return its path. The file appears under its final
    name only when complete (written as `.partial`, then renamed), so rotation and restores never
    see half a backup."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    created = now or utcnow()
    with _engine_for(engine_or_url) as engine, tempfile.TemporaryDirectory(prefix="lcbak-") as work:
        url = engine.url.render_as_string(hide_password=False)
        dump = Path(work) / "dump"
        kind = _kind(url)
        found = _dump_postgres(engine, url, dump) if kind == "postgresql" else _dump_sqlite(url, dump)
        keys = new_keys()
        sealed = Path(work) / "sealed"
        plain_sha, cipher_sha = encrypt_file(keys, dump, sealed)
        manifest = {
            "format": 1,
            "created_at": created.isoformat(timespec="seconds") + ("" if created.tzinfo else "Z"),
            "database": kind,
            **found,
            "plain_sha256": plain_sha,
            "cipher_sha256": cipher_sha,
            "key_id": keys.key_id,
            "salt": keys.salt.hex(),
        }
        target = out / f"{PREFIX}{_stamp(created)}{SUFFIX}"
        n = 1
        while target.exists():
            n += 1
            target = out / f"{PREFIX}{_stamp(created)}-{n}{SUFFIX}"
        partial = target.with_name(target.name + ".partial")
        partial.touch(mode=0o600)  # sealed, but still nobody else's business
        with partial.open("wb") as fh:
            write_container(keys, manifest, sealed, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, target)
    return target


@dataclass
class RestoreReport:
    """What the restore proved. `problems` empty means every check held."""

    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    draws_verified: int = 0
    audit_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        m = self.manifest
        rows = sum(m["tables"].values())
        if self.ok:
            return (
                f"restored the {m['database']} backup of {m['created_at']}: {rows} rows in "
                f"{len(m['tables'])} tables, books balance, audit chain OK ({self.audit_rows} rows), "
                f"{self.draws_verified} draw proofs verified"
            )
        return f"restore FAILED checks: {'; '.join(self.problems)}"


def _has_data(url: str) -> bool:
    """Any row in any table but alembic_version: a restore over it needs `overwrite`."""
    if _kind(url) == "sqlite" and not _sqlite_path(url).exists():
        return False
    engine = create_engine(url) if _kind(url) == "sqlite" else make_engine(url)
    try:
        with engine.connect() as conn:
            counts = figures(conn)["tables"]
    except SQLAlchemyError as exc:
        raise BackupRefused(f"cannot read the target database: {str(exc).splitlines()[0]}") from exc
    finally:
        engine.dispose()
    return any(n for name, n in counts.items() if name != "alembic_version")


def _open_checked(path: Path, target_url: str, overwrite: bool) -> tuple[dict[str, Any], Any, int]:
    """Everything that can be refused before anything is touched."""
    fh = path.open("rb")
    try:
        manifest, keys = read_manifest(fh)
        start = fh.tell()
        if sealed_sha256(fh) != manifest["cipher_sha256"]:
            raise BackupRefused(
                "the backup's ciphertext does not match its manifest's sha256: the file was changed"
            )
        fh.seek(start)
        if manifest["database"] != _kind(target_url):
            raise BackupRefused(
                f"a {manifest['database']} backup cannot be restored into {_kind(target_url)}"
            )
        if manifest["schema_revision"] != code_revision():
            raise BackupRefused(
                f"the backup's schema revision {manifest['schema_revision']!r} is not this code's "
                f"{code_revision()!r}: restore it with the release that wrote it"
            )
        if not overwrite and _has_data(target_url):
            raise BackupRefused("the target database is not empty; pass --yes to overwrite it")
    except BaseException:
        fh.close()
        raise
    return manifest, (fh, keys), start


def restore(
    file: str | Path, target_url: str, *, ledger_check: LedgerCheck, overwrite: bool = False
) -> RestoreReport:
    """Restore `file` into `target_url` and prove it; raises BackupRefused (nothing changed) when the
    file cannot be trusted or the target has data and `overwrite` is false."""
    path = Path(file)
    manifest, (fh, keys), _ = _open_checked(path, target_url, overwrite)
    with fh:
        if manifest["database"] == "sqlite":
            _restore_sqlite(manifest, fh, keys, _sqlite_path(target_url))
        else:
            _restore_postgres(manifest, fh, keys, target_url)
    return _prove(manifest, target_url, ledger_check)


def _decrypt_checked(manifest: dict[str, Any], fh: Any, keys: Any, out: Path) -> None:
    with out.open("wb") as dst:
        plain_sha = decrypt_to(keys, fh, dst)
        dst.flush()
        os.fsync(dst.fileno())
    if plain_sha != manifest["plain_sha256"]:
        raise BackupRefused("the decrypted dump does not match its manifest's sha256")


def _restore_sqlite(manifest: dict[str, Any], fh: Any, keys: Any, target: Path) -> None:
    """Decrypt beside the target, then rename over it: the target is the old database or the new
    one, never half of each. A stale -wal/-shm of the old file must go first, or SQLite would
    replay the old log into the new database."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    try:
        _decrypt_checked(manifest, fh, keys, partial)
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _restore_postgres(manifest: dict[str, Any], fh: Any, keys: Any, url: str) -> None:
    """pg_restore in a single transaction: if any statement fails, the target is as it was."""
    with tempfile.TemporaryDirectory(prefix="lcbak-") as work:
        dump = Path(work) / "dump"
        _decrypt_checked(manifest, fh, keys, dump)
        args, env = _pg_command(url, "pg_restore")
        args += [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={make_url(url).database}",
            str(dump),
        ]
        _run(args, env, "pg_restore")


def _prove(manifest: dict[str, Any], url: str, ledger_check: LedgerCheck) -> RestoreReport:
    report = RestoreReport(manifest)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = figures(conn)
        for key, label in (
            ("schema_revision", "schema revision"),
            ("ledger", "ledger totals"),
            ("audit_head", "audit chain head"),
            ("completed_draws", "completed draws"),
        ):
            if found[key] != manifest[key]:
                report.problems.append(f"{label}: restored {found[key]!r}, manifest {manifest[key]!r}")
        for name in sorted(set(found["tables"]) | set(manifest["tables"])):
            if found["tables"].get(name) != manifest["tables"].get(name):
                restored, promised = found["tables"].get(name), manifest["tables"].get(name)
                report.problems.append(f"row count of {name}: restored {restored}, manifest {promised}")
        with Session(engine) as session:
            report.problems += [f"ledger: {p}" for p in ledger_check(session)]
            chain = verify_chain(session)
            report.audit_rows = chain.rows
            if not chain.ok:
                report.problems.append(f"audit chain broken: {chain.describe()}")
            report.draws_verified = _verify_proofs(session, report.problems)
    finally:
        engine.dispose()
    return report


def _verify_proofs(session: Session, problems: list[str]) -> int:
    """Every completed draw's stored proof, checked by the standalone verifier members use."""
    verified = 0
    rows = session.execute(
        select(Draw.id, Draw.proof_json, Draw.proof_sha256)
        .where(Draw.status == "completed")
        .order_by(Draw.id)
    ).all()
    for draw_id, proof_json, stored_sha in rows:
        try:
            proof = parse_proof(proof_json or "")
        except ValueError as exc:
            problems.append(f"draw {draw_id}: proof is not valid JSON ({exc})")
            continue
        failed = [c for c in verify_proof(proof) if not c.ok]
        if failed:
            problems.append(f"draw {draw_id}: proof check {failed[0].name} fails: {failed[0].detail}")
        elif stored_sha and proof_sha256(proof) != stored_sha:
            problems.append(f"draw {draw_id}: proof does not match its recorded sha256")
        else:
            verified += 1
    return verified
