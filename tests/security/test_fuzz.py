"""Fuzzing every handler argument and form field with hypothesis (issue 7, item 2).

Each handler that takes arguments is called by its rightful caller (so the deepest code runs)
with arguments drawn from: the valid value, unicode text (any script, emoji, right-to-left,
combining marks, lone surrogates), very long strings, negative / huge / fractional / textual
amounts, SQL and HTML/script payloads, and values of the wrong JSON type; forms are sent both as
plain objects and in the browser's wire format (`__reflex_form_data__` entries). For every example:

- nothing crashes: no exception reaches Reflex, no service fails unexpectedly (the generic
  "Something went wrong" message), no handler hangs;
- a refused input (an error message or the event guard's toast) leaves every table unchanged;
- the message is clear: never a Python repr, traceback or exception name;
- an accepted input never stores a 10 kB value.

Budget and seed:

- `LUCKYCHIT_FUZZ_EXAMPLES`: examples per handler (default 12).
- `LUCKYCHIT_FUZZ_SEED`: unset, every run draws the same examples (hypothesis derandomized: a
  failure is reproducible as is); an integer, the examples of that seed; `random`, a fresh seed
  per session, printed in the summary and in every failure message with the command that replays it.

`make test` in CI (`CI=true`) adds a deep run: a random seed and more examples per handler.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import random
import re
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from reflex_base.utils.form import FORM_DATA_ENTRIES_KEY

from tests.security.access_rules import RULES, Call
from tests.security.conftest import AppDatabase
from tests.security.harness import Driver
from tests.security.matrix import RIGHTFUL_ORDER, call_as, describe, toasts
from tests.security.world import CALLERS, Side, World

EXAMPLES = int(os.environ.get("LUCKYCHIT_FUZZ_EXAMPLES", "12"))


def _seed(spec: str) -> int | None:
    """None: the fixed, derandomized examples. `random`: a fresh seed for this session."""
    spec = spec.strip().lower()
    if not spec:
        return None
    if spec == "random":
        return random.SystemRandom().randrange(2**32)
    return int(spec)


SEED = _seed(os.environ.get("LUCKYCHIT_FUZZ_SEED", ""))
REPLAY = (
    f"seed {SEED}; replay: LUCKYCHIT_FUZZ_SEED={SEED} LUCKYCHIT_FUZZ_EXAMPLES={EXAMPLES} "
    "python -m pytest tests/security/test_fuzz.py"
    if SEED is not None
    else "fixed derandomized examples (LUCKYCHIT_FUZZ_SEED unset)"
)
STATS = {"examples": 0, "refused": 0, "accepted": 0, "handlers": 0, "seconds": 0.0}


def _seeded(test: Any) -> Any:
    """hypothesis's @seed when a seed is set (a seed would override derandomize, so only then)."""
    return test if SEED is None else seed(SEED)(test)


SQL = [
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "1 UNION SELECT password_hash FROM users",
    "\\'; --",
    '" OR ""="',
]
HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}",
    "${7*7}",
    "</textarea><svg onload=alert(1)>",
]
UNICODE = [
    "प्रिया शर्मा",
    "தமிழ் பெயர்",
    "مرحبا",
    "\u202eevil\u202c",
    "e\u0301\u0301\u0301",
    "😀" * 50,
    "\x00nul",
    "\ud800lone surrogate",
    "\ufeffbom",
    " ",
    "",
]
AMOUNTS = [
    "₹1,00,000",
    "1,00,00,00,00,000",
    "-500",
    "0",
    "0.001",
    "100.999",
    "1e9",
    "१००",
    "NaN",
    "Infinity",
    " 100 ",
    "99999999999999999999999",
]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
)
wrong_types = st.one_of(
    json_scalars,
    st.lists(json_scalars, max_size=3),
    st.dictionaries(st.text(max_size=5), json_scalars, max_size=3),
)
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.sampled_from(SQL + HTML + UNICODE + AMOUNTS),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "é", "9", "<", "😀"]), st.integers(300, 12_000)),
    # A lone surrogate is valid JSON ("\ud800") but not valid Unicode text: it must be refused,
    # not reach the database driver or bcrypt.
    st.builds(lambda a, b: a + b, st.text(max_size=8), st.characters(categories=["Cs"])),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)


def value_for(valid: Any) -> st.SearchStrategy[Any]:
    """A fuzzed value for one argument or form field whose valid value is `valid`."""
    return st.one_of(st.just(valid), texts, wrong_types)


