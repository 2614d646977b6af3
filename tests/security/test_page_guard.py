"""The page guard runs inside each page's load (`state/session.py`: `page_read`, `page_actor`).

Folding it in saved an event, a session lookup and two transactions per member navigation (the
500-session benchmark, docs/benchmarks.md 3d). These tests pin both halves of that: the guard
still sends every wrong caller away before anything of the page is read, and the member's hot
pages still cost one transaction."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from tests.security.conftest import AppDatabase, run
from tests.security.harness import Driver
from tests.security.world import World

HOT_PAGES = {
    "/m": "member_home_state",
    "/m/payments": "passbook_state",
    "/m/draws": "member_draws_state",
}
AWAY = {"anonymous": "/login", "foreman": "/f", "admin": "/admin"}


def _visit(app: Any, app_db: AppDatabase, path: str, cookie: str) -> tuple[Any, int]:
    """Open `path` as a browser does (its on_load chain runs); count the transactions begun."""
    begun = 0

    def count(_conn: object) -> None:
        nonlocal begun
        begun += 1

    event.listen(app_db.engine, "begin", count)
    try:

        async def body() -> Any:
            async with Driver(app) as driver:
                client, outcome = await driver.open(path, cookie, load=True)
                driver.close(client)
                return outcome

        return run(body()), begun
    finally:
        event.remove(app_db.engine, "begin", count)


@pytest.mark.parametrize("path", sorted(HOT_PAGES))
def test_a_member_page_is_one_transaction_and_shows_the_members_data(
    app: Any, app_db: AppDatabase, world: World, path: str
) -> None:
    outcome, begun = _visit(app, app_db, path, world.token("member"))
    assert not outcome.exceptions and not outcome.redirects()
    assert begun == 1, f"{path}: session check, guard and read should share one transaction, saw {begun}"
    state = next(v for k, v in outcome.values().items() if k.endswith(HOT_PAGES[path]))
    assert not state.get("error"), state.get("error")
    assert any(isinstance(v, list) and v for v in state.values()), f"{path} loaded nothing: {state}"


@pytest.mark.parametrize("caller", sorted(AWAY))
@pytest.mark.parametrize("path", sorted(HOT_PAGES))
def test_other_callers_are_sent_away_before_the_page_is_read(
    app: Any, app_db: AppDatabase, world: World, path: str, caller: str
) -> None:
    outcome, begun = _visit(app, app_db, path, world.token(caller))
    assert outcome.redirects() == [AWAY[caller]]
    assert begun <= 1  # the session lookup only: the page's read never ran for them
    state = next((v for k, v in outcome.values().items() if k.endswith(HOT_PAGES[path])), {})
    assert not any(isinstance(v, list) and v for v in state.values()), f"{caller} saw data on {path}"
