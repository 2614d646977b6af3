"""Standalone verifier for LuckyChit draw and auction proofs (DESIGN.md section 4, docs/proofs.md).

Why this file stands alone: a member who doubts a draw should not have to trust our server, our
package or any third-party library. They download this one file and the proof JSON and run::

    python verify.py PROOF.json            # or: python -m luckychit_app.verify PROOF.json

It imports only the Python standard library and keeps to syntax that Python 3.8 understands, so it
runs on whatever Python a member already has. The app imports the protocol math from here as well
(``luckychit_app.domain.fairness``), so the code that draws and the code that checks can never drift
apart: there is exactly one implementation of the algorithm.

The protocol, in short:

1. Commit: ``commitment = sha256(server_seed)`` is published before anyone can influence the draw.
2. Members add phrases and the foreman may add a public value until the cutoff; these give the
   ``client_seed``, which the server could not know when it committed.
3. Freeze: the eligible tickets, sorted by ticket, are hashed into ``eligible_hash``.
4. Select: HMAC-SHA256 keyed by the server seed over
   ``"{group_id}:{month}:{eligible_hash}:{client_seed}:{counter}"``; the first 8 bytes as a big-endian
   integer ``x`` are accepted when ``x < 2**64 - (2**64 % n)`` (rejection sampling, so every ticket has
   exactly the same chance); the winner is ``eligible[x % n]``.
5. Reveal the seed; anyone can recompute every step, which is what :func:`verify_proof` does.

Version 2 (docs/proofs.md) adds a public drand ``beacon`` to lot proofs, bound by the commitment
(``sha256(server_seed || 0x00 || canonical_json(beacon_terms))``) and giving the public value; and
auction proofs (kind ``"auction"``): the hash-chained bids, the bidding rules, the close, the best
bid, the settlement recomputed to the paisa and the embedded lot among the tickets tied at the best
bid. Version 1 proofs verify exactly as before. The BLS signature of a drand round is checked only
when the optional ``py_ecc`` package is installed; everything else needs the standard library only.

What the proof does *not* prove: the descriptive labels (``group_name``, ``draw_id``, and the choice
between ``"lucky"`` and ``"auction-tie"``) and the exact times are not inputs to any hash, so they are
only checked for shape and order. For those, compare the proof hash this tool prints (SHA-256 of the
canonical JSON of the whole document) with the one printed in the draw's minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

PROOF_VERSION = 2
"""The version the app writes; :data:`VERSIONS` are the ones this verifier reads."""
VERSIONS = (1, 2)
ALGORITHM = "HMAC-SHA256/rejection-sampling/v1"
KINDS = ("lucky", "auction-tie", "single-eligible")
"""The kinds of a lot proof (a draw among eligible tickets)."""
AUCTION_KIND = "auction"
SEED_BYTES = 32
#: The checks :func:`verify_proof` returns for a version 1 proof, in this order (a UI can rely on
#: the names); :func:`check_names` gives the list for any proof.
CHECK_NAMES = ("version", "commitment", "eligible_list", "client_seed", "selection", "winner", "timestamps")
#: The checks of a version 2 lot proof (kinds lucky, auction-tie, single-eligible).
LOT_CHECK_NAMES = (
    "version",
    "commitment",
    "eligible_list",
    "client_seed",
    "beacon",
    "selection",
    "winner",
    "timestamps",
)
#: The checks of a version 2 auction proof (kind auction).
AUCTION_CHECK_NAMES = ("version", "bid_chain", "bid_rules", "closing", "best_bid", "settlement", "lot")
#: Every check name of every version and kind, each once (for label tables).
ALL_CHECK_NAMES = tuple(dict.fromkeys(CHECK_NAMES + LOT_CHECK_NAMES + AUCTION_CHECK_NAMES))
PROOF_FIELDS = frozenset(
    {
        "version",
        "algorithm",
        "group_id",
        "group_name",
        "month",
        "draw_id",
        "kind",
        "commitment",
        "committed_at",
        "server_seed",
        "revealed_at",
        "phrases",
        "public_value",
        "cutoff_at",
        "client_seed",
        "eligible",
        "eligible_hash",
        "frozen_at",
        "steps",
        "winner_index",
        "winner",
        "drawn_at",
    }
)
LOT_FIELDS = PROOF_FIELDS | {"beacon"}
AUCTION_FIELDS = frozenset(
    {
        "version",
        "algorithm",
        "kind",
        "group_id",
        "group_name",
        "month",
        "draw_id",
        "terms",
        "bidding_opened_at",
        "bidding_closes_at",
        "closed_at",
        "bids",
        "chain_head",
        "set_aside",
        "settlement",
        "winner",
        "lot",
    }
)
#: The beacon keys the commitment binds (docs/proofs.md): the round cannot be changed after it.
BEACON_TERM_KEYS = ("network", "chain_hash", "public_key", "genesis", "period", "round", "fallback")
BEACON_FIELDS = (
    *BEACON_TERM_KEYS,
    "status",
    "randomness",
    "signature",
    "previous_signature",
    "fallback_reason",
)
BEACON_STATUSES = ("used", "fallback")
#: drand's chained BLS scheme: public keys on G1 (48 bytes), signatures on G2 (96 bytes).
DRAND_DST = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_"
TERMS_KEYS = (
    "chit_value",
    "tickets",
    "installment",
    "commission",
    "max_discount",
    "min_bid_step",
    "remainder_to",
    "gst_rate_bp",
    "gst_intra_state",
    "gst_recovery",
)
SETTLEMENT_KEYS = (
    "discount",
    "commission",
    "gst",
    "prize",
    "dividend_pool",
    "dividend_per_ticket",
    "remainder",
    "remainder_to_foreman",
    "net_installment",
)
BID_KEYS = ("seq", "ticket", "member", "discount", "at", "prev_hash", "hash")
FOREMAN_CAP_BP = 700
"""Chit Funds Act 1982 s.21(1)(b) as amended in 2019: the foreman's commission and other income from
one instalment may not exceed 7 % of the chit amount (domain/settlement.py foreman_income_cap)."""
TIMESTAMP_FIELDS = ("committed_at", "cutoff_at", "frozen_at", "drawn_at", "revealed_at")

_SPACE = 2**64  # x is the first 8 bytes of the HMAC, so it is uniform on [0, 2**64)
_MAX_ID = 2**63  # ids, tickets, months and counters are database integers; bounding them also keeps
# Python from refusing to print giant integers (int max str digits) while we report on them.
_LOWER_HEX = re.compile(r"[0-9a-f]*")
_MS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
_ENTRY_KEYS = frozenset({"ticket", "member"})
_STEP_KEYS = frozenset({"counter", "hmac", "x", "accepted"})
_USAGE = "usage: python -m luckychit_app.verify PROOF.json\n       (or: python verify.py PROOF.json)"


# --------------------------------------------------------------------------------------------------
# The protocol math (imported by the app as well)
# --------------------------------------------------------------------------------------------------


def canonical_json(obj: Any) -> bytes:
    """Serialise ``obj`` one way only, so a hash over it means the same thing on every machine.

    Sorted keys and no whitespace make the bytes independent of dict order and formatting;
    ``ensure_ascii=False`` keeps phrases in Kannada or Tamil as UTF-8, as the design fixes.
    """
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def commitment_of(seed: bytes, beacon_terms: dict[str, Any] | None = None) -> str:
    """The public commitment to a server seed: publishing it binds the server before the draw.

    With a beacon (version 2), the commitment binds the named drand round too:
    ``sha256(seed || 0x00 || canonical_json(beacon_terms))``, so the round (and what happens when
    it cannot be fetched) cannot be changed after members saw the commitment.
    """
    if beacon_terms is None:
        return hashlib.sha256(seed).hexdigest()
    return hashlib.sha256(seed + b"\x00" + canonical_json(beacon_terms)).hexdigest()


def beacon_terms(beacon: dict[str, Any]) -> dict[str, Any]:
    """The part of a beacon object the commitment binds: the keys of :data:`BEACON_TERM_KEYS`."""
    return {key: beacon[key] for key in BEACON_TERM_KEYS}


def beacon_public_value(beacon: dict[str, Any] | None) -> str | None:
    """The public value a version 2 draw mixes into its client seed.

    ``"drand:{chain_hash}:{round}:{randomness}"`` when the round was used; ``None`` without a
    beacon or on fallback (the client seed then comes from the phrases only).
    """
    if beacon is None or beacon.get("status") != "used":
        return None
    return f"drand:{beacon['chain_hash']}:{beacon['round']}:{beacon['randomness']}"


def drand_round_time(genesis: int, period: int, round_number: int) -> int:
    """Unix seconds at which drand publishes ``round_number`` (round 1 at ``genesis``)."""
    return genesis + (round_number - 1) * period


def drand_message(previous_signature: bytes, round_number: int) -> bytes:
    """What a chained drand round signs: ``sha256(previous_signature || round as 8 bytes big-endian)``."""
    return hashlib.sha256(previous_signature + round_number.to_bytes(8, "big")).digest()


def _g2basic() -> Any:
    """py_ecc's BLS ciphersuite, or ``None`` when py_ecc is not installed.

    Importing py_ecc raises the interpreter's recursion limit to 100,000 for the whole process; a
    limit that high lets a deeply nested JSON document crash Python (a C stack overflow) instead of
    raising ``RecursionError`` in :func:`parse_proof`. The limit is put back at once (BLS
    verification does not need it).
    """
    limit = sys.getrecursionlimit()
    try:
        from py_ecc.bls import G2Basic
    except Exception:  # ImportError, or a broken installation: either way, no BLS check
        return None
    finally:
        sys.setrecursionlimit(limit)
    return G2Basic


def bls_available() -> bool:
    """True when the optional ``py_ecc`` package is importable (the BLS check needs it)."""
    return _g2basic() is not None


@lru_cache(maxsize=64)
def bls_verify(public_key_hex: str, message: bytes, signature_hex: str) -> bool | None:
    """Check a drand BLS signature (G1 public key, G2 signature, DST :data:`DRAND_DST`).

    Returns ``None`` when ``py_ecc`` is not installed (the check cannot run), else whether the
    signature verifies. Pure-Python pairing takes a second or two, so results are remembered.
    """
    suite = _g2basic()
    if suite is None:
        return None
    try:
        return bool(suite.Verify(bytes.fromhex(public_key_hex), message, bytes.fromhex(signature_hex)))
    except Exception:  # a point not on the curve, for instance: not a valid signature
        return False


def bid_chain_genesis(group_id: int, month: int, draw_id: int) -> str:
    """The hash before the first bid of one auction: ``sha256("luckychit-bids:{group}:{month}:{draw}")``."""
    return hashlib.sha256(f"luckychit-bids:{group_id}:{month}:{draw_id}".encode()).hexdigest()


def bid_hash(prev_hash: str, seq: int, ticket: int, member: str, discount: int, at: str) -> str:
    """The hash of one accepted bid, linking it to the one before (``prev_hash``)."""
    record = {
        "prev_hash": prev_hash,
        "seq": seq,
        "ticket": ticket,
        "member": member,
        "discount": discount,
        "at": at,
    }
    return hashlib.sha256(canonical_json(record)).hexdigest()


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, halves up (as domain/gst.py)."""
    return (2 * numerator + denominator) // (2 * denominator)


