"""The standalone verifier: protocol math, tamper detection, robustness, command line, stdlib-only.

A member trusts a draw because this file says VALID, so the tests concentrate on the other outcome:
every single edit to a proof must be caught and blamed on the right check, and no input at all may
crash it.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luckychit_app import verify
from luckychit_app.domain.fairness import format_utc, proof_sha256
from luckychit_app.verify import (
    CHECK_NAMES,
    LOT_CHECK_NAMES,
    PROOF_FIELDS,
    _check_steps,
    _Fail,
    acceptance_limit,
    canonical_json,
    check_names,
    client_seed_of,
    commitment_of,
    eligible_hash,
    main,
    select_index,
    verify_proof,
)
from tests.domain import oracle
from tests.domain.oracle import RejectingChain
from tests.domain.test_fairness import sample_proof

DATA = Path(__file__).parent / "data"
PROOF = verify.load_proof(str(DATA / "proof_v1_lucky.json"))
"""A version 1 proof, written by the app before issue 20 (run_draw now writes version 2). Every test
below that uses it proves that version 1 proofs verify exactly as before; version 2 lot proofs are
tested in test_verify_v2.py, auction proofs in test_auction_proof.py."""
SEED = bytes(range(32))


def first_failure(proof: Any) -> verify.Check | None:
    return next((check for check in verify_proof(proof) if not check.ok), None)


def no_internal_errors(checks: list[verify.Check]) -> bool:
    """Every failure must come from an explicit validation, not from the catch-all safety net."""
    return not any("internal error" in check.detail for check in checks)


def set_path(proof: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(proof)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def get_path(proof: dict[str, Any], path: tuple[Any, ...]) -> Any:
    target: Any = proof
    for key in path:
        target = target[key]
    return target


def leaf_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaf_paths(item, (*prefix, index))
    else:
        yield prefix


def bump_hex(value: str) -> str:
    return value[:-1] + ("1" if value[-1] == "0" else "0")


def shift(iso: str, microseconds: int) -> str:
    return format_utc(datetime.fromisoformat(iso) + timedelta(microseconds=microseconds))


# ------------------------------------------------------------------------------------------------
# Protocol math
# ------------------------------------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": "₹ ಶುಭ"}) == '{"a":"₹ ಶುಭ","b":1}'.encode()
    assert canonical_json([{"ticket": 1, "member": "x"}]) == b'[{"member":"x","ticket":1}]'


def test_commitment_and_hashes_follow_the_design() -> None:
    assert commitment_of(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    eligible = [{"ticket": 1, "member": "a"}]
    assert eligible_hash(eligible) == hashlib.sha256(b'[{"member":"a","ticket":1}]').hexdigest()
    expected = hashlib.sha256(b'{"phrases":["a","b"],"public":""}').hexdigest()
    assert client_seed_of(["b", "a"], None) == expected
    assert client_seed_of(["a", "b"], "") == expected


def test_known_answer_vector() -> None:
    """Pinned values (cross-checked with sha256sum and openssl) for anyone writing another verifier."""
    e_hash = eligible_hash([{"ticket": t, "member": f"m{t}"} for t in range(1, 8)])
    c_seed = client_seed_of(["beta", "alpha"], "drand 1")
    assert e_hash == "a0eaa25bf284c1611c782c5c187ce22f1b6a5ecc22f46c74407dfcd3f76d96de"
    assert c_seed == "8997bb3cfaecb46e2ac0157a8e9912c61cf1f79d5fb221770a5e9c5b0bd7c4db"
    index, steps = select_index(SEED, 12, 4, e_hash, c_seed, 7)
    assert steps == [
        {
            "counter": 0,
            "hmac": "7316b546885e218bbf8759b746a316fc79674a883420dc1c6d9087e243a61852",
            "x": "8293015078389555595",
            "accepted": True,
        }
    ]
    assert index == 4


@given(
    seed=st.binary(min_size=32, max_size=32),
    group_id=st.integers(0, 10**6),
    month=st.integers(1, 60),
    n=st.integers(1, 500) | st.integers(2**63, 2**64),
)
def test_select_index_matches_the_design_text(seed: bytes, group_id: int, month: int, n: int) -> None:
    e_hash, c_seed = "ab" * 32, "cd" * 32
    index, steps = select_index(seed, group_id, month, e_hash, c_seed, n)
    expected = oracle.selection(seed, group_id, month, e_hash, c_seed, n)
    assert steps == oracle.proof_steps(expected), "select_index's HMAC chain differs from DESIGN.md §4.4"
    assert index == expected[-1].x % n
    assert 0 <= index < n
    assert [s["counter"] for s in steps] == list(range(len(steps)))
    assert [s["accepted"] for s in steps] == [False] * (len(steps) - 1) + [True]


@pytest.mark.parametrize(
    ("n", "limit"),
    [
        (1, 2**64),
        (2, 2**64),
        (3, 2**64 - 1),
        (7, 2**64 - 2),
        (10, 2**64 - 6),
        (2**63 + 1, 2**63 + 1),
        (2**64 - 1, 2**64 - 1),
        (2**64, 2**64),
    ],
)
def test_acceptance_limit(n: int, limit: int) -> None:
    assert acceptance_limit(n) == limit
    assert limit % n == 0  # [0, limit) is whole runs of 0..n-1, so x % n is exactly uniform
    assert 0 <= 2**64 - limit < n  # and it is the largest such limit


@pytest.mark.parametrize("n", [0, -1, 2**64 + 1, True, 3.0, "3"])
def test_acceptance_limit_refuses_impossible_counts(n: Any) -> None:
    with pytest.raises(ValueError, match="between 1 and 2"):
        acceptance_limit(n)


# Why no rejection with a realistic n: with n = 3, 2**64 % 3 == 1, so the only rejected value is
# x = 2**64 - 1, which an HMAC produces with probability 2**-64 per step -- no search can find one.
# The same holds for every realistic group size (rejection odds below n / 2**64). The
# `rejecting_chain` fixture (tests/domain/conftest.py) therefore uses n = 2**63 + 1, where almost
# half of all values are rejected, and finds its seed with the test oracle, so the real select_index
# loop runs its rejection path without any mocking and a broken bound fails a named test below.


def test_rejection_sampling_rejects_values_at_or_above_the_limit(rejecting_chain: RejectingChain) -> None:
    chain = rejecting_chain
    assert acceptance_limit(chain.n) == chain.limit
    index, steps = select_index(chain.seed, chain.group_id, chain.month, chain.e_hash, chain.c_seed, chain.n)
    expected = oracle.proof_steps(chain.steps)
    rejected = [s for s in chain.steps if not s.accepted]
    assert len(rejected) >= 2
    assert all(s.x >= chain.limit for s in rejected)
    assert steps[: len(rejected)] == expected[: len(rejected)], (
        f"select_index accepted a value DESIGN.md §4.4 rejects: x >= 2**64 - (2**64 % n) = {chain.limit} "
        f"must be rejected, so the first {len(rejected)} step(s) here are rejections, but select_index "
        f"recorded {[(s['x'], s['accepted']) for s in steps[: len(rejected)]]}"
    )
    assert steps == expected, f"select_index took {len(steps)} step(s); DESIGN.md §4.4 takes {len(expected)}"
    assert index == chain.index, f"select_index picked index {index}; DESIGN.md §4.4 picks {chain.index}"


def test_verifier_accepts_a_genuine_chain_with_rejections(rejecting_chain: RejectingChain) -> None:
    chain = rejecting_chain
    steps = oracle.proof_steps(chain.steps)
    try:
        x = _check_steps(chain.seed, chain.group_id, chain.month, chain.e_hash, chain.c_seed, chain.n, steps)
    except _Fail as failure:
        pytest.fail(f"the verifier refused a chain that follows DESIGN.md §4.4 to the letter: {failure}")
    assert x == chain.steps[-1].x


def test_verifier_refuses_a_chain_that_accepts_a_value_above_the_limit(
    rejecting_chain: RejectingChain,
) -> None:
    """The chain a selection without the rejection bound would publish: it stops at the first value."""
    chain = rejecting_chain
    first = chain.steps[0]
    assert not first.accepted
    forged = oracle.proof_steps([oracle.Step(0, first.hmac_hex, first.x, True)])
    with pytest.raises(
        _Fail, match=f"marked accepted, but x = {first.x} is not below the limit {chain.limit}"
    ):
        _check_steps(chain.seed, chain.group_id, chain.month, chain.e_hash, chain.c_seed, chain.n, forged)


def _mark_first_accepted(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    steps[0]["accepted"] = True
    return steps


def _mark_last_rejected(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    steps[-1]["accepted"] = False
    return steps


def _renumber_after_dropping_first(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rest = steps[1:]
    for counter, step in enumerate(rest):
        step["counter"] = counter
    return rest


def _append_step(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*steps, {**steps[-1], "counter": len(steps)}]


def _change_rejected_x(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    steps[0]["x"] = str(int(steps[0]["x"]) - 1)
    return steps


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_mark_first_accepted, "marked accepted, but x = .* is not below the limit"),
        (_mark_last_rejected, "marked rejected, but x = .* is below the limit"),
        (lambda steps: steps[1:], "counter 1, expected 0: a step was skipped"),
        (_renumber_after_dropping_first, r"steps\[0\]\.hmac does not match"),
        (lambda steps: steps[:-1], "every recorded step was rejected"),
        (_append_step, r"more step\(s\) follow"),
        (_change_rejected_x, r"steps\[0\]\.x does not match"),
        (lambda steps: [steps[1], steps[0], *steps[2:]], "skipped or reordered"),
        (lambda steps: [], "no selection steps"),
    ],
)
def test_verifier_catches_tampered_rejection_chains(
    tamper: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    message: str,
    rejecting_chain: RejectingChain,
) -> None:
    chain = rejecting_chain
    steps = tamper(oracle.proof_steps(chain.steps))
    with pytest.raises(_Fail, match=message):
        _check_steps(chain.seed, chain.group_id, chain.month, chain.e_hash, chain.c_seed, chain.n, steps)


def test_selection_among_seven_tickets_is_uniform() -> None:
    """Chi-square goodness of fit over 100,000 draws (client seed varied), alpha = 0.001.

    The inputs are fixed, so the test is deterministic: it shows this HMAC construction spreads
    winners evenly, not merely that one lucky run did.
    """
    n, draws = 7, 100_000
    e_hash = eligible_hash([{"ticket": t, "member": f"m{t}"} for t in range(1, n + 1)])
    counts = [0] * n
    for i in range(draws):
        c_seed = hashlib.sha256(i.to_bytes(4, "big")).hexdigest()
        index, _ = select_index(SEED, 12, 4, e_hash, c_seed, n)
        counts[index] += 1
    expected = draws / n
    chi_square = sum((observed - expected) ** 2 / expected for observed in counts)
    assert chi_square < 22.458, (chi_square, counts)  # 0.999 quantile of chi-square with 6 d.o.f.


# ------------------------------------------------------------------------------------------------
# Tampering: every field, every entry
# ------------------------------------------------------------------------------------------------

# field -> (the tampered value, given the genuine proof; the check that must fail first)
TOP_LEVEL_TAMPERS: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "version": (lambda p: 2, "version"),
    "algorithm": (lambda p: "HMAC-SHA256/modulo/v0", "version"),
    "group_id": (lambda p: p["group_id"] + 1, "selection"),
    "group_name": (lambda p: 12, "version"),  # a label: only its type is checkable (see below)
    "month": (lambda p: p["month"] + 1, "selection"),
    "draw_id": (lambda p: str(p["draw_id"]), "version"),  # a label, as group_name
    "kind": (lambda p: "single-eligible", "selection"),
    "commitment": (lambda p: bump_hex(p["commitment"]), "commitment"),
    "committed_at": (lambda p: p["cutoff_at"], "timestamps"),
    "server_seed": (lambda p: bump_hex(p["server_seed"]), "commitment"),
    "revealed_at": (lambda p: shift(p["drawn_at"], -1), "timestamps"),
    "phrases": (lambda p: [*p["phrases"], "one more"], "client_seed"),
    "public_value": (lambda p: None, "client_seed"),
    "cutoff_at": (lambda p: shift(p["frozen_at"], 1), "timestamps"),
    "client_seed": (lambda p: bump_hex(p["client_seed"]), "client_seed"),
    "eligible": (lambda p: p["eligible"][:-1], "eligible_list"),
    "eligible_hash": (lambda p: bump_hex(p["eligible_hash"]), "eligible_list"),
    "frozen_at": (lambda p: shift(p["drawn_at"], 1), "timestamps"),
    "steps": (lambda p: [], "selection"),
    "winner_index": (lambda p: (p["winner_index"] + 1) % len(p["eligible"]), "selection"),
    "winner": (lambda p: p["eligible"][(p["winner_index"] + 1) % len(p["eligible"])], "winner"),
    "drawn_at": (lambda p: shift(p["revealed_at"], 1), "timestamps"),
}


def _nested_tampers(proof: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any, str]]:
    """One edit per value inside eligible, steps, winner and phrases."""
    cases: list[tuple[tuple[Any, ...], Any, str]] = []
    for i, entry in enumerate(proof["eligible"]):
        cases.append((("eligible", i, "ticket"), entry["ticket"] + 100, "eligible_list"))
        cases.append((("eligible", i, "member"), bump_hex(entry["member"]), "eligible_list"))
    for i, step in enumerate(proof["steps"]):
        cases.append((("steps", i, "counter"), step["counter"] + 1, "selection"))
        cases.append((("steps", i, "hmac"), bump_hex(step["hmac"]), "selection"))
        cases.append((("steps", i, "x"), str(int(step["x"]) + 1), "selection"))
        cases.append((("steps", i, "accepted"), not step["accepted"], "selection"))
    others = [e for e in proof["eligible"] if e != proof["winner"]]
    cases.append((("winner", "ticket"), others[0]["ticket"], "winner"))
    cases.append((("winner", "member"), others[0]["member"], "winner"))
    for i, phrase in enumerate(proof["phrases"]):
        cases.append((("phrases", i), phrase + "!", "client_seed"))
    return cases


NESTED_TAMPERS = _nested_tampers(PROOF)


def test_the_tamper_tables_cover_every_field_of_a_proof() -> None:
    assert set(TOP_LEVEL_TAMPERS) == set(PROOF) == PROOF_FIELDS
    nested_leaves = {path for path in leaf_paths(PROOF) if len(path) > 1}
    assert nested_leaves == {path for path, _, _ in NESTED_TAMPERS}
    assert len(PROOF["eligible"]) == 7 and len(PROOF["phrases"]) == 3 and PROOF["public_value"]


@pytest.mark.parametrize("field", sorted(TOP_LEVEL_TAMPERS))
def test_changing_any_top_level_field_is_caught(field: str) -> None:
    make_value, expected = TOP_LEVEL_TAMPERS[field]
    value = make_value(PROOF)
    assert value != PROOF[field] or type(value) is not type(PROOF[field])
    failure = first_failure(set_path(PROOF, (field,), value))
    assert failure is not None, f"changing {field} went unnoticed"
    assert failure.name == expected, failure


@pytest.mark.parametrize(
    ("path", "value", "expected"), NESTED_TAMPERS, ids=[".".join(map(str, c[0])) for c in NESTED_TAMPERS]
)
def test_changing_any_value_inside_the_lists_is_caught(
    path: tuple[Any, ...], value: Any, expected: str
) -> None:
    failure = first_failure(set_path(PROOF, path, value))
    assert failure is not None, f"changing {path} went unnoticed"
    assert failure.name == expected, failure


@pytest.mark.parametrize(
    ("field", "value", "expected", "message"),
    [
        ("committed_at", "2025-03-01T10:00:00+05:30", "timestamps", "must be in UTC"),
        ("frozen_at", "2025-03-10T04:31:00", "timestamps", "no time zone"),
        ("drawn_at", "yesterday", "timestamps", "not an ISO-8601 time"),
        ("version", 1.0, "version", "unsupported proof version 1.0"),
        ("version", True, "version", "unsupported proof version True"),
        ("kind", "raffle", "version", "'kind' must be one of"),
        ("winner_index", 99, "selection", "winner_index is 99"),
        ("winner_index", -1, "selection", "between 0 and 2\\*\\*63-1"),
        ("commitment", "A" * 64, "commitment", "lowercase hex"),
        ("server_seed", "00" * 16, "commitment", "64 lowercase hex"),
        ("server_seed", " ".join(["00"] * 32), "commitment", "lowercase hex"),
        ("eligible", {"ticket": 1, "member": "a"}, "eligible_list", "must be a list"),
        ("eligible", [], "eligible_list", "is empty"),
        ("phrases", "alpha beta", "client_seed", "must be a list"),
        ("public_value", 7, "client_seed", "string or null"),
        ("steps", {"0": {}}, "selection", "'steps' must be a list"),
        ("winner", [1, "a"], "winner", "must be an object"),
    ],
)
def test_malformed_values_fail_the_right_check_with_a_clear_detail(
    field: str, value: Any, expected: str, message: str
) -> None:
    checks = verify_proof(set_path(PROOF, (field,), value))
    failure = next(c for c in checks if not c.ok)
    assert failure.name == expected
    assert re.search(message, failure.detail), failure.detail
    assert no_internal_errors(checks)


def test_unsorted_or_duplicate_tickets_are_refused_even_with_a_matching_hash() -> None:
    for eligible, message in [
        (list(reversed(PROOF["eligible"])), "not sorted"),
        ([PROOF["eligible"][0], *PROOF["eligible"]], "appears twice"),
        ([{**PROOF["eligible"][0], "name": "Ravi"}, *PROOF["eligible"][1:]], "unexpected field"),
    ]:
        forged = {**PROOF, "eligible": eligible, "eligible_hash": eligible_hash(eligible)}
        failure = first_failure(forged)
        assert failure is not None and failure.name == "eligible_list"
        assert message in failure.detail


def test_recomputing_the_eligible_hash_does_not_hide_an_edited_list() -> None:
    """The hash is an HMAC input, so a consistent-looking edit still breaks the selection replay."""
    eligible = copy.deepcopy(PROOF["eligible"])
    loser = next(i for i in range(len(eligible)) if i != PROOF["winner_index"])
    eligible[loser]["member"] = "ffffffffffff"
    forged = {**PROOF, "eligible": eligible, "eligible_hash": eligible_hash(eligible)}
    failure = first_failure(forged)
    assert failure is not None and failure.name == "selection"


def test_recomputing_the_client_seed_does_not_hide_a_changed_phrase() -> None:
    phrases = [*PROOF["phrases"], "late phrase"]
    forged = {**PROOF, "phrases": phrases, "client_seed": client_seed_of(phrases, PROOF["public_value"])}
    failure = first_failure(forged)
    assert failure is not None and failure.name == "selection"


def test_an_extra_top_level_field_is_refused() -> None:
    failure = first_failure({**PROOF, "winner_name": "Ravi"})
    assert failure is not None and failure.name == "version" and "winner_name" in failure.detail


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("group_name", "Another group"),
        ("draw_id", 346),
        ("kind", "auction-tie"),
        ("committed_at", shift(PROOF["committed_at"], -86_400_000_000)),
    ],
)
def test_labels_and_times_outside_every_hash_are_caught_by_the_proof_hash_only(
    field: str, value: Any
) -> None:
    """A documented limit: these values feed no hash, so the verifier can check only shape and order.

    What catches them is the proof hash printed in the draw's minutes (and by the CLI).
    """
    changed = {**PROOF, field: value}
    assert all(c.ok for c in verify_proof(changed))
    assert proof_sha256(changed) != proof_sha256(PROOF)


@pytest.mark.parametrize("version", [1, 2])
def test_single_eligible_rules(version: int) -> None:
    only = {"ticket": 4, "member": "abc123abc123"}
    if version == 1:
        single = verify.load_proof(str(DATA / "proof_v1_single.json"))
    else:
        single = sample_proof(kind="single-eligible", eligible=[only])
    assert single["version"] == version
    assert all(c.ok for c in verify_proof(single))
    two = [only, {"ticket": 5, "member": "def456def456"}]
    forged = {**single, "eligible": two, "eligible_hash": eligible_hash(two)}
    failure = first_failure(forged)
    assert failure is not None and failure.name == "selection" and "exactly one" in failure.detail
    failure = first_failure({**single, "winner_index": 1})
    assert failure is not None and failure.name == "selection"
    failure = first_failure({**single, "winner": {"ticket": 5, "member": "abc123abc123"}})
    assert failure is not None and failure.name == "winner"


# ------------------------------------------------------------------------------------------------
# Malformed input never raises
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(PROOF_FIELDS))
def test_a_missing_field_is_a_failed_check(field: str) -> None:
    expected = {name: check for name, (_, check) in TOP_LEVEL_TAMPERS.items()}
    expected["kind"] = "version"
    proof = {k: v for k, v in PROOF.items() if k != field}
    checks = verify_proof(proof)
    failure = next(c for c in checks if not c.ok)
    assert failure.name == expected[field]
    assert f"missing field '{field}'" in failure.detail
    assert no_internal_errors(checks)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("eligible", 0, "ticket"), "eligible_list"),
        (("eligible", 3, "member"), "eligible_list"),
        (("steps", 0, "hmac"), "selection"),
        (("steps", 0, "accepted"), "selection"),
        (("winner", "member"), "winner"),
    ],
)
def test_a_missing_nested_field_is_a_failed_check(path: tuple[Any, ...], expected: str) -> None:
    proof = copy.deepcopy(PROOF)
    del get_path(proof, path[:-1])[path[-1]]
    failure = first_failure(proof)
    assert failure is not None and failure.name == expected
    assert "missing field" in failure.detail


WRONG_VALUES: dict[str, Any] = {
    "null": None,
    "true": True,
    "float": 1.5,
    "negative": -1,
    "huge-int": 10**5000,  # too long even to print with Python's default int max str digits
    "empty-str": "",
    "str": "zz",
    "empty-list": [],
    "empty-object": {},
    "list": ["x"],
    "object": {"a": 1},
    "nan": float("nan"),
}


def _json_kind(value: Any) -> str:
    return (
        "bool"
        if isinstance(value, bool)
        else "number"
        if isinstance(value, int | float)
        else type(value).__name__
    )


@pytest.mark.parametrize("field", sorted(PROOF_FIELDS))
@pytest.mark.parametrize("value", WRONG_VALUES.values(), ids=WRONG_VALUES.keys())
def test_wrong_types_give_failed_checks_not_exceptions(field: str, value: Any) -> None:
    checks = verify_proof(set_path(PROOF, (field,), value))
    assert [c.name for c in checks] == list(CHECK_NAMES)
    assert no_internal_errors(checks)
    if _json_kind(value) != _json_kind(PROOF[field]) or isinstance(value, float):
        assert not all(c.ok for c in checks)


@pytest.mark.parametrize("document", [None, [], [PROOF], "proof", 1, 1.5, True])
def test_a_proof_that_is_not_an_object_fails_every_check(document: Any) -> None:
    checks = verify_proof(document)
    assert [c.name for c in checks] == list(CHECK_NAMES)
    assert not any(c.ok for c in checks)
    assert "JSON object" in checks[0].detail


def test_text_that_cannot_be_utf8_is_a_failed_check() -> None:
    """JSON may carry lone surrogates ("\\ud800"); hashing them is impossible, and must say so."""
    checks = verify_proof(set_path(PROOF, ("phrases", 0), "bad \ud800"))
    failure = next(c for c in checks if not c.ok)
    assert failure.name == "client_seed" and "cannot be encoded" in failure.detail
    checks = verify_proof(set_path(PROOF, ("eligible", 0, "member"), "\udfff"))
    failure = next(c for c in checks if not c.ok)
    assert failure.name == "eligible_list" and "cannot be encoded" in failure.detail
    assert no_internal_errors(checks)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.dictionaries(st.sampled_from(sorted(PROOF_FIELDS)) | st.text(max_size=8), JSON_VALUES, max_size=25))
def test_fuzz_random_documents_never_raise(document: dict[str, Any]) -> None:
    checks = verify_proof(document)
    assert [c.name for c in checks] == list(check_names(document))
    assert not all(c.ok for c in checks)
    assert no_internal_errors(checks)


@FUZZ
@given(st.sampled_from(sorted(PROOF_FIELDS)), JSON_VALUES)
def test_fuzz_one_top_level_field_replaced(field: str, value: Any) -> None:
    checks = verify_proof(set_path(PROOF, (field,), value))
    assert no_internal_errors(checks)
    bound = field not in {"group_name", "draw_id", "kind", *verify.TIMESTAMP_FIELDS}
    changed = type(value) is not type(PROOF[field]) or value != PROOF[field]
    if bound and changed:
        assert not all(c.ok for c in checks), (field, value)


@FUZZ
@given(st.sampled_from(sorted(p for p in leaf_paths(PROOF) if len(p) > 1)), JSON_VALUES)
def test_fuzz_one_nested_value_replaced(path: tuple[Any, ...], value: Any) -> None:
    checks = verify_proof(set_path(PROOF, path, value))
    assert no_internal_errors(checks)
    original = get_path(PROOF, path)
    if type(value) is not type(original) or value != original:
        assert not all(c.ok for c in checks), (path, value)


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------


def write_proof(tmp_path: Path, proof: Any, name: str = "proof.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(proof, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_cli_valid_proof(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(write_proof(tmp_path, PROOF))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "VALID"
    assert out[0] == f"proof sha256: {proof_sha256(PROOF)}  (compare with the draw's minutes)"
    assert [line.split(":")[0] for line in out[1:-1]] == [f"PASS  {name}" for name in CHECK_NAMES]


def test_cli_tampered_proof(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forged = {**PROOF, "winner": PROOF["eligible"][(PROOF["winner_index"] + 1) % 7]}
    assert main([str(write_proof(tmp_path, forged))]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "FAIL  winner: the recorded winner has ticket" in out[-3]
    assert out[-1].startswith("INVALID: winner: the recorded winner has ticket")


def test_cli_reports_the_first_failed_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(write_proof(tmp_path, {**PROOF, "server_seed": "00" * 32}))]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("INVALID: commitment: sha256(server_seed) is")


def test_cli_accepts_a_byte_order_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(PROOF).encode())
    assert main([str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "VALID"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b'{"version": 1, "version": 2}', "duplicate key 'version'"),
        (b'{"version": NaN}', "NaN is not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"n": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_cli_unreadable_json_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "VALID" not in captured.out


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
    assert main(["a.json", "b.json"]) == 2
    assert main(["--help"]) == 0
    assert "usage" in capsys.readouterr().out


def test_cli_json_that_is_not_a_proof_is_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(write_proof(tmp_path, [1, 2, 3]))]) == 1
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith("INVALID: version: the proof must be a JSON object")
    )


def test_cli_with_lone_surrogates_does_not_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "surrogate.json"
    text = json.dumps(PROOF).replace('"phrases": [', '"phrases": ["\\ud800", ', 1)
    path.write_text(text, encoding="utf-8")
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert "proof sha256: cannot be computed" in out
    assert "INVALID: client_seed:" in out


# ------------------------------------------------------------------------------------------------
# Standalone: the standard library only, and it runs outside the repository
# ------------------------------------------------------------------------------------------------

VERIFY_SOURCE = Path(verify.__file__).read_text(encoding="utf-8")


def test_verify_imports_only_the_standard_library() -> None:
    tree = ast.parse(VERIFY_SOURCE)
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports would tie the file to the package"
            assert node.module is not None
            imported.append(node.module)
        elif isinstance(node, ast.Name):
            assert node.id not in {"__import__", "importlib"}, "no dynamic imports"
    assert imported, "the AST walk found no imports at all, which means it is broken"
    optional = set()  # imported only inside a try, so the file runs without them
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    optional.add(inner.module)
    for module in imported:
        if module in optional and module.split(".")[0] == "py_ecc":
            continue  # the BLS check of a drand beacon, when installed (docs/proofs.md)
        assert module.split(".")[0] in sys.stdlib_module_names, module


def test_the_version_1_fixtures_are_version_1() -> None:
    assert PROOF["version"] == 1 and "beacon" not in PROOF
    assert check_names(PROOF) == CHECK_NAMES
    assert [c.name for c in verify_proof(PROOF)] == list(CHECK_NAMES)
    assert verify_proof(PROOF)[0].detail == "version 1, HMAC-SHA256/rejection-sampling/v1, kind lucky"


def test_check_names_per_version_and_kind() -> None:
    assert check_names(sample_proof()) == LOT_CHECK_NAMES
    assert check_names({"version": 2, "kind": "auction"}) == verify.AUCTION_CHECK_NAMES
    assert check_names({"version": 1, "kind": "auction"}) == CHECK_NAMES
    assert check_names({"version": 2.0}) == CHECK_NAMES
    assert check_names([]) == CHECK_NAMES
    assert set(verify.ALL_CHECK_NAMES) == set(CHECK_NAMES + LOT_CHECK_NAMES + verify.AUCTION_CHECK_NAMES)


def test_verify_parses_as_python_3_8() -> None:
    """Members run it on whatever Python they have; 3.8 syntax keeps that wide."""
    ast.parse(VERIFY_SOURCE, feature_version=(3, 8))


def test_verify_runs_as_a_lone_file_outside_the_repository(tmp_path: Path) -> None:
    lone = tmp_path / "verify.py"
    shutil.copyfile(verify.__file__, lone)
    proof_path = write_proof(tmp_path, PROOF)
    result = subprocess.run(
        [sys.executable, "-I", str(lone), str(proof_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "VALID"
    bad_path = write_proof(tmp_path, {**PROOF, "month": PROOF["month"] + 1}, "bad.json")
    result = subprocess.run(
        [sys.executable, "-I", str(lone), str(bad_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("INVALID: selection:")


def test_verify_runs_as_a_module(tmp_path: Path) -> None:
    proof_path = write_proof(tmp_path, PROOF)
    result = subprocess.run(
        [sys.executable, "-m", "luckychit_app.verify", str(proof_path)],
        cwd=Path(verify.__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "VALID"
