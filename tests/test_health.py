"""/health echoes the browser tests' instance token only when LUCKYCHIT_TEST_INSTANCE is set, and
reports the background jobs and the outbox backlog: 200 "degraded" when a job is late or failing,
503 only when the database (or Redis) is down (issue 21)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from luckychit_app.api import routes


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    # The database check is not under test here (and must not touch var/luckychit.db).
    monkeypatch.setattr(routes, "_check_database", lambda: {"status": "ok"})
    monkeypatch.setattr(routes, "_check_background", lambda: {"status": "ok"})
    no_stores = type("S", (), {"redis_url": None, "read_database_url": None})()
    monkeypatch.setattr(routes, "get_settings", lambda: no_stores)
    return TestClient(routes.api)


def test_health_has_no_instance_token_when_not_configured(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(routes.TEST_INSTANCE_ENV, raising=False)
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": {"status": "ok"}, "background": {"status": "ok"}}
    monkeypatch.setenv(routes.TEST_INSTANCE_ENV, "")
    assert "test_instance" not in client.get("/health").json()


def test_health_echoes_the_instance_token_when_configured(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(routes.TEST_INSTANCE_ENV, "run-4f2a")
    assert client.get("/health").json()["test_instance"] == "run-4f2a"
    monkeypatch.setattr(routes, "_check_database", lambda: {"status": "error", "error": "OperationalError"})
    degraded = client.get("/health")
    assert degraded.status_code == 503 and degraded.json()["test_instance"] == "run-4f2a"


def test_late_workers_degrade_health_but_keep_200(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A late reminder job is for people and alerts, not for a load balancer to drain a worker."""
    late = {"status": "late", "attention": ["reminders"], "workers": [], "outbox": {"queued": 0}}
    monkeypatch.setattr(routes, "_check_background", lambda: late)
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json()["status"] == "degraded" and resp.json()["background"]["attention"] == ["reminders"]


def test_database_down_is_503_and_skips_the_background_read(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "_check_database", lambda: {"status": "error", "error": "OperationalError"})
    monkeypatch.setattr(routes, "_check_background", lambda: pytest.fail("read with the database down"))
    resp = client.get("/health")
    assert resp.status_code == 503 and "background" not in resp.json()


def test_a_configured_replica_is_reported_and_down_degrades_but_keeps_200(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only reports and exports read the replica: without it the app still serves, so no 503."""
    assert "replica" not in client.get("/health").json()  # none configured, none reported
    replica = type("S", (), {"redis_url": None, "read_database_url": "postgresql+psycopg://r/db"})()
    monkeypatch.setattr(routes, "get_settings", lambda: replica)
    monkeypatch.setattr(routes, "_check_replica", lambda: {"status": "ok", "lag_seconds": 0.2})
    resp = client.get("/health")
    assert resp.status_code == 200 and resp.json()["status"] == "ok"
    assert resp.json()["replica"] == {"status": "ok", "lag_seconds": 0.2}
    monkeypatch.setattr(routes, "_check_replica", lambda: {"status": "error", "error": "OperationalError"})
    resp = client.get("/health")
    assert resp.status_code == 200 and resp.json()["status"] == "degraded"


def test_background_check_reads_heartbeats_and_backlog(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real check against a migrated database: a fresh heartbeat is ok, an old one late."""
    from datetime import timedelta
    from functools import partial

    from luckychit_app.clock import utcnow
    from luckychit_app.db import transaction
    from luckychit_app.services.operations.heartbeats import beat

    monkeypatch.setattr(routes, "transaction", partial(transaction, engine))
    now = utcnow()
    with transaction(engine) as session:
        beat(session, "outbox", started_at=now, ok=True, every=2.0)
        beat(session, "reminders", started_at=now, ok=True, every=300.0, finished_at=now - timedelta(hours=1))
    result = routes._check_background()
    assert result["status"] == "late" and result["attention"] == ["reminders"]
    assert {w["name"]: w["status"] for w in result["workers"]} == {"outbox": "ok", "reminders": "late"}
    assert result["outbox"]["queued"] == 0