def gst_on_commission(commission: int, rate_bp: int, intra_state: bool) -> int:
    """GST (paise) on the foreman's commission, each head rounded half up to the paisa.

    Notification 11/2017-Central Tax (Rate) S.No. 15(i), 18 % from 18-07-2022 (Notification
    03/2022-CT(Rate)); within the foreman's state CGST and SGST at half the rate each, across states
    IGST at the whole rate (IGST Act s.12(2), s.5). The same arithmetic as domain/gst.py ``charge``.
    """
    if intra_state:
        return 2 * _half_up(commission * rate_bp, 2 * 10_000)
    return _half_up(commission * rate_bp, 10_000)


def auction_settlement(terms: dict[str, Any], discount: int) -> dict[str, int]:
    """An auction month's money, recomputed from the proof's ``terms`` and the winning ``discount``.

    DESIGN.md section 2 and domain/settlement.py: the dividend pool ``D - commission`` is shared in
    whole paise (``divmod`` by the tickets), the remainder kept; each ticket pays the installment
    less its dividend; the prize is ``V - D``, less the GST on the commission when it is recovered
    from the prize. With ``remainder_to == "foreman"`` the foreman takes the remainder only as far as
    commission + remainder stay within 7 % of V (Chit Funds Act s.21(1)(b)).
    """
    chit_value, tickets, commission = terms["chit_value"], terms["tickets"], terms["commission"]
    pool = discount - commission
    dividend, remainder = divmod(pool, tickets)
    gst = gst_on_commission(commission, terms["gst_rate_bp"], terms["gst_intra_state"])
    prize = chit_value - discount - (gst if terms["gst_recovery"] == "prize" else 0)
    to_foreman = 0
    if terms["remainder_to"] == "foreman":
        room = max(0, chit_value * FOREMAN_CAP_BP // 10_000 - commission)
        to_foreman = min(remainder, room)
    return {
        "discount": discount,
        "commission": commission,
        "gst": gst,
        "prize": prize,
        "dividend_pool": pool,
        "dividend_per_ticket": dividend,
        "remainder": remainder,
        "remainder_to_foreman": to_foreman,
        "net_installment": terms["installment"] - dividend,
    }


def format_rupees(paise: int) -> str:
    """Paise as rupees the Indian way: 1850000 -> "₹18,500.00", 123456789 -> "₹12,34,567.89"."""
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(paise), 100)
    digits = str(rupees)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return f"{sign}\u20b9{','.join([*groups, tail])}.{rest:02d}"


def eligible_hash(eligible: list[dict[str, Any]]) -> str:
    """Hash of the frozen eligible list (entries ``{"ticket", "member"}``, sorted by ticket).

    It enters every HMAC message, so the list cannot be edited after the freeze without changing the
    outcome's inputs.
    """
    return hashlib.sha256(canonical_json(eligible)).hexdigest()


def client_seed_of(phrases: list[str], public_value: str | None) -> str:
    """Combine member phrases and the public value into the client seed.

    Phrases are sorted so the order in which members typed them cannot matter; a missing public
    value counts as the empty string so "none" has one spelling.
    """
    payload = {"phrases": sorted(phrases), "public": public_value or ""}
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def proof_sha256(proof: Any) -> str:
    """Fingerprint of a whole proof, printed in the draw's minutes.

    It covers the fields no other hash binds (group name, draw id, kind, times), so a proof that
    matches the minutes' fingerprint is exactly the one published at the draw.
    """
    return hashlib.sha256(canonical_json(proof)).hexdigest()


