"""The authorization matrix (issue 7, item 1).

Discovery: every public event handler of every rx.State subclass of the app and every HTTP route
of luckychit_app.api.routes.api must have an entry in access_rules.py (RULES / ROUTES) or be one of
Reflex's own handlers listed with a reason in EXCLUDED_HANDLERS. A new handler or route without a
rule fails `test_every_handler_and_route_has_an_access_rule`.

Matrix: every handler is called, through Reflex's real event processor, as anonymous, B's member,
B's foreman, B's collection agent, A's member, A's foreman (the company's owner), A's branch
manager, clerk, agent and accountant, and the admin, against A's objects. The callers the rule
allows must succeed; everyone else must get a clear refusal (an error message in state or a
redirect to /login or their own home), see nothing of world A, and leave every table unchanged
(`snapshot` before and after each call); A's Main-branch staff must see nothing of the Madurai
branch. Then A's rightful users (A's staff among them) call it with B's ids (forged), which must be
refused the same way (test_cross_company.py does the same for A's other staff), and with wrong
argument types in every argument, form field and URL parameter (None, list, dict, huge int,
negative, float, 10 kB string), which must never crash or store the junk.
"""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any

import pytest

from tests.security.access_rules import EXCLUDED_HANDLERS, ROUTES, RULES, Call, Rule
from tests.security.conftest import AppDatabase, TestClient, run
from tests.security.harness import Driver, app_state_classes, registered_event_names, state_classes
from tests.security.matrix import (
    RIGHTFUL_ORDER,
    call_as,
    check_db,
    data_sent,
    describe,
    ignored,
    leaks,
    refused,
    succeeded,
)
from tests.security.world import (
    A_MARKERS,
    B_MARKERS,
    CALLERS,
    MAIN_BRANCH_STAFF,
    OTHER_BRANCH_MARKERS,
    World,
)

JUNK: tuple[tuple[str, Any], ...] = (
    ("None", None),
    ("list", [1, "2"]),
    ("dict", {"id": 1}),
    ("huge int", 10**30),
    ("negative", -1),
    ("float", 2.5),
    ("10 kB string", "x" * 10_240),
)
"""Wrong types for every argument: what a crafted websocket event can carry."""

JUNK_URL_PARAMS = ("abc", "-1", "0", "1.5", "99999999999999999999", "1 OR 1=1", "x" * 10_240)
"""URL parameters are always strings; these are the odd ones a hand-edited address can hold."""

ROUTE_AUDITED = frozenset({"audit_log"})
"""A rightful export or download is recorded in the audit log."""

STATS: dict[str, int] = {"route_calls": 0}


def outsider(caller: str) -> bool:
    """Callers from outside world A: nobody signed in, and world B's member, foreman and agent."""
    return caller == "anonymous" or caller.endswith("_other")


def discovered_handlers() -> dict[str, str]:
    """ "StateClass.handler" -> the class's module, for every public handler Reflex will dispatch."""
    found: dict[str, str] = {}
    names: dict[str, str] = {}
    for cls in state_classes():
        if cls.__name__ in names and names[cls.__name__] != cls.get_full_name():
            raise AssertionError(f"two states named {cls.__name__}: the registry keys would be ambiguous")
        names[cls.__name__] = cls.get_full_name()
        for name in cls.event_handlers:
            if not name.startswith("_"):
                found[f"{cls.__name__}.{name}"] = cls.__module__
    return found


def discovered_routes() -> list[str]:
    from luckychit_app.api.routes import api

    return sorted(
        f"{method} {route.path}" for route in api.routes for method in sorted(route.methods - {"HEAD"})
    )


