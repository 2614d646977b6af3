"""The session check on the event loop. Every event that needs to know who is signed in reads one
indexed row (services/people/auth.py `SESSION_ACTOR`); through the engine that is a thread hop, a
pool checkout and SQLAlchemy's execution around a statement PostgreSQL answers in microseconds, and
was most of the app's own CPU per member navigation (`python -m bench.session_lookup`,
docs/benchmarks.md 3n: 1.04 ms of CPU per check that way, 0.23 ms through psycopg's async driver).
On PostgreSQL the statement, compiled once by SQLAlchemy, runs on psycopg's `AsyncConnection` from a
pool per event loop, in autocommit: one round trip, which psycopg prepares server-side after its
fifth use. On SQLite (development and the in-process tests) it runs through the engine on a worker
thread, as every other read does."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
import weakref
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from luckychit_app import db, metrics

POOL_SIZE = 10
"""Connections per worker process for the checks: each is held for one round trip, so a few serve
hundreds of events a second (the engine's own pool holds the transactions)."""

WAIT_SECONDS = 10.0
"""How long a check waits for a connection (all in use, or the database unreachable) before it fails
and the page says so: psycopg_pool's default of 30 s would hold a tab that long."""
APPLICATION_NAME = "luckychit session checks"
"""How these connections show in `pg_stat_activity` (unless DATABASE_URL names one)."""

log = logging.getLogger("luckychit")
_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Engine, asyncio.Task[AsyncConnectionPool]]]
_pools = weakref.WeakKeyDictionary()


@functools.cache
def _compiled(statement: Select) -> tuple[str, dict[str, Any]]:
    """`statement` as the SQL text and constant parameters SQLAlchemy would send (its expanding IN
    lists rendered), once per statement: the SQL text of a statement never changes, only the values
    bound at each check. Only plain values may be bound (strings, numbers): no type's bind
    processing runs on this path (tests/services/test_db_loop.py compares it with the engine's)."""
    compiled = statement.compile(dialect=PGDialect_psycopg())
    unbound = {bind.key: None for bind in compiled.binds.values() if bind.required}
    expanded = compiled.construct_expanded_state(unbound)
    return expanded.statement, dict(expanded.parameters)


async def _open_pool(engine: Engine) -> AsyncConnectionPool:
    _args, params = engine.dialect.create_connect_args(engine.url)
    pool = AsyncConnectionPool(
        kwargs={"application_name": APPLICATION_NAME, **params, "autocommit": True},
        min_size=1,
        max_size=POOL_SIZE,
        timeout=WAIT_SECONDS,
        open=False,
        name="checks",
    )
    await pool.open()
    return pool


async def _pool(engine: Engine) -> AsyncConnectionPool:
    """This event loop's pool for `engine`'s database (a pool's connections belong to one loop;
    workers and tests each run their own)."""
    pools = _pools.setdefault(asyncio.get_running_loop(), {})
    opening = pools.get(engine)
    if opening is None or (opening.done() and (opening.cancelled() or opening.exception())):
        # One task opens it; checks arriving meanwhile await the same task; a failed opening is
        # tried again by the next check.
        opening = pools[engine] = asyncio.ensure_future(_open_pool(engine))
    return await opening


async def fetch_one(statement: Select, values: Mapping[str, Any]) -> Sequence[Any] | None:
    """The first row of `statement` with `values` bound, or None: on the loop on PostgreSQL, on a
    worker thread elsewhere. A pooled connection the server ended (a restart, an idle timeout) fails
    its statement: then every idle connection of the pool is tested, the dead ones replaced
    (`AsyncConnectionPool.check`, a round trip each, only after a failure), and the check runs
    once more."""
    engine = db.get_engine()
    if engine.dialect.name != "postgresql":
        return await asyncio.to_thread(_fetch_on_engine, engine, statement, values)
    sql, constants = _compiled(statement)
    pool = await _pool(engine)
    try:
        return await _fetch(pool, sql, {**constants, **values})
    except PoolTimeout:  # no connection within WAIT_SECONDS: checking the pool would wait as long again
        raise
    except psycopg.OperationalError:
        log.warning("a pooled connection for the session check failed; checking the pool's connections")
        await pool.check()
        return await _fetch(pool, sql, {**constants, **values})


async def _fetch(pool: AsyncConnectionPool, sql: str, values: dict[str, Any]) -> Sequence[Any] | None:
    async with pool.connection() as conn:
        started = time.perf_counter()
        cursor = await conn.execute(sql, values)
        row = await cursor.fetchone()
        metrics.observe_statement(time.perf_counter() - started)
        return row


def _fetch_on_engine(engine: Engine, statement: Select, values: Mapping[str, Any]) -> Sequence[Any] | None:
    with engine.connect() as conn:
        return conn.execute(statement, dict(values)).first()


async def close_pools() -> None:
    """Close this loop's pools (a test's end; `pools_closed_at_exit` in a worker)."""
    pools = _pools.pop(asyncio.get_running_loop(), {})
    for opening in pools.values():
        with contextlib.suppress(Exception):  # a pool that never opened has nothing to close
            await (await opening).close()


@contextlib.asynccontextmanager
async def pools_closed_at_exit() -> AsyncIterator[None]:
    """A worker's lifespan (luckychit_app.py): its checks' connections end with it, not by the
    server timing them out."""
    yield
    await close_pools()