def acceptance_limit(n: int) -> int:
    """Largest multiple of ``n`` that fits in 64 bits: values of ``x`` at or above it are rejected.

    Accepting only ``x < limit`` makes ``x % n`` exactly uniform, because ``[0, limit)`` splits into
    ``limit // n`` full runs of ``0 .. n-1``. (A plain ``x % n`` favours low indexes slightly.)
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= _SPACE:
        raise ValueError(f"the number of eligible tickets must be between 1 and 2**64, got {_show(n)}")
    return _SPACE - (_SPACE % n)


def hmac_message(group_id: int, month: int, eligible_hash: str, client_seed: str, counter: int) -> bytes:
    """The exact bytes the HMAC signs for one step (DESIGN 4.4); group and month stop replays."""
    return f"{group_id}:{month}:{eligible_hash}:{client_seed}:{counter}".encode()


def _raw_step(
    seed: bytes, group_id: int, month: int, eligible_hash: str, client_seed: str, counter: int
) -> tuple[str, int]:
    """One HMAC evaluation: the hex digest and ``x`` (its first 8 bytes, big-endian)."""
    digest = hmac.new(
        seed, hmac_message(group_id, month, eligible_hash, client_seed, counter), hashlib.sha256
    ).digest()
    return digest.hex(), int.from_bytes(digest[:8], "big")


def select_index(
    seed: bytes, group_id: int, month: int, eligible_hash: str, client_seed: str, n: int
) -> tuple[int, list[dict[str, Any]]]:
    """Pick the winning index among ``n`` eligible tickets without modulo bias.

    Returns the index and every step taken, rejected ones included, so a verifier can replay the
    whole chain. ``x`` is recorded as a decimal string because JSON readers in browsers lose
    precision on integers above 2**53.
    """
    limit = acceptance_limit(n)
    steps: list[dict[str, Any]] = []
    counter = 0
    while True:
        digest_hex, x = _raw_step(seed, group_id, month, eligible_hash, client_seed, counter)
        accepted = x < limit
        steps.append({"counter": counter, "hmac": digest_hex, "x": str(x), "accepted": accepted})
        if accepted:
            return x % n, steps
        counter += 1


# --------------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One verdict of :func:`verify_proof`: which property, whether it holds, and why in words."""

    name: str
    ok: bool
    detail: str


class _Fail(Exception):
    """Raised inside a check to fail it with a message for the member; never escapes this module."""


def _show(value: Any) -> str:
    """A short, ASCII-only rendering of a value from the proof, safe for any console."""
    try:
        text = ascii(value)
    except ValueError:  # an integer too long to print (Python's int max str digits)
        return f"<{type(value).__name__} too large to display>"
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    """Name a value's type the way JSON does, because that is what the member's file contains."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _field(obj: dict[str, Any], key: str, where: str = "") -> Any:
    if key not in obj:
        raise _Fail(f"missing field '{where}{key}'")
    return obj[key]


def _int(obj: dict[str, Any], key: str, where: str = "") -> int:
    """An integer field in ``0 .. 2**63-1`` (booleans are not integers here, though Python says so)."""
    value = _field(obj, key, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Fail(f"'{where}{key}' must be an integer, not {_json_type(value)} ({_show(value)})")
    if not 0 <= value < _MAX_ID:
        raise _Fail(f"'{where}{key}' must be between 0 and 2**63-1, got {_show(value)}")
    return value


def _str(obj: dict[str, Any], key: str, where: str = "") -> str:
    value = _field(obj, key, where)
    if not isinstance(value, str):
        raise _Fail(f"'{where}{key}' must be a string, not {_json_type(value)} ({_show(value)})")
    return value


def _hex(obj: dict[str, Any], key: str, n_bytes: int, where: str = "") -> str:
    """A lowercase hex string of exactly ``n_bytes`` bytes, as ``hexdigest()`` writes it.

    Strict on purpose: ``bytes.fromhex`` would also accept spaces and capitals, and then two
    different-looking proofs would verify as the same one.
    """
    value = _str(obj, key, where)
    if len(value) != 2 * n_bytes or not _LOWER_HEX.fullmatch(value):
        raise _Fail(f"'{where}{key}' must be {2 * n_bytes} lowercase hex digits, got {_show(value)}")
    return value


def _seed(proof: dict[str, Any]) -> bytes:
    """The revealed server seed; it must be 32 bytes, or members could brute-force it from the
    commitment before the draw and steer the outcome with their phrases."""
    return bytes.fromhex(_hex(proof, "server_seed", SEED_BYTES))


def _canonical(obj: Any, what: str) -> bytes:
    try:
        return canonical_json(obj)
    except (UnicodeEncodeError, ValueError) as exc:  # lone surrogates, for instance
        raise _Fail(f"{what} cannot be encoded as UTF-8 JSON: {exc}") from None


def _eligible_list(proof: dict[str, Any]) -> list[dict[str, Any]]:
    """The eligible list, validated: entries ``{"ticket": int, "member": str}`` with strictly
    increasing tickets (sorted, no ticket twice)."""
    eligible = _field(proof, "eligible")
    if not isinstance(eligible, list):
        raise _Fail(f"'eligible' must be a list, not {_json_type(eligible)}")
    if not eligible:
        raise _Fail("'eligible' is empty: a draw needs at least one eligible ticket")
    previous: int | None = None
    for i, entry in enumerate(eligible):
        # The common case checked in one expression (a 1,000-ticket proof spent 3 ms here); any
        # entry it does not pass goes through the checks below, which name what is wrong.
        if (
            type(entry) is dict
            and entry.keys() == _ENTRY_KEYS
            and type(ticket := entry["ticket"]) is int
            and 0 <= ticket < _MAX_ID
            and type(member := entry["member"]) is str
            and member
            and (previous is None or ticket > previous)
        ):
            previous = ticket
            continue
        where = f"eligible[{i}]."
        if not isinstance(entry, dict):
            raise _Fail(f"eligible[{i}] must be an object, not {_json_type(entry)}")
        extra = sorted(str(k) for k in set(entry) - _ENTRY_KEYS)
        if extra:
            raise _Fail(f"eligible[{i}] has unexpected field(s) {_show(extra)}; only ticket and member")
        ticket = _int(entry, "ticket", where)
        member = _str(entry, "member", where)
        if not member:
            raise _Fail(f"eligible[{i}].member is empty")
        if previous is not None and ticket == previous:
            raise _Fail(f"ticket {ticket} appears twice in the eligible list")
        if previous is not None and ticket < previous:
            raise _Fail(f"the eligible list is not sorted by ticket: {ticket} comes after {previous}")
        previous = ticket
    return eligible


def _time(proof: dict[str, Any], key: str, where: str = "") -> datetime:
    """Parse an ISO-8601 time that must carry a zero UTC offset ("Z" or "+00:00")."""
    value = _str(proof, key, where)
    # Python before 3.11 does not read a trailing "Z"; spelling it out keeps 3.8+ working.
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Fail(f"'{key}' is not an ISO-8601 time: {_show(value)}") from None
    offset = moment.utcoffset()
    if offset is None:
        raise _Fail(f"'{key}' has no time zone; it must be UTC (end in Z or +00:00): {_show(value)}")
    if offset.total_seconds() != 0:
        raise _Fail(f"'{key}' must be in UTC (end in Z or +00:00), got {_show(value)}")
    return moment.astimezone(timezone.utc)  # noqa: UP017 - datetime.UTC needs Python 3.11


def _is_version(proof: dict[str, Any], version: int) -> bool:
    value = proof.get("version")
    return type(value) is int and value == version  # 1.0 and true are not 1 in a proof


def _check_version(proof: dict[str, Any]) -> str:
    """The format this verifier understands, plus the labels that no hash covers (shape only)."""
    version = _field(proof, "version")
    if type(version) is not int or version not in VERSIONS:
        raise _Fail(f"unsupported proof version {_show(version)}; this verifier understands versions 1 and 2")
    algorithm = _field(proof, "algorithm")
    if algorithm != ALGORITHM:
        raise _Fail(f"unsupported algorithm {_show(algorithm)}; expected {ALGORITHM!r}")
    unknown = sorted(str(k) for k in set(proof) - (PROOF_FIELDS if version == 1 else LOT_FIELDS))
    if unknown:
        raise _Fail(f"unexpected field(s) {_show(unknown)} in a version {version} proof")
    _str(proof, "group_name")
    _int(proof, "draw_id")
    kind = _field(proof, "kind")
    if kind not in KINDS:
        raise _Fail(f"'kind' must be one of {', '.join(KINDS)}; got {_show(kind)}")
    if version == 2:
        _field(proof, "beacon")
    return f"version {version}, {ALGORITHM}, kind {kind}"


def _beacon_terms_of(proof: dict[str, Any]) -> dict[str, Any] | None:
    """The beacon terms a version 2 proof's commitment binds, validated; ``None`` without a beacon."""
    beacon = _field(proof, "beacon")
    if beacon is None:
        return None
    if not isinstance(beacon, dict):
        raise _Fail(f"'beacon' must be an object or null, not {_json_type(beacon)}")
    where = "beacon."
    network = _field(beacon, "network", where)
    if network != "drand":
        raise _Fail(f"'beacon.network' must be \"drand\", got {_show(network)}")
    _hex(beacon, "chain_hash", 32, where)
    _hex(beacon, "public_key", 48, where)
    _int(beacon, "genesis", where)
    for key in ("period", "round"):
        if _int(beacon, key, where) < 1:
            raise _Fail(f"'beacon.{key}' must be at least 1")
    if not _str(beacon, "fallback", where):
        raise _Fail("'beacon.fallback' is empty: it must say what the draw does without the round")
    terms = beacon_terms(beacon)
    _canonical(terms, "the beacon terms")
    return terms


