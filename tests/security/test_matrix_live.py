"""Issue 17, item 6: the authorisation matrix against the deployed shape, not only in-process on
SQLite: the two-world fixture built in PostgreSQL, served by `reflex run --env prod --backend-only`
with two Granian workers and the state manager in Redis, and driven over real websockets (the
session cookie in each handshake, as a browser sends it).

Every handler of tests/security/access_rules.py is called by every caller its rule refuses, each
from a tab of its own, several tabs at once across the two workers; each call must be refused
exactly as the in-process matrix requires (tests/security/matrix.refused) and the database must not
change. Rightful calls that only read are made too and must succeed. Rightful calls that write,
the junk-argument variants, uploads (their files arrive through /_upload) and live pages' loops
stay with the in-process matrix, which resets the database between calls (a PostgreSQL reset per
call would cost more than the whole matrix)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy.engine import Engine

from bench.reflex_client import NAMESPACE, ROOT_STATE, ReflexTab, router_data
from luckychit_app.db import make_engine
from tests.browser.conftest import free_port, wait_for_own_server
from tests.conftest import _pg_admin, migrate, pg_url
from tests.security.access_rules import RULES, Call, Rule
from tests.security.harness import Outcome, _route_params, full_event_name
from tests.security.matrix import refused, succeeded
from tests.security.world import CALLERS, World, build_world
from tests.services.helpers import snapshot

pytestmark = [pytest.mark.live, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("LUCKYCHIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AT_ONCE = 6
"""Tabs in flight together: enough that both workers serve calls at the same time."""
LOG = ROOT / "test-artifacts" / "live-matrix-server.log"
SENTINEL_PAGE = "/login"
"""A page without load handlers: navigating to it answers with the hydration flag alone, and that
answer marks the end of the call before it."""


@pytest.fixture(scope="module")
def live_world() -> Iterator[tuple[str, World, Engine]]:
    """The two worlds, built in a fresh PostgreSQL database (dropped afterwards)."""
    admin = _pg_admin()
    name = f"lc_live_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = pg_url(name)
    engine = None
    try:
        migrate(url)
        engine = make_engine(url)
        yield url, build_world(engine), engine
    finally:
        if engine is not None:
            engine.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module")
def live_server(live_world: tuple[str, World, Engine]) -> Iterator[str]:
    """The backend with two workers and Redis, on a free port; its process group is killed after."""
    url_db, _world, _engine = live_world
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        reason = f"Redis at {REDIS_URL} is unreachable ({exc})"
        if os.environ.get("CI"):
            pytest.fail(reason + " and CI is set, so the live matrix must not be skipped", pytrace=False)
        pytest.skip(reason)
    port = free_port()
    instance = secrets.token_hex(8)
    env = {
        **os.environ,
        "DATABASE_URL": url_db,
        "REFLEX_REDIS_URL": REDIS_URL,
        "GRANIAN_WORKERS": "2",
        "LUCKYCHIT_TEST_INSTANCE": instance,
        "LUCKYCHIT_CORS_ORIGINS": f"http://127.0.0.1:{port}",
        "LUCKYCHIT_RATE_SIGNIN": "100000/60",
        "LUCKYCHIT_RATE_SIGNUP": "100000/60",
        "LUCKYCHIT_RATE_CODE": "100000/60",
        "TELEMETRY_ENABLED": "false",
    }
    for name in ("REFLEX_API_URL", "REFLEX_DEPLOY_URL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                *("-m", "reflex", "run", "--env", "prod", "--backend-only"),
                "--backend-port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Reflex ignores SIGTERM for a while: the group is killed
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_own_server(url, instance, proc, LOG, timeout=120, page=None)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


class _Tab(ReflexTab):
    """A tab that keeps every update, to judge it as the in-process matrix judges an Outcome."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.updates: list[dict[str, Any]] = []

    async def _on_event(self, update: dict) -> None:
        self.updates.append(update)
        await super()._on_event(update)


def _params(app: Any, path: str) -> dict[str, str]:
    bare = path.split("?", 1)[0]
    return _route_params(app.router(bare) or "404", bare)


