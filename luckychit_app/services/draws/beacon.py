"""The public beacon of a lucky draw: which drand round is named when a month opens, and what became
of it at the draw (docs/proofs.md, "Version 2 / Lot proofs", the `beacon` object).

Why two steps: the round is named, and bound into the commitment, while it is still in the future,
so neither the foreman nor a member can know its randomness when the commitment is shown; at the draw
the round is fetched, or, when it cannot be had, the draw says so and falls back to the members'
phrases only ("phrases-only", also bound into the commitment so it cannot be chosen afterwards).

No database here: pure functions over the chain, the times and an injected fetch and pause, so the
rules are tested with a fake clock and mocked relays.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from luckychit_app.clock import format_datetime_ist
from luckychit_app.gateways.drand import (
    BeaconRound,
    BeaconUnavailable,
    DrandChain,
    chain_from_env,
    fetch_round,
    first_round_at_or_after,
    round_time,
)
from luckychit_app.verify import BEACON_TERM_KEYS

WAIT = 15
"""Seconds the draw will wait for a named round that is nearly due; a round further off means the
draw was held early, and it falls back rather than keep the members waiting."""
SETTLE = 1
"""Seconds after a round's time before it is asked for: relays publish it a moment after it is due."""
FALLBACK = "phrases-only"
TERM_KEYS = BEACON_TERM_KEYS
"""The keys bound into the commitment (``canonical_json`` of exactly these, docs/proofs.md)."""

Fetch = Callable[[DrandChain, int], BeaconRound]


def name_beacon(scheduled: datetime, chain: DrandChain | None = None) -> dict[str, Any] | None:
    """The beacon terms to bind into a new month's commitment: the first round at or after the
    scheduled draw time, so it is produced no earlier than the draw. None when no beacon is configured
    (no `chain` given and `LUCKYCHIT_BEACON_RELAYS` unset): the month's proof then has `beacon: null`."""
    chain = chain if chain is not None else chain_from_env()
    if chain is None:
        return None
    return {
        "network": "drand",
        "chain_hash": chain.chain_hash,
        "public_key": chain.public_key,
        "genesis": chain.genesis,
        "period": chain.period,
        "round": first_round_at_or_after(chain, scheduled),
        "fallback": FALLBACK,
    }


def _terms_chain(terms: dict[str, Any], relays: tuple[str, ...]) -> DrandChain:
    """The committed chain (never the one configured now, which may have changed) asked through the
    relays configured now (relays serve every chain by its hash)."""
    return DrandChain(
        chain_hash=terms["chain_hash"],
        public_key=terms["public_key"],
        genesis=int(terms["genesis"]),
        period=int(terms["period"]),
        relays=relays,
    )


def _outcome(terms: dict[str, Any], found: BeaconRound | None, reason: str) -> dict[str, Any]:
    """The spec's full `beacon` object: the committed terms, then what happened."""
    beacon = {key: terms[key] for key in TERM_KEYS}
    beacon.update(
        status="used" if found else "fallback",
        randomness=found.randomness if found else None,
        signature=found.signature if found else None,
        previous_signature=found.previous_signature if found else None,
        fallback_reason="" if found else reason,
    )
    return beacon


def due_at(terms: dict[str, Any]) -> datetime:
    """When the named round is produced (aware UTC): ``genesis + (round - 1) * period``."""
    return round_time(_terms_chain(terms, ()), int(terms["round"]))


def resolve_beacon(
    terms: dict[str, Any] | None,
    now: datetime,
    *,
    fetch: Fetch = fetch_round,
    pause: Callable[[float], None] = time.sleep,
    chain: DrandChain | None = None,
) -> dict[str, Any] | None:
    """At the draw: the beacon object for the proof, or None when the month named no beacon.

    A round due more than `WAIT` seconds after `now` is not waited for (the draw was held early):
    fallback, saying when it was due. A round due within `WAIT` is waited for (until it is due plus
    `SETTLE`) and then fetched; one already due is fetched at once. A round that cannot be fetched,
    or no relay configured any more (`chain` None and `LUCKYCHIT_BEACON_RELAYS` unset), is a
    fallback with the reason in plain words. The committed terms are kept as they were; only the
    relays come from today's configuration."""
    if terms is None:
        return None
    configured = chain if chain is not None else chain_from_env()
    if configured is None or not configured.relays:
        return _outcome(terms, None, "no beacon relay is configured")
    number = int(terms["round"])
    due = due_at(terms)
    ahead = (due - now).total_seconds()
    if ahead > WAIT:
        when = format_datetime_ist(due, seconds=True)
        return _outcome(terms, None, f"the draw was held before round {number} was due ({when})")
    wait = ahead + SETTLE
    if wait > 0:
        pause(wait)
    try:
        found = fetch(_terms_chain(terms, configured.relays), number)
    except BeaconUnavailable as exc:
        return _outcome(terms, None, exc.message)
    return _outcome(terms, found, "")