def test_every_handler_and_route_has_an_access_rule(app: Any) -> None:
    handlers = discovered_handlers()
    missing, unexpected_builtin = [], []
    for key, module in sorted(handlers.items()):
        method = key.split(".", 1)[1]
        if key in RULES:
            continue
        if method == "setvar" or (not module.startswith("luckychit_app.") and method in EXCLUDED_HANDLERS):
            continue
        (missing if module.startswith("luckychit_app.") else unexpected_builtin).append(key)
    stale = sorted(set(RULES) - set(handlers))
    routes = discovered_routes()
    missing_routes = sorted(set(routes) - set(ROUTES))
    stale_routes = sorted(set(ROUTES) - set(routes))
    assert not missing, f"handlers without an access rule in tests/security/access_rules.py: {missing}"
    assert not unexpected_builtin, f"new Reflex built-in handlers to review and list: {unexpected_builtin}"
    assert not missing_routes, (
        f"routes without an access rule in tests/security/access_rules.py: {missing_routes}"
    )
    assert not stale and not stale_routes, (
        f"rules for handlers/routes that no longer exist: {stale + stale_routes}"
    )
    # Reflex dispatches only registered handlers: private helpers (`_actor`, `_start`, ...) cannot
    # be called from the browser at all.
    with app.set_contexts():
        registered = registered_event_names()
    private = [n for n in registered if n.rpartition(".")[2].startswith("_")]
    assert not private, private
    builtins = [k for k, m in handlers.items() if not m.startswith("luckychit_app.")]
    setvars = [k for k in handlers if k.endswith(".setvar")]
    print(
        f"\naccess registry: {len(RULES)} handlers in {len(app_state_classes())} app states, "
        f"{len(setvars)} setvar + {len(builtins)} Reflex built-ins excluded, {len(ROUTES)} routes"
    )


def test_setvar_reaches_only_registered_setters(app: Any, app_db: AppDatabase, world: World) -> None:
    """`State.setvar(name, value)` is callable on every state; with auto setters off it can only
    reach a public `set_<name>` handler (which has its own rule). Setting the session cookie var,
    a backend var or any other var through it changes nothing."""

    async def body() -> None:
        async with Driver(app) as driver:
            for cls in app_state_classes():
                client, _ = await driver.open("/m", world.token("member_other"))
                for var in sorted(cls.vars if hasattr(cls, "vars") else cls.__fields__):
                    if f"set_{var}" in cls.event_handlers:
                        continue  # the same as calling set_<var>, covered by its own rule
                    outcome = await driver.send(
                        client, f"{cls.get_full_name()}.setvar", {"var_name": var, "value": "forged"}
                    )
                    changed = outcome.values().get(cls.get_full_name(), {})
                    assert changed.get(var) != "forged", f"setvar changed {cls.__name__}.{var}"
                driver.close(client)
        assert not app_db.changed_tables()

    run(body())


def _junk_variants(call: Call, background: bool = False) -> list[tuple[str, Call]]:
    """The call with one argument, form field or URL parameter replaced by a wrong type."""
    variants: list[tuple[str, Call]] = []
    for key, value in call.payload.items():
        for label, junk in JUNK:
            variants.append(
                (f"{key}={label}", dataclasses.replace(call, payload={**call.payload, key: junk}))
            )
        if isinstance(value, dict):
            for field in value:
                for label, junk in JUNK:
                    form = {**value, field: junk}
                    variants.append(
                        (
                            f"{key}.{field}={label}",
                            dataclasses.replace(call, payload={**call.payload, key: form}),
                        )
                    )
    parts = call.page.split("/")
    for i, part in enumerate(parts):
        if part.isdigit() or (i > 1 and parts[i - 1] in ("join", "test-checkout")):
            for junk in JUNK_URL_PARAMS[:3] + JUNK_URL_PARAMS[-1:] if background else JUNK_URL_PARAMS:
                page = "/".join([*parts[:i], junk, *parts[i + 1 :]])
                variants.append((f"url[{i}]={junk[:20]}", dataclasses.replace(call, page=page)))
    return variants


def _stored_junk(app_db: AppDatabase) -> bool:
    """True when the 10 kB string (or a large part of it) reached the database."""
    return "x" * 1000 in json.dumps(app_db.latest, default=str)


