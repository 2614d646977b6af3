"""Prometheus metrics at `/metrics`: Reflex events (count, latency, errors), payments and draws
posted to the books, and error log records.

Where each figure comes from, chosen so no service or page has to remember to count:

* Events: `state.event_metrics.EventMetrics`, an app middleware. Reflex 0.10 calls a middleware's
  `preprocess` for every event once the session's state is loaded, inside the task that runs the
  handler; the middleware counts the event and adds a done-callback to that task, which observes
  the latency when the handler has finished and its delta has been emitted, and counts the event as
  an error when the handler raised. (0.10 never calls `postprocess`, so the task callback is the end
  hook.)
* Payments and draws: SQLAlchemy session events. Every captured payment posts a journal entry of
  kind `payment` and every held draw or auction one of kind `settlement`; the entries flushed in a
  transaction are counted when it commits, so a rolled-back payment is never counted.
* Database time per event: the middleware puts an accumulator in a context variable; engine
  cursor hooks add each statement's execution time and count to it. `asyncio.to_thread` (which
  `state.runner.run_service` uses) copies the context, so the service calls of the event are
  included. `luckychit_event_db_seconds` is the database's share of an event's latency and
  `luckychit_event_db_statements` shows queries run in loops at a glance.
* Errors: a logging handler counts ERROR records per top-level logger (`luckychit` service
  failures logged by `state.runner`, `reflex` handler tracebacks, ...).
* Background jobs and the outbox backlog (issue 21): gauges read from the database at scrape time
  (`api.metrics` reads the heartbeats and the backlog and hands them to `render`). They describe the
  install, not a process, so they are computed once per scrape rather than kept per worker and
  summed (a sum of each worker's "oldest queued message" would be meaningless).

Several workers (`REFLEX_REDIS_URL` set) are separate processes: point `PROMETHEUS_MULTIPROC_DIR`
at an empty directory shared by them (a tmpfs, emptied when the container starts) and every scrape
sums all workers. Without it each process reports its own numbers, which is right for one worker.
`LUCKYCHIT_METRICS_TOKEN`, when set, must be sent as `Authorization: Bearer <token>` (`api.metrics`).
This module knows nothing of Reflex or HTTP, so services may count through it.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import functools
import gc
import logging
import os
import time
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from luckychit_app.models import JournalEntry, PostingRow

log = logging.getLogger("luckychit.metrics")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SLOW_EVENT_SECONDS = float(os.environ.get("LUCKYCHIT_SLOW_EVENT_MS", "1000")) / 1000

EVENTS = Counter("luckychit_events", "Reflex events processed, per handler", ["event"])
EVENT_SECONDS = Histogram(
    "luckychit_event_seconds",
    "Handler time per Reflex event, from its session state being loaded to its last delta sent",
    ["event"],
    buckets=LATENCY_BUCKETS,
)
EVENT_ERRORS = Counter("luckychit_event_errors", "Reflex events whose handler raised", ["event"])
EVENT_DB_SECONDS = Histogram(
    "luckychit_event_db_seconds",
    "Time spent executing SQL statements per Reflex event (its service calls included)",
    ["event"],
    buckets=LATENCY_BUCKETS,
)
EVENT_DB_STATEMENTS = Histogram(
    "luckychit_event_db_statements",
    "SQL statements executed per Reflex event",
    ["event"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377),
)
ERRORS = Counter("luckychit_errors", "ERROR log records, per top-level logger", ["source"])
PAYMENTS = Counter("luckychit_payments", "Payments posted to the books (journal entries of kind payment)")
PAYMENT_PAISE = Counter("luckychit_payments_paise", "Money received in posted payments, in paise")
DRAWS = Counter("luckychit_draws", "Draws and auctions settled in the books")
GC_PAUSE_SECONDS = Histogram(
    "luckychit_gc_pause_seconds",
    "Python garbage collections, per generation: every event of the worker waits them out",
    ["generation"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)

_PENDING = "luckychit_metrics_pending"
_STARTED = "luckychit_metrics_statement_started"


class _DbTime:
    """What one event's statements cost so far; shared with the worker threads of its services."""

    __slots__ = ("seconds", "statements")

    def __init__(self) -> None:
        self.seconds = 0.0
        self.statements = 0


_db_time: contextvars.ContextVar[_DbTime | None] = contextvars.ContextVar("luckychit_db_time", default=None)


