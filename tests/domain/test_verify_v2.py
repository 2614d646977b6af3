"""Version 2 lot proofs (docs/proofs.md): the drand beacon bound by the commitment, its check, and the
same tamper-evidence as version 1. The real drand mainnet round 3311596 (tests/fixtures/drand) is
BLS-verified in a few tests only: pure-Python pairing takes a second or two (results are cached)."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from luckychit_app import verify
from luckychit_app.domain.fairness import format_utc, run_draw
from luckychit_app.verify import (
    LOT_CHECK_NAMES,
    LOT_FIELDS,
    beacon_public_value,
    beacon_terms,
    client_seed_of,
    commitment_of,
    drand_message,
    drand_round_time,
    main,
    verify_proof,
)
from tests.domain.test_fairness import (
    B0,
    ROUND_AT,
    SEED,
    beacon_inputs,
    beacon_proof,
    fallback_beacon,
    real_beacon,
    sample_proof,
)

NO_BEACON = sample_proof()
USED = run_draw(beacon_inputs(), check_bls=False)
FALLBACK = beacon_proof(beacon=fallback_beacon())


def first_failure(proof: Any, **kwargs: Any) -> verify.Check | None:
    return next((check for check in verify_proof(proof, **kwargs) if not check.ok), None)


def check(proof: Any, name: str, **kwargs: Any) -> verify.Check:
    return next(c for c in verify_proof(proof, **kwargs) if c.name == name)


def with_beacon(proof: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(proof)
    changed["beacon"].update(changes)
    return changed


def test_the_fixture_is_the_round_the_relay_returned() -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "drand" / "mainnet-round-3311596.json"
    relay = json.loads(path.read_text())
    assert set(relay) == {"round", "randomness", "signature", "previous_signature"}
    assert drand_round_time(1595431050, 30, relay["round"]) == int(ROUND_AT.timestamp())


def test_every_version_2_lot_proof_verifies_with_eight_checks() -> None:
    for proof in (NO_BEACON, USED, FALLBACK):
        checks = verify_proof(proof, check_bls=False)
        assert [c.name for c in checks] == list(LOT_CHECK_NAMES)
        assert all(c.ok for c in checks), [c for c in checks if not c.ok]
        assert set(proof) == LOT_FIELDS and proof["version"] == 2


def test_no_beacon_passes_and_says_so() -> None:
    beacon = check(NO_BEACON, "beacon")
    assert beacon.ok and "no public beacon was named" in beacon.detail
    assert check(NO_BEACON, "commitment").detail.startswith("sha256(server_seed) equals")


def test_a_used_round_is_bls_verified() -> None:
    assert verify.bls_available()
    beacon = check(USED, "beacon")
    assert beacon.ok, beacon.detail
    assert "drand round 3311596" in beacon.detail
    assert "BLS signature verified against the chain's public key" in beacon.detail
    assert "after the phrases closed" in beacon.detail
    assert USED["public_value"] == beacon_public_value(real_beacon())


def test_the_detail_says_when_the_round_came_before_the_phrases_closed() -> None:
    early = run_draw(beacon_inputs(cutoff_at=ROUND_AT + timedelta(minutes=1)), check_bls=False)
    beacon = check(early, "beacon", check_bls=False)
    assert beacon.ok and "before the phrases closed" in beacon.detail
    assert "BLS signature not checked: skipped by the caller" in beacon.detail


def test_without_py_ecc_the_detail_says_the_bls_check_did_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verify, "bls_verify", lambda *args: None)
    beacon = check(USED, "beacon")
    assert beacon.ok and "BLS signature not checked: py_ecc is not installed" in beacon.detail


def test_a_signature_that_is_not_drands_fails_the_bls_check() -> None:
    """A self-consistent forgery: randomness = sha256(signature) and the public value follow it, but
    the signature is round 3311595's (the previous one), not a signature over round 3311596."""
    forged_beacon = real_beacon(
        signature=real_beacon()["previous_signature"],
        randomness=__import__("hashlib")
        .sha256(bytes.fromhex(real_beacon()["previous_signature"]))
        .hexdigest(),
    )
    forged = run_draw(beacon_inputs(beacon=forged_beacon), check_bls=False)
    assert all(c.ok for c in verify_proof(forged, check_bls=False))
    failure = first_failure(forged)
    assert failure is not None and failure.name == "beacon"
    assert "BLS signature" in failure.detail and "does not verify" in failure.detail


def test_a_wrong_signature_fails_the_beacon_check() -> None:
    signature = real_beacon()["signature"]
    forged = with_beacon(USED, signature=signature[:-2] + ("00" if signature[-2:] != "00" else "01"))
    failure = first_failure(forged)
    assert failure is not None and failure.name == "beacon" and "sha256(signature)" in failure.detail


def test_randomness_that_is_not_the_signatures_hash_fails_the_beacon_check() -> None:
    forged = with_beacon(USED, randomness="ab" * 32)
    failure = first_failure(forged)
    # The public value names the recorded randomness, so the client seed still matches the proof's
    # value: the beacon check is the one that sees the randomness is not drand's.
    assert failure is not None and failure.name == "beacon" and "sha256(signature)" in failure.detail


def test_a_public_value_that_does_not_name_the_round_fails_the_beacon_check() -> None:
    forged = copy.deepcopy(USED)
    forged["public_value"] = "drand round 4711042: 9f3c1b"
    forged["client_seed"] = client_seed_of(forged["phrases"], forged["public_value"])
    failure = first_failure(forged)
    assert failure is not None and failure.name == "beacon" and "public value must be" in failure.detail
    no_beacon = {**NO_BEACON, "public_value": "typed by the foreman"}
    no_beacon["client_seed"] = client_seed_of(no_beacon["phrases"], no_beacon["public_value"])
    failure = first_failure(no_beacon)
    assert failure is not None and failure.name == "beacon"


