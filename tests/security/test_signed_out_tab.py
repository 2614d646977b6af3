"""Issue 17, item 1: a tab whose sign-in ends keeps nothing of its reader.

Reflex keeps a tab's states on the server under the tab's client token. A member (and a foreman)
opens the pages that hold money and personal data, then signs out (or signs out everywhere, or the
session expires); the same client token then reconnects with no cookie, as the next person on a
shared phone would, and the hydrate it is sent must hold every state's defaults: no group, due,
passbook line, notification or name of the last reader."""

from __future__ import annotations

import json
from typing import Any

import pytest
from reflex.constants import CompileVars
from reflex.state import State
from sqlmodel import Session, select

from luckychit_app.models import AuthSession
from tests.security.conftest import AppDatabase, run
from tests.security.harness import Client, Driver, app_state_classes
from tests.security.world import World

PAGES = {
    "member": ["/m", "/m/payments", "/m/draws", "/m/profile", "/m/notifications"],
    "foreman": ["/f", "/f/groups", "/f/members", "/f/collections", "/f/notifications"],
}


def _defaults() -> dict[str, dict[str, Any]]:
    """{state's full name: {var: its default}} for every var of the app's states."""
    found: dict[str, dict[str, Any]] = {}
    for cls in app_state_classes():
        own = {n: f.default_value() for n, f in cls.__fields__.items() if getattr(f, "_owner", cls) is cls}
        found[cls.get_full_name()] = own
    return found


def _not_default(values: dict[str, dict[str, Any]]) -> list[str]:
    defaults = _defaults()
    left = []
    for state, changes in values.items():
        for name, value in changes.items():
            default = defaults.get(state, {}).get(name, value)  # computed vars follow their state
            if json.dumps(value, default=str) != json.dumps(default, default=str):
                left.append(f"{state}.{name} = {json.dumps(value, default=str)[:80]}")
    return left


async def _reconnect(driver: Driver, client: Client) -> dict[str, dict[str, Any]]:
    """The same client token opens /login with no cookie: what its hydrate carries."""
    client.router_data = driver.router_data(client.token, "/login")
    driver.ns.token_to_sid[client.token] = "sid-" + client.token[:8]
    outcome = await driver._send(client, f"{State.get_full_name()}.{CompileVars.HYDRATE}", {}, timeout=30)
    assert not outcome.exceptions, outcome.exceptions
    return outcome.values()


async def _read_then(driver: Driver, world: World, caller: str, end: str, app_db: AppDatabase) -> list[str]:
    token = world.token(caller)
    client = None
    for path in PAGES[caller]:
        if client is None:
            client, opened = await driver.open(path, token, load=True, timeout=3)
        else:
            client.router_data = driver.router_data(client.token, path, cookie=token)
            opened = await driver._send(
                client, f"{State.get_full_name()}.{CompileVars.HYDRATE_AND_LOAD}", {}, timeout=3
            )
        assert not opened.crashed, (path, opened.exceptions, opened.errors())
    before = _not_default(await _reconnect(driver, client))
    assert any("groups" in line or "rows" in line or "items" in line for line in before), before
    signed_in = {k: v for k, v in (await _reconnect(driver, client)).items() if "session_state" in k}
    assert any(v.get("role") for v in signed_in.values()), "the tab must still be signed in here"
    if end == "expired":  # the session runs out while the tab is open; its next event finds out
        with Session(app_db.engine) as s:
            for row in s.exec(select(AuthSession)).all():
                s.delete(row)
            s.commit()
        await driver.send(client, "BellState.mark_all_read")
    else:
        await driver.send(client, f"SessionState.{end}")
    return _not_default(await _reconnect(driver, client))


@pytest.mark.parametrize("end", ["logout", "logout_everywhere", "expired"])
@pytest.mark.parametrize("caller", sorted(PAGES))
def test_a_tab_whose_sign_in_ended_is_sent_nothing_of_its_reader(
    app: Any, app_db: AppDatabase, world: World, caller: str, end: str
) -> None:
    async def body() -> list[str]:
        async with Driver(app) as driver:
            return await _read_then(driver, world, caller, end, app_db)

    left = run(body())
    assert left == [], "\n".join(left)
