"""/health echoes the browser tests' instance token only when LUCKYCHIT_TEST_INSTANCE is set."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from luckychit_app.api import routes


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    # The database check is not under test here (and must not touch var/luckychit.db).
    monkeypatch.setattr(routes, "_check_database", lambda: {"status": "ok"})
    monkeypatch.setattr(routes, "get_settings", lambda: type("S", (), {"redis_url": None})())
    return TestClient(routes.api)


def test_health_has_no_instance_token_when_not_configured(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(routes.TEST_INSTANCE_ENV, raising=False)
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": {"status": "ok"}}
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