def payload_for(call: Call) -> st.SearchStrategy[dict[str, Any]]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for key, valid in call.payload.items():
        if isinstance(valid, dict):
            form = st.fixed_dictionaries({field: value_for(v) for field, v in valid.items()})
            # Also in the browser's wire format: entries of [name, value] pairs (strings).
            wire = form.map(lambda f: {FORM_DATA_ENTRIES_KEY: [[k, v] for k, v in f.items()]})
            parts[key] = st.one_of(form, wire, wrong_types)
        elif isinstance(valid, list):
            parts[key] = st.one_of(st.just(valid), wrong_types)
        else:
            parts[key] = value_for(valid)
    return st.fixed_dictionaries(parts)


UNCLEAR = re.compile(
    r"Traceback|Error\(|object has no attribute|NoneType|KeyError|TypeError|ValueError|\bdict\b"
)


def _rightful(handler: str) -> str:
    """The caller whose call runs the deepest code: a rightful one whose page is theirs."""
    rule = RULES[handler]
    allowed = rule.allowed - rule.acts_then_page_refuses
    return next((c for c in RIGHTFUL_ORDER if c in allowed), "member")


def _takes_arguments(handler: str) -> bool:
    """Whether the handler's call carries arguments (judged on a placeholder world at collection)."""
    side = Side(**{f.name: "1" for f in dataclasses.fields(Side)})
    placeholder = World(
        a=side,
        b=side,
        admin_id=1,
        tokens={},
        passwords=dict.fromkeys(CALLERS, "x"),
        mobiles={},
        inactive_user="1",
    )
    placeholder.mobiles.update(dict.fromkeys(CALLERS, "9000000011"))
    rule = RULES[handler]
    return bool(rule.call(placeholder, side, _rightful(handler)).payload) and not rule.background


FUZZED = [h for h in sorted(RULES) if _takes_arguments(h)]


def _stored_long_value(app_db: AppDatabase) -> bool:
    """Whether the rows last read (`changed_tables()`) hold a 1000+ character run of a long input."""
    text = json.dumps(app_db.latest, default=str, ensure_ascii=False)
    return any(ch * 1000 in text for ch in ("x", "é", "9", "<", "😀"))


@pytest.mark.parametrize("handler", FUZZED)
def test_fuzz_handler(app: Any, app_db: AppDatabase, world: World, handler: str) -> None:
    rule = RULES[handler]
    caller = _rightful(handler)
    base = dataclasses.replace(rule.call(world, world.a, caller), handler=handler)
    runner = asyncio.Runner()
    driver = Driver(app)
    runner.run(driver.__aenter__())
    problems: list[str] = []
    started = time.perf_counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=SEED is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @_seeded
    @given(payload=payload_for(base))
    def one(payload: dict[str, Any]) -> None:
        call = dataclasses.replace(base, payload=payload)
        prepared = False

        def prepared_now() -> None:
            nonlocal prepared
            prepared = bool(app_db.mark())

        outcome = runner.run(call_as(driver, world, caller, call, after_before=prepared_now))
        STATS["examples"] += 1
        changed = app_db.changed_tables()
        messages = [m for m in outcome.errors() if not (rule.success_message and rule.success_message in m)]
        messages += toasts(outcome)
        shown = repr(payload)[:200]
        if outcome.crashed or outcome.timed_out:
            problems.append(f"{shown}: {describe(outcome)}")
        elif messages:
            STATS["refused"] += 1
            if changed - rule.writes:
                problems.append(f"{shown}: refused ({messages[0][:80]}) but changed {sorted(changed)}")
            unclear = [m for m in outcome.errors() if UNCLEAR.search(m)]
            if unclear:
                problems.append(f"{shown}: unclear message {unclear[0][:120]!r}")
        else:
            STATS["accepted"] += 1
        if changed or prepared:
            if _stored_long_value(app_db):
                problems.append(f"{shown}: a 1000+ character value was stored in {sorted(changed)}")
            app_db.reset()

    try:
        one()
    finally:
        runner.run(driver.__aexit__(None, None, None))
        runner.close()
    elapsed = time.perf_counter() - started
    STATS["handlers"] += 1
    STATS["seconds"] += elapsed
    print(f"{handler}: {EXAMPLES} examples in {elapsed:.1f}s ({REPLAY})")
    assert not problems, f"{handler} ({REPLAY} -k '{handler}'):\n  " + "\n  ".join(dict.fromkeys(problems))
