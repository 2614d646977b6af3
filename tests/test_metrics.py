"""/metrics and JSON logs: the event middleware's counts and timings, payments and draws counted
from committed journal entries only, the Prometheus text output, and one JSON object per log line."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import logging
from types import SimpleNamespace

import pytest
from prometheus_client import REGISTRY
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from luckychit_app import metrics
from luckychit_app.api import metrics as api_metrics
from luckychit_app.api.metrics import metrics_endpoint
from luckychit_app.domain.ledger import JournalDraft, Posting
from luckychit_app.logging_setup import JsonFormatter, configure_logging
from luckychit_app.services.money.ledger import post
from luckychit_app.state.event_metrics import EventMetrics


@pytest.fixture(autouse=True)
def _no_background_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """/metrics also reads the heartbeats and the outbox (tests/services/test_heartbeats.py covers
    that); here it must not touch the default database (var/luckychit.db)."""
    monkeypatch.setattr(api_metrics, "_background_gauges", list)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_event_label_is_short_and_readable():
    full = "reflex___state____state.luckychit_app___state___foreman____foreman_groups_state.load"
    assert metrics.event_label(full) == "foreman_groups_state.load"
    assert metrics.event_label("reflex___state____state.hydrate") == "state.hydrate"
    assert metrics.event_label("noop") == "noop"


def test_middleware_counts_times_and_flags_failed_events():
    middleware = EventMetrics()
    ok_name, bad_name = "s___x____bench_ok_state.go", "s___x____bench_bad_state.go"

    async def handler(name: str, fail: bool) -> None:
        await middleware.preprocess(None, None, SimpleNamespace(name=name))
        await asyncio.sleep(0.01)
        if fail:
            raise RuntimeError("boom")

    async def run() -> None:
        await asyncio.create_task(handler(ok_name, False))
        with pytest.raises(RuntimeError):
            await asyncio.create_task(handler(bad_name, True))
        await asyncio.sleep(0)  # done-callbacks run on the next loop iteration

    before = sample("luckychit_events_total", event="bench_ok_state.go")
    asyncio.run(run())
    assert sample("luckychit_events_total", event="bench_ok_state.go") == before + 1
    assert sample("luckychit_event_seconds_count", event="bench_ok_state.go") >= 1
    assert sample("luckychit_event_seconds_sum", event="bench_ok_state.go") >= 0.009
    assert sample("luckychit_event_errors_total", event="bench_ok_state.go") == 0
    assert sample("luckychit_event_errors_total", event="bench_bad_state.go") >= 1


def test_garbage_collections_are_timed_per_generation():
    """A full collection stalls every event in flight on its worker, so its length is on /metrics.
    The collector's callback only notes the pause (it may fire while this thread holds a metric's
    lock); the next event files it."""
    metrics.install()
    metrics._file_gc_pauses()  # pauses an earlier test left pending, filed before counting
    count_before = sample("luckychit_gc_pause_seconds_count", generation="2")
    sum_before = sample("luckychit_gc_pause_seconds_sum", generation="2")
    gc.collect()
    assert sample("luckychit_gc_pause_seconds_count", generation="2") == count_before
    asyncio.run(EventMetrics().preprocess(None, None, SimpleNamespace(name="s___x____gc_state.go")))
    assert sample("luckychit_gc_pause_seconds_count", generation="2") >= count_before + 1
    assert sample("luckychit_gc_pause_seconds_sum", generation="2") > sum_before


def _payment_draft(key: str, paise: int) -> JournalDraft:
    return JournalDraft(
        kind="payment",
        key=key,
        memo="test",
        postings=(Posting("group:m1:cash", paise), Posting("foreman:m1:commission", -paise)),
    )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_payments_and_draws_are_counted_when_committed(tx):
    metrics.install()
    payments, paise = sample("luckychit_payments_total"), sample("luckychit_payments_paise_total")
    draws = sample("luckychit_draws_total")
    with tx() as session:
        post(session, _payment_draft("payment:m1", 12_345), group_id=None)
        settlement = JournalDraft(
            kind="settlement",
            key="draw:m1",
            memo="test",
            postings=(Posting("group:m1:pot:1", 100), Posting("group:m1:carry_forward", -100)),
        )
        post(session, settlement, group_id=None)
    assert sample("luckychit_payments_total") == payments + 1
    assert sample("luckychit_payments_paise_total") == paise + 12_345
    assert sample("luckychit_draws_total") == draws + 1

    with pytest.raises(RuntimeError), tx() as session:
        post(session, _payment_draft("payment:m2", 500), group_id=None)
        raise RuntimeError("rolled back")
    assert sample("luckychit_payments_total") == payments + 1


def test_error_logs_are_counted_once():
    metrics.install()
    before = sample("luckychit_errors_total", source="luckychit")
    logging.getLogger("luckychit.test").error("service call failed")
    assert sample("luckychit_errors_total", source="luckychit") == before + 1


def test_metrics_endpoint_speaks_prometheus_text(monkeypatch):
    async def one_event() -> None:  # a labelled series is written once it has a label: not left to test order
        metrics.observe_event("metrics_test.load")

    asyncio.run(one_event())
    client = TestClient(Starlette(routes=[Route("/metrics", metrics_endpoint)]))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    for name in ("luckychit_events_total", "luckychit_event_seconds_bucket", "luckychit_payments_total"):
        assert name in body
    assert "# TYPE luckychit_event_seconds histogram" in body

    monkeypatch.setenv("LUCKYCHIT_METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_production_refuses_metrics_without_a_token_and_says_so(monkeypatch, caplog):
    """Issue 17: with LUCKYCHIT_ENV=prod and no LUCKYCHIT_METRICS_TOKEN, /metrics answers 503 with the
    reason (nothing of the registry), and start-up logs it; with the token it is served as usual."""
    from luckychit_app.api import metrics as endpoint
    from luckychit_app.settings import get_settings

    client = TestClient(Starlette(routes=[Route("/metrics", metrics_endpoint)]))
    monkeypatch.setenv("LUCKYCHIT_ENV", "prod")
    monkeypatch.delenv("LUCKYCHIT_METRICS_TOKEN", raising=False)
    get_settings.cache_clear()
    try:
        response = client.get("/metrics")
        assert response.status_code == 503 and "LUCKYCHIT_METRICS_TOKEN" in response.text
        assert "luckychit_" not in response.text
        with caplog.at_level(logging.WARNING, logger="luckychit"):
            endpoint.warn_if_metrics_off()
        assert any("LUCKYCHIT_METRICS_TOKEN" in r.getMessage() for r in caplog.records)
        monkeypatch.setenv("LUCKYCHIT_METRICS_TOKEN", "s3cret")
        assert client.get("/metrics").status_code == 401
        served = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
        assert served.status_code == 200 and "luckychit_events_total" in served.text
    finally:
        monkeypatch.delenv("LUCKYCHIT_ENV")
        get_settings.cache_clear()


def test_json_logs_are_one_object_per_line():
    stream = io.StringIO()
    logger = configure_logging("json", stream)
    try:
        logging.getLogger("luckychit.metrics").warning("slow event", extra={"event": "x.load", "ms": 812.5})
        try:
            raise ValueError("bad")
        except ValueError:
            logger.exception("service call failed")
    finally:
        configure_logging("text")
    lines = stream.getvalue().strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "warning" and first["msg"] == "slow event"
    assert first["event"] == "x.load" and first["ms"] == 812.5
    assert first["logger"] == "luckychit.metrics" and first["ts"].endswith("+00:00")
    assert second["level"] == "error" and "ValueError: bad" in second["exc"]


def test_json_formatter_survives_values_json_cannot_hold():
    record = logging.makeLogRecord({"msg": "x", "levelname": "INFO", "when": object()})
    assert json.loads(JsonFormatter().format(record))["msg"] == "x"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_database_time_of_an_event_includes_its_service_threads(engine):
    from sqlalchemy import text

    metrics.install()
    middleware = EventMetrics()
    label = "bench_db_state.load"

    def service() -> None:  # what state.runner.run_service runs in a worker thread
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            conn.execute(text("SELECT 2"))

    async def handler() -> None:
        await middleware.preprocess(None, None, SimpleNamespace(name=f"s___x____{label}"))
        await asyncio.to_thread(service)

    async def run() -> None:
        await asyncio.create_task(handler())
        await asyncio.sleep(0)

    count = sample("luckychit_event_db_statements_sum", event=label)
    asyncio.run(run())
    counted = sample("luckychit_event_db_statements_sum", event=label)
    assert counted >= count + 2  # SQLite's BEGIN IMMEDIATE is a statement too
    assert sample("luckychit_event_db_seconds_count", event=label) >= 1
    # Statements outside any event are not counted anywhere.
    service()
    assert sample("luckychit_event_db_statements_sum", event=label) == counted
