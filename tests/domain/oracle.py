"""An independent implementation of the fair-draw math, written from DESIGN.md §4 steps 3 and 4 alone.

The app draws with ``luckychit_app.verify`` and checks its proofs with the same module, so a round
trip (draw, then verify) cannot notice a mistake they share: drop the rejection bound from the
selection and both sides still agree. This file is the second opinion. It imports nothing from
``luckychit_app`` and uses only ``hashlib``, ``hmac`` and ``json``, so any test that compares the app
with it compares the app with the design text. It is the only copy in the tests; keep it that way.

Proof-format details the design leaves open (steps carry ``x`` as a decimal string; the keys
``counter``, ``hmac``, ``x``, ``accepted``) are in :func:`proof_steps`, kept apart from the math.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

SPACE = 2**64


@dataclass(frozen=True)
class Step:
    """One HMAC evaluation of the selection: its counter, digest, ``x`` and whether ``x`` was taken."""

    counter: int
    hmac_hex: str
    x: int
    accepted: bool


def canonical(obj: Any) -> bytes:
    """§4 step 3: ``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()``."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def eligible_hash(eligible: list[dict[str, Any]]) -> str:
    """§4 step 3: sha256 of the canonical eligible list, sorted by ticket number."""
    entries = sorted(
        ({"ticket": e["ticket"], "member": e["member"]} for e in eligible), key=lambda e: e["ticket"]
    )
    return hashlib.sha256(canonical(entries)).hexdigest()


def client_seed(phrases: list[str], public_value: str | None) -> str:
    """§4 step 3: sha256 of the canonical ``{"phrases": sorted(phrases), "public": public_value or ""}``."""
    return hashlib.sha256(canonical({"phrases": sorted(phrases), "public": public_value or ""})).hexdigest()


def selection(seed: bytes, group_id: int, month: int, e_hash: str, c_seed: str, n: int) -> list[Step]:
    """§4 step 4, literally: every step up to and including the first accepted ``x``."""
    limit = SPACE - (SPACE % n)
    steps: list[Step] = []
    counter = 0
    while True:
        message = f"{group_id}:{month}:{e_hash}:{c_seed}:{counter}".encode()
        digest = hmac.new(seed, message, hashlib.sha256).digest()
        x = int.from_bytes(digest[:8], "big")
        steps.append(Step(counter, digest.hex(), x, x < limit))
        if x < limit:
            return steps
        counter += 1


def select_index(seed: bytes, group_id: int, month: int, e_hash: str, c_seed: str, n: int) -> int:
    """The winner's index among ``n`` eligible entries: the first accepted ``x`` modulo ``n``."""
    return selection(seed, group_id, month, e_hash, c_seed, n)[-1].x % n


def proof_steps(steps: list[Step]) -> list[dict[str, Any]]:
    """The steps as a proof records them (``x`` as a decimal string, for JavaScript readers)."""
    return [{"counter": s.counter, "hmac": s.hmac_hex, "x": str(s.x), "accepted": s.accepted} for s in steps]


# A realistic group never triggers a rejection (the odds are below n / 2**64 per step), so tests of
# the rejection path use a huge n: with n = 2**63 + 1 the limit is 2**63 + 1 and almost half of all
# values are rejected.
HUGE_N = 2**63 + 1
E_HASH = "e" * 64
C_SEED = "c" * 64


@dataclass(frozen=True)
class RejectingChain:
    """Inputs whose selection rejects at least two values before accepting one, per the oracle."""

    seed: bytes
    group_id: int
    month: int
    e_hash: str
    c_seed: str
    n: int
    steps: list[Step]

    @property
    def index(self) -> int:
        return self.steps[-1].x % self.n

    @property
    def limit(self) -> int:
        return SPACE - (SPACE % self.n)


def find_rejecting_chain(min_rejections: int = 2, attempts: int = 512) -> RejectingChain:
    """Search (with this oracle, never the app) for a seed whose chain has ``min_rejections`` rejections.

    Each attempt succeeds with probability about 2**-min_rejections, so the search is quick and, the
    seeds being fixed, deterministic.
    """
    for attempt in range(attempts):
        seed = hashlib.sha256(f"rejection-{attempt}".encode()).digest()
        steps = selection(seed, 1, 1, E_HASH, C_SEED, HUGE_N)
        if len(steps) > min_rejections:
            return RejectingChain(seed, 1, 1, E_HASH, C_SEED, HUGE_N, steps)
    raise AssertionError(
        f"no seed with {min_rejections} rejections in {attempts} attempts; the oracle is broken"
    )
