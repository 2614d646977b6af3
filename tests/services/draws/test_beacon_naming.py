"""The public beacon's rules without a database: which drand round a new month names (the first at or
after the scheduled draw), what the draw does with it (waits when it is nearly due, falls back when it
is far off, unavailable or no relay is configured any more), and the line the draw page shows. A fake
clock (plain datetimes), an injected fetch and a recording pause: nothing sleeps, nothing is fetched
except through mocked relays."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import responses

from luckychit_app.gateways.drand import (
    MAINNET_CHAIN_HASH,
    MAINNET_PUBLIC_KEY,
    BeaconRound,
    BeaconUnavailable,
    DrandChain,
)
from luckychit_app.services.draws import beacon
from luckychit_app.services.draws.beacon import (
    TERM_KEYS,
    WAIT,
    name_beacon,
    resolve_beacon,
)
from luckychit_app.verify import beacon_public_value

ROUND = 3311596
DUE = datetime(2023, 9, 15, 11, 55, 0, tzinfo=UTC)  # 17:25:00 IST
RECORDED = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "drand" / "mainnet-round-3311596.json").read_text()
)
RELAY = "https://api.drand.sh"
CHAIN = DrandChain(MAINNET_CHAIN_HASH, MAINNET_PUBLIC_KEY, 1595431050, 30, (RELAY,))
USED = BeaconRound(ROUND, RECORDED["randomness"], RECORDED["signature"], RECORDED["previous_signature"])


class Pauses(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class Fetches(list):
    """A fake fetch: records (chain, round) and answers `result` (a round, or an exception raised)."""

    def __init__(self, result: BeaconRound | Exception) -> None:
        super().__init__()
        self.result = result

    def __call__(self, chain: DrandChain, round: int) -> BeaconRound:
        self.append((chain, round))
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def terms() -> dict:
    named = name_beacon(DUE - timedelta(seconds=12), CHAIN)
    assert named is not None
    return named


def test_a_new_month_names_the_first_round_at_or_after_the_scheduled_draw():
    assert name_beacon(DUE, CHAIN) == {
        "network": "drand",
        "chain_hash": MAINNET_CHAIN_HASH,
        "public_key": MAINNET_PUBLIC_KEY,
        "genesis": 1595431050,
        "period": 30,
        "round": ROUND,
        "fallback": "phrases-only",
    }
    assert tuple(name_beacon(DUE, CHAIN)) == TERM_KEYS
    assert name_beacon(DUE - timedelta(seconds=29), CHAIN)["round"] == ROUND
    assert name_beacon(DUE - timedelta(seconds=30), CHAIN)["round"] == ROUND - 1
    assert name_beacon(DUE + timedelta(milliseconds=1), CHAIN)["round"] == ROUND + 1


def test_no_beacon_is_named_when_no_relay_is_configured(monkeypatch):
    monkeypatch.delenv("LUCKYCHIT_BEACON_RELAYS", raising=False)
    assert name_beacon(DUE) is None
    monkeypatch.setenv("LUCKYCHIT_BEACON_RELAYS", RELAY)
    assert name_beacon(DUE)["round"] == ROUND


def test_the_round_is_used_when_it_is_already_due():
    fetch, pauses = Fetches(USED), Pauses()
    got = resolve_beacon(terms(), DUE + timedelta(minutes=2), fetch=fetch, pause=pauses, chain=CHAIN)
    assert got == {
        **terms(),
        "status": "used",
        "randomness": RECORDED["randomness"],
        "signature": RECORDED["signature"],
        "previous_signature": RECORDED["previous_signature"],
        "fallback_reason": "",
    }
    assert pauses == [] and fetch == [(CHAIN, ROUND)]
    assert beacon_public_value(got) == f"drand:{MAINNET_CHAIN_HASH}:{ROUND}:{RECORDED['randomness']}"


def test_the_draw_waits_for_a_round_due_within_the_wait():
    fetch, pauses = Fetches(USED), Pauses()
    got = resolve_beacon(terms(), DUE - timedelta(seconds=10), fetch=fetch, pause=pauses, chain=CHAIN)
    assert pauses == [11.0]  # until it is due, and a second for the relays to publish it
    assert got["status"] == "used" and len(fetch) == 1
    pauses.clear()
    resolve_beacon(terms(), DUE - timedelta(seconds=WAIT), fetch=fetch, pause=pauses, chain=CHAIN)
    assert pauses == [WAIT + 1.0]
    pauses.clear()
    resolve_beacon(terms(), DUE - timedelta(milliseconds=500), fetch=fetch, pause=pauses, chain=CHAIN)
    assert pauses == [1.5]


def test_a_round_far_in_the_future_is_a_fallback_without_waiting_or_fetching():
    fetch, pauses = Fetches(USED), Pauses()
    now = DUE - timedelta(seconds=WAIT, milliseconds=1)
    got = resolve_beacon(terms(), now, fetch=fetch, pause=pauses, chain=CHAIN)
    assert got == {
        **terms(),
        "status": "fallback",
        "randomness": None,
        "signature": None,
        "previous_signature": None,
        "fallback_reason": f"the draw was held before round {ROUND} was due (15-09-2023 17:25:00 IST)",
    }
    assert fetch == [] and pauses == []
    assert beacon_public_value(got) is None


def test_an_unavailable_round_is_a_fallback_with_the_reason():
    reason = f"drand round {ROUND} could not be fetched: {RELAY} has not published round {ROUND} yet"
    fetch = Fetches(BeaconUnavailable(reason))
    got = resolve_beacon(terms(), DUE + timedelta(seconds=5), fetch=fetch, pause=Pauses(), chain=CHAIN)
    assert got["status"] == "fallback" and got["fallback_reason"] == reason
    assert got["randomness"] is None and got["signature"] is None and got["previous_signature"] is None
    assert {key: got[key] for key in TERM_KEYS} == terms()


def test_no_relay_configured_any_more_is_a_fallback(monkeypatch):
    monkeypatch.delenv("LUCKYCHIT_BEACON_RELAYS", raising=False)
    fetch = Fetches(USED)
    got = resolve_beacon(terms(), DUE + timedelta(seconds=5), fetch=fetch, pause=Pauses())
    assert got["status"] == "fallback" and got["fallback_reason"] == "no beacon relay is configured"
    assert fetch == []


def test_no_terms_means_no_beacon():
    assert resolve_beacon(None, DUE, fetch=Fetches(USED), pause=Pauses(), chain=CHAIN) is None
    assert beacon_public_value(None) is None


def test_the_committed_chain_is_asked_through_the_relays_configured_now():
    """A later change of the configured chain cannot move a month's committed round."""
    now_configured = DrandChain("ab" * 32, "cd" * 48, 1692803367, 3, ("https://drand.cloudflare.com",))
    fetch = Fetches(USED)
    resolve_beacon(terms(), DUE + timedelta(seconds=5), fetch=fetch, pause=Pauses(), chain=now_configured)
    ((asked, number),) = fetch
    assert number == ROUND and asked.relays == ("https://drand.cloudflare.com",)
    assert (asked.chain_hash, asked.public_key, asked.genesis, asked.period) == (
        MAINNET_CHAIN_HASH,
        MAINNET_PUBLIC_KEY,
        1595431050,
        30,
    )


