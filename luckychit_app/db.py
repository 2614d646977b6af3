"""Engine and transactions. Services take a Session; callers own the transaction boundary."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

from luckychit_app.settings import VAR_DIR, get_settings

READ_ONLY = "luckychit_read_only"
"""The execution option that marks read_transaction()'s connections (SQLite reads it at BEGIN)."""


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """`foreign_keys=False` is for SQLite schema migrations only: a table rebuilt by copy-and-rename
    must not cascade or refuse on the way (SQLite's documented 12-step ALTER procedure, which ends
    with `PRAGMA foreign_key_check`; alembic/env.py runs it)."""
    if url.startswith("sqlite"):
        VAR_DIR.mkdir(exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            # Foreign keys are off by default in SQLite; WAL lets readers run beside the writer.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn) -> None:  # noqa: ANN001
            # Take the write lock up front: a deferred transaction that reads, then writes after
            # another writer committed, fails at once instead of waiting its turn. A read
            # transaction (read_transaction) takes no lock and may not write: query_only makes
            # SQLite refuse its writes, as PostgreSQL's READ ONLY does. The pragma outlives the
            # transaction, so the next writer on the same pooled connection turns it off again.
            if conn.get_execution_options().get(READ_ONLY):
                if not conn.info.get("query_only"):
                    conn.exec_driver_sql("PRAGMA query_only=ON")
                    conn.info["query_only"] = True
                conn.exec_driver_sql("BEGIN")
                return
            if conn.info.pop("query_only", False):
                conn.exec_driver_sql("PRAGMA query_only=OFF")
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)
    _ping_when_in_doubt(engine)
    return engine


PING_AFTER_IDLE_S = 30.0
"""A pooled connection idle this long is pinged before use even if its socket looks healthy: a
firewall or NAT may have dropped it without a word."""


def _ping_when_in_doubt(engine: Engine) -> None:
    """SQLAlchemy's `pool_pre_ping`, for the connections that need it: a `SELECT 1` round trip
    before every checkout was a tenth of a member's page load (0.2 ms of its ~2 ms above Reflex's
    own cost, docs/benchmarks.md 3i). A connection PostgreSQL ended (a restart, a terminated
    backend) has the server's goodbye waiting on its socket, which `select` sees without a round
    trip; one idle longer than PING_AFTER_IDLE_S is pinged all the same. A failed ping raises
    DisconnectionError, on which the pool discards the connection and opens a fresh one (the
    documented pessimistic-disconnect recipe, SQLAlchemy "Dealing with Disconnects")."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        since = record.info.pop("idle_since", None)
        if since is None:  # a connection just opened
            return
        if (
            time.monotonic() - since < PING_AFTER_IDLE_S
            and not select.select([dbapi_conn.fileno()], [], [], 0)[0]  # nothing waits unread
        ):
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the pooled connection was closed by the server") from exc


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache(maxsize=1)
def replica_engine() -> Engine | None:
    """The engine of READ_DATABASE_URL, or None when no read replica is configured."""
    url = get_settings().read_database_url
    return make_engine(url) if url else None


def get_read_engine() -> Engine:
    """Where read_transaction() reads: the replica when READ_DATABASE_URL is set, else the primary.
    (The fallback is looked up at each call, not cached, so it follows get_engine.)"""
    return replica_engine() or get_engine()


@contextmanager
def read_transaction() -> Iterator[Session]:
    """A read-only unit of work for the heavy reads: reports, exports, proof exports, ledger-check.
    On the read replica (READ_DATABASE_URL) when one is configured, else on the primary.

    A replica lags the primary by its replication delay (usually well under a second, more under
    load), so what is read here may miss the last writes: fine for a report or an export, which is
    as of a moment anyway, but never read here anything a write decides on (balances before a
    payment, a lock, a receipt number, the audit chain's end) - those reads stay in `transaction()`
    on the primary. The transaction is READ ONLY (PostgreSQL refuses any write in it, SQLite's
    query_only too, even with no replica), and always rolls back: it never commits. A path that
    must also write (an export's audit row) writes in its own `transaction()` on the primary.
    On PostgreSQL it is REPEATABLE READ too: every statement of a report (an export's dues and its
    payments, ledger-check's invariants) reads the same snapshot, as SQLite's transactions do."""
    engine = get_read_engine()
    with Session(engine, expire_on_commit=False, execution_options={READ_ONLY: True}) as session:
        if engine.dialect.name == "postgresql":
            session.connection().exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            yield session
        finally:
            session.rollback()


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