@functools.cache
def event_label(name: str) -> str:
    """`reflex___state____state.luckychit_app___state___foreman____foreman_groups_state.load` ->
    `foreman_groups_state.load`: short, readable, and bounded by the app's handlers (only
    registered handlers reach the middleware, so a client cannot invent label values, and the cache
    stays as small as the app)."""
    state, _, handler = name.rpartition(".")
    return f"{state.rpartition('.')[2].rsplit('____', 1)[-1]}.{handler}" if state else handler


class _EventSeries(NamedTuple):
    count: Any
    seconds: Any
    db_seconds: Any
    statements: Any
    errors: Any


@functools.cache
def _series(label: str) -> _EventSeries:
    """An event label's children of the event metrics, looked up once per handler: `labels()` takes
    a lock and builds its key on every call, five times an event on the hot path otherwise."""
    return _EventSeries(
        EVENTS.labels(label),
        EVENT_SECONDS.labels(label),
        EVENT_DB_SECONDS.labels(label),
        EVENT_DB_STATEMENTS.labels(label),
        EVENT_ERRORS.labels(label),
    )


def _finished(label: str, started: float, db: _DbTime, task: asyncio.Task) -> None:
    elapsed = time.perf_counter() - started
    series = _series(label)
    series.seconds.observe(elapsed)
    series.db_seconds.observe(db.seconds)
    series.statements.observe(db.statements)
    failed = not task.cancelled() and task.exception() is not None
    if failed:
        series.errors.inc()
    if elapsed >= SLOW_EVENT_SECONDS:
        log.warning(
            "slow event",
            extra={
                "event": label,
                "ms": round(elapsed * 1000, 1),
                "db_ms": round(db.seconds * 1000, 1),
                "statements": db.statements,
                "failed": failed,
            },
        )


def observe_event(label: str) -> None:
    """Count one event and time it until the current task (the one running its handler) ends."""
    _file_gc_pauses()
    _series(label).count.inc()
    task = asyncio.current_task()
    if task is not None:
        db = _DbTime()
        _db_time.set(db)  # the rest of this task, and the threads it starts, add to it
        task.add_done_callback(functools.partial(_finished, label, time.perf_counter(), db))


def _before_statement(conn: Any, _cursor: Any, _statement: str, _params: Any, _ctx: Any, _many: bool) -> None:
    if _db_time.get() is not None:
        conn.info[_STARTED] = time.perf_counter()


def _after_statement(conn: Any, _cursor: Any, _statement: str, _params: Any, _ctx: Any, _many: bool) -> None:
    started = conn.info.pop(_STARTED, None)
    if started is not None:
        observe_statement(time.perf_counter() - started)


def observe_statement(seconds: float) -> None:
    """One statement counted in its event's figures: the engine's through the two hooks above, and
    those run beside the engine (db_loop's session check on psycopg's async driver) directly."""
    db = _db_time.get()
    if db is not None:
        db.seconds += seconds
        db.statements += 1


# --- payments and draws, from the journal entries a transaction commits -----------------------------


def _after_flush(session: Session, _flush_context: object) -> None:
    pending = session.info.setdefault(_PENDING, {"entries": {}, "payments": 0, "paise": 0, "draws": 0})
    for obj in session.new:
        if isinstance(obj, JournalEntry) and obj.kind in ("payment", "settlement"):
            pending["entries"][obj.id] = obj.kind
            if obj.kind == "payment":
                pending["payments"] += 1
            else:
                pending["draws"] += 1
    for obj in session.new:
        if (
            isinstance(obj, PostingRow)
            and obj.amount > 0
            and pending["entries"].get(obj.entry_id) == "payment"
            and obj.account.endswith(":cash")
        ):
            pending["paise"] += obj.amount


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released (services.money.ledger.post uses one); the transaction goes on
    pending = session.info.pop(_PENDING, None)
    if pending:
        if pending["payments"]:
            PAYMENTS.inc(pending["payments"])
            PAYMENT_PAISE.inc(pending["paise"])
        if pending["draws"]:
            DRAWS.inc(pending["draws"])


def _after_rollback(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)


class _ErrorCounter(logging.Handler):
    """Counts ERROR records. One sits on the root logger for everyone else's records and one on the
    `luckychit` logger, which stops propagating once logging is configured; the root one skips the
    app's records so none is counted twice."""

    def __init__(self, *, skip_app: bool) -> None:
        super().__init__(level=logging.ERROR)
        self.skip_app = skip_app

    def emit(self, record: logging.LogRecord) -> None:
        source = record.name.split(".", 1)[0] or "root"
        if not (self.skip_app and source == "luckychit"):
            ERRORS.labels(source).inc()


_gc_started = 0.0
# Bounded: a process that runs no events (a CLI command) never files them.
_gc_pauses: collections.deque[tuple[int, float]] = collections.deque(maxlen=1000)