def test_resolving_through_mocked_relays_end_to_end():
    with responses.RequestsMock() as mocked:
        mocked.get(f"{RELAY}/{MAINNET_CHAIN_HASH}/public/{ROUND}", json=RECORDED)
        got = resolve_beacon(terms(), DUE + timedelta(seconds=3), pause=Pauses(), chain=CHAIN)
    assert got["status"] == "used" and got["randomness"] == RECORDED["randomness"]


def test_a_round_with_an_altered_signature_falls_back_through_mocked_relays():
    with responses.RequestsMock() as mocked:
        bad = {**RECORDED, "signature": "0" + RECORDED["signature"][1:]}
        mocked.get(f"{RELAY}/{MAINNET_CHAIN_HASH}/public/{ROUND}", json=bad)
        got = resolve_beacon(terms(), DUE + timedelta(seconds=3), pause=Pauses(), chain=CHAIN)
    assert got["status"] == "fallback" and "not sha256 of the signature" in got["fallback_reason"]


@pytest.mark.parametrize("seconds", [0, 1, 29, 30, 31, 59.5, 3600])
def test_the_named_round_is_never_due_before_the_scheduled_draw(seconds):
    scheduled = DUE + timedelta(seconds=seconds)
    named = name_beacon(scheduled, CHAIN)
    assert beacon.due_at(named) >= scheduled > beacon.due_at(named) - timedelta(seconds=30)
