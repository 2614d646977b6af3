"""The app's side of the fair-draw protocol (DESIGN.md section 4): seeds, inputs, proofs, pseudonyms.

The protocol math lives in :mod:`luckychit_app.verify`, the standalone file members download to check
a draw. Importing it here, instead of writing the algorithm twice, means the proof we publish is made
by the very code that checks it. :func:`run_draw` even runs that verifier on its own output before
returning, so the app can never publish a proof that says INVALID.

Pure domain code: no database, no Reflex, no clock. Services pass every time in explicitly.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from luckychit_app.domain.errors import DomainError, InvariantError
from luckychit_app.verify import (
    ALGORITHM,
    BEACON_FIELDS,
    KINDS,
    PROOF_VERSION,
    SEED_BYTES,
    beacon_public_value,
    beacon_terms,
    client_seed_of,
    commitment_of,
    eligible_hash,
    proof_sha256,
    select_index,
    verify_proof,
)

__all__ = [
    "PHRASE_MAX_CHARS",
    "DrawInputs",
    "format_utc",
    "format_utc_ms",
    "member_ref",
    "new_server_seed",
    "proof_sha256",
    "run_draw",
    "validate_phrase",
]

PHRASE_MAX_CHARS = 80
MEMBER_REF_HEX = 12
# Bidirectional-text controls can make a phrase display differently from the bytes that are hashed
# (e.g. "lucky" shown for "ykcul"); a phrase a member sees must be the phrase that was hashed.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Cc: control characters (newline, tab, NUL, ...); Cs: lone surrogates, which are not encodable as
# UTF-8 and would break the hash; Zl/Zp: line and paragraph separators, newlines in disguise.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def new_server_seed() -> bytes:
    """A fresh 32-byte server seed from the OS's CSPRNG, generated when a month opens.

    32 bytes, so nobody can recover it from the published commitment by brute force.
    """
    return secrets.token_bytes(SEED_BYTES)


def format_utc(moment: datetime) -> str:
    """Serialise an aware datetime the one way proofs use: UTC, microseconds, trailing "Z".

    Full microseconds, because rounding could turn two ordered instants into equal ones and make
    ``committed_at < cutoff_at`` fail in the verifier.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError(
            "proof times must be timezone-aware; attach UTC to naive database times "
            "(moment.replace(tzinfo=UTC))"
        )
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def format_utc_ms(moment: datetime) -> str:
    """A bid's time as the bid chain hashes it: UTC to the millisecond, "YYYY-MM-DDTHH:MM:SS.mmmZ".

    Truncated (not rounded) to the millisecond, so a bid never appears later than it was taken.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError("bid times must be timezone-aware (moment.replace(tzinfo=UTC))")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class DrawInputs:
    """Everything a draw depends on, gathered by the draws service at the moment of the draw.

    ``eligible`` holds ``{"ticket": int, "member": str}`` entries where ``member`` is a
    :func:`member_ref` pseudonym, never a name or phone number: the proof is public.

    ``beacon`` is the month's drand beacon object as docs/proofs.md describes it (the terms named
    when the month opened, plus the round's randomness and signatures, or the fallback and its
    reason), or ``None`` when no beacon was configured. The public value is derived from it; there
    is no foreman-typed value any more (proof version 2).
    """

    group_id: int
    group_name: str
    draw_id: int
    month: int
    kind: str
    commitment: str
    committed_at: datetime
    server_seed: bytes
    phrases: list[str]
    beacon: dict[str, Any] | None
    cutoff_at: datetime
    eligible: list[dict[str, Any]]
    frozen_at: datetime
    drawn_at: datetime
    revealed_at: datetime


def _require_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise DomainError(f"{name} must be a non-negative integer, got {value!r}", field=name)
    return value


_ENTRY_KEYS = frozenset({"ticket", "member"})


def _frozen_eligible(eligible: Any) -> list[dict[str, Any]]:
    """Copy the eligible entries into the canonical shape, sorted by ticket, refusing anything odd.

    Extra keys are refused rather than dropped: they would be a sign that a caller is about to
    publish something (a name, a phone number) that does not belong in a public proof.
    """
    if not isinstance(eligible, list) or not eligible:
        raise DomainError("there are no eligible tickets to draw from", field="eligible")
    entries: list[dict[str, Any]] = []
    for entry in eligible:
        # The common case in one expression; anything else gets the checks below and their message.
        if (
            type(entry) is dict
            and entry.keys() == _ENTRY_KEYS
            and type(ticket := entry["ticket"]) is int
            and 0 <= ticket < 2**63
            and type(member := entry["member"]) is str
            and member
        ):
            entries.append({"ticket": ticket, "member": member})
            continue
        if not isinstance(entry, dict) or set(entry) != _ENTRY_KEYS:
            raise DomainError(
                f"each eligible entry must be exactly {{'ticket': int, 'member': str}}, got {entry!r}",
                field="eligible",
            )
        ticket = _require_int(entry["ticket"], "ticket")
        member = entry["member"]
        if not isinstance(member, str) or not member:
            raise DomainError(f"ticket {ticket} has no member reference", field="eligible")
        entries.append({"ticket": ticket, "member": member})
    entries.sort(key=lambda item: item["ticket"])
    tickets = [item["ticket"] for item in entries]
    if len(set(tickets)) != len(tickets):
        raise DomainError("a ticket appears more than once in the eligible list", field="eligible")
    return entries


def _beacon_copy(beacon: Any) -> dict[str, Any] | None:
    """A copy of the beacon object with exactly the spec's keys (docs/proofs.md), or ``None``."""
    if beacon is None:
        return None
    if not isinstance(beacon, dict) or set(beacon) != set(BEACON_FIELDS):
        raise DomainError(
            f"the beacon must be an object with exactly the keys {', '.join(BEACON_FIELDS)}", field="beacon"
        )
    return {key: beacon[key] for key in BEACON_FIELDS}