def _gc_pause(phase: str, info: dict[str, int]) -> None:
    """A collection stops the whole worker, so a long one is a tail on every event in flight. The
    pause is only noted here: a collection can start while this thread holds a metric's lock
    (prometheus_client's are not reentrant), so `observe_event` files it into the histogram."""
    global _gc_started
    if phase == "start":
        _gc_started = time.perf_counter()
    elif _gc_started:
        _gc_pauses.append((info["generation"], time.perf_counter() - _gc_started))
        _gc_started = 0.0


def _file_gc_pauses() -> None:
    while _gc_pauses:
        generation, seconds = _gc_pauses.popleft()
        GC_PAUSE_SECONDS.labels(str(generation)).observe(seconds)


_installed = False


def install() -> None:
    """Start counting payments, draws and error logs in this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    sa_event.listen(Session, "after_flush", _after_flush)
    sa_event.listen(Session, "after_commit", _after_commit)
    sa_event.listen(Session, "after_rollback", _after_rollback)
    sa_event.listen(Engine, "before_cursor_execute", _before_statement)
    sa_event.listen(Engine, "after_cursor_execute", _after_statement)
    logging.getLogger().addHandler(_ErrorCounter(skip_app=True))
    logging.getLogger("luckychit").addHandler(_ErrorCounter(skip_app=False))
    gc.callbacks.append(_gc_pause)


# --- the endpoint -------------------------------------------------------------------------------------


class _Snapshot(Collector):
    """Metric families computed for one scrape."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


def background_families(workers: Iterable[Mapping[str, Any]], backlog: Mapping[str, Any]) -> list[Metric]:
    """Gauges for `services.operations.heartbeats.worker_status` and `outbox_backlog`. The interval
    is exported beside the lag so an alert rule can judge lateness itself; `late` and `failing` are
    the app's own judgement (the same one /health shows), exported so the rules need not repeat it."""
    lag = GaugeMetricFamily(
        "luckychit_worker_lag_seconds",
        "Seconds since the background job last finished a run",
        labels=["worker"],
    )
    every = GaugeMetricFamily(
        "luckychit_worker_interval_seconds", "The background job's interval between runs", labels=["worker"]
    )
    late = GaugeMetricFamily(
        "luckychit_worker_late", "1 when the job has not run for 3 intervals + 30 s", labels=["worker"]
    )
    failing = GaugeMetricFamily(
        "luckychit_worker_failing", "1 when the job's last run raised", labels=["worker"]
    )
    for w in workers:
        name = str(w["name"])
        # A job that never finished a run has no lag: report it as infinitely late.
        lag.add_metric([name], float("inf") if w["lag_seconds"] is None else float(w["lag_seconds"]))
        every.add_metric([name], float(w["every_seconds"]))
        late.add_metric([name], 1.0 if w["status"] == "late" else 0.0)
        failing.add_metric([name], 1.0 if w["status"] == "failing" else 0.0)
    queued = GaugeMetricFamily("luckychit_outbox_queued", "Outbox messages not yet handed to a provider")
    queued.add_metric([], float(backlog["queued"]))
    oldest = GaugeMetricFamily(
        "luckychit_outbox_oldest_seconds", "Age of the oldest message not yet handed over"
    )
    oldest.add_metric([], float(backlog["oldest_seconds"]))
    due = GaugeMetricFamily("luckychit_outbox_due", "Outbox messages whose (re)try time has come")
    due.add_metric([], float(backlog["due"]))
    oldest_due = GaugeMetricFamily(
        "luckychit_outbox_oldest_due_seconds", "Longest wait past its (re)try time of a due outbox message"
    )
    oldest_due.add_metric([], float(backlog["oldest_due_seconds"]))
    return [lag, every, late, failing, queued, oldest, due, oldest_due]


def render(extra: list[Metric] | None = None) -> bytes:
    """The Prometheus text exposition: every worker's numbers summed in multiprocess mode, then the
    install-wide `extra` families (computed for this scrape, never summed)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    if extra:
        snapshot = CollectorRegistry()
        snapshot.register(_Snapshot(extra))
        body += generate_latest(snapshot)
    return body


def count_posted_payments(session: Session, count: int, paise: int) -> None:
    """For payments posted with set-based inserts (services.money.payment_batch), which the ORM flush hook
    above never sees; counted at commit like the rest, and dropped on rollback."""
    pending = session.info.setdefault(_PENDING, {"entries": {}, "payments": 0, "paise": 0, "draws": 0})
    pending["payments"] += count
    pending["paise"] += paise
