"""The session check on the event loop (luckychit_app/db_loop.py): the row it reads is the row the
engine reads, on SQLite and on PostgreSQL; on PostgreSQL it commits nothing and leaves no
transaction open, and a pooled connection the server ended is replaced without the check failing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from psycopg_pool import PoolTimeout
from sqlalchemy import text
from sqlalchemy.engine import Engine

from luckychit_app import db, db_loop, metrics
from luckychit_app.models import User
from luckychit_app.services.people import auth
from luckychit_app.services.reporting.page_versions import SESSION_WITH_COUNTERS
from tests.services.helpers import Tx, active_group, foreman, member_actor

STATEMENTS = (auth.SESSION_ACTOR, SESSION_WITH_COUNTERS)


def on_loop(engine: Engine, monkeypatch: pytest.MonkeyPatch, check: Callable[[], Awaitable[Any]]) -> Any:
    """`check()` on a fresh event loop against `engine`, the loop's pools closed after."""
    monkeypatch.setattr(db, "get_engine", lambda: engine)

    async def run() -> Any:
        try:
            return await check()
        finally:
            await db_loop.close_pools()

    return asyncio.run(run())


def tokens(tx: Tx) -> dict[str, str]:
    """A live session of a foreman and of a member, and one the member signed out of."""
    boss = foreman(tx)
    _group, tickets = active_group(tx, boss, tickets=2)
    member = member_actor(tx, tickets[0])
    with tx() as s:
        found = {
            "foreman": auth.open_session(s, s.get(User, boss.user_id)),
            "member": auth.open_session(s, s.get(User, member.user_id)),
            "signed out": auth.open_session(s, s.get(User, member.user_id)),
        }
    with tx() as s:
        auth.logout(s, token=found["signed out"])
    return found


def test_the_check_reads_what_the_engine_reads(
    engine: Engine, tx: Tx, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = tokens(tx)
    values = {who: auth.session_values(token) for who, token in sessions.items()}
    with engine.connect() as conn:
        expected = [[tuple(conn.execute(st, values[who]).first()) for who in sessions] for st in STATEMENTS]

    async def check() -> list[list[tuple]]:
        return [[tuple(await db_loop.fetch_one(st, values[who])) for who in sessions] for st in STATEMENTS]

    assert on_loop(engine, monkeypatch, check) == expected
    found = [auth.session_of_row(row) for row in expected[1]]
    assert [f[0][0].role if f else None for f in found] == ["foreman", "member", None]
    assert found[1][1][0], "the member's counters came with the check"


def test_an_unknown_token_reads_no_row(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    async def check() -> object:
        return await db_loop.fetch_one(auth.SESSION_ACTOR, auth.session_values("x" * 43))

    assert on_loop(engine, monkeypatch, check) is None
    assert auth.session_values("short") is None and auth.session_values(None) is None


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_on_postgres_the_check_leaves_no_transaction_open_and_survives_a_dropped_connection(
    engine: Engine, tx: Tx, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens(tx)["member"]
    values = auth.session_values(token)
    backends = text("SELECT pid, state FROM pg_stat_activity WHERE application_name = :a AND datname = :d")

    async def check() -> tuple[list, Any]:
        first = await db_loop.fetch_one(SESSION_WITH_COUNTERS, values)
        with engine.connect() as conn:  # the pool's connection: idle, not "idle in transaction"
            seen = conn.execute(backends, {"a": db_loop.APPLICATION_NAME, "d": engine.url.database}).all()
            for pid, _state in seen:  # as a restart or an idle timeout would
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        again = await db_loop.fetch_one(SESSION_WITH_COUNTERS, values)
        return seen, (first, again)

    seen, (first, again) = on_loop(engine, monkeypatch, check)
    assert seen and all(state == "idle" for _pid, state in seen), seen
    assert first is not None and tuple(again) == tuple(first)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_on_postgres_the_check_counts_in_its_events_statements(
    engine: Engine, tx: Tx, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's statements are counted by its hooks (metrics.install); the check's run beside
    the engine and count themselves, so an event's `luckychit_event_db_statements` still holds it."""
    values = auth.session_values(tokens(tx)["member"])

    async def check() -> tuple[int, float]:
        figures = metrics._DbTime()
        metrics._db_time.set(figures)
        await db_loop.fetch_one(SESSION_WITH_COUNTERS, values)
        return figures.statements, figures.seconds

    statements, seconds = on_loop(engine, monkeypatch, check)
    assert statements == 1 and 0 < seconds < 5


def test_an_unreachable_database_fails_the_check_within_its_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listens on port 1: the check fails after WAIT_SECONDS (the page then says so) instead
    of holding the tab, and so does the next one (the pool keeps trying to connect behind them);
    a wait that ran out is not taken for a dropped connection and waited out a second time."""
    monkeypatch.setattr(db_loop, "WAIT_SECONDS", 1.0)
    nowhere = db.make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")

    async def check() -> None:
        for _ in range(2):
            with pytest.raises(PoolTimeout):
                await db_loop.fetch_one(auth.SESSION_ACTOR, {"token_hash": "x"})

    started = time.monotonic()
    on_loop(nowhere, monkeypatch, check)
    assert time.monotonic() - started < 3.5, "each check waits once, not again after a pool check"