async def _call_live(app: Any, url: str, world: World, caller: str, call: Call) -> Outcome:
    """One tab: open `call.page` with the caller's cookie, send the `before` events, then the event;
    the Outcome is everything the tab received for the event, up to the answer of a navigation sent
    after it (a tab's events run in order, so that answer means the event has finished)."""
    tab = _Tab(url, origin=url, session_token=world.token(caller))
    params = _params(app, call.page)
    data = router_data(call.page, params)
    try:
        await tab.connect(call.page, params, boot="hydrate")  # no load handlers, as in-process
        for before, payload in call.before:
            await tab.sio.emit(
                "event",
                {"name": full_event_name(before), "payload": payload, "router_data": data},
                namespace=NAMESPACE,
            )
        await tab.navigate(SENTINEL_PAGE, timeout=60)
        start = len(tab.updates)
        await tab.sio.emit(
            "event",
            {"name": full_event_name(call.handler), "payload": call.payload, "router_data": data},
            namespace=NAMESPACE,
        )
        await tab.navigate(SENTINEL_PAGE, timeout=60)
        outcome = Outcome()
        for update in tab.updates[start:]:
            # The root state holds only Reflex's own vars (the router's URL, route arguments), which a
            # real server sends with every navigation; the app's states are its substates.
            delta = {k: v for k, v in (update.get("delta") or {}).items() if k != ROOT_STATE}
            if delta:
                outcome.deltas.append(delta)
            outcome.events += [
                (e.get("name", ""), dict(e.get("payload") or {})) for e in update.get("events") or []
            ]
        return outcome
    finally:
        await tab.close()


def _json_payload(call: Call) -> bool:
    try:
        json.dumps([call.payload, call.before])
    except TypeError:
        return False
    return True


def _plan(world: World, *, refused_only: bool) -> list[tuple[str, str, Rule, Call]]:
    """(handler, caller, rule, call) for every refused caller of every handler (`refused_only`), or
    for the rightful callers of the handlers that only read."""
    plan = []
    for handler, rule in sorted(RULES.items()):
        if rule.background:
            continue
        for caller in CALLERS:
            if caller in rule.acts_then_page_refuses or (caller in rule.allowed) == refused_only:
                continue
            if caller in rule.allowed and rule.mutates:
                continue
            call = dataclasses.replace(rule.call(world, world.a, caller), handler=handler)
            if not _json_payload(call):
                continue  # an upload's files reach Reflex through /_upload, not as an event
            plan.append((handler, caller, rule, call))
    return plan


async def _run_plan(app: Any, url: str, world: World, plan: list) -> list[str]:
    gate = asyncio.Semaphore(AT_ONCE)
    problems: list[str] = []

    async def one(handler: str, caller: str, rule: Rule, call: Call) -> None:
        async with gate:
            try:
                outcome = await _call_live(app, url, world, caller, call)
            except Exception as exc:  # a tab that could not finish is a finding, not a crash of the run
                problems.append(f"{handler} as {caller}: {type(exc).__name__}: {exc}"[:300])
                return
        why = succeeded(outcome, rule, handler) if caller in rule.allowed else refused(outcome, rule, caller)
        if why:
            problems.append(f"{handler} as {caller}: {why}"[:600])

    await asyncio.gather(*(one(*step) for step in plan))
    return problems


def _calls_writes(tables: dict[str, list[tuple]]) -> dict[str, list]:
    """What a call could have written. The served workers' periodic jobs (background.py) work on
    meanwhile: they deliver the world's queued messages (an outbox row's status and attempts change),
    queue the scheduled payment reminders between 09:00 and 20:00 India time (rows whose dedupe key
    is `remind:...`, services/messages/reminder_schedule.py; a run that lands after the first
    snapshot failed this test twice on 2026-12-07) and record heartbeats. So the outbox counts by
    the ids of its other rows (a refused call must not add one) and the heartbeats not at all."""
    kept: dict[str, list] = {name: rows for name, rows in tables.items() if name != "worker_heartbeats"}
    kept["outbox"] = sorted(
        row[0]
        for row in tables.get("outbox", [])
        if not any(isinstance(value, str) and value.startswith("remind:") for value in row)
    )
    return kept


def test_every_handler_refuses_every_wrong_caller_on_postgres_with_two_workers_on_redis(
    app: Any, live_world: tuple[str, World, Engine], live_server: str
) -> None:
    _url, world, engine = live_world
    refusals, reads = _plan(world, refused_only=True), _plan(world, refused_only=False)
    before = _calls_writes(snapshot(engine))
    started = time.perf_counter()
    problems = asyncio.run(_run_plan(app, live_server, world, refusals))
    took = time.perf_counter() - started
    after = _calls_writes(snapshot(engine))
    allowed = frozenset().union(*(RULES[h].writes for h, *_ in refusals))
    changed = sorted(t for t in after if after[t] != before.get(t) and t not in allowed)
    print(f"live matrix: {len(refusals)} refused calls in {took:.1f} s over 2 workers")
    assert not changed, f"refused calls changed {changed}"
    assert not problems, f"{len(problems)} of {len(refusals)} refused calls:\n  " + "\n  ".join(problems[:40])
    started = time.perf_counter()
    problems = asyncio.run(_run_plan(app, live_server, world, reads))
    print(f"live matrix: {len(reads)} rightful reads in {time.perf_counter() - started:.1f} s")
    assert not problems, f"{len(problems)} of {len(reads)} rightful reads:\n  " + "\n  ".join(problems[:40])
