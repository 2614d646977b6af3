"""Databases for tests: every test that asks for `db_url` runs once on SQLite and once on PostgreSQL.

The schema comes from the real Alembic migrations, applied once per backend per session to a
template; each test then gets its own copy (a file copy for SQLite, `CREATE DATABASE ... TEMPLATE`
for PostgreSQL), so tests are isolated and the migrations themselves are tested on both databases.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy.engine import Engine
from sqlmodel import Session

# Before any app module reads them: cheap bcrypt, and a fixed data key instead of var/data.key.
os.environ["LUCKYCHIT_BCRYPT_ROUNDS"] = "4"
os.environ.setdefault(
    "LUCKYCHIT_DATA_KEYS", "test1:" + base64.b64encode(b"luckychit-test-key-32-bytes-long").decode()
)

from luckychit_app.cli import _alembic_config
from luckychit_app.db import make_engine, transaction

PG_SERVER = os.environ.get("LUCKYCHIT_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
PG_ADMIN_DATABASES = ("postgres", "test")


def migrate(url: str) -> None:
    """Apply the real migrations: the CLI's Alembic config, pointed at `url`."""
    cfg = _alembic_config()
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "head")


def pg_url(database: str) -> str:
    return PG_SERVER.replace("postgresql://", "postgresql+psycopg://", 1) + "/" + database


def _pg_admin() -> psycopg.Connection:
    """An autocommit connection for CREATE/DROP DATABASE. Unreachable server: fail on CI, else skip."""
    errors = []
    for database in PG_ADMIN_DATABASES:
        try:
            return psycopg.connect(f"{PG_SERVER}/{database}", autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            errors.append(f"{database}: {exc}".strip())
    reason = f"PostgreSQL at {PG_SERVER} is unreachable ({'; '.join(errors)})"
    if os.environ.get("CI"):
        pytest.fail(reason + " and CI is set, so PostgreSQL tests must not be skipped", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    migrate(f"sqlite:///{path}")
    # Fold the WAL into the main file so a plain file copy is a complete database.
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


def restore_sqlite(template: Path, engine: Engine) -> None:
    """Put `template`'s contents into the file `engine` opens, keeping the engine and so its compiled
    statements (a new engine per copy compiled every statement again: a fifth of a state machine's
    run, a sixth of the access matrix's). SQLite's backup API, once the pooled connections are closed."""
    engine.dispose()
    with (
        contextlib.closing(sqlite3.connect(template)) as source,
        contextlib.closing(sqlite3.connect(str(engine.url.database))) as target,
    ):
        source.backup(target)


class PgCopies:
    """Fresh copies of the migrated template database, one per test. Background threads keep a few
    copies ready and drop used ones, so tests rarely wait for PostgreSQL's CREATE/DROP DATABASE
    (a few hundred milliseconds each on a busy machine)."""

    AHEAD = 3

    def __init__(self, template: str) -> None:
        self.template = template
        self._local = threading.local()
        self._conns: list[psycopg.Connection] = []
        self._workers = ThreadPoolExecutor(max_workers=self.AHEAD, thread_name_prefix="pg-copies")
        self._ready = collections.deque(self._workers.submit(self._create) for _ in range(self.AHEAD))

    def _admin(self) -> psycopg.Connection:
        """One admin connection per worker thread (a psycopg connection is not shared between threads)."""
        if getattr(self._local, "conn", None) is None:
            self._local.conn = _pg_admin()
            self._conns.append(self._local.conn)
        return self._local.conn

    def _create(self) -> str:
        name = f"lc_test_{uuid.uuid4().hex[:12]}"
        self._admin().execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def _drop(self, name: str) -> None:
        self._admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def take(self) -> str:
        name = self._ready.popleft().result()
        self._ready.append(self._workers.submit(self._create))
        return name

    def release(self, name: str) -> None:
        self._workers.submit(self._drop, name)

    def close(self) -> None:
        for future in self._ready:
            with contextlib.suppress(Exception):
                self.release(future.result())
        self._workers.shutdown(wait=True)
        for conn in self._conns:
            conn.close()


@pytest.fixture(scope="session")
def pg_copies() -> Iterator[PgCopies]:
    """Migrates a template database once per session (unreachable server: fail on CI, else skip)."""
    admin = _pg_admin()
    template = f"lc_tpl_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{template}"')
    copies = None
    try:
        migrate(pg_url(template))  # disposes its engine, so the template has no connections left
        copies = PgCopies(template)
        yield copies
    finally:
        if copies is not None:
            copies.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database of its own for this test."""
    if backend == "sqlite":
        path = tmp_path / "luckychit.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    copies: PgCopies = request.getfixturevalue("pg_copies")
    name = copies.take()
    try:
        yield pg_url(name)
    finally:
        copies.release(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def tx(engine: Engine) -> Callable[[], AbstractContextManager[Session]]:
    """`with tx() as session:` is one committed unit of work, exactly as the app runs services."""
    return partial(transaction, engine)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """In CI a skipped test is a failure: a missing component must be installed, not silently skipped."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI: {report.longrepr}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main thread for
    as long as its session fixture lives, and the tests that call asyncio.run() must come before it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