def _check_commitment(proof: dict[str, Any]) -> str:
    commitment = _hex(proof, "commitment", 32)
    seed = _seed(proof)
    terms = _beacon_terms_of(proof) if _is_version(proof, 2) else None
    actual = commitment_of(seed, terms)
    if terms is None:
        if not hmac.compare_digest(actual, commitment):
            raise _Fail(f"sha256(server_seed) is {actual}, but the published commitment is {commitment}")
        return "sha256(server_seed) equals the commitment published before the draw"
    if not hmac.compare_digest(actual, commitment):
        raise _Fail(
            f"sha256(server_seed || 0x00 || beacon terms) is {actual}, but the published commitment is "
            f"{commitment}: the seed or the beacon named when the month opened (round, chain, fallback) "
            "was changed"
        )
    return (
        "sha256(server_seed || 0x00 || beacon terms) equals the commitment published before the draw: "
        f"drand round {terms['round']} was named then"
    )


def _check_eligible(proof: dict[str, Any]) -> str:
    eligible = _eligible_list(proof)
    recorded = _hex(proof, "eligible_hash", 32)
    actual = hashlib.sha256(_canonical(eligible, "the eligible list")).hexdigest()
    if actual != recorded:
        raise _Fail(f"the eligible list hashes to {actual}, but the proof records {recorded}")
    return f"{len(eligible)} eligible ticket(s), sorted and unique; hash matches"


def _check_client_seed(proof: dict[str, Any]) -> str:
    phrases = _field(proof, "phrases")
    if not isinstance(phrases, list):
        raise _Fail(f"'phrases' must be a list of strings, not {_json_type(phrases)}")
    for i, phrase in enumerate(phrases):
        if not isinstance(phrase, str):
            raise _Fail(f"phrases[{i}] must be a string, not {_json_type(phrase)}")
    public = _field(proof, "public_value")
    if public is not None and not isinstance(public, str):
        raise _Fail(f"'public_value' must be a string or null, not {_json_type(public)}")
    recorded = _hex(proof, "client_seed", 32)
    payload = {"phrases": sorted(phrases), "public": public or ""}
    actual = hashlib.sha256(_canonical(payload, "the phrases and public value")).hexdigest()
    if actual != recorded:
        raise _Fail(f"phrases and public value give client seed {actual}, but the proof records {recorded}")
    extra = " and a public value" if public else ""
    return f"recomputed from {len(phrases)} phrase(s){extra}"


def _utc_text(moment: datetime) -> str:
    """A time for a sentence: "2026-12-06 10:44:52 UTC" (milliseconds when there are any)."""
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + " UTC"


def _check_beacon(proof: dict[str, Any], check_bls: bool = True) -> str:
    """The drand round named at the commitment: in the future then, and (when used) really drand's."""
    terms = _beacon_terms_of(proof)
    public = _field(proof, "public_value")
    if terms is None:
        if public is not None:
            raise _Fail(f"without a beacon the public value must be null, but the proof has {_show(public)}")
        return "no public beacon was named for this month: the client seed comes from the phrases only"
    beacon = _field(proof, "beacon")
    where = "beacon."
    extra = sorted(str(k) for k in set(beacon) - set(BEACON_FIELDS))
    if extra:
        raise _Fail(f"'beacon' has unexpected field(s) {_show(extra)}")
    status = _field(beacon, "status", where)
    if status not in BEACON_STATUSES:
        raise _Fail(f'\'beacon.status\' must be "used" or "fallback", got {_show(status)}')
    round_number = terms["round"]
    round_time = drand_round_time(terms["genesis"], terms["period"], round_number)
    try:
        published = datetime.fromtimestamp(round_time, timezone.utc)  # noqa: UP017 - Python 3.8
    except (OverflowError, OSError, ValueError):
        raise _Fail(f"drand round {round_number} would be published at an impossible time") from None
    committed, cutoff = _time(proof, "committed_at"), _time(proof, "cutoff_at")
    if not published > committed:
        raise _Fail(
            f"drand round {round_number} was published at {_utc_text(published)}, not after the commitment "
            f"({_utc_text(committed)}): a round named for a draw must still be in the future"
        )
    if status == "fallback":
        for key in ("randomness", "signature", "previous_signature"):
            if _field(beacon, key, where) is not None:
                raise _Fail(f"'beacon.{key}' must be null when the fallback was taken")
        reason = _str(beacon, "fallback_reason", where)
        if not reason.strip():
            raise _Fail("'beacon.fallback_reason' is empty: a fallback must say why it was taken")
        if public is not None:
            raise _Fail(f"on fallback the public value must be null, but the proof has {_show(public)}")
        return (
            f"drand round {round_number} was not used: the draw fell back to {terms['fallback']} as named "
            f"in the commitment, because {_show(reason)}"
        )
    randomness = _hex(beacon, "randomness", 32, where)
    signature = _hex(beacon, "signature", 96, where)
    previous = _hex(beacon, "previous_signature", 96, where)
    if _field(beacon, "fallback_reason", where) != "":
        raise _Fail("'beacon.fallback_reason' must be \"\" when the round was used")
    actual = hashlib.sha256(bytes.fromhex(signature)).hexdigest()
    if actual != randomness:
        raise _Fail(
            f"the round's randomness must be sha256(signature) = {actual}, but the proof has {randomness}"
        )
    expected = beacon_public_value(beacon)
    if public != expected:
        raise _Fail(
            f"the public value must be {expected!r} (the drand round used), but the proof has {_show(public)}"
        )
    if not check_bls:
        bls = "BLS signature not checked: skipped by the caller"
    else:
        verdict = bls_verify(
            terms["public_key"], drand_message(bytes.fromhex(previous), round_number), signature
        )
        if verdict is None:
            bls = "BLS signature not checked: py_ecc is not installed"
        elif not verdict:
            raise _Fail(
                f"the BLS signature of drand round {round_number} does not verify against the chain's "
                "public key: this randomness is not drand's"
            )
        else:
            bls = "BLS signature verified against the chain's public key"
    when = "after the phrases closed" if published > cutoff else "before the phrases closed"
    return (
        f"drand round {round_number}, published {_utc_text(published)} ({when}), was used: randomness "
        f"is sha256(signature) and the public value names it; {bls}"
    )


