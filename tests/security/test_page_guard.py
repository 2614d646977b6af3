"""The page guard runs inside each page's load (`state/session.py`: `page_read`, `page_actor`).

Folding it in saved an event, a session lookup and two transactions per member navigation (the
500-session benchmark, docs/benchmarks.md 3d). These tests pin both halves of that: the guard still
sends every wrong caller away before anything of the page is read, and the member's hot pages still
cost the session check and one transaction for the read (two checkouts here, on SQLite; on
PostgreSQL the check runs on the event loop from a pool of its own, luckychit_app/db_loop.py). They
also pin the page key (round 4): a member's page shown again with nothing changed costs one
statement, the session lookup with the key, and a payment makes it read again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from luckychit_app.models import User
from luckychit_app.services.access import Actor
from luckychit_app.services.money import offline_payments
from tests.security.conftest import AppDatabase, run
from tests.security.harness import Driver
from tests.security.world import World

HOT_PAGES = {
    "/m": "member_home_state",
    "/m/payments": "passbook_state",
    "/m/draws": "member_draws_state",
}
AWAY = {"anonymous": "/login", "foreman": "/f", "admin": "/admin", "clerk": "/s"}


def _visit(app: Any, app_db: AppDatabase, path: str, cookie: str) -> tuple[Any, int]:
    """Open `path` as a browser does (its on_load chain runs); count the pool's checkouts."""
    begun = 0

    def count(*_args: object) -> None:
        nonlocal begun
        begun += 1

    event.listen(app_db.engine, "checkout", count)
    try:

        async def body() -> Any:
            async with Driver(app) as driver:
                client, outcome = await driver.open(path, cookie, load=True)
                driver.close(client)
                return outcome

        return run(body()), begun
    finally:
        event.remove(app_db.engine, "checkout", count)


class _Statements:
    """Counts the SQL statements the in-process app runs, per step."""

    def __init__(self, app_db: AppDatabase) -> None:
        self.engine, self.count = app_db.engine, 0
        event.listen(self.engine, "before_cursor_execute", self._one)

    def _one(self, _conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE is not a read
            self.count += 1

    def take(self) -> int:
        taken, self.count = self.count, 0
        return taken

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._one)


@pytest.mark.parametrize("path", sorted(HOT_PAGES))
def test_a_member_page_is_the_check_and_one_read_and_shows_the_members_data(
    app: Any, app_db: AppDatabase, world: World, path: str
) -> None:
    outcome, begun = _visit(app, app_db, path, world.token("member"))
    assert not outcome.exceptions and not outcome.redirects()
    assert begun == 2, f"{path}: the session check and one read should be two checkouts, saw {begun}"
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


LOADS = {
    "/m": "MemberHomeState.load",
    "/m/payments": "PassbookState.load",
    "/m/draws": "MemberDrawsState.load",
}


@pytest.mark.parametrize("path", sorted(LOADS))
def test_a_page_shown_again_unchanged_reads_only_its_key_and_a_payment_makes_it_read_again(
    app: Any, app_db: AppDatabase, world: World, path: str
) -> None:
    """The second load of an unchanged page runs one statement, the session lookup that reads the
    key's counters too, and sends the browser nothing (the tab already shows that page). A payment
    on the member's ticket, recorded by the foreman, moves the key: the next load reads the books
    and the home page and passbook show the new figures."""
    statements = _Statements(app_db)
    state_name = HOT_PAGES[path]

    def page_of(outcome: Any) -> dict[str, Any]:
        return next((v for k, v in outcome.values().items() if k.endswith(state_name)), {})

    async def body() -> tuple[Any, ...]:
        async with Driver(app) as driver:
            client, first = await driver.open(path, world.token("member"), load=True)
            read_first = statements.take()
            again = await driver.send(client, LOADS[path])
            read_again = statements.take()
            owing = [g["ticket_id"] for g in page_of(first).get("groups", []) if g.get("has_due")]
            ticket = owing[0] if path == "/m" else world.a.ticket  # on /m: a ticket whose due it shows
            with Session(app_db.engine) as s:
                foreman = s.get(User, world.a.foreman_id)
                actor = Actor(user_id=foreman.id, role="foreman", name=foreman.name, language="en")
                offline_payments.record_offline_payment(
                    s, actor=actor, ticket_id=ticket, amount="100.00", method="cash"
                )
                s.commit()
            statements.take()
            after = await driver.send(client, LOADS[path])
            read_after = statements.take()
            driver.close(client)
            return first, read_first, again, read_again, after, read_after

    try:
        first, read_first, again, read_again, after, read_after = run(body())
    finally:
        statements.close()
    assert not first.exceptions and page_of(first), f"{path} did not load"
    assert not again.exceptions and not again.redirects()
    # one statement: the session check reads the page key's counters too (page_versions.SESSION_WITH_COUNTERS)
    assert read_again == 1, f"{path} unchanged: expected the session lookup with the key, saw {read_again}"
    assert page_of(again) == {}, f"{path} unchanged sent {page_of(again)}"
    assert read_after > 1 and read_after >= read_first - 1, f"{path} after a payment read {read_after}"
    if path != "/m/draws":  # the draws page does not show payments; it is read again all the same
        assert page_of(after) and page_of(after) != page_of(first), f"{path} still shows the old figures"
