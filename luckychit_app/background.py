"""Work the app does on its own while it serves: the periodic jobs, in one place.

Every worker process runs :func:`periodic_jobs` (a Reflex lifespan task). Each job is written to be
run by several workers at once - rows are claimed with ``FOR UPDATE SKIP LOCKED`` - so no leader
election is needed; the same functions back the cron-style commands (``python -m luckychit_app
close-due-auctions``) for deployments that would rather run them from outside.

* outbox - deliver queued SMS, WhatsApp and email every 2 s (claimed under a lease, sent outside
  the transaction, retried with backoff: services/messages/outbox.py).
* reminders - queue the scheduled payment reminders due now, every 5 minutes between 09:00 and
  20:00 India time (services/messages/reminder_schedule.py).
* auctions - close auctions whose closing time has come, every second: pages poll the draw about
  once a second, so members see the result within about two seconds of the closing time.
* backups - with LUCKYCHIT_BACKUP_DIR set, a sealed backup per LUCKYCHIT_BACKUP_EVERY slot, checked
  every minute; one worker wins each slot (services/operations/backup_schedule.py).

Every run of every job, whatever its name (a job added to JOBS later - the backups - included),
records a heartbeat (services/operations/heartbeats.py) in `_repeat`, so /health and /metrics can
tell a job that stopped from one that fails. The heartbeat is its own short transaction after the
run and a failure to write it is logged, never raised: watching the work must not stop the work.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from luckychit_app.clock import utcnow
from luckychit_app.db import get_engine, transaction
from luckychit_app.gateways.routing import sender_from_env
from luckychit_app.services.draws import auction_closer
from luckychit_app.services.messages import reminder_schedule
from luckychit_app.services.messages.outbox import deliver_due
from luckychit_app.services.operations import backup_schedule, heartbeats

log = logging.getLogger("luckychit")


def _deliver_once() -> dict[str, int]:
    # Each channel goes to its configured provider (MSG91, WhatsApp Cloud API, SMTP), else to the
    # console. A provider whose settings are wrong raises here: the messages wait, nothing is lost.
    return deliver_due(transaction, sender_from_env())


def close_due_auctions(engine: Engine | None = None, *, limit: int = 50) -> dict[str, int]:
    """Settle every auction past its closing time, each in its own transaction (one that fails is
    logged and retried next time; it does not hold up the others). Returns counts by outcome."""
    with transaction(engine) as session:
        due = auction_closer.due_auction_ids(session, limit=limit)
    counts: Counter[str] = Counter()
    for draw_id in due:
        try:
            with transaction(engine) as session:
                outcome = auction_closer.close_if_due(session, draw_id=draw_id)
        except Exception:
            log.exception("closing auction draw %s failed; retrying next time", draw_id)
            outcome = "failed"
        counts[outcome] += 1
        if outcome == "settled":
            log.info("auction draw %s closed at its closing time and settled", draw_id)
    return {k: counts[k] for k in ("settled", "unsold", "skipped", "failed")}


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: float
    """Seconds between the end of one run and the start of the next; also the heartbeat's expected
    interval (a job is late after ``heartbeats.late_after(every)`` seconds without a run)."""


def send_reminders(engine: Engine | None = None) -> dict[str, int]:
    """Queue the scheduled reminders due now (services/messages/reminder_schedule.py): their dedupe
    keys make a second worker's run, or a run after a restart, queue nothing twice."""
    with transaction(engine) as session:
        return reminder_schedule.send_scheduled(session, now=utcnow())


def take_scheduled_backup(engine: Engine | None = None) -> str:
    """The "backups" job: when LUCKYCHIT_BACKUP_DIR is set, back up once per LUCKYCHIT_BACKUP_EVERY
    slot and keep the newest LUCKYCHIT_BACKUP_KEEP files (services/operations/backup_schedule.py:
    one worker wins each slot through an exclusively created marker file). Checked every minute, so a
    worker that starts mid-slot takes that slot's backup if nobody has. Returns what it did."""
    out_dir = os.environ.get("LUCKYCHIT_BACKUP_DIR", "").strip()
    if not out_dir:
        return "off"
    every = backup_schedule.parse_every(os.environ.get("LUCKYCHIT_BACKUP_EVERY"))
    keep = backup_schedule.parse_keep(os.environ.get("LUCKYCHIT_BACKUP_KEEP"))
    path = backup_schedule.run_scheduled(
        engine or get_engine(), out_dir, every_hours=every, keep=keep, now=utcnow()
    )
    if path is not None:
        log.info("backup written to %s", path)
    return str(path) if path else "slot taken"


JOBS = (
    Job("outbox", _deliver_once, 2.0),
    Job("reminders", send_reminders, 300.0),
    Job("auctions", close_due_auctions, 1.0),
    Job("backups", take_scheduled_backup, 60.0),
)


HEARTBEAT_GAP = 10.0
"""Seconds between a healthy job's heartbeat writes. The auction closer runs every second in every
worker; a row update per run would be needless write traffic, so clean runs are counted and written
at most this often (well inside the late limit, ``3 × every + 30 s`` >= 33 s). A failure, or the
first clean run after one, is written at once: a change of state is never held back."""


@dataclass
class _Beats:
    """What a job's loop has not yet written: runs since the last heartbeat, and the last state."""

    pending: int = 0
    written_at: float = float("-inf")
    last_ok: bool = True
    blocked_until: float = float("-inf")
    """After a heartbeat could not be written (the database down): no new attempt before this, so
    the auction closer does not log a warning every second while the database is away."""


def _record_heartbeat(job: Job, beats: _Beats, *, started_at: datetime, ok: bool, error: str) -> None:
    beats.pending += 1
    if time.monotonic() < beats.blocked_until:
        return
    changed = ok != beats.last_ok
    if ok and not changed and time.monotonic() - beats.written_at < HEARTBEAT_GAP:
        return
    try:
        with transaction() as session:
            heartbeats.beat(
                session,
                job.name,
                started_at=started_at,
                ok=ok,
                error=error,
                every=job.every,
                runs=beats.pending,
            )
    except Exception:
        # The database is down or the table is missing (not yet migrated): the job goes on, and the
        # runs stay pending so the next heartbeat that lands counts them.
        log.warning("heartbeat for job %s not recorded", job.name, exc_info=True)
        beats.blocked_until = time.monotonic() + HEARTBEAT_GAP
        return
    beats.pending, beats.written_at, beats.last_ok = 0, time.monotonic(), ok


async def _repeat(job: Job) -> None:
    beats = _Beats()
    while True:
        started_at, ok, error = utcnow(), True, ""
        try:
            await asyncio.to_thread(job.run)
        except Exception as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"
            log.exception("periodic job %s failed; retrying", job.name)
        try:
            await asyncio.to_thread(_record_heartbeat, job, beats, started_at=started_at, ok=ok, error=error)
        except Exception:  # belt and braces: nothing about the heartbeat may end the loop
            log.exception("heartbeat for job %s failed", job.name)
        await asyncio.sleep(job.every)


async def periodic_jobs(jobs: tuple[Job, ...] = JOBS) -> None:
    """Run every job on its own schedule, off the event loop; a slow one (an SMTP server timing
    out) does not delay another (an auction due to close)."""
    await asyncio.gather(*(_repeat(job) for job in jobs))
