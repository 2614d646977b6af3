"""The backups job's arithmetic and its one-worker-per-slot rule (services/operations/backup_schedule.py)."""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from luckychit_app import background
from luckychit_app.services.operations import backup_schedule as sched

NOW = datetime(2026, 12, 6, 22, 3, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "hours"),
    [(None, 24.0), ("", 24.0), ("daily", 24.0), ("Hourly", 1.0), ("6", 6.0), ("0.5", 0.5)],
)
def test_every_parses_daily_hourly_and_hours(value: str | None, hours: float) -> None:
    assert sched.parse_every(value) == hours


@pytest.mark.parametrize("value", ["weekly", "0", "-3", "nan"])
def test_a_bad_every_names_the_variable(value: str) -> None:
    with pytest.raises(ValueError, match="LUCKYCHIT_BACKUP_EVERY"):
        sched.parse_every(value)


def test_keep_defaults_to_14_and_refuses_nonsense() -> None:
    assert sched.parse_keep(None) == 14 and sched.parse_keep("3") == 3
    for bad in ("0", "-1", "many"):
        with pytest.raises(ValueError, match="LUCKYCHIT_BACKUP_KEEP"):
            sched.parse_keep(bad)


def test_slots_are_aligned_to_utc_so_every_worker_computes_the_same_one() -> None:
    assert sched.slot_stamp(NOW, 24) == "20261206T000000Z"
    assert sched.slot_stamp(NOW, 1) == "20261206T220000Z"
    assert sched.slot_stamp(NOW, 6) == "20261206T180000Z"
    assert sched.slot_stamp(NOW.replace(hour=23, minute=59, second=59), 24) == "20261206T000000Z"
    assert sched.slot_stamp(NOW + timedelta(hours=2), 24) == "20261207T000000Z"
    naive = NOW.replace(tzinfo=None)  # naive times are UTC
    assert sched.slot_stamp(naive, 1) == sched.slot_stamp(NOW, 1)


def test_exactly_one_of_many_racing_workers_claims_a_slot(tmp_path: Path) -> None:
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        wins.append(sched.claim_slot(tmp_path, "20261206T000000Z"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    assert sched.claim_slot(tmp_path, "20261207T000000Z")  # the next slot is free


def test_rotation_keeps_the_newest_n_and_nothing_else_is_touched(tmp_path: Path) -> None:
    names = [f"luckychit-202612{day:02d}T000000Z.lcbak" for day in range(1, 17)]
    names.append("luckychit-20261216T000000Z-2.lcbak")  # a second backup in the same second
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("keep me")
    (tmp_path / "luckychit-20261201T000000Z.lcbak.partial").write_bytes(b"x")

    deleted = sched.rotate(tmp_path, 14)
    assert [p.name for p in deleted] == names[:3]
    kept = [p.name for p in sched.backups_in(tmp_path)]
    assert kept == names[3:] and len(kept) == 14
    assert kept[-1] == "luckychit-20261216T000000Z-2.lcbak"
    assert (tmp_path / "notes.txt").exists()
    assert (tmp_path / "luckychit-20261201T000000Z.lcbak.partial").exists()
    assert sched.rotate(tmp_path, 14) == []


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "live.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def test_run_scheduled_backs_up_once_per_slot_and_rotates(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "backups"
    first = sched.run_scheduled(sqlite_url, out, every_hours=1, keep=2, now=NOW)
    assert first is not None and first.exists()
    assert sched.run_scheduled(sqlite_url, out, every_hours=1, keep=2, now=NOW + timedelta(minutes=5)) is None
    later = [
        sched.run_scheduled(sqlite_url, out, every_hours=1, keep=2, now=NOW + timedelta(hours=h))
        for h in (1, 2)
    ]
    assert all(later)
    assert sched.backups_in(out) == later  # the first was rotated away
    assert [p.name for p in out.glob(".slot-*")] == [".slot-20261207T000000Z"]  # past markers pruned


def test_a_failed_backup_frees_its_slot_for_the_next_check(tmp_path: Path) -> None:
    out = tmp_path / "backups"
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"
    with pytest.raises(Exception):  # noqa: B017 (sqlite3's own error)
        sched.run_scheduled(missing, out, every_hours=24, keep=3, now=NOW)
    assert sched.claim_slot(out, sched.slot_stamp(NOW, 24))


def test_the_backups_job_is_off_without_a_directory_and_runs_with_one(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "backups" in [job.name for job in background.JOBS]
    monkeypatch.delenv("LUCKYCHIT_BACKUP_DIR", raising=False)
    assert background.take_scheduled_backup() == "off"
    from luckychit_app.db import make_engine

    engine = make_engine(sqlite_url)
    try:
        monkeypatch.setenv("LUCKYCHIT_BACKUP_DIR", str(tmp_path / "auto"))
        monkeypatch.setenv("LUCKYCHIT_BACKUP_EVERY", "hourly")
        monkeypatch.setenv("LUCKYCHIT_BACKUP_KEEP", "2")
        written = background.take_scheduled_backup(engine)
        assert written.endswith(".lcbak") and Path(written).exists()
        assert background.take_scheduled_backup(engine) == "slot taken"
    finally:
        engine.dispose()