def _check_steps(
    seed: bytes, group_id: int, month: int, eligible_hash: str, client_seed: str, n: int, steps: Any
) -> int:
    """Replay the recorded HMAC chain and return the accepted ``x``.

    Every step must be recomputed exactly, counters must run 0, 1, 2, ... (nothing skipped), every
    rejected value must really be at or above the limit, and the chain must stop at the first value
    below it. Separate from :func:`verify_proof` so it can be tested with huge ``n``, where rejections
    are common.
    """
    limit = acceptance_limit(n)
    if not isinstance(steps, list):
        raise _Fail(f"'steps' must be a list, not {_json_type(steps)}")
    if not steps:
        raise _Fail("no selection steps are recorded")
    for i, step in enumerate(steps):
        where = f"steps[{i}]."
        if not isinstance(step, dict):
            raise _Fail(f"steps[{i}] must be an object, not {_json_type(step)}")
        extra = sorted(str(k) for k in set(step) - _STEP_KEYS)
        if extra:
            raise _Fail(f"steps[{i}] has unexpected field(s) {_show(extra)}")
        counter = _int(step, "counter", where)
        if counter != i:
            raise _Fail(f"steps[{i}] has counter {counter}, expected {i}: a step was skipped or reordered")
        digest_hex, x = _raw_step(seed, group_id, month, eligible_hash, client_seed, i)
        if _field(step, "hmac", where) != digest_hex:
            raise _Fail(f"steps[{i}].hmac does not match: recomputed {digest_hex}")
        if _field(step, "x", where) != str(x):
            raise _Fail(f"steps[{i}].x does not match: recomputed {x} from the first 8 bytes of the HMAC")
        accepted = _field(step, "accepted", where)
        if not isinstance(accepted, bool):
            raise _Fail(f"steps[{i}].accepted must be true or false, not {_json_type(accepted)}")
        should_accept = x < limit
        if accepted and not should_accept:
            raise _Fail(f"steps[{i}] is marked accepted, but x = {x} is not below the limit {limit}")
        if should_accept and not accepted:
            raise _Fail(f"steps[{i}] is marked rejected, but x = {x} is below the limit {limit}")
        if accepted and i != len(steps) - 1:
            raise _Fail(f"steps[{i}] was accepted, yet {len(steps) - 1 - i} more step(s) follow it")
        if accepted:
            return x
    raise _Fail(f"every recorded step was rejected; the chain must continue past counter {len(steps) - 1}")


def _check_selection(proof: dict[str, Any]) -> str:
    group_id = _int(proof, "group_id")
    month = _int(proof, "month")
    recorded_eligible_hash = _hex(proof, "eligible_hash", 32)
    client_seed = _hex(proof, "client_seed", 32)
    seed = _seed(proof)
    eligible = _field(proof, "eligible")
    if not isinstance(eligible, list) or not eligible:
        raise _Fail("cannot replay the selection without a non-empty eligible list")
    n = len(eligible)
    kind = _field(proof, "kind")
    steps = _field(proof, "steps")
    winner_index = _int(proof, "winner_index")
    if kind == "single-eligible":
        if n != 1:
            raise _Fail(f"kind 'single-eligible' needs exactly one eligible ticket, but {n} are listed")
        if winner_index != 0:
            raise _Fail(f"with a single eligible ticket the winner index must be 0, got {winner_index}")
        if steps == []:
            return "only one eligible ticket: it takes the prize without a draw"
    x = _check_steps(seed, group_id, month, recorded_eligible_hash, client_seed, n, steps)
    if winner_index != x % n:
        raise _Fail(f"winner_index is {winner_index}, but the accepted x = {x} gives {x} mod {n} = {x % n}")
    rejected = len(steps) - 1
    return (
        f"{len(steps)} HMAC step(s) replayed ({rejected} rejected); x mod {n} = {winner_index}; "
        f"acceptance limit {acceptance_limit(n)}"
    )


def _check_winner(proof: dict[str, Any]) -> str:
    eligible = _field(proof, "eligible")
    if not isinstance(eligible, list):
        raise _Fail("cannot check the winner without an eligible list")
    index = _int(proof, "winner_index")
    if index >= len(eligible):
        raise _Fail(f"winner_index {index} is outside the eligible list of {len(eligible)} ticket(s)")
    winner = _field(proof, "winner")
    if not isinstance(winner, dict):
        raise _Fail(f"'winner' must be an object, not {_json_type(winner)}")
    extra = sorted(str(k) for k in set(winner) - _ENTRY_KEYS)
    if extra:
        raise _Fail(f"'winner' has unexpected field(s) {_show(extra)}")
    ticket = _int(winner, "ticket", "winner.")
    member = _str(winner, "member", "winner.")
    entry = eligible[index]
    if not isinstance(entry, dict):
        raise _Fail(f"eligible[{index}] is not an object")
    # Compare types too: in Python 1 == True == 1.0, in a proof they are different values.
    if type(entry.get("ticket")) is not int or entry.get("ticket") != ticket:
        raise _Fail(f"the recorded winner has ticket {ticket}, but eligible[{index}] is {_show(entry)}")
    if entry.get("member") != member:
        raise _Fail(f"the recorded winner is member {_show(member)}, but eligible[{index}] is {_show(entry)}")
    return f"ticket {ticket} (member {_show(member)}) is eligible[{index}]"


def _check_timestamps(proof: dict[str, Any]) -> str:
    committed, cutoff, frozen, drawn, revealed = (_time(proof, key) for key in TIMESTAMP_FIELDS)
    if not committed < cutoff:
        raise _Fail("the commitment must be published before the cutoff (committed_at < cutoff_at)")
    if not cutoff <= frozen:
        raise _Fail("the eligible list was frozen before the cutoff (need cutoff_at <= frozen_at)")
    if not frozen <= drawn:
        raise _Fail("the draw happened before the freeze (need frozen_at <= drawn_at)")
    if not drawn <= revealed:
        raise _Fail("the seed was revealed before the draw (need drawn_at <= revealed_at)")
    return "committed_at < cutoff_at <= frozen_at <= drawn_at <= revealed_at"


