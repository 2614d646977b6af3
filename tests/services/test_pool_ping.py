"""A pooled PostgreSQL connection is pinged before use only when in doubt (luckychit_app/db.py
`_ping_when_in_doubt`): a busy pool costs no `SELECT 1` round trip per checkout, and a connection
the server ended, or one idle for long, is still tested and replaced before a transaction meets it.
(tests/services/test_faults.py restarts a whole private cluster under the same engine.)"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from luckychit_app import db
from luckychit_app.db import transaction

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])


@pytest.fixture
def pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Every ping the pool makes, as True when it found the connection alive."""
    made: list[bool] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_conn) -> bool:
        try:
            alive = ping(dbapi_conn)
        except Exception:
            made.append(False)
            raise
        made.append(alive)
        return alive

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    yield made


def _backend_pid(engine: Engine) -> int:
    with transaction(engine) as s:
        return s.exec(text("SELECT pg_backend_pid()")).one()[0]


def test_a_busy_pool_is_not_pinged(engine: Engine, pings: list[bool]) -> None:
    pids = {_backend_pid(engine) for _ in range(20)}
    assert len(pids) == 1, "one connection served the transactions one after another"
    assert pings == []


def test_a_connection_the_server_ended_is_replaced_before_use(
    engine: Engine, pings: list[bool], db_url: str
) -> None:
    """pg_terminate_backend, as a restart or an operator's kill would: the server's notice waits on
    the pooled connection's socket, so the next checkout pings it, the ping fails, and the pool
    opens a fresh connection: the transaction never sees the dead one."""
    pid = _backend_pid(engine)
    dsn = db_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]  # waits for it
    assert _backend_pid(engine) != pid
    assert pings == [False]


def test_a_long_idle_connection_is_pinged(
    engine: Engine, pings: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    _backend_pid(engine)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 0.0)  # every checkout now follows a "long" idle
    pid = _backend_pid(engine)
    assert _backend_pid(engine) == pid
    assert pings == [True, True]
