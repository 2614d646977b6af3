"""The drand public randomness beacon over its HTTP API (https://drand.love/docs/http-api-reference).

Why a beacon: a lucky draw's seed is fixed by the foreman's committed server seed and the members'
phrases. A drand round named when the month opens, and published only later, adds a value nobody in
the chit could know or choose when the commitment was shown (docs/proofs.md, "Version 2 / Lot
proofs"). drand is run by the League of Entropy; each round is a BLS threshold signature, so a relay
cannot invent one.

Request: ``GET {relay}/{chain_hash}/public/{round}`` on a relay (``https://api.drand.sh``,
``https://drand.cloudflare.com`` …). Answer: ``{"round": 3311596, "randomness": "<64 hex>",
"signature": "<192 hex>", "previous_signature": "<192 hex>"}``. A round not yet produced answers
404 (or 425 Too Early on newer relays).

What is checked here: the round number, the shape of every field (lowercase hex of the chained G2
scheme's lengths) and drand's derivation ``randomness == sha256(signature)``. The BLS signature itself
is NOT verified here: the standalone verifier (`luckychit_app/verify.py`, with `py_ecc` when installed)
checks it against the chain's public key, so anyone can re-check it without trusting this app.

| variable | meaning | default |
|---|---|---|
| `LUCKYCHIT_BEACON_RELAYS` | comma-separated relay base URLs; unset = no beacon (phrases only) | unset |
| `LUCKYCHIT_BEACON_CHAIN_HASH` | 64 hex: which drand chain | League of Entropy mainnet "default" |
| `LUCKYCHIT_BEACON_PUBLIC_KEY` | 96 hex: the chain's BLS public key (G1) | the mainnet key |
| `LUCKYCHIT_BEACON_GENESIS` | unix seconds of round 1 | `1595431050` |
| `LUCKYCHIT_BEACON_PERIOD` | seconds between rounds | `30` |

Errors: timeouts, connection errors and 5xx are retried on the same relay with a short backoff, then
the next relay is tried; 404/425 ("not yet published") is asked once per relay, never hammered; an
answer that fails a check is refused and the next relay tried. When no relay gives a good answer,
`BeaconUnavailable` says why in plain words, and the draw falls back to the members' phrases.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from luckychit_app.clock import as_utc
from luckychit_app.verify import drand_round_time

MAINNET_CHAIN_HASH = "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce"
MAINNET_PUBLIC_KEY = (
    "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31"
)
MAINNET_GENESIS = 1595431050
MAINNET_PERIOD = 30
"""The League of Entropy mainnet "default" chain (chained scheme, pedersen-bls-chained): the chain the
spec's example and the recorded round 3311596 belong to."""

RANDOMNESS_HEX = 64
SIGNATURE_HEX = 192
"""sha256 output; a compressed BLS12-381 G2 point (the chained scheme signs on G2)."""
BACKOFF = 0.5
"""Seconds before the first retry on one relay, doubled each time: a draw waits seconds, not minutes."""
NOT_YET = (404, 425)

_HEX = re.compile(r"[0-9a-f]*")
_URL = re.compile(r"https?://[^\s/]+(/[^\s]*)?")


@dataclass(frozen=True)
class DrandChain:
    """One drand chain and the relays asked for its rounds."""

    chain_hash: str
    public_key: str
    genesis: int
    period: int
    relays: tuple[str, ...]


@dataclass(frozen=True)
class BeaconRound:
    """One published round as a relay served it (all hex lowercase)."""

    round: int
    randomness: str
    signature: str
    previous_signature: str