# --------------------------------------------------------------------------------------------------
# Auction proofs (version 2, kind "auction"; docs/proofs.md)
# --------------------------------------------------------------------------------------------------


_rs = format_rupees  # short, for the many sentences below


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def _listing(items: list[str]) -> str:
    """ "4", "4 and 7", "4, 7 and 9": a list for a sentence."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _rate_text(rate_bp: int) -> str:
    return f"{rate_bp // 100} %" if rate_bp % 100 == 0 else f"{rate_bp / 100:g} %"


def _auction_terms(proof: dict[str, Any]) -> dict[str, Any]:
    """The auction's ``terms``, validated: whole paise, consistent installment, legal commission."""
    terms = _field(proof, "terms")
    if not isinstance(terms, dict):
        raise _Fail(f"'terms' must be an object, not {_json_type(terms)}")
    extra = sorted(str(k) for k in set(terms) - set(TERMS_KEYS))
    if extra:
        raise _Fail(f"'terms' has unexpected field(s) {_show(extra)}")
    where = "terms."
    for key in TERMS_KEYS[:6]:
        _int(terms, key, where)
    for key in ("chit_value", "tickets", "min_bid_step"):
        if terms[key] < 1:
            raise _Fail(f"'terms.{key}' must be at least 1")
    if terms["installment"] * terms["tickets"] != terms["chit_value"]:
        raise _Fail("the terms do not add up: installment times tickets must be the chit value")
    if terms["commission"] > terms["chit_value"] * FOREMAN_CAP_BP // 10_000:
        raise _Fail(
            f"the commission of {_rs(terms['commission'])} is above 7 % of the chit value, the most "
            "the Chit Funds Act allows (s.21(1)(b))"
        )
    if terms["commission"] > terms["max_discount"] or terms["max_discount"] > terms["chit_value"]:
        raise _Fail("the terms need commission <= max_discount <= chit_value")
    if _field(terms, "remainder_to", where) not in ("carry", "foreman"):
        raise _Fail(
            f'\'terms.remainder_to\' must be "carry" or "foreman", got {_show(terms["remainder_to"])}'
        )
    _int(terms, "gst_rate_bp", where)
    if not isinstance(_field(terms, "gst_intra_state", where), bool):
        raise _Fail("'terms.gst_intra_state' must be true or false")
    if _field(terms, "gst_recovery", where) not in ("prize", "foreman"):
        raise _Fail(
            f'\'terms.gst_recovery\' must be "prize" or "foreman", got {_show(terms["gst_recovery"])}'
        )
    return terms


def _bid_time(bid: dict[str, Any], where: str) -> datetime:
    value = _str(bid, "at", where)
    if not _MS_TIME.fullmatch(value):
        raise _Fail(
            f"'{where}at' must be a UTC time to the millisecond (YYYY-MM-DDTHH:MM:SS.mmmZ), "
            f"got {_show(value)}"
        )
    return _time(bid, "at", where)


def _bids(proof: dict[str, Any]) -> list[dict[str, Any]]:
    """The accepted bids, each validated for shape (the chain and the rules are separate checks)."""
    bids = _field(proof, "bids")
    if not isinstance(bids, list):
        raise _Fail(f"'bids' must be a list, not {_json_type(bids)}")
    for i, bid in enumerate(bids):
        where = f"bids[{i}]."
        if not isinstance(bid, dict):
            raise _Fail(f"bids[{i}] must be an object, not {_json_type(bid)}")
        extra = sorted(str(k) for k in set(bid) - set(BID_KEYS))
        if extra:
            raise _Fail(f"bids[{i}] has unexpected field(s) {_show(extra)}")
        for key in ("seq", "ticket", "discount"):
            _int(bid, key, where)
        if not _str(bid, "member", where):
            raise _Fail(f"bids[{i}].member is empty")
        _bid_time(bid, where)
        _hex(bid, "prev_hash", 32, where)
        _hex(bid, "hash", 32, where)
    return bids


def _bid_name(bid: dict[str, Any]) -> str:
    return f"bid {bid['seq']} (ticket {bid['ticket']})"


def _clock(bid: dict[str, Any]) -> str:
    """The time of day of a bid, "10:44:52.120 UTC"."""
    return f"{bid['at'][11:23]} UTC"


def _lot_of(proof: dict[str, Any]) -> dict[str, Any]:
    lot = _field(proof, "lot")
    if not isinstance(lot, dict):
        raise _Fail(f"'lot' must be an object (the lot proof), not {_json_type(lot)}")
    return lot


def _set_aside(proof: dict[str, Any]) -> dict[int, str]:
    """Tickets whose bids do not count (suspended, defaulted...) with the reason, by ticket."""
    entries = _field(proof, "set_aside")
    if not isinstance(entries, list):
        raise _Fail(f"'set_aside' must be a list, not {_json_type(entries)}")
    found: dict[int, str] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != {"ticket", "reason"}:
            raise _Fail(f"set_aside[{i}] must be an object with exactly a ticket and a reason")
        ticket = _int(entry, "ticket", f"set_aside[{i}].")
        reason = _str(entry, "reason", f"set_aside[{i}].")
        if not reason.strip():
            raise _Fail(f"set_aside[{i}] gives no reason for setting ticket {ticket} aside")
        found[ticket] = reason
    return found


