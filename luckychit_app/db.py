"""Engine and transactions. Services take a Session; callers own the transaction boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from luckychit_app.settings import VAR_DIR, get_settings


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
            # another writer committed, fails at once instead of waiting its turn.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_recycle=1800)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


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


@contextmanager
def connection(engine: Engine | None = None) -> Iterator[Connection]:
    """One unit of work on a bare Core connection: commit on success, roll back on any error. For
    the hottest reads, whose ORM session bookkeeping cost more than their statements; an ORM
    `Session(bind=conn)` opened inside joins the same transaction. (Closing a connection rolls back
    what it did not commit.)"""
    with (engine or get_engine()).connect() as conn:
        yield conn
        conn.commit()