def run_draw(inputs: DrawInputs, *, check_bls: bool = True) -> dict[str, Any]:
    """Perform the draw and return the full, publishable proof (format version 2).

    Raises ``ValueError`` (a :class:`DomainError`) when there is nothing to draw from, when the seed
    (with the beacon terms, when there is a beacon) does not match the commitment published at the
    start of the month (the stored seed was lost or swapped, or the beacon changed: drawing anyway
    would publish a proof that fails), or when the inputs are malformed. ``check_bls=False`` skips
    the slow BLS check of the beacon when the verifier runs on the new proof (py_ecc installed).
    """
    if inputs.kind not in KINDS:
        raise DomainError(f"kind must be one of {', '.join(KINDS)}, got {inputs.kind!r}", field="kind")
    group_id = _require_int(inputs.group_id, "group_id")
    month = _require_int(inputs.month, "month")
    draw_id = _require_int(inputs.draw_id, "draw_id")
    eligible = _frozen_eligible(inputs.eligible)
    if inputs.kind == "single-eligible" and len(eligible) != 1:
        raise DomainError(
            f"a 'single-eligible' award needs exactly one eligible ticket, got {len(eligible)}", field="kind"
        )
    if not isinstance(inputs.server_seed, bytes) or len(inputs.server_seed) != SEED_BYTES:
        raise InvariantError(f"the server seed must be {SEED_BYTES} bytes")
    beacon = _beacon_copy(inputs.beacon)
    terms = None if beacon is None else beacon_terms(beacon)
    if commitment_of(inputs.server_seed, terms) != inputs.commitment:
        bound = "" if terms is None else " (with the beacon terms)"
        raise InvariantError(
            f"the server seed does not match the published commitment{bound}; refusing to draw"
        )
    times = [inputs.committed_at, inputs.cutoff_at, inputs.frozen_at, inputs.drawn_at, inputs.revealed_at]
    committed_at, cutoff_at, frozen_at, drawn_at, revealed_at = (format_utc(t) for t in times)
    if not (times[0] < times[1] <= times[2] <= times[3] <= times[4]):
        raise DomainError(
            "draw times out of order: need committed_at < cutoff_at <= frozen_at <= drawn_at <= revealed_at"
        )
    if not isinstance(inputs.phrases, list | tuple):
        raise DomainError("phrases must be a list of strings", field="phrases")
    if not all(isinstance(p, str) for p in inputs.phrases):
        raise DomainError("phrases must be strings", field="phrases")
    phrases = sorted(inputs.phrases)  # hashed sorted anyway; storing them sorted keeps proofs deterministic

    frozen_hash = eligible_hash(eligible)
    public_value = beacon_public_value(beacon)
    client_seed = client_seed_of(phrases, public_value)
    if inputs.kind == "single-eligible":
        index, steps = 0, []  # nothing to choose between: no draw, and the proof says so
    else:
        index, steps = select_index(
            inputs.server_seed, group_id, month, frozen_hash, client_seed, len(eligible)
        )
    proof: dict[str, Any] = {
        "version": PROOF_VERSION,
        "algorithm": ALGORITHM,
        "group_id": group_id,
        "group_name": inputs.group_name,
        "month": month,
        "draw_id": draw_id,
        "kind": inputs.kind,
        "commitment": inputs.commitment,
        "committed_at": committed_at,
        "server_seed": inputs.server_seed.hex(),
        "revealed_at": revealed_at,
        "phrases": phrases,
        "public_value": public_value,
        "beacon": beacon,
        "cutoff_at": cutoff_at,
        "client_seed": client_seed,
        "eligible": eligible,
        "eligible_hash": frozen_hash,
        "frozen_at": frozen_at,
        "steps": steps,
        "winner_index": index,
        "winner": dict(eligible[index]),
        "drawn_at": drawn_at,
    }
    failed = [check for check in verify_proof(proof, check_bls=check_bls) if not check.ok]
    if failed:  # e.g. a non-string group name or a phrase that cannot be encoded
        raise DomainError(f"the draw inputs do not give a valid proof: {failed[0].name}: {failed[0].detail}")
    return proof