async def _matrix(app: Any, app_db: AppDatabase, world: World, handler: str, rule: Rule) -> list[str]:
    problems: list[str] = []
    async with Driver(app) as driver:
        # 1. Every caller, against A's objects.
        for caller in CALLERS:
            call = dataclasses.replace(rule.call(world, world.a, caller), handler=handler)
            outcome = await call_as(driver, world, caller, call, rule.background)
            public = rule.kind.startswith("anonymous-ok")
            if caller in rule.acts_then_page_refuses:
                changed, _ = check_db(app_db, frozenset())
                if not changed or not outcome.errors() or outcome.crashed:
                    problems.append(f"{caller} expected the action, then a refusal: {describe(outcome)}")
                continue
            changed, db_problem = check_db(app_db, rule.writes if caller not in rule.allowed else frozenset())
            if caller in rule.allowed:
                why = succeeded(outcome, rule, handler)
                if why:
                    problems.append(f"{caller} (rightful) {why}")
                if rule.mutates and not changed:
                    problems.append(f"{caller} (rightful): expected a change in the database, got none")
                if rule.shows_data and not data_sent(outcome, rule.quiet_sends):
                    problems.append(f"{caller} (rightful): expected data, the call sent none")
                if caller.endswith("_other") and not public and leaks(outcome):
                    problems.append(f"{caller} saw world A's data: {leaks(outcome)}")
            else:
                why = refused(outcome, rule, caller)
                if why:
                    problems.append(f"{caller} {why}")
                if db_problem:
                    problems.append(f"{caller} (refused) {db_problem}")
                if outsider(caller) and not public and leaks(outcome):
                    problems.append(f"{caller} (refused) saw world A's data: {leaks(outcome)}")
            if caller in MAIN_BRANCH_STAFF and leaks(outcome, OTHER_BRANCH_MARKERS):
                problems.append(
                    f"{caller} saw the other branch's data: {leaks(outcome, OTHER_BRANCH_MARKERS)}"
                )
            if caller == "anonymous" and not public and leaks(outcome, B_MARKERS):
                problems.append(f"anonymous saw world B's data: {leaks(outcome, B_MARKERS)}")
        # 2. A's rightful users - the owner and A's staff among them - aiming at B's objects (forged
        # ids): the cross-company check. B's own callers are skipped (B's objects are theirs).
        if rule.targets:
            for caller in sorted(c for c in rule.allowed - {"admin"} if not outsider(c)):
                call = dataclasses.replace(rule.call(world, world.b, caller), handler=handler)
                outcome = await call_as(driver, world, caller, call, rule.background)
                _changed, db_problem = check_db(app_db, rule.writes)
                why = ignored(outcome) if rule.forged_ignored else refused(outcome, rule, caller)
                if why:
                    problems.append(f"{caller} with B's ids (forged) {why}")
                if db_problem:
                    problems.append(f"{caller} with B's ids (forged) {db_problem}")
                if leaks(outcome, B_MARKERS):
                    problems.append(f"{caller} with B's ids saw world B's data: {leaks(outcome, B_MARKERS)}")
        # 3. Wrong types, as the rightful caller (the first one that is not the admin).
        rightful = next((c for c in RIGHTFUL_ORDER if c in rule.allowed), "member")
        base = dataclasses.replace(rule.call(world, world.a, rightful), handler=handler)
        for label, variant in _junk_variants(base, rule.background):
            outcome = await call_as(driver, world, rightful, variant, rule.background)
            if outcome.crashed or outcome.timed_out:
                problems.append(f"{rightful} with {label}: {describe(outcome)}")
            changed = app_db.changed_tables()
            if changed:
                if _stored_junk(app_db):
                    problems.append(
                        f"{rightful} with {label}: the junk value was stored in {sorted(changed)}"
                    )
                app_db.reset()
    return problems


@pytest.mark.parametrize("handler", sorted(RULES))
def test_handler_access(app: Any, app_db: AppDatabase, world: World, handler: str) -> None:
    started = time.perf_counter()
    problems = run(_matrix(app, app_db, world, handler, RULES[handler]))
    assert not problems, f"{handler}:\n  " + "\n  ".join(problems)
    print(f"{handler}: {time.perf_counter() - started:.2f}s")


