"""Issue 17, item 5: Reflex's own events sent as no page sends them (`setvar` on any state,
`set_is_hydrated` with a bad value) are refused quietly before the framework sees them: nothing
changes, nothing is sent back (no generic error toast), and the log says so once per event name."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from reflex.state import State

from luckychit_app.state import event_guard
from luckychit_app.state.session import SessionState
from tests.security.conftest import AppDatabase, run
from tests.security.harness import Driver
from tests.security.world import World

SETVAR = f"{SessionState.get_full_name()}.setvar"
HYDRATED = f"{State.get_full_name()}.set_is_hydrated"
BAD = [
    (SETVAR, {"var_name": "token", "value": "forged"}),
    (SETVAR, {"var_name": "role", "value": "admin"}),
    (SETVAR, {"var_name": ["x"], "value": None}),
    (SETVAR, {}),
    (HYDRATED, {"value": "yes"}),
    (HYDRATED, {"value": True, "extra": 1}),
    (HYDRATED, {}),
    (HYDRATED, {"value": None}),
]


def test_bad_builtin_events_are_refused_quietly_and_logged_once(
    app: Any, app_db: AppDatabase, world: World, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    monkeypatch.setattr(event_guard, "_LOGGED", set())

    async def body() -> None:
        async with Driver(app) as driver:
            client, _ = await driver.open("/m", world.token("member"))
            for name, payload in BAD:
                outcome = await driver.send(client, name, payload)
                assert not outcome.exceptions, (name, payload, outcome.exceptions)
                assert outcome.events == [] and outcome.errors() == [], (name, payload, outcome.events)
                assert SessionState.get_full_name() not in outcome.values(), outcome.values()
            # What the framework's page does send goes through.
            fine = await driver.send(client, HYDRATED, {"value": True})
            assert not fine.exceptions and fine.events == []
            driver.close(client)

    with caplog.at_level(logging.WARNING, logger="luckychit"):
        run(body())
    refusals = [r.getMessage() for r in caplog.records if "refused built-in event" in r.getMessage()]
    assert len(refusals) == 2, refusals  # one line per event name, however often it is sent
    assert not app_db.changed_tables()