def validate_phrase(text: Any) -> str:
    """Clean a member's entropy phrase, or raise ``ValueError`` with a message to show them.

    Phrases end up in a public proof and are hashed byte for byte, so they must look exactly like
    what is hashed: no control characters, line breaks or direction overrides. NFC normalisation
    makes the same visible text (typed on different phones) the same bytes.
    """
    if not isinstance(text, str):
        raise DomainError("the phrase must be text", field="phrase")
    cleaned = unicodedata.normalize("NFC", text.strip())
    if not cleaned:
        raise DomainError("the phrase is empty; type a few words", field="phrase")
    if len(cleaned) > PHRASE_MAX_CHARS:
        raise DomainError(
            f"the phrase is {len(cleaned)} characters long; the limit is {PHRASE_MAX_CHARS}", field="phrase"
        )
    for char in cleaned:
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES or char in _BIDI_CONTROLS:
            raise DomainError(
                f"the phrase contains an invisible control character (U+{ord(char):04X}); "
                "use plain letters, digits, punctuation or emoji",
                field="phrase",
            )
    return cleaned


def member_ref(user_id: int, group_id: int, secret: bytes) -> str:
    """A stable, opaque pseudonym for a member within one group, for public proofs.

    HMAC with a server secret, so nobody can reverse it by trying user ids; keyed per group, so the
    same person cannot be followed across groups. 12 hex digits (48 bits) make a collision inside one
    group (at most a few hundred tickets) practically impossible.
    """
    if not isinstance(secret, bytes) or not secret:
        raise DomainError("member_ref needs a non-empty secret key")
    message = f"{group_id}:{user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:MEMBER_REF_HEX]
