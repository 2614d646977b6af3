"""A staff member of one company can never read or change another company's data (issue 23).

Every handler that names an object and every HTTP route with an object in its address is called by
each of company A's staff - the branch manager, the clerk, the collection agent and the accountant -
and by A's owner, aimed at company B's objects: B's groups, tickets, payments, draws, queries,
branch, staff row, agent, member and cash hand-over. Each call must be refused (a message, a
redirect home, or - for the handlers that pick among the caller's own objects (`forged_ignored`) -
nothing done), leave every table unchanged, and send nothing of B (its foreman's, members', agent's
and group's names and mobile numbers).

The authorization matrix (test_access_matrix.py) already makes these calls for the callers a rule
allows (its forged ids); this test makes them for the rest of A's staff and its owner, so a role
refused on its own company's object is also shown to be refused on another company's: together,
every one of A's insiders on every object of B. The other direction - B's agent, foreman and member
calling every handler and route on A's objects - is the matrix's first step.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.security.access_rules import ROUTES, RULES
from tests.security.conftest import AppDatabase, TestClient, run
from tests.security.harness import Driver
from tests.security.matrix import call_as, check_db, ignored, leaks, refused
from tests.security.world import B_MARKERS, World

A_INSIDERS = ("manager", "clerk", "agent", "accountant", "foreman")
"""Company A's staff, and its owner."""
TARGETED = sorted(h for h, rule in RULES.items() if rule.targets)
ADDRESSED = sorted(r for r, rule in ROUTES.items() if "{" in r and "anonymous" not in rule.allowed)
"""Routes with an object in the address that are not public (a completed draw's proof is public by
design, DESIGN §4.5)."""


@pytest.mark.parametrize("handler", TARGETED)
def test_company_a_cannot_reach_company_b_through_a_handler(
    app: Any, app_db: AppDatabase, world: World, handler: str
) -> None:
    rule = RULES[handler]
    problems: list[str] = []

    async def body() -> None:
        async with Driver(app) as driver:
            for caller in (c for c in A_INSIDERS if c not in rule.allowed):  # the matrix does the rest
                call = dataclasses.replace(rule.call(world, world.b, caller), handler=handler)
                outcome = await call_as(driver, world, caller, call, rule.background)
                _changed, db_problem = check_db(app_db, rule.writes)
                why = ignored(outcome) if rule.forged_ignored else refused(outcome, rule, caller)
                if why:
                    problems.append(f"{caller} on B's objects: {why}")
                if db_problem:
                    problems.append(f"{caller} on B's objects: {db_problem}")
                if leaks(outcome, B_MARKERS):
                    problems.append(f"{caller} saw B's data: {leaks(outcome, B_MARKERS)}")

    run(body())
    assert not problems, f"{handler}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("route", ADDRESSED)
def test_company_a_cannot_reach_company_b_through_a_route(
    app_db: AppDatabase, world: World, route: str
) -> None:
    from luckychit_app.api.routes import api

    rule = ROUTES[route]
    method, url = rule.request(world, world.b)
    problems: list[str] = []
    with TestClient(api, raise_server_exceptions=False) as client:
        for caller in (c for c in A_INSIDERS if c not in rule.allowed):  # the matrix does the rest
            client.cookies.clear()
            client.cookies.set("lc_session", world.token(caller))
            response = client.request(method, url)
            _changed, db_problem = check_db(app_db, frozenset())
            if response.status_code not in rule.refused_status:
                problems.append(
                    f"{caller} {method} {url}: {response.status_code}, expected {rule.refused_status}"
                )
            if any(m in response.text for m in B_MARKERS):
                problems.append(f"{caller} {method} {url}: B's data in the answer")
            if db_problem:
                problems.append(f"{caller} {method} {url}: {db_problem}")
    assert not problems, f"{route}:\n  " + "\n  ".join(problems)
