"""Calling a handler as each caller and judging the answer: shared by the matrix and the fuzz tests."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from tests.security.access_rules import Call, Rule
from tests.security.conftest import AppDatabase
from tests.security.harness import Driver, Outcome
from tests.security.world import A_MARKERS, World

HOMES = ("/f", "/m", "/s", "/admin", "/login", "/change-password")
RIGHTFUL_ORDER = ("member", "foreman", "admin", "anonymous", "manager", "clerk", "agent", "accountant")
"""Whose call runs the deepest code, for the junk and fuzz calls: the first of these a rule allows."""
COUNTS = {"events": 0}
"""Events sent through Reflex's processor by call_as in this test session (for docs/security.md)."""
BACKGROUND_SECONDS = 1.0
"""How long a background handler (a live page's polling loop) runs before its tab closes."""


async def call_as(
    driver: Driver,
    world: World,
    caller: str,
    call: Call,
    background: bool = False,
    after_before: Callable[[], None] | None = None,
) -> Outcome:
    """Open a fresh tab on `call.page` holding `caller`'s cookie, send the `before` events (what the
    page sends first, e.g. opening a dialog), then the event itself; return what it sent back.
    `after_before` runs between the two (the fuzz test re-reads the database there)."""
    COUNTS["events"] += 1 + len(call.before)
    client, opened = await driver.open(call.page, world.token(caller))
    if opened.crashed:
        return opened
    for name, payload in call.before:
        await driver.send(client, name, payload)
    if after_before is not None:
        after_before()
    if background:
        outcome = await driver.send(client, call.handler, call.payload, timeout=BACKGROUND_SECONDS)
        driver.close(client)
        await asyncio.sleep(1.0)  # the loop notices the closed tab at its next poll and ends
        outcome.timed_out = False
        return outcome
    outcome = await driver.send(client, call.handler, call.payload)
    driver.close(client)
    return outcome


def leaks(outcome: Outcome, markers: tuple[str, ...] = A_MARKERS) -> list[str]:
    text = outcome.serialised()
    return [m for m in markers if m in text]


def describe(outcome: Outcome) -> str:
    return json.dumps(
        {
            "errors": outcome.errors(),
            "redirects": outcome.redirects(),
            "exceptions": [repr(e) for e in outcome.exceptions],
            "timed_out": outcome.timed_out,
            "events": [n for n, _ in outcome.events],
        },
        ensure_ascii=False,
    )[:1500]


def toasts(outcome: Outcome) -> list[str]:
    """Toast messages (rx.toast) the call sent, e.g. the event guard's refusal."""
    found = []
    for name, payload in outcome.events:
        text = json.dumps(payload, default=str)
        if name == "_call_function" and "toast" in text:
            found.append(text[:300])
    return found


def succeeded(outcome: Outcome, rule: Rule, handler: str) -> str | None:
    """None when the call did what the rightful caller asked; else why not."""
    if outcome.crashed or outcome.timed_out:
        return "crashed: " + describe(outcome)
    errors = outcome.errors()
    if rule.success_message:
        if not any(rule.success_message in e for e in errors):
            return f"expected {rule.success_message!r}: " + describe(outcome)
    elif errors or toasts(outcome):
        return "refused: " + describe(outcome)
    redirects = outcome.redirects()
    if rule.success_redirect:
        bad = [r for r in redirects if r != rule.success_redirect] or ([] if redirects else ["none"])
    elif handler.startswith("SessionState.guard_"):
        bad = redirects
    else:
        bad = [r for r in redirects if r in ("/login", "/change-password")]
    if bad:
        return "redirected: " + describe(outcome)
    return None


def refused(outcome: Outcome, rule: Rule, caller: str) -> str | None:
    """None when the call was clearly refused; else what happened instead."""
    if outcome.crashed or outcome.timed_out:
        return "crashed: " + describe(outcome)
    if outcome.errors() or toasts(outcome) or any(r in HOMES for r in outcome.redirects()):
        return None
    if rule.background or caller in rule.quiet:
        # Nothing to show: a live page's loop (or a handler without a session) sends no data to a
        # caller it refuses. The matrix checks separately that nothing was written or leaked.
        return (
            None if not data_sent(outcome, rule.quiet_sends) else "sent data: " + outcome.serialised()[:300]
        )
    return "not refused: " + describe(outcome)


def data_sent(outcome: Outcome, allowed: frozenset[str] = frozenset()) -> bool:
    """Whether any list or dict var with content reached the browser (rows, cards, a page dict),
    other than the vars named in `allowed` (a rule's `quiet_sends`: zero totals of an empty list)."""
    for changes in outcome.values().values():
        for name, value in changes.items():
            if isinstance(value, list | dict) and value and name not in allowed:
                return True
    return False


def ignored(outcome: Outcome) -> str | None:
    """None when a forged id was ignored cleanly (a rule's `forged_ignored`): no crash, no hang."""
    if outcome.crashed or outcome.timed_out:
        return "crashed: " + describe(outcome)
    return None


@dataclasses.dataclass
class Verdict:
    caller: str
    variant: str
    problem: str | None
    tables: set[str]


def check_db(app_db: AppDatabase, allowed_tables: frozenset[str]) -> tuple[set[str], str | None]:
    changed = app_db.changed_tables()
    if changed:
        app_db.reset()
    unexpected = changed - allowed_tables
    return changed, (f"database changed: {sorted(unexpected)}" if unexpected else None)


def payload_size(payload: dict[str, Any]) -> int:
    return len(json.dumps(payload, default=str))
