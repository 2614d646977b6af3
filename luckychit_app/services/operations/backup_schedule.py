"""When the workers take backups, which worker takes one, and how many are kept.

Time is cut into slots of `every` hours counted from the Unix epoch (UTC), so every worker computes
the same slot without talking to the others: a daily slot starts at 00:00 UTC, an hourly one on the
hour. The first worker to create the slot's marker file in the backup directory (O_CREAT|O_EXCL, atomic
on every local and network file system in use) takes the backup; the others see the marker and skip.
This works the same on PostgreSQL and SQLite, and across machines that share the directory. A backup
that fails removes its marker so the next check (a minute later) tries again; a worker killed
mid-backup leaves the marker, and that one slot goes without (the next slot is unaffected), which is
preferred to two workers dumping at once.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from luckychit_app.services.operations.backup import PREFIX, SUFFIX, backup

MARKER = ".slot-"
_NAME = re.compile(rf"^{PREFIX}(\d{{8}}T\d{{6}}Z)(?:-(\d+))?{re.escape(SUFFIX)}$")


def parse_every(value: str | None) -> float:
    """LUCKYCHIT_BACKUP_EVERY in hours: "daily" (the default), "hourly" or a positive number."""
    spec = (value or "daily").strip().lower()
    if spec == "daily":
        return 24.0
    if spec == "hourly":
        return 1.0
    try:
        hours = float(spec)
    except ValueError:
        hours = 0.0
    if not 0 < hours <= 24 * 366:
        raise ValueError(f"LUCKYCHIT_BACKUP_EVERY must be daily, hourly or a number of hours, not {value!r}")
    return hours


def parse_keep(value: str | None) -> int:
    """LUCKYCHIT_BACKUP_KEEP: how many backup files to keep (default 14, at least 1)."""
    try:
        keep = int((value or "14").strip())
    except ValueError:
        keep = 0
    if keep < 1:
        raise ValueError(f"LUCKYCHIT_BACKUP_KEEP must be a whole number of at least 1, not {value!r}")
    return keep


def slot_stamp(now: datetime, every_hours: float) -> str:
    """The UTC start of the slot `now` falls in, as a file-name stamp."""
    aware = now if now.tzinfo else now.replace(tzinfo=UTC)
    period = every_hours * 3600
    start = int(aware.timestamp() // period * period)
    return datetime.fromtimestamp(start, UTC).strftime("%Y%m%dT%H%M%SZ")


def claim_slot(out_dir: Path, stamp: str) -> bool:
    """True for the one caller that creates the slot's marker; False for every other."""
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(out_dir / f"{MARKER}{stamp}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.write(fd, f"{os.getpid()}\n".encode())
    os.close(fd)
    return True


def backups_in(out_dir: Path) -> list[Path]:
    """The backup files in `out_dir`, oldest first (by the stamp in their names)."""
    found = []
    for path in out_dir.iterdir() if out_dir.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), path))
    return [path for _, path in sorted(found)]


def rotate(out_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    doomed = backups_in(out_dir)[:-keep] if keep > 0 else backups_in(out_dir)
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _prune_markers(out_dir: Path, current: str) -> None:
    """Markers of past slots can go: no worker will ever claim a past slot again."""
    for marker in out_dir.glob(f"{MARKER}*"):
        if marker.name != f"{MARKER}{current}":
            marker.unlink(missing_ok=True)


def run_scheduled(
    engine_or_url: Engine | str, out_dir: str | Path, *, every_hours: float, keep: int, now: datetime
) -> Path | None:
    """Back up if this slot has no backup yet and this caller wins it; then keep the newest `keep`.
    Returns the new file, or None when another worker has (or had) the slot."""
    directory = Path(out_dir)
    stamp = slot_stamp(now, every_hours)
    if not claim_slot(directory, stamp):
        return None
    try:
        path = backup(engine_or_url, directory, now=now)
    except BaseException:
        (directory / f"{MARKER}{stamp}").unlink(missing_ok=True)
        raise
    rotate(directory, keep)
    _prune_markers(directory, stamp)
    return path