# --- HTTP routes ----------------------------------------------------------------------------------


def _route_call(client: TestClient, world: World, caller: str, method: str, url: str) -> Any:
    cookies = {"lc_session": world.token(caller)} if world.token(caller) else {}
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies.set(name, value)
    if method == "POST":
        return client.post(
            url, content=b'{"event":"payment.captured"}', headers={"X-Razorpay-Signature": "00"}
        )
    return client.get(url)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_route_access(app_db: AppDatabase, world: World, route: str) -> None:
    from luckychit_app.api.routes import api

    rule = ROUTES[route]
    problems = []
    with TestClient(api, raise_server_exceptions=False) as client:
        for caller in CALLERS:
            method, url = rule.request(world, world.a)
            response = _route_call(client, world, caller, method, url)
            STATS["route_calls"] += 1
            _changed, db_problem = check_db(app_db, ROUTE_AUDITED if caller in rule.allowed else frozenset())
            body = response.text
            if caller in rule.allowed:
                if response.status_code != 200:
                    problems.append(f"{caller} (rightful) got {response.status_code}: {body[:200]}")
            else:
                if response.status_code not in rule.refused_status:
                    problems.append(f"{caller} got {response.status_code}, expected {rule.refused_status}")
                if any(m in body for m in A_MARKERS):
                    problems.append(f"{caller} (refused) got world A's data")
            if db_problem:
                problems.append(f"{caller} {db_problem}")
        if "{" in route and rule.allowed != frozenset(CALLERS):
            for caller in sorted(c for c in rule.allowed - {"admin"} if not outsider(c)):
                method, url = rule.request(world, world.b)
                response = _route_call(client, world, caller, method, url)
                STATS["route_calls"] += 1
                if response.status_code not in rule.refused_status or any(
                    m in response.text for m in B_MARKERS
                ):
                    problems.append(f"{caller} with B's ids got {response.status_code}")
        for junk in JUNK_URL_PARAMS:
            method, url = rule.request(world, world.a)
            parts = url.split("/")
            for i, part in enumerate(parts):
                head, dot, tail = part.partition(".")
                if head.isdigit():
                    bad = "/".join([*parts[:i], junk + dot + tail, *parts[i + 1 :]])
                    response = _route_call(client, world, "foreman", method, bad)
                    STATS["route_calls"] += 1
                    if response.status_code >= 500:
                        problems.append(f"{bad[:80]} -> {response.status_code}")
        if "{kind" in route:
            for kind in ("evil", "x" * 300, "members%00", "..%2f..%2fetc"):
                response = _route_call(
                    client, world, "foreman", "GET", f"/api/reports/{world.a.group}/{kind}.csv"
                )
                STATS["route_calls"] += 1
                if response.status_code >= 500 or response.status_code == 200:
                    problems.append(f"kind={kind[:20]} -> {response.status_code}")
    assert not problems, f"{route}:\n  " + "\n  ".join(problems)


def test_open_draw_has_no_proof_yet(app_db: AppDatabase, world: World) -> None:
    """The proof (which holds the server seed) exists only after the draw: an open draw's proof
    URL answers 404 to everyone, the admin and the group's foreman included."""
    from luckychit_app.api.routes import api

    with TestClient(api) as client:
        for caller in CALLERS:
            for draw in (world.a.draw_open, world.a.auction_draw):
                response = _route_call(client, world, caller, "GET", f"/api/draws/{draw}/proof.json")
                assert response.status_code == 404, (caller, draw, response.status_code)


def test_metrics_token_is_enforced(app_db: AppDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    from luckychit_app.api.routes import api

    monkeypatch.setenv("LUCKYCHIT_METRICS_TOKEN", "s3cret-metrics-token")
    with TestClient(api) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
        assert ok.status_code == 200
