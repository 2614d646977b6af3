"""Standalone verifier for LuckyChit fair-draw proofs (DESIGN.md section 4).

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
from typing import Any

PROOF_VERSION = 1
ALGORITHM = "HMAC-SHA256/rejection-sampling/v1"
KINDS = ("lucky", "auction-tie", "single-eligible")
SEED_BYTES = 32
#: The checks :func:`verify_proof` always returns, in this order (a UI can rely on the names).
CHECK_NAMES = ("version", "commitment", "eligible_list", "client_seed", "selection", "winner", "timestamps")
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
TIMESTAMP_FIELDS = ("committed_at", "cutoff_at", "frozen_at", "drawn_at", "revealed_at")

_SPACE = 2**64  # x is the first 8 bytes of the HMAC, so it is uniform on [0, 2**64)
_MAX_ID = 2**63  # ids, tickets, months and counters are database integers; bounding them also keeps
# Python from refusing to print giant integers (int max str digits) while we report on them.
_LOWER_HEX = re.compile(r"[0-9a-f]*")
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


def commitment_of(seed: bytes) -> str:
    """The public commitment to a server seed: publishing it binds the server before the draw."""
    return hashlib.sha256(seed).hexdigest()


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


def _hex(obj: dict[str, Any], key: str, n_bytes: int) -> str:
    """A lowercase hex string of exactly ``n_bytes`` bytes, as ``hexdigest()`` writes it.

    Strict on purpose: ``bytes.fromhex`` would also accept spaces and capitals, and then two
    different-looking proofs would verify as the same one.
    """
    value = _str(obj, key)
    if len(value) != 2 * n_bytes or not _LOWER_HEX.fullmatch(value):
        raise _Fail(f"'{key}' must be {2 * n_bytes} lowercase hex digits, got {_show(value)}")
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


def _time(proof: dict[str, Any], key: str) -> datetime:
    """Parse an ISO-8601 time that must carry a zero UTC offset ("Z" or "+00:00")."""
    value = _str(proof, key)
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


def _check_version(proof: dict[str, Any]) -> str:
    """The format this verifier understands, plus the labels that no hash covers (shape only)."""
    version = _field(proof, "version")
    if type(version) is not int or version != PROOF_VERSION:  # 1.0 and true are not 1 in a proof
        raise _Fail(
            f"unsupported proof version {_show(version)}; this verifier understands version {PROOF_VERSION}"
        )
    algorithm = _field(proof, "algorithm")
    if algorithm != ALGORITHM:
        raise _Fail(f"unsupported algorithm {_show(algorithm)}; expected {ALGORITHM!r}")
    unknown = sorted(str(k) for k in set(proof) - PROOF_FIELDS)
    if unknown:
        raise _Fail(f"unexpected field(s) {_show(unknown)} in a version {PROOF_VERSION} proof")
    _str(proof, "group_name")
    _int(proof, "draw_id")
    kind = _field(proof, "kind")
    if kind not in KINDS:
        raise _Fail(f"'kind' must be one of {', '.join(KINDS)}; got {_show(kind)}")
    return f"version {PROOF_VERSION}, {ALGORITHM}, kind {kind}"


def _check_commitment(proof: dict[str, Any]) -> str:
    commitment = _hex(proof, "commitment", 32)
    seed = _seed(proof)
    actual = commitment_of(seed)
    if not hmac.compare_digest(actual, commitment):
        raise _Fail(f"sha256(server_seed) is {actual}, but the published commitment is {commitment}")
    return "sha256(server_seed) equals the commitment published before the draw"


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


_CHECKS = (
    ("version", _check_version),
    ("commitment", _check_commitment),
    ("eligible_list", _check_eligible),
    ("client_seed", _check_client_seed),
    ("selection", _check_selection),
    ("winner", _check_winner),
    ("timestamps", _check_timestamps),
)


def verify_proof(proof: Any) -> list[Check]:
    """Recompute everything in a proof and return one :class:`Check` per property, in order.

    Never raises: a proof comes from a file anyone can edit, and the member deserves "this field is
    wrong" rather than a traceback. Every check runs even after a failure, so the report is complete.
    """
    if not isinstance(proof, dict):
        reason = f"the proof must be a JSON object, not {_json_type(proof)}"
        return [Check("version", False, reason)] + [
            Check(name, False, "not checked: the proof is not a JSON object") for name in CHECK_NAMES[1:]
        ]
    checks: list[Check] = []
    for name, check in _CHECKS:
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
        print(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    failed = next((check for check in checks if not check.ok), None)
    if failed is None:
        print("VALID")
        return 0
    print(f"INVALID: {failed.name}: {failed.detail}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
