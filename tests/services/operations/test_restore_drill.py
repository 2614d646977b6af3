"""The restore drill (issue 21): a backup taken while payments keep arriving is restored into a
destroyed database, and the restored book is proved - every payment committed before the backup began
is there, the books balance, the audit chain and every draw proof verify. A backup that was tampered
with, sealed with another key or made for another schema is refused and the target left as it was."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine, make_url
from sqlmodel import select

from luckychit_app import crypto
from luckychit_app.db import make_engine, transaction
from luckychit_app.models import Payment
from luckychit_app.services.audit import verify_chain
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.operations import backup_format
from luckychit_app.services.operations.backup import BackupRefused, backup, restore
from tests.conftest import _pg_admin
from tests.services.helpers import Tx, active_group, conduct, foreman, pay, pay_dues, snapshot


def _seed(tx: Tx) -> tuple[object, list[int]]:
    """A lucky group of three with two months paid and two draws held."""
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    pay_dues(tx, boss, tickets, 1)
    conduct(tx, boss, group_id)
    pay_dues(tx, boss, tickets, 2)
    conduct(tx, boss, group_id)
    return boss, tickets


def _destroy(url: str) -> None:
    """Gone: the SQLite file deleted, the PostgreSQL database dropped and created empty."""
    if url.startswith("sqlite"):
        path = Path(make_url(url).database)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        assert not path.exists()
        return
    name = make_url(url).database
    admin = _pg_admin()
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def _wait_for(predicate: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the payment thread stalled"
        time.sleep(0.01)


def test_restore_drill_backup_under_load_then_destroy_and_restore(
    db_url: str, engine: Engine, tx: Tx, tmp_path: Path
) -> None:
    boss, tickets = _seed(tx)
    committed: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_paying() -> None:
        """A counter clerk taking ₹1 at a time, each payment its own committed transaction."""
        try:
            while not stop.is_set():
                committed.append(pay(tx, boss, tickets[len(committed) % 3], 100).id)
        except BaseException as exc:
            errors.append(exc)

    writer = threading.Thread(target=keep_paying)
    writer.start()
    try:
        _wait_for(lambda: len(committed) >= 3 or errors)
        before = list(committed)  # committed before the backup began
        path = backup(engine, tmp_path / "backups")
        after_backup = len(committed)
        _wait_for(lambda: len(committed) >= after_backup + 3 or errors)  # still writing afterwards
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors, errors
    assert path.name.startswith("luckychit-") and path.suffix == ".lcbak"
    assert len(committed) > len(before) >= 3

    engine.dispose()
    _destroy(db_url)
    report = restore(path, db_url, ledger_check=ledger_check)
    assert report.ok, report.problems
    assert report.draws_verified == 2 and report.audit_rows > 0
    assert "books balance" in report.summary()

    restored = make_engine(db_url)
    try:
        with transaction(restored) as s:
            ids = set(s.exec(select(Payment.id)).all())
            assert set(before) <= ids, sorted(set(before) - ids)
            assert len(ids) == report.manifest["tables"]["payments"]
            assert ledger_check(s) == []
            assert verify_chain(s).ok
    finally:
        restored.dispose()


@pytest.fixture
def sealed(engine: Engine, tx: Tx, tmp_path: Path) -> Iterator[Path]:
    """A seeded database and a good backup of it."""
    _seed(tx)
    yield backup(engine, tmp_path / "backups")


def _refused(path: Path, db_url: str, engine: Engine, match: str) -> None:
    """Restoring `path` over the seeded database is refused and changes nothing."""
    before = snapshot(engine)
    with pytest.raises(BackupRefused, match=match):
        restore(path, db_url, ledger_check=ledger_check, overwrite=True)
    assert snapshot(engine) == before


def test_a_flipped_ciphertext_byte_is_refused_and_the_target_untouched(
    sealed: Path, db_url: str, engine: Engine
) -> None:
    data = bytearray(sealed.read_bytes())
    data[-40] ^= 0x01
    sealed.write_bytes(bytes(data))
    _refused(sealed, db_url, engine, "ciphertext does not match")


def test_an_edited_manifest_is_refused(sealed: Path, db_url: str, engine: Engine) -> None:
    data = sealed.read_bytes()
    assert b'"completed_draws":2' in data
    sealed.write_bytes(data.replace(b'"completed_draws":2', b'"completed_draws":3', 1))
    _refused(sealed, db_url, engine, "does not authenticate")


def test_a_manifest_resealed_for_another_schema_is_refused(
    sealed: Path, db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """Even a correctly sealed file (someone holding the key) for another schema is refused."""
    with sealed.open("rb") as fh:
        manifest, keys = backup_format.read_manifest(fh)
        rest = tmp_path / "rest"
        rest.write_bytes(fh.read())
    manifest["schema_revision"] = "0001_initial_schema"
    other = tmp_path / "other.lcbak"
    with other.open("wb") as out:
        backup_format.write_container(keys, manifest, rest, out)
    _refused(other, db_url, engine, "schema revision")


@pytest.mark.parametrize(
    ("keys", "match"),
    [
        ("test1:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=", "does not authenticate"),
        ("other:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=", "does not hold"),
    ],
    ids=["same-id-wrong-key", "unknown-key-id"],
)
def test_a_wrong_data_key_is_refused(
    sealed: Path, db_url: str, engine: Engine, keys: str, match: str
) -> None:
    saved = os.environ["LUCKYCHIT_DATA_KEYS"]
    os.environ["LUCKYCHIT_DATA_KEYS"] = keys
    crypto.keyring.cache_clear()
    try:
        _refused(sealed, db_url, engine, match)
    finally:
        os.environ["LUCKYCHIT_DATA_KEYS"] = saved
        crypto.keyring.cache_clear()


def test_a_database_with_data_is_not_overwritten_without_yes(
    sealed: Path, db_url: str, engine: Engine
) -> None:
    before = snapshot(engine)
    with pytest.raises(BackupRefused, match="not empty"):
        restore(sealed, db_url, ledger_check=ledger_check)
    assert snapshot(engine) == before
    engine.dispose()
    report = restore(sealed, db_url, ledger_check=ledger_check, overwrite=True)  # --yes
    assert report.ok, report.problems