def _best(proof: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    """The highest discount among the bids that count, and the bids that offered it."""
    set_aside = _set_aside(proof)
    counted = [bid for bid in _bids(proof) if bid["ticket"] not in set_aside]
    if not counted:
        raise _Fail("no bid counts (none was placed, or every bidder was set aside): there is no best bid")
    best = max(bid["discount"] for bid in counted)
    return best, [bid for bid in counted if bid["discount"] == best]


def _check_auction_version(proof: dict[str, Any]) -> str:
    if not _is_version(proof, 2):
        raise _Fail(f"auction proofs exist from version 2 on, got version {_show(proof.get('version'))}")
    algorithm = _field(proof, "algorithm")
    if algorithm != ALGORITHM:
        raise _Fail(f"unsupported algorithm {_show(algorithm)}; expected {ALGORITHM!r}")
    unknown = sorted(str(k) for k in set(proof) - AUCTION_FIELDS)
    if unknown:
        raise _Fail(f"unexpected field(s) {_show(unknown)} in an auction proof")
    for key in ("group_id", "month", "draw_id"):
        _int(proof, key)
    _str(proof, "group_name")
    return f"version 2, {ALGORITHM}, kind {AUCTION_KIND}"


def _check_bid_chain(proof: dict[str, Any]) -> str:
    """Every bid hash recomputed and linked to the one before; seq without gaps; the head matches."""
    genesis = bid_chain_genesis(_int(proof, "group_id"), _int(proof, "month"), _int(proof, "draw_id"))
    bids = _bids(proof)
    head = _hex(proof, "chain_head", 32)
    previous = genesis
    for i, bid in enumerate(bids):
        if bid["seq"] != i + 1:
            raise _Fail(
                f"bid number {i + 1} in the list carries seq {bid['seq']}: bids must be numbered 1, 2, 3 "
                "in order, with none missing"
            )
        if bid["prev_hash"] != previous:
            raise _Fail(f"{_bid_name(bid)} does not link to the bid before it: a bid was removed or moved")
        record = {k: bid[k] for k in ("prev_hash", "seq", "ticket", "member", "discount", "at")}
        actual = hashlib.sha256(_canonical(record, f"bid {bid['seq']}")).hexdigest()
        if actual != bid["hash"]:
            raise _Fail(f"{_bid_name(bid)} was changed after it was accepted: its contents hash to {actual}")
        previous = actual
    if head != previous:
        raise _Fail(
            f"the chain head {head} (shown in the auction room and the minutes) is not where the bids "
            f"lead ({previous}): a bid was added or removed"
        )
    if not bids:
        return "no bids were placed: the chain head is the auction's starting hash"
    return (
        f"{_plural(len(bids), 'bid')} in one unbroken chain: each hash recomputed and linked to the bid "
        f"before it; the head {head[:16]}... matches"
    )


def _check_bid_rules(proof: dict[str, Any]) -> str:
    """Each bid legal when it was placed (the rules of domain/settlement.py validate_bid)."""
    terms = _auction_terms(proof)
    low, high, step = terms["commission"], terms["max_discount"], terms["min_bid_step"]
    best: int | None = None
    last: datetime | None = None
    bids = _bids(proof)
    for bid in bids:
        discount = bid["discount"]
        # Chit Funds Act s.21(1)(b): the discount covers the foreman's commission, so no bid is below it;
        # the ceiling is the chit agreement's (s.6).
        if discount < low:
            raise _Fail(
                f"{_bid_name(bid)} offers a discount of {_rs(discount)}, below the commission of "
                f"{_rs(low)}: no bid may be that low"
            )
        if discount > high:
            raise _Fail(
                f"{_bid_name(bid)} offers a discount of {_rs(discount)}, above this group's "
                f"maximum of {_rs(high)}"
            )
        capped = discount == high and best is not None and best <= high
        if best is not None and not capped and discount < best + step:
            raise _Fail(
                f"{_bid_name(bid)} offers {_rs(discount)}, but it had to beat the best bid so "
                f"far, {_rs(best)}, by at least {_rs(step)}"
            )
        at = _bid_time(bid, "")
        if last is not None and at < last:
            raise _Fail(
                f"{_bid_name(bid)} is timed {_clock(bid)}, before the bid ahead of it: time went backwards"
            )
        best, last = discount if best is None else max(best, discount), at
    if not bids:
        return "no bids to check"
    return (
        f"{_plural(len(bids), 'bid')}, each between {_rs(low)} and {_rs(high)} and beating "
        f"the best before it by at least {_rs(step)} (or offering the maximum); the times never go "
        "backwards"
    )


def _check_closing(proof: dict[str, Any]) -> str:
    """Every bid inside the bidding window; the auction closed before the lot's phrases closed."""
    opened = _time(proof, "bidding_opened_at")
    closes = _time(proof, "bidding_closes_at")
    closed = _time(proof, "closed_at")
    if not opened < closes:
        raise _Fail("bidding must open before it closes (bidding_opened_at < bidding_closes_at)")
    for bid in _bids(proof):
        at = _bid_time(bid, "")
        if at < opened:
            raise _Fail(
                f"{_bid_name(bid)} was placed at {_utc_text(at)}, before bidding opened ({_utc_text(opened)})"
            )
        if at >= closes:
            raise _Fail(
                f"{_bid_name(bid)} was placed at {_utc_text(at)}, after bidding closed ({_utc_text(closes)})"
            )
        if at > closed:
            raise _Fail(
                f"{_bid_name(bid)} was placed at {_utc_text(at)}, after the auction was closed "
                f"({_utc_text(closed)})"
            )
    cutoff = _time(_lot_of(proof), "cutoff_at", "lot.")
    if not closed <= cutoff:
        raise _Fail(
            f"the auction was closed at {_utc_text(closed)}, after the lot's phrases closed "
            f"({_utc_text(cutoff)}): the tie must be known before the lot's inputs are fixed"
        )
    return (
        f"every bid came between the opening ({_utc_text(opened)}) and the close ({_utc_text(closes)}); the "
        f"auction was closed at {_utc_text(closed)}, before the lot's phrases closed"
    )


def _check_best_bid(proof: dict[str, Any]) -> str:
    """The highest counted discount; the tickets that offered it are exactly the lot's eligible list."""
    best, top = _best(proof)
    members: dict[int, str] = {}
    for bid in top:
        if members.setdefault(bid["ticket"], bid["member"]) != bid["member"]:
            raise _Fail(f"ticket {bid['ticket']} bid with two different member references")
    expected = [{"ticket": t, "member": members[t]} for t in sorted(members)]
    lot = _lot_of(proof)
    tickets = [str(t) for t in sorted(members)]
    if lot.get("eligible") != expected or not all(
        isinstance(e, dict) and type(e.get("ticket")) is int for e in lot.get("eligible") or []
    ):
        raise _Fail(
            f"the best discount, {_rs(best)}, was bid by ticket(s) {_listing(tickets)}, but the lot's "
            f"eligible list is {_show(lot.get('eligible'))}: the lot must be among exactly those "
            "tickets, with the member references of their bids"
        )
    kind = "single-eligible" if len(expected) == 1 else "auction-tie"
    if lot.get("kind") != kind:
        raise _Fail(
            f"with {_plural(len(expected), 'ticket')} at the best discount the lot's kind must be "
            f"{kind}, not {_show(lot.get('kind'))}"
        )
    winner = _field(proof, "winner")
    lot_winner = lot.get("winner")
    if (
        not isinstance(winner, dict)
        or set(winner) != {"ticket", "member"}
        or type(winner.get("ticket")) is not int
        or winner != lot_winner
    ):
        raise _Fail(f"the winner shown, {_show(winner)}, is not the lot's winner, {_show(lot_winner)}")
    first = min(top, key=lambda bid: bid["seq"])
    if len(expected) == 1:
        text = (
            f"ticket {first['ticket']} bid the highest discount, {_rs(best)} at {_clock(first)}; "
            f"no other ticket matched it, so ticket {first['ticket']} wins"
        )
    else:
        text = (
            f"tickets {_listing(tickets)} bid the highest discount, {_rs(best)} (the first at "
            f"{_clock(first)}); the lot among them chose ticket {winner['ticket']}"
        )
    set_aside = _set_aside(proof)
    ignored = sorted({bid["ticket"] for bid in _bids(proof) if bid["ticket"] in set_aside})
    if ignored:
        reasons = "; ".join(f"ticket {t}: {set_aside[t]}" for t in ignored)
        text += f". Bids of tickets set aside were not counted ({reasons})"
    return text


_SETTLEMENT_WORDS = {
    "discount": "discount",
    "commission": "commission",
    "gst": "GST on the commission",
    "prize": "prize",
    "dividend_pool": "dividend pool (discount less commission)",
    "dividend_per_ticket": "dividend per ticket",
    "remainder": "remainder (paise left after sharing the pool equally)",
    "remainder_to_foreman": "foreman's share of the remainder",
    "net_installment": "net installment each ticket pays",
}


def _check_settlement(proof: dict[str, Any]) -> str:
    """The month's money recomputed from the terms and the best bid, to the paisa."""
    terms = _auction_terms(proof)
    best, _ = _best(proof)
    record = _field(proof, "settlement")
    if not isinstance(record, dict):
        raise _Fail(f"'settlement' must be an object, not {_json_type(record)}")
    extra = sorted(str(k) for k in set(record) - set(SETTLEMENT_KEYS))
    if extra:
        raise _Fail(f"'settlement' has unexpected field(s) {_show(extra)}")
    expected = auction_settlement(terms, best)
    for key in SETTLEMENT_KEYS:
        value = _int(record, key, "settlement.")
        if value != expected[key]:
            raise _Fail(
                f"the settlement's {_SETTLEMENT_WORDS[key]} is {_rs(value)}, but from the terms and "
                f"the best bid of {_rs(best)} it is {_rs(expected[key])}"
            )
    e = expected
    heads = "CGST + SGST" if terms["gst_intra_state"] else "IGST"
    if e["gst"]:
        payer = "taken from the prize" if terms["gst_recovery"] == "prize" else "borne by the foreman"
        rate = _rate_text(terms["gst_rate_bp"])
        gst = f"GST of {_rs(e['gst'])} ({rate}, {heads}) on the commission is {payer}"
    else:
        gst = "no GST is charged on the commission"
    left = (
        "nothing is left over"
        if not e["remainder"]
        else f"{_rs(e['remainder'])} is left over ({_rs(e['remainder_to_foreman'])} of it to the foreman)"
    )
    return (
        f"the best bid of {_rs(best)} less the commission of {_rs(e['commission'])} leaves "
        f"{_rs(e['dividend_pool'])} to share: {_rs(e['dividend_per_ticket'])} for each of "
        f"{terms['tickets']} tickets and {left}; each ticket pays {_rs(e['net_installment'])}; {gst}; "
        f"the winner gets {_rs(e['prize'])}"
    )


def _check_lot(proof: dict[str, Any], check_bls: bool = True) -> str:
    """The embedded lot proof: same group, month and draw, and every one of its own checks passes."""
    lot = _lot_of(proof)
    if not _is_version(lot, 2):
        raise _Fail(f"the lot must be a version 2 lot proof, not version {_show(lot.get('version'))}")
    if lot.get("kind") not in ("auction-tie", "single-eligible"):
        raise _Fail(f"the lot's kind must be auction-tie or single-eligible, not {_show(lot.get('kind'))}")
    for key in ("group_id", "month", "draw_id"):
        value = _int(proof, key)
        if type(lot.get(key)) is not int or lot.get(key) != value:
            raise _Fail(f"the lot is for {key} {_show(lot.get(key))}, but this auction's {key} is {value}")
    checks = verify_proof(lot, check_bls=check_bls)
    failed = next((check for check in checks if not check.ok), None)
    if failed is not None:
        raise _Fail(f"the lot proof's {failed.name} check failed: {failed.detail}")
    n = len(lot["eligible"])
    among = "one ticket, so no draw was needed" if n == 1 else f"{n} tied tickets"
    return f"the lot proof ({among}) passes all {len(checks)} of its own checks"


def _check_table(proof: dict[str, Any], check_bls: bool) -> list[tuple[str, Any]]:
    """The checks for this proof's version and kind (the names are :func:`check_names`)."""
    if _is_version(proof, 2) and proof.get("kind") == AUCTION_KIND:
        return [
            ("version", _check_auction_version),
            ("bid_chain", _check_bid_chain),
            ("bid_rules", _check_bid_rules),
            ("closing", _check_closing),
            ("best_bid", _check_best_bid),
            ("settlement", _check_settlement),
            ("lot", lambda p: _check_lot(p, check_bls)),
        ]
    table: list[tuple[str, Any]] = [
        ("version", _check_version),
        ("commitment", _check_commitment),
        ("eligible_list", _check_eligible),
        ("client_seed", _check_client_seed),
        ("selection", _check_selection),
        ("winner", _check_winner),
        ("timestamps", _check_timestamps),
    ]
    if _is_version(proof, 2):
        table.insert(4, ("beacon", lambda p: _check_beacon(p, check_bls)))
    return table


def check_names(proof: Any) -> tuple[str, ...]:
    """The names of the checks :func:`verify_proof` returns for ``proof``, in order.

    Version 1: :data:`CHECK_NAMES`; a version 2 lot proof: :data:`LOT_CHECK_NAMES`; a version 2
    auction proof: :data:`AUCTION_CHECK_NAMES`. Anything else (not an object, an unknown version)
    gets the version 1 names, the first of which fails.
    """
    if isinstance(proof, dict) and _is_version(proof, 2):
        return AUCTION_CHECK_NAMES if proof.get("kind") == AUCTION_KIND else LOT_CHECK_NAMES
    return CHECK_NAMES


def verify_proof(proof: Any, *, check_bls: bool = True) -> list[Check]:
    """Recompute everything in a proof and return one :class:`Check` per property, in order.

    Never raises: a proof comes from a file anyone can edit, and the member deserves "this field is
    wrong" rather than a traceback. Every check runs even after a failure, so the report is complete.
    The names and their order are :func:`check_names`. ``check_bls=False`` skips the (slow, optional)
    BLS check of a drand beacon; the detail of the ``beacon`` check then says so.
    """
    if not isinstance(proof, dict):
        reason = f"the proof must be a JSON object, not {_json_type(proof)}"
        return [Check("version", False, reason)] + [
            Check(name, False, "not checked: the proof is not a JSON object") for name in CHECK_NAMES[1:]
        ]
    checks: list[Check] = []
    for name, check in _check_table(proof, check_bls):
        try:
            checks.append(Check(name, True, check(proof)))
        except _Fail as failure:
            checks.append(Check(name, False, str(failure)))
        except Exception as exc:  # a bug of ours must still not hide the other checks
            checks.append(Check(name, False, f"internal error while checking: {type(exc).__name__}: {exc}"))
    return checks


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object with a key twice could show one value in a browser and another here; refuse it."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_proof(text: str) -> Any:
    """Parse proof JSON text strictly (no duplicate keys, no NaN); a leading byte order mark is ignored.

    Raises ``ValueError`` (``json.JSONDecodeError`` included) for anything that is not strict JSON.
    The web page's paste box uses this too, so a pasted proof is read exactly as this tool reads a file.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return json.loads(text, object_pairs_hook=_reject_duplicate_keys, parse_constant=_reject_constant)


def load_proof(path: str) -> Any:
    """Read a proof file strictly (UTF-8 with or without BOM, no duplicate keys, no NaN)."""
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    return parse_proof(text)


def _print(line: str) -> None:
    """Print a line; on a console that cannot show "\u20b9" (or other text), write "Rs " and escapes."""
    try:
        print(line)
    except UnicodeEncodeError:
        print(line.replace("\u20b9", "Rs ").encode("ascii", "backslashreplace").decode("ascii"))


def main(argv: list[str] | None = None) -> int:
    """Verify one proof file; exit 0 = VALID, 1 = INVALID, 2 = could not read the file."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["-h"], ["--help"]):
        print(_USAGE)
        return 0
    if len(args) != 1:
        print(_USAGE, file=sys.stderr)
        return 2
    path = args[0]
    try:
        proof = load_proof(path)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"error: {path} is not UTF-8 text: {exc}", file=sys.stderr)
        return 2
    except (ValueError, RecursionError) as exc:
        print(f"error: {path} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    try:
        print(f"proof sha256: {proof_sha256(proof)}  (compare with the draw's minutes)")
    except (UnicodeEncodeError, ValueError):
        print("proof sha256: cannot be computed (the document holds text that is not valid UTF-8)")
    checks = verify_proof(proof)
    for check in checks:
        _print(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    failed = next((check for check in checks if not check.ok), None)
    if failed is None:
        print("VALID")
        return 0
    _print(f"INVALID: {failed.name}: {failed.detail}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
