"""The app side of the fair draw: proofs made by run_draw must verify, and bad inputs must be refused.

``sample_inputs`` is also used by test_verify.py, so both files exercise proofs made by the real app code.
A draw-then-verify round trip cannot see a mistake the drawing and the checking code share (they are
the same module), so the selection is also compared with tests/domain/oracle.py, an independent
transcription of DESIGN.md §4.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from luckychit_app.domain import fairness
from luckychit_app.domain.fairness import (
    PHRASE_MAX_CHARS,
    DrawInputs,
    format_utc,
    member_ref,
    new_server_seed,
    proof_sha256,
    run_draw,
    validate_phrase,
)
from luckychit_app.verify import (
    LOT_CHECK_NAMES,
    beacon_terms,
    canonical_json,
    commitment_of,
    verify_proof,
)
from tests.domain import oracle
from tests.domain.oracle import RejectingChain

SEED = bytes(range(32))
SECRET = b"member-ref-test-secret"
T0 = datetime(2025, 3, 1, 4, 30, tzinfo=UTC)
DRAND_ROUND = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "drand" / "mainnet-round-3311596.json").read_text()
)
"""A real drand mainnet round, as the relay returns it (BLS-verified; published 2023-09-15 11:55 UTC)."""
ROUND_AT = datetime(2023, 9, 15, 11, 55, tzinfo=UTC)
B0 = datetime(2023, 9, 15, 6, 0, tzinfo=UTC)
"""When the month of the beacon draws opened (the round was named then, in its future)."""


def real_beacon(**changes: Any) -> dict[str, Any]:
    """The beacon object of docs/proofs.md for the real round, status "used"."""
    beacon: dict[str, Any] = {
        "network": "drand",
        "chain_hash": "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce",
        "public_key": "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c72"
        "93784a9402801af31",
        "genesis": 1595431050,
        "period": 30,
        "round": DRAND_ROUND["round"],
        "fallback": "phrases-only",
        "status": "used",
        "randomness": DRAND_ROUND["randomness"],
        "signature": DRAND_ROUND["signature"],
        "previous_signature": DRAND_ROUND["previous_signature"],
        "fallback_reason": "",
    }
    beacon.update(changes)
    return beacon


def fallback_beacon(reason: str = "the drand relays did not answer within 60 seconds") -> dict[str, Any]:
    return real_beacon(
        status="fallback", randomness=None, signature=None, previous_signature=None, fallback_reason=reason
    )


def beacon_inputs(**overrides: Any) -> DrawInputs:
    """A lucky draw whose month named the real drand round; the phrases closed before the round."""
    values: dict[str, Any] = {
        "beacon": real_beacon(),
        "committed_at": B0,
        "cutoff_at": ROUND_AT - timedelta(minutes=5),
        "frozen_at": ROUND_AT + timedelta(minutes=6),
        "drawn_at": ROUND_AT + timedelta(minutes=6, seconds=2),
        "revealed_at": ROUND_AT + timedelta(minutes=6, seconds=3),
    }
    values.update(overrides)
    return sample_inputs(**values)


def beacon_proof(**overrides: Any) -> dict[str, Any]:
    return run_draw(beacon_inputs(**overrides))


def sample_inputs(**overrides: Any) -> DrawInputs:
    """A realistic lucky draw: 7 eligible tickets (out of order, as a query might return them).

    Without a ``beacon`` override no public beacon was named (version 2, ``beacon: null``); the
    commitment binds the beacon's terms when there is one.
    """
    seed = overrides.pop("server_seed", SEED)
    beacon = overrides.get("beacon")
    terms = beacon_terms(beacon) if isinstance(beacon, dict) else None
    values: dict[str, Any] = {
        "group_id": 12,
        "group_name": "Mylapore Kuri ₹1L",
        "draw_id": 345,
        "month": 4,
        "kind": "lucky",
        "commitment": commitment_of(seed, terms),
        "committed_at": T0,
        "server_seed": seed,
        "phrases": ["ಶುಭವಾಗಲಿ 🎉", "rain in Chennai", "ticket 9 all the way"],
        "beacon": None,
        "cutoff_at": T0 + timedelta(days=9),
        "eligible": [
            {"ticket": t, "member": member_ref(100 + t, 12, SECRET)} for t in (9, 2, 5, 1, 14, 7, 3)
        ],
        "frozen_at": T0 + timedelta(days=9, minutes=1),
        "drawn_at": T0 + timedelta(days=9, minutes=1, seconds=2),
        "revealed_at": T0 + timedelta(days=9, minutes=1, seconds=3),
    }
    values.update(overrides)
    return DrawInputs(**values)


def sample_proof(**overrides: Any) -> dict[str, Any]:
    return run_draw(sample_inputs(**overrides))


# ------------------------------------------------------------------------------------------------
# Round trip
# ------------------------------------------------------------------------------------------------


def test_run_draw_then_verify_passes_every_check() -> None:
    proof = sample_proof()
    checks = verify_proof(proof)
    assert [c.name for c in checks] == [
        "version",
        "commitment",
        "eligible_list",
        "client_seed",
        "beacon",
        "selection",
        "winner",
        "timestamps",
    ]
    assert [c.name for c in checks] == list(LOT_CHECK_NAMES)
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]
    assert proof["version"] == 2 and proof["beacon"] is None and proof["public_value"] is None


def test_proof_survives_a_json_round_trip() -> None:
    """What a member downloads is JSON text, not the dict we built."""
    proof = json.loads(json.dumps(sample_proof(), ensure_ascii=False))
    assert all(c.ok for c in verify_proof(proof))


def test_proof_contents() -> None:
    proof = sample_proof()
    assert proof["eligible"] == sorted(proof["eligible"], key=lambda e: e["ticket"])
    assert [e["ticket"] for e in proof["eligible"]] == [1, 2, 3, 5, 7, 9, 14]
    assert all(set(e) == {"ticket", "member"} for e in proof["eligible"])
    assert proof["winner"] == proof["eligible"][proof["winner_index"]]
    assert proof["server_seed"] == SEED.hex()
    assert proof["phrases"] == sorted(proof["phrases"])
    assert proof["committed_at"] == "2025-03-01T04:30:00.000000Z"
    # Nothing identifying: no member name, no phone, only pseudonyms.
    text = json.dumps(proof, ensure_ascii=False)
    assert "member_ref" not in text
    assert all(len(e["member"]) == 12 for e in proof["eligible"])


def test_run_draw_is_deterministic_given_its_inputs() -> None:
    assert sample_proof() == sample_proof()
    assert sample_proof(eligible=list(reversed(sample_inputs().eligible))) == sample_proof()


def test_phrase_order_does_not_matter() -> None:
    inputs = sample_inputs()
    assert sample_proof(phrases=list(reversed(inputs.phrases))) == sample_proof()


def test_non_utc_aware_times_are_converted_to_utc() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    proof = sample_proof(committed_at=T0.astimezone(ist))
    assert proof["committed_at"] == "2025-03-01T04:30:00.000000Z"
    assert all(c.ok for c in verify_proof(proof))


def test_microseconds_are_kept_so_close_times_stay_ordered() -> None:
    cutoff = T0 + timedelta(microseconds=1)
    proof = sample_proof(cutoff_at=cutoff, frozen_at=cutoff, drawn_at=cutoff, revealed_at=cutoff)
    assert proof["cutoff_at"] == "2025-03-01T04:30:00.000001Z"
    assert all(c.ok for c in verify_proof(proof))


def test_format_utc_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_utc(datetime(2025, 1, 1))  # naive on purpose


def test_single_eligible_ticket_takes_the_prize_without_a_draw() -> None:
    proof = sample_proof(kind="single-eligible", eligible=[{"ticket": 4, "member": "abc123abc123"}])
    assert proof["steps"] == []
    assert proof["winner_index"] == 0
    assert proof["winner"] == {"ticket": 4, "member": "abc123abc123"}
    assert all(c.ok for c in verify_proof(proof))


def test_a_lucky_draw_with_one_ticket_still_records_its_step() -> None:
    proof = sample_proof(eligible=[{"ticket": 4, "member": "abc123abc123"}])
    assert len(proof["steps"]) == 1 and proof["steps"][0]["accepted"] is True
    assert proof["winner_index"] == 0
    assert all(c.ok for c in verify_proof(proof))


def test_auction_tie_uses_the_same_lot() -> None:
    tied = [{"ticket": 3, "member": "aaaaaaaaaaaa"}, {"ticket": 8, "member": "bbbbbbbbbbbb"}]
    lucky = sample_proof(eligible=tied)
    tie = sample_proof(eligible=tied, kind="auction-tie")
    assert tie["winner"] == lucky["winner"]
    assert all(c.ok for c in verify_proof(tie))


def test_no_public_value_and_no_phrases() -> None:
    proof = sample_proof(phrases=[])
    assert proof["public_value"] is None
    assert all(c.ok for c in verify_proof(proof))


# ------------------------------------------------------------------------------------------------
# Against the design text (tests/domain/oracle.py), not against the app's own verifier
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed_byte", "tickets"),
    [
        (0, (9, 2, 5, 1, 14, 7, 3)),
        (1, (4,)),
        (2, (3, 8)),
        (3, tuple(range(1, 21))),
        (4, tuple(range(5, 400, 3))),
    ],
)
def test_run_draw_picks_the_winner_the_design_text_picks(seed_byte: int, tickets: tuple[int, ...]) -> None:
    seed = hashlib.sha256(bytes([seed_byte])).digest()
    eligible = [{"ticket": t, "member": member_ref(100 + t, 12, SECRET)} for t in tickets]
    inputs = sample_inputs(server_seed=seed, eligible=eligible)
    proof = run_draw(inputs)
    e_hash = oracle.eligible_hash(eligible)
    c_seed = oracle.client_seed(inputs.phrases, None)  # no beacon: no public value
    steps = oracle.selection(seed, inputs.group_id, inputs.month, e_hash, c_seed, len(eligible))
    index = steps[-1].x % len(eligible)
    assert proof["eligible_hash"] == e_hash, "the eligible hash is not the one DESIGN.md §4.3 defines"
    assert proof["client_seed"] == c_seed, "the client seed is not the one DESIGN.md §4.3 defines"
    assert proof["steps"] == oracle.proof_steps(steps), "the HMAC chain differs from DESIGN.md §4.4"
    assert proof["winner_index"] == index, (
        f"run_draw picked index {proof['winner_index']}, the design {index}"
    )
    assert proof["winner"] == sorted(eligible, key=lambda e: e["ticket"])[index]


def test_the_selection_run_draw_uses_rejects_values_at_or_above_the_limit(
    rejecting_chain: RejectingChain,
) -> None:
    """No realistic group triggers a rejection, so run_draw's own proofs cannot show a missing bound:
    this drives the very function run_draw calls with a huge n where rejections are common."""
    chain = rejecting_chain
    index, steps = fairness.select_index(
        chain.seed, chain.group_id, chain.month, chain.e_hash, chain.c_seed, chain.n
    )
    expected = oracle.proof_steps(chain.steps)
    assert [s["accepted"] for s in steps] == [s["accepted"] for s in expected], (
        f"DESIGN.md §4.4 rejects x >= 2**64 - (2**64 % n) = {chain.limit}: the design's chain is "
        f"{[(s['x'], s['accepted']) for s in expected]}, the app's {[(s['x'], s['accepted']) for s in steps]}"
    )
    assert steps == expected
    assert index == chain.index, f"the app picked index {index}; DESIGN.md §4.4 picks {chain.index}"


# ------------------------------------------------------------------------------------------------
# Refusals
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"eligible": []}, "no eligible tickets"),
        ({"commitment": commitment_of(b"\x01" * 32)}, "does not match the published commitment"),
        ({"server_seed": SEED[:16]}, "32 bytes"),
        ({"committed_at": datetime(2025, 3, 1, 4, 30)}, "timezone-aware"),  # naive
        ({"cutoff_at": T0}, "out of order"),
        ({"frozen_at": T0 + timedelta(days=8)}, "out of order"),
        ({"drawn_at": T0 + timedelta(days=9)}, "out of order"),
        ({"revealed_at": T0 + timedelta(days=9, minutes=1)}, "out of order"),
        ({"kind": "raffle"}, "kind must be one of"),
        ({"kind": "single-eligible"}, "exactly one eligible ticket"),
        ({"eligible": [{"ticket": 1, "member": "a"}, {"ticket": 1, "member": "b"}]}, "more than once"),
        ({"eligible": [{"ticket": 1, "member": "a", "name": "Ravi"}]}, "exactly"),
        ({"eligible": [{"ticket": "1", "member": "a"}]}, "ticket must be"),
        ({"eligible": [{"ticket": True, "member": "a"}]}, "ticket must be"),
        ({"eligible": [{"ticket": 1, "member": ""}]}, "no member reference"),
        ({"group_id": -1}, "group_id"),
        ({"month": "4"}, "month"),
        ({"phrases": "not a list"}, "list of strings"),
        ({"phrases": ["ok", 5]}, "strings"),
        ({"group_name": 7}, "group_name"),
        ({"beacon": 7}, "beacon must be an object"),
        ({"beacon": {**real_beacon(), "extra": 1}}, "beacon must be an object"),
        ({"beacon": real_beacon(), "commitment": commitment_of(SEED)}, "does not match the published"),
    ],
)
def test_run_draw_refuses_bad_inputs(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_proof(**overrides)


def test_a_seed_that_is_not_the_committed_one_is_refused() -> None:
    inputs = sample_inputs()
    swapped = dataclasses.replace(inputs, server_seed=new_server_seed())
    with pytest.raises(ValueError, match="commitment"):
        run_draw(swapped)


# ------------------------------------------------------------------------------------------------
# Seeds, hashes, phrases, pseudonyms
# ------------------------------------------------------------------------------------------------


def test_new_server_seed_is_32_fresh_bytes() -> None:
    seeds = {new_server_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(isinstance(s, bytes) and len(s) == 32 for s in seeds)


def test_proof_sha256_is_the_hash_of_the_canonical_json() -> None:
    proof = sample_proof()
    assert proof_sha256(proof) == hashlib.sha256(canonical_json(proof)).hexdigest()
    reordered = dict(reversed(list(proof.items())))
    assert proof_sha256(reordered) == proof_sha256(proof)
    renamed = {**proof, "group_name": "Another group"}
    assert proof_sha256(renamed) != proof_sha256(proof)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  lucky day  ", "lucky day"),
        ("ಶುಭವಾಗಲಿ 🎉", "ಶುಭವಾಗಲಿ 🎉"),
        ("👨‍👩‍👧 family", "👨‍👩‍👧 family"),  # zero-width joiners inside emoji are fine
        ("x", "x"),
        ("e\u0301", "\u00e9"),  # NFC: the same visible text is the same bytes
        ("a" * PHRASE_MAX_CHARS, "a" * PHRASE_MAX_CHARS),
        ("\t padded \n", "padded"),
    ],
)
def test_validate_phrase_accepts(raw: str, clean: str) -> None:
    assert validate_phrase(raw) == clean


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("a" * (PHRASE_MAX_CHARS + 1), "limit is 80"),
        ("two\nlines", "control character"),
        ("tab\there", "control character"),
        ("nul\x00byte", "control character"),
        ("bell\x07", "control character"),
        ("abc\u202eevil", "control character"),  # right-to-left override
        ("line\u2028separator", "control character"),
        ("lone \ud800 surrogate", "control character"),
        (None, "must be text"),
        (42, "must be text"),
    ],
)
def test_validate_phrase_rejects(raw: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_phrase(raw)


def test_member_ref_is_a_stable_opaque_per_group_pseudonym() -> None:
    ref = member_ref(42, 7, SECRET)
    expected = hmac.new(SECRET, b"7:42", hashlib.sha256).hexdigest()[:12]
    assert ref == expected
    assert len(ref) == 12 and all(c in "0123456789abcdef" for c in ref)
    assert member_ref(42, 7, SECRET) == ref  # stable
    assert member_ref(42, 8, SECRET) != ref  # unlinkable across groups
    assert member_ref(43, 7, SECRET) != ref
    assert member_ref(42, 7, b"another secret") != ref


def test_member_refs_in_a_group_do_not_collide() -> None:
    refs = {member_ref(user_id, 7, SECRET) for user_id in range(5000)}
    assert len(refs) == 5000


def test_member_ref_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        member_ref(1, 1, b"")


# ------------------------------------------------------------------------------------------------
# Version 2: the drand beacon (docs/proofs.md)
# ------------------------------------------------------------------------------------------------


def test_a_draw_with_a_used_beacon_mixes_the_round_into_the_client_seed() -> None:
    inputs = beacon_inputs()
    proof = run_draw(inputs)
    # The spec's formulas written out here, independently of the app.
    public = (
        "drand:8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce:3311596:"
        "647c07b2abbf7ff2afb4d670214f565e5cd9f9c91bfdcecb59a21f3c78d73920"
    )
    assert proof["public_value"] == public
    assert proof["client_seed"] == oracle.client_seed(inputs.phrases, public)
    terms = {k: real_beacon()[k] for k in ("network", "chain_hash", "public_key", "genesis", "period")}
    terms |= {"round": 3311596, "fallback": "phrases-only"}
    expected = hashlib.sha256(SEED + b"\x00" + oracle.canonical(terms)).hexdigest()
    assert proof["commitment"] == expected
    assert proof["beacon"] == real_beacon() and proof["version"] == 2
    assert all(c.ok for c in verify_proof(proof, check_bls=False))


def test_a_fallback_draw_uses_the_phrases_only() -> None:
    proof = beacon_proof(beacon=fallback_beacon())
    assert proof["public_value"] is None
    assert proof["client_seed"] == oracle.client_seed(proof["phrases"], None)
    beacon = next(c for c in verify_proof(proof) if c.name == "beacon")
    assert beacon.ok and "fell back" in beacon.detail and "did not answer" in beacon.detail


def test_beacon_terms_changed_after_the_commitment_are_refused() -> None:
    """The month opened naming round 3311596; a draw on another round cannot use that commitment."""
    committed = beacon_inputs().commitment
    later = real_beacon(round=3311597)
    with pytest.raises(ValueError, match="commitment"):
        run_draw(beacon_inputs(beacon=later, commitment=committed))
    with pytest.raises(ValueError, match="commitment"):
        run_draw(beacon_inputs(beacon=None, commitment=committed))


def test_run_draw_refuses_a_beacon_proof_that_would_fail() -> None:
    with pytest.raises(ValueError, match=r"beacon: .*sha256\(signature\)"):
        beacon_proof(beacon=real_beacon(randomness="00" * 32))
    with pytest.raises(ValueError, match=r"beacon: .*not after the commitment"):
        beacon_proof(committed_at=ROUND_AT + timedelta(seconds=1), cutoff_at=ROUND_AT + timedelta(minutes=5))


def test_format_utc_ms_truncates_to_the_millisecond() -> None:
    moment = datetime(2026, 12, 6, 5, 11, 7, 123_999, tzinfo=UTC)
    assert fairness.format_utc_ms(moment) == "2026-12-06T05:11:07.123Z"
    ist = timezone(timedelta(hours=5, minutes=30))
    assert fairness.format_utc_ms(moment.astimezone(ist)) == "2026-12-06T05:11:07.123Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        fairness.format_utc_ms(datetime(2026, 12, 6))