def test_a_round_published_before_the_commitment_fails_the_beacon_check() -> None:
    """Round 3311596 was published at 11:55 UTC; a commitment made after it named a known value."""
    late = {**FALLBACK, "committed_at": format_utc(ROUND_AT + timedelta(seconds=1))}
    failure = first_failure(late)
    assert failure is not None and failure.name == "beacon" and "not after the commitment" in failure.detail
    at_the_round = {**FALLBACK, "committed_at": format_utc(ROUND_AT)}
    assert first_failure(at_the_round).name == "beacon"  # type: ignore[union-attr]


def test_a_fallback_passes_and_says_why() -> None:
    beacon = check(FALLBACK, "beacon")
    assert beacon.ok
    assert "was not used" in beacon.detail and "phrases-only" in beacon.detail
    assert "did not answer within 60 seconds" in beacon.detail
    assert FALLBACK["public_value"] is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fallback_reason": ""}, "fallback_reason"),
        ({"randomness": "00" * 32}, "must be null"),
    ],
)
def test_a_malformed_fallback_fails_the_beacon_check(changes: dict[str, Any], message: str) -> None:
    failure = first_failure(with_beacon(FALLBACK, **changes))
    assert failure is not None and failure.name == "beacon" and message in failure.detail


BEACON_TERM_CHANGES: dict[str, Any] = {
    "chain_hash": "00" * 32,
    "public_key": "00" * 48,
    "genesis": 1595431050 + 30,
    "period": 3,
    "round": 3311597,
    "fallback": "postpone",
}


@pytest.mark.parametrize("key", sorted(BEACON_TERM_CHANGES))
def test_beacon_terms_changed_after_the_commitment_fail_the_commitment_check(key: str) -> None:
    assert set(BEACON_TERM_CHANGES) | {"network"} == set(verify.BEACON_TERM_KEYS)
    failure = first_failure(with_beacon(USED, **{key: BEACON_TERM_CHANGES[key]}))
    assert failure is not None and failure.name == "commitment", failure
    assert "beacon" in failure.detail


def test_another_network_fails_the_commitment_check() -> None:
    failure = first_failure(with_beacon(USED, network="nist"))
    assert failure is not None and failure.name == "commitment" and "drand" in failure.detail


def test_a_different_status_is_not_a_commitment_change_but_is_caught() -> None:
    """status, randomness and signatures are not bound by the commitment (they are learnt later), so
    the beacon check judges them."""
    forged = with_beacon(USED, status="fallback", fallback_reason="relay down")
    failure = first_failure(forged)
    assert failure is not None and failure.name == "beacon"


def test_the_commitment_formula() -> None:
    terms = beacon_terms(real_beacon())
    assert list(terms) == list(verify.BEACON_TERM_KEYS)
    expected = __import__("hashlib").sha256(SEED + b"\x00" + verify.canonical_json(terms)).hexdigest()
    assert commitment_of(SEED, terms) == expected == USED["commitment"]
    assert commitment_of(SEED) == commitment_of(SEED, None) != expected


def test_drand_message_is_the_chained_scheme() -> None:
    previous = bytes.fromhex(real_beacon()["previous_signature"])
    digest = __import__("hashlib").sha256(previous + (3311596).to_bytes(8, "big")).digest()
    assert drand_message(previous, 3311596) == digest


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("beacon", "drand", "object or null"),
        ("beacon", {}, "missing field 'beacon.network'"),
    ],
)
def test_a_malformed_beacon_fails_with_a_clear_detail(field: str, value: Any, message: str) -> None:
    checks = verify_proof({**USED, field: value})
    failure = next(c for c in checks if not c.ok)
    assert failure.name == "commitment" and message in failure.detail
    assert not any("internal error" in c.detail for c in checks)


@pytest.mark.parametrize("key", verify.BEACON_FIELDS)
def test_every_beacon_field_is_required(key: str) -> None:
    broken = copy.deepcopy(USED)
    del broken["beacon"][key]
    checks = verify_proof(broken, check_bls=False)
    failure = next(c for c in checks if not c.ok)
    assert failure.name in {"commitment", "beacon"} and f"beacon.{key}" in failure.detail
    assert not any("internal error" in c.detail for c in checks)


def test_a_version_2_proof_without_the_beacon_field_or_with_one_in_version_1() -> None:
    missing = {k: v for k, v in NO_BEACON.items() if k != "beacon"}
    failure = first_failure(missing)
    assert failure is not None and failure.name == "version" and "beacon" in failure.detail
    failure = first_failure({**NO_BEACON, "version": 1})
    assert failure is not None and failure.name == "version" and "beacon" in failure.detail


def test_the_committed_time_is_before_the_round(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI prints the beacon check like any other and says VALID."""
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(USED), encoding="utf-8")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "VALID"
    assert [line.split(":")[0] for line in out[1:-1]] == [f"PASS  {name}" for name in LOT_CHECK_NAMES]
    assert USED["committed_at"] == format_utc(B0)


def test_the_bls_check_leaves_the_recursion_limit_alone() -> None:
    """py_ecc raises it to 100,000 on import, and then a deeply nested proof crashes Python instead of
    being refused as invalid JSON (test_verify.py's CLI test); the verifier puts it back."""
    import sys

    limit = sys.getrecursionlimit()
    assert verify.bls_available()
    assert check(USED, "beacon").ok
    assert sys.getrecursionlimit() == limit
