"""Fixtures for the security tests: the app imported in-process, the two-world database built once
per session (on SQLite: authorization is decided in Python, the same on both databases), and a
fresh copy of it per test that the app's own `get_engine()` points at."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import time
import warnings
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import Engine

from luckychit_app import db, settings
from luckychit_app.db import get_engine as original_get_engine
from luckychit_app.db import make_engine
from tests.conftest import restore_sqlite
from tests.security.world import World, build_world
from tests.services.helpers import snapshot

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works for these tests
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["AppDatabase", "TestClient", "run"]
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one test's async body (no pytest-asyncio here): a fresh loop per test."""
    return asyncio.run(coro)


@pytest.fixture(scope="session")
def app() -> Any:
    """The real Reflex app object, with every page, state and middleware registered."""
    from luckychit_app.luckychit_app import app as reflex_app

    return reflex_app


@pytest.fixture(scope="session")
def world_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    started = time.perf_counter()
    path = tmp_path_factory.mktemp("security-world") / "world.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    world = build_world(engine)
    engine.dispose()
    with sqlite3.connect(path) as conn:  # one self-contained file, so a copy is the whole database
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    print(f"security world built in {time.perf_counter() - started:.1f}s")
    return path, world


@pytest.fixture(scope="session")
def world(world_template: tuple[Path, World]) -> World:
    return world_template[1]


class AppDatabase:
    """The database the in-process app uses in this test: the world template, restored by `reset()`
    after anything changed it. One file and one engine serve every test of a worker
    (tests.conftest.restore_sqlite says why)."""

    _engine: Engine | None = None

    def __init__(self, template: Path, directory: Path) -> None:
        self.template = template
        if AppDatabase._engine is None:
            AppDatabase._engine = make_engine(f"sqlite:///{directory / 'app.db'}")
        self.engine: Engine = AppDatabase._engine
        self.reset()

    def reset(self) -> None:
        restore_sqlite(self.template, self.engine)
        self.baseline = self.latest = snapshot(self.engine)

    def _changed(self, now: dict[str, list[tuple]]) -> set[str]:
        return {name for name, rows in now.items() if rows != self.baseline.get(name)}

    def mark(self) -> set[str]:
        """Compare later changes with the database as it is now (after a page's preparatory events).
        Returns the tables that had changed since the last reset (or mark), from the same read."""
        now = snapshot(self.engine)
        changed = self._changed(now)
        self.baseline = self.latest = now
        return changed

    def changed_tables(self) -> set[str]:
        """Tables whose rows differ from the state after the last reset (or mark); the rows read
        are kept in `latest`."""
        self.latest = snapshot(self.engine)
        return self._changed(self.latest)

    def close(self) -> None:
        self.engine.dispose()


@pytest.fixture
def app_db(
    world_template: tuple[Path, World],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[AppDatabase]:
    """Points the app (DATABASE_URL, settings and engine caches) at a fresh copy of the world.
    Sign-in rate limits are lifted: every in-process call comes from 127.0.0.1."""
    monkeypatch.setenv("LUCKYCHIT_RATE_SIGNIN", "100000/60")
    monkeypatch.setenv("LUCKYCHIT_RATE_SIGNUP", "100000/60")
    monkeypatch.setenv("LUCKYCHIT_RATE_CODE", "100000/60")
    database = AppDatabase(world_template[0], tmp_path_factory.getbasetemp())
    monkeypatch.setenv("DATABASE_URL", str(database.engine.url))
    monkeypatch.setattr(db, "get_engine", lambda: database.engine)  # what `transaction()` uses
    settings.get_settings.cache_clear()
    original_get_engine.cache_clear()  # the few callers holding the function itself build their own
    yield database
    database.close()
    monkeypatch.undo()
    settings.get_settings.cache_clear()
    original_get_engine.cache_clear()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The figures quoted in docs/security.md, for whichever security tests ran."""
    import sys

    lines = []
    matrix = sys.modules.get("tests.security.matrix")
    if matrix is not None and matrix.COUNTS["events"]:
        lines.append(f"handler events sent (matrix + fuzz): {matrix.COUNTS['events']}")
    access = sys.modules.get("tests.security.test_access_matrix")
    if access is not None and access.STATS["route_calls"]:
        lines.append(f"HTTP route requests: {access.STATS['route_calls']}")
    fuzz = sys.modules.get("tests.security.test_fuzz")
    if fuzz is not None and fuzz.STATS["examples"]:
        s = fuzz.STATS
        lines.append(
            f"fuzz examples: {s['examples']} ({s['refused']} refused, {s['accepted']} accepted) "
            f"over {s['handlers']} handlers, {fuzz.EXAMPLES} each, in {s['seconds']:.0f}s; {fuzz.REPLAY}"
        )
    state = sys.modules.get("tests.security.test_serialised_state")
    if state is not None and state.STATS["visits"]:
        s = state.STATS
        lines.append(
            f"serialised state: {s['pages']:.0f} pages, {s['visits']:.0f} visits, {s['bytes'] / 1e6:.1f} MB"
        )
    if lines:
        terminalreporter.section("security figures")
        for line in lines:
            terminalreporter.write_line(line)