class BeaconUnavailable(Exception):
    """The named round could not be had (not yet published, relays unreachable, or a bad answer);
    the message says which in plain words, and is kept as the proof's `fallback_reason`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_hex(value: object, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and bool(_HEX.fullmatch(value))


def _hex_setting(env: Mapping[str, str], name: str, default: str, length: int) -> str:
    value = env.get(name, "").strip().lower() or default
    if not _is_hex(value, length):
        raise ValueError(f"{name} must be {length} hexadecimal characters (got {len(value)} characters)")
    return value


def _int_setting(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise ValueError(f"{name} must be a positive whole number of seconds (got {raw!r})")
    return int(raw)


def chain_from_env(env: Mapping[str, str] | None = None) -> DrandChain | None:
    """The chain `LUCKYCHIT_BEACON_*` describe, or None when `LUCKYCHIT_BEACON_RELAYS` is unset (no
    beacon: draws use the members' phrases only). Without overrides, the mainnet "default" chain.
    A malformed override raises ValueError naming the variable, so a typo is not silently ignored."""
    env = os.environ if env is None else env
    relays = tuple(
        part.strip().rstrip("/") for part in env.get("LUCKYCHIT_BEACON_RELAYS", "").split(",") if part.strip()
    )
    if not relays:
        return None
    for relay in relays:
        if not _URL.fullmatch(relay):
            raise ValueError(f"LUCKYCHIT_BEACON_RELAYS: {relay!r} is not an http(s) address")
    return DrandChain(
        chain_hash=_hex_setting(env, "LUCKYCHIT_BEACON_CHAIN_HASH", MAINNET_CHAIN_HASH, 64),
        public_key=_hex_setting(env, "LUCKYCHIT_BEACON_PUBLIC_KEY", MAINNET_PUBLIC_KEY, 96),
        genesis=_int_setting(env, "LUCKYCHIT_BEACON_GENESIS", MAINNET_GENESIS),
        period=_int_setting(env, "LUCKYCHIT_BEACON_PERIOD", MAINNET_PERIOD),
        relays=relays,
    )


def round_time(chain: DrandChain, round: int) -> datetime:
    """When `round` is produced (aware UTC): round 1 at genesis, one every `period` seconds."""
    if round < 1:
        raise ValueError(f"drand rounds start at 1 (got {round})")
    return datetime.fromtimestamp(drand_round_time(chain.genesis, chain.period, round), UTC)


def first_round_at_or_after(chain: DrandChain, when: datetime) -> int:
    """The first round produced at or after `when`: the round to name for a draw held then, so it is
    still in the future when the commitment is published. Exact to the microsecond (no float)."""
    since = as_utc(when) - datetime.fromtimestamp(chain.genesis, UTC)
    micros = since // timedelta(microseconds=1)
    if micros <= 0:
        return 1
    period_micros = chain.period * 1_000_000
    return -(-micros // period_micros) + 1


def _check(data: object, round: int) -> BeaconRound:
    """The relay's answer as a BeaconRound, or BeaconUnavailable saying what was wrong with it."""
    if not isinstance(data, dict):
        raise BeaconUnavailable("the relay's answer is not a JSON object")
    got = data.get("round")
    if got != round or isinstance(got, bool):
        raise BeaconUnavailable(f"the relay answered round {got!r} when round {round} was asked for")
    if not _is_hex(data.get("randomness"), RANDOMNESS_HEX):
        raise BeaconUnavailable(f"the randomness is not {RANDOMNESS_HEX} lowercase hexadecimal characters")
    for name in ("signature", "previous_signature"):
        if not _is_hex(data.get(name), SIGNATURE_HEX):
            raise BeaconUnavailable(f"the {name} is not {SIGNATURE_HEX} lowercase hexadecimal characters")
    signature: str = data["signature"]
    if hashlib.sha256(bytes.fromhex(signature)).hexdigest() != data["randomness"]:
        raise BeaconUnavailable("the randomness is not sha256 of the signature (the answer was altered)")
    return BeaconRound(round, data["randomness"], signature, data["previous_signature"])


def _ask(relay: str, url: str, round: int, timeout: float) -> tuple[BeaconRound | None, str, bool]:
    """One request: (the round, "", _) or (None, why, whether asking again may help)."""
    try:
        response = requests.get(url, headers={"accept": "application/json"}, timeout=timeout)
    except requests.RequestException as exc:  # timeouts, refused connections, TLS failures
        return None, f"{relay} did not answer ({type(exc).__name__})", True
    if response.status_code in NOT_YET:
        return None, f"{relay} has not published round {round} yet (HTTP {response.status_code})", False
    if response.status_code >= 500:
        return None, f"{relay} is down (HTTP {response.status_code})", True
    if not response.ok:
        return None, f"{relay} refused the request (HTTP {response.status_code})", False
    try:
        data: Any = response.json()
    except ValueError:
        return None, f"{relay} answered without valid JSON", False
    try:
        return _check(data, round), "", False
    except BeaconUnavailable as exc:
        return None, f"{relay}: {exc.message}", False


def fetch_round(
    chain: DrandChain,
    round: int,
    *,
    timeout: float = 2.0,
    attempts: int = 3,
    pause: Callable[[float], None] = time.sleep,
) -> BeaconRound:
    """Round `round` of `chain`, from the first relay that serves a good copy.

    Each relay is asked up to `attempts` times while it times out, cannot be reached or answers 5xx
    (waiting `BACKOFF`, then twice that … between tries, through `pause` so tests do not sleep); a
    404/425 ("not yet published"), another 4xx or a refused answer moves on to the next relay at
    once. The answer must be the asked round, lowercase hex of the chained scheme's lengths, with
    ``randomness == sha256(signature)``. The BLS signature is not verified here (that needs the
    pairing library); the standalone verifier checks it, so a draw's proof never rests on this code.
    Raises BeaconUnavailable naming every relay's failure."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    reasons: list[str] = []
    for relay in chain.relays:
        url = f"{relay.rstrip('/')}/{chain.chain_hash}/public/{round}"
        for attempt in range(attempts):
            found, why, again = _ask(relay, url, round, timeout)
            if found is not None:
                return found
            if not again or attempt == attempts - 1:
                reasons.append(why + (f" after {attempts} tries" if again else ""))
                break
            pause(BACKOFF * 2**attempt)
    if not reasons:
        raise BeaconUnavailable("no beacon relay is configured")
    raise BeaconUnavailable(f"drand round {round} could not be fetched: " + "; ".join(reasons))
