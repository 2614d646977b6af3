"""Worker heartbeats and the outbox backlog (issue 21): is the work the app does on its own being done?

Every background job (luckychit_app.background: the auction closer, the outbox sender, the reminder
scheduler, the backups) records a heartbeat after its runs with :func:`beat`, an upsert on the
job's name. :func:`worker_status` judges each row, and :func:`outbox_backlog` says how many
messages wait and for how long; /health and /metrics report both.

The rules, and why:

* late - no run finished for ``3 × every + 30 s``. Three missed intervals rule out one slow run
  (an SMTP timeout, a long auction) raising an alarm; the 30 s covers a worker restarting (a deploy)
  and heartbeats being written at most every ``HEARTBEAT_GAP`` seconds by a fast job.
* failing - the last run raised (``last_error`` set, ``last_ok_at`` older than the last run): the job
  is alive but its work is not done, which "late" alone would never show.
* lag is counted from the last *recorded* run: a healthy fast job writes at most every
  ``HEARTBEAT_GAP`` (10 s, background.py), so its lag reads up to that much high - far inside the
  late limit, and it spares the database a write per second per worker.
* lag is counted from the end of the last run, so one run longer than the late limit shows its
  job late while it runs (the backups job is checked every 60 s: a backup over 3.5 min long shows
  "backups" late until it ends; the alert waits 2 min more). Telling a long run from a hung one
  would need a maximum run time per job; not done yet.
* late wins over failing: a job that stopped is the more urgent news, and its last error is kept.
* The interval travels in the row (``every_seconds``): lateness is judged from the table alone, so
  /health needs no list of jobs (api and background are separate layers, pyproject.toml), and a
  job another engineer adds is judged without anyone registering it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from luckychit_app.clock import utcnow
from luckychit_app.models import OutboxMessage, WorkerHeartbeat

LATE_FACTOR = 3
"""Missed intervals before a job is late (one slow run must not page anyone)."""
LATE_GRACE_SECONDS = 30.0
"""Slack for a restart and for throttled heartbeats (see ``HEARTBEAT_GAP`` in background.py)."""
ERROR_CHARS = 300
"""The column's length: a long traceback message is cut, never allowed to fail the heartbeat."""
BACKLOG_STATUSES = ("queued", "sending")
"""Messages not yet handed to a provider: queued (or waiting for a retry) and claimed in flight."""


def late_after(every: float) -> float:
    """Seconds without a finished run after which a job that runs every ``every`` seconds is late."""
    return LATE_FACTOR * every + LATE_GRACE_SECONDS


def beat(
    session: Session,
    name: str,
    *,
    started_at: datetime,
    ok: bool,
    error: str = "",
    finished_at: datetime | None = None,
    every: float | None = None,
    runs: int = 1,
) -> None:
    """Record ``runs`` runs of job ``name``, the last started at ``started_at`` and finished at
    ``finished_at`` (now when omitted). An upsert (``INSERT … ON CONFLICT DO UPDATE``) rather than a
    read-then-write: every worker runs every job, and two workers' first heartbeats racing must
    not fail on the primary key. ``every`` (the job's interval) is kept when omitted."""
    finished = finished_at or utcnow()
    values: dict[str, Any] = {
        "name": name[:40],
        "last_started_at": started_at,
        "last_finished_at": finished,
        "last_error": "" if ok else (error or "error")[:ERROR_CHARS],
        "runs": runs,
    }
    if ok:
        values["last_ok_at"] = finished
    if every is not None:
        values["every_seconds"] = float(every)
    table = WorkerHeartbeat.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table).values(**values)
    updates = {k: stmt.excluded[k] for k in values if k not in ("name", "runs")}
    updates["runs"] = table.c.runs + stmt.excluded.runs
    session.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=updates))


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _seconds(now: datetime, when: datetime | None) -> float | None:
    if when is None:
        return None
    if when.tzinfo is None and now.tzinfo is not None:
        when = when.replace(tzinfo=now.tzinfo)  # SQLite hands back naive UTC
    return round(max(0.0, (now - when).total_seconds()), 1)


def judge(row: WorkerHeartbeat, now: datetime) -> dict[str, Any]:
    """One job's status: name, last run and last success (ISO, UTC), lag (seconds since the last
    run finished), the interval, the seconds after which it is late, and ok / late / failing."""
    lag = _seconds(now, row.last_finished_at)
    every = float(row.every_seconds or 0.0)
    limit = late_after(every)
    failing = bool(row.last_error) and (row.last_ok_at is None or row.last_ok_at < row.last_finished_at)
    if lag is None or lag > limit:
        state = "late"
    elif failing:
        state = "failing"
    else:
        state = "ok"
    return {
        "name": row.name,
        "status": state,
        "last_run": _iso(row.last_finished_at),
        "last_ok": _iso(row.last_ok_at),
        "lag_seconds": lag,
        "every_seconds": every,
        "late_after_seconds": limit,
        "runs": row.runs,
        "last_error": row.last_error,
    }


def worker_status(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Every job that ever recorded a heartbeat, judged at ``now`` (one primary-key-ordered read of
    a table with a row per job: cheap enough for every /health call)."""
    rows = session.exec(select(WorkerHeartbeat).order_by(WorkerHeartbeat.name)).all()
    return [judge(row, now) for row in rows]


def outbox_backlog(session: Session, now: datetime) -> dict[str, Any]:
    """Messages not yet handed to a provider, in one aggregate over the indexed ``status`` column:
    ``queued`` (queued or in flight) and ``oldest_seconds`` (age of the oldest of them), and
    ``due`` / ``oldest_due_seconds``: those whose retry time has come, and how long the longest has
    waited past it. A message backing off for six hours is queued but not due; only a growing
    *due* wait says the sender is behind, so the alert watches that one."""
    m = OutboxMessage
    is_due = (m.status == "sending") | m.next_attempt_at.is_(None) | (m.next_attempt_at <= now)
    due_since = func.coalesce(m.next_attempt_at, m.created_at)
    count, oldest, due, oldest_due = session.exec(
        select(
            func.count(),
            func.min(m.created_at),
            func.coalesce(func.sum(case((is_due, 1), else_=0)), 0),
            func.min(case((is_due, due_since), else_=None)),
        ).where(m.status.in_(BACKLOG_STATUSES))
    ).one()
    if isinstance(oldest_due, str):  # SQLite returns the MIN of a CASE as text
        oldest_due = datetime.fromisoformat(oldest_due)
    return {
        "queued": int(count or 0),
        "oldest_seconds": _seconds(now, oldest) or 0.0,
        "due": int(due or 0),
        "oldest_due_seconds": _seconds(now, oldest_due) or 0.0,
    }


def background_status(session: Session, now: datetime) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What /health and /metrics both report: every job judged (`worker_status`) and the outbox
    backlog (`outbox_backlog`), read at the same ``now``."""
    return worker_status(session, now), outbox_backlog(session, now)
