"""The drand HTTP adapter against mocked relays (`responses`) serving the recorded mainnet round
3311596 in the documented shape: the request path, the checks on the answer (round, hex shapes,
randomness == sha256(signature)), "not yet published" (404/425) asked once, retries on timeouts and
5xx without real sleeping, the second relay, the round arithmetic and the environment settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from luckychit_app.gateways import drand
from luckychit_app.gateways.drand import (
    MAINNET_CHAIN_HASH,
    MAINNET_PUBLIC_KEY,
    BeaconRound,
    BeaconUnavailable,
    DrandChain,
    chain_from_env,
    fetch_round,
    first_round_at_or_after,
    round_time,
)

ROUND = 3311596
RECORDED = json.loads(
    (Path(__file__).parent / "fixtures" / "drand" / "mainnet-round-3311596.json").read_text()
)
RELAY = "https://api.drand.sh"
SECOND = "https://drand.cloudflare.com"
URL = f"{RELAY}/{MAINNET_CHAIN_HASH}/public/{ROUND}"
SECOND_URL = f"{SECOND}/{MAINNET_CHAIN_HASH}/public/{ROUND}"
CHAIN = DrandChain(MAINNET_CHAIN_HASH, MAINNET_PUBLIC_KEY, 1595431050, 30, (RELAY,))
TWO_RELAYS = DrandChain(MAINNET_CHAIN_HASH, MAINNET_PUBLIC_KEY, 1595431050, 30, (RELAY, SECOND))


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


class Pauses(list):
    """Records the waits asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def flipped(hex_text: str, at: int = 10) -> str:
    digit = "0" if hex_text[at] != "0" else "1"
    return hex_text[:at] + digit + hex_text[at + 1 :]


def test_the_recorded_round_is_fetched_from_the_documented_path(mocked):
    mocked.get(
        URL,
        json=RECORDED,
        match=[matchers.request_kwargs_matcher({"timeout": 2.0})],
    )
    got = fetch_round(CHAIN, ROUND, pause=Pauses())
    assert got == BeaconRound(
        ROUND, RECORDED["randomness"], RECORDED["signature"], RECORDED["previous_signature"]
    )
    assert mocked.calls[0].request.url == URL
    assert mocked.calls[0].request.method == "GET"


def test_a_relay_url_with_a_trailing_slash_makes_the_same_path(mocked):
    mocked.get(URL, json=RECORDED)
    chain = DrandChain(MAINNET_CHAIN_HASH, MAINNET_PUBLIC_KEY, 1595431050, 30, (RELAY + "/",))
    assert fetch_round(chain, ROUND, pause=Pauses()).round == ROUND


def test_a_flipped_signature_digit_is_refused_as_a_randomness_mismatch(mocked):
    mocked.get(URL, json={**RECORDED, "signature": flipped(RECORDED["signature"])})
    with pytest.raises(BeaconUnavailable, match="not sha256 of the signature"):
        fetch_round(CHAIN, ROUND, pause=Pauses())
    assert len(mocked.calls) == 1


def test_altered_randomness_is_refused_too(mocked):
    mocked.get(URL, json={**RECORDED, "randomness": flipped(RECORDED["randomness"])})
    with pytest.raises(BeaconUnavailable, match="not sha256 of the signature"):
        fetch_round(CHAIN, ROUND, pause=Pauses())


@pytest.mark.parametrize("status", [404, 425])
def test_a_round_not_yet_published_is_asked_for_once(mocked, status):
    mocked.get(URL, status=status, json={"error": "round not found"})
    pauses = Pauses()
    with pytest.raises(BeaconUnavailable, match=f"not published round {ROUND} yet") as caught:
        fetch_round(CHAIN, ROUND, pause=pauses)
    assert f"HTTP {status}" in caught.value.message
    assert len(mocked.calls) == 1 and pauses == []


def test_timeouts_on_every_attempt_give_up_after_the_attempts_without_sleeping(mocked):
    mocked.get(URL, body=requests.exceptions.ConnectTimeout())
    pauses = Pauses()
    with pytest.raises(BeaconUnavailable, match="did not answer") as caught:
        fetch_round(CHAIN, ROUND, attempts=3, pause=pauses)
    assert "ConnectTimeout" in caught.value.message and "after 3 tries" in caught.value.message
    assert len(mocked.calls) == 3
    assert pauses == [drand.BACKOFF, drand.BACKOFF * 2]


def test_connection_errors_are_retried_like_timeouts(mocked):
    mocked.get(URL, body=requests.exceptions.ConnectionError("refused"))
    pauses = Pauses()
    with pytest.raises(BeaconUnavailable, match="did not answer"):
        fetch_round(CHAIN, ROUND, attempts=2, pause=pauses)
    assert len(mocked.calls) == 2 and len(pauses) == 1


def test_a_500_then_the_round_succeeds_on_the_retry(mocked):
    mocked.get(URL, status=500, body="internal error")
    mocked.get(URL, json=RECORDED)
    pauses = Pauses()
    assert fetch_round(CHAIN, ROUND, pause=pauses).randomness == RECORDED["randomness"]
    assert len(mocked.calls) == 2 and pauses == [drand.BACKOFF]


def test_the_second_relay_is_used_when_the_first_fails(mocked):
    mocked.get(URL, status=503, body="<html>Service Unavailable</html>")
    mocked.get(SECOND_URL, json=RECORDED)
    got = fetch_round(TWO_RELAYS, ROUND, attempts=2, pause=Pauses())
    assert got.signature == RECORDED["signature"]
    assert [call.request.url for call in mocked.calls] == [URL, URL, SECOND_URL]


def test_the_second_relay_is_asked_when_the_first_has_not_the_round_yet(mocked):
    mocked.get(URL, status=404, json={"error": "not found"})
    mocked.get(SECOND_URL, json=RECORDED)
    assert fetch_round(TWO_RELAYS, ROUND, pause=Pauses()).round == ROUND
    assert len(mocked.calls) == 2


def test_when_every_relay_fails_the_message_names_each(mocked):
    mocked.get(URL, status=404, json={"error": "not found"})
    mocked.get(SECOND_URL, json={**RECORDED, "round": ROUND + 1})
    with pytest.raises(BeaconUnavailable) as caught:
        fetch_round(TWO_RELAYS, ROUND, pause=Pauses())
    message = caught.value.message
    assert message.startswith(f"drand round {ROUND} could not be fetched")
    assert RELAY in message and SECOND in message and str(caught.value) == message


def test_a_wrong_round_number_is_refused(mocked):
    mocked.get(URL, json={**RECORDED, "round": ROUND - 1})
    with pytest.raises(BeaconUnavailable, match=f"answered round {ROUND - 1} when round {ROUND}"):
        fetch_round(CHAIN, ROUND, pause=Pauses())


def test_malformed_json_is_refused(mocked):
    mocked.get(URL, body="{not json", content_type="application/json")
    with pytest.raises(BeaconUnavailable, match="without valid JSON"):
        fetch_round(CHAIN, ROUND, pause=Pauses())
    assert len(mocked.calls) == 1


def test_json_that_is_not_an_object_is_refused(mocked):
    mocked.get(URL, json=[RECORDED])
    with pytest.raises(BeaconUnavailable, match="not a JSON object"):
        fetch_round(CHAIN, ROUND, pause=Pauses())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("randomness", RECORDED["randomness"].upper(), "randomness is not 64 lowercase"),
        ("randomness", RECORDED["randomness"][:-2], "randomness is not 64 lowercase"),
        ("signature", RECORDED["signature"][:96], "the signature is not 192 lowercase"),
        ("signature", None, "the signature is not 192 lowercase"),
        ("previous_signature", "zz" * 96, "the previous_signature is not 192 lowercase"),
    ],
)
def test_fields_of_the_wrong_shape_are_refused(mocked, field, value, message):
    mocked.get(URL, json={**RECORDED, field: value})
    with pytest.raises(BeaconUnavailable, match=message):
        fetch_round(CHAIN, ROUND, pause=Pauses())


def test_another_client_error_is_not_retried(mocked):
    mocked.get(URL, status=400, json={"error": "bad chain hash"})
    with pytest.raises(BeaconUnavailable, match="refused the request"):
        fetch_round(CHAIN, ROUND, pause=Pauses())
    assert len(mocked.calls) == 1


def test_round_arithmetic():
    genesis = datetime.fromtimestamp(1595431050, UTC)
    assert round_time(CHAIN, 1) == genesis
    assert round_time(CHAIN, 2) == genesis + timedelta(seconds=30)
    # genesis + (3311596 - 1) * 30 = 1694778900 (17:25:00 IST)
    assert round_time(CHAIN, ROUND) == datetime(2023, 9, 15, 11, 55, 0, tzinfo=UTC)
    assert round_time(CHAIN, ROUND).tzinfo is not None
    with pytest.raises(ValueError, match="start at 1"):
        round_time(CHAIN, 0)


def test_first_round_at_or_after():
    genesis = datetime.fromtimestamp(1595431050, UTC)
    due = datetime(2023, 9, 15, 11, 55, 0, tzinfo=UTC)
    assert first_round_at_or_after(CHAIN, genesis) == 1
    assert first_round_at_or_after(CHAIN, genesis - timedelta(days=3)) == 1
    assert first_round_at_or_after(CHAIN, genesis + timedelta(microseconds=1)) == 2
    assert first_round_at_or_after(CHAIN, genesis + timedelta(seconds=30)) == 2
    assert first_round_at_or_after(CHAIN, due) == ROUND
    assert first_round_at_or_after(CHAIN, due - timedelta(seconds=29, microseconds=999_999)) == ROUND
    assert first_round_at_or_after(CHAIN, due - timedelta(seconds=30)) == ROUND - 1
    assert first_round_at_or_after(CHAIN, due + timedelta(microseconds=1)) == ROUND + 1
    assert first_round_at_or_after(CHAIN, due.replace(tzinfo=None)) == ROUND  # naive = UTC
    for moment in (due - timedelta(seconds=s) for s in range(0, 95, 7)):
        named = first_round_at_or_after(CHAIN, moment)
        assert round_time(CHAIN, named) >= moment > round_time(CHAIN, named) - timedelta(seconds=30)


def test_not_configured_without_relays():
    assert chain_from_env({}) is None
    assert chain_from_env({"LUCKYCHIT_BEACON_RELAYS": " , "}) is None
    assert chain_from_env({"LUCKYCHIT_BEACON_CHAIN_HASH": "zz"}) is None  # overrides alone do nothing


def test_relays_alone_give_the_mainnet_default_chain():
    chain = chain_from_env({"LUCKYCHIT_BEACON_RELAYS": f"{RELAY}/, {SECOND}"})
    assert chain == DrandChain(MAINNET_CHAIN_HASH, MAINNET_PUBLIC_KEY, 1595431050, 30, (RELAY, SECOND))


def test_overrides_are_read():
    other_hash = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
    chain = chain_from_env(
        {
            "LUCKYCHIT_BEACON_RELAYS": RELAY,
            "LUCKYCHIT_BEACON_CHAIN_HASH": other_hash.upper(),
            "LUCKYCHIT_BEACON_PUBLIC_KEY": "ab" * 48,
            "LUCKYCHIT_BEACON_GENESIS": "1692803367",
            "LUCKYCHIT_BEACON_PERIOD": "3",
        }
    )
    assert chain == DrandChain(other_hash, "ab" * 48, 1692803367, 3, (RELAY,))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LUCKYCHIT_BEACON_CHAIN_HASH", "8990e7a9", "LUCKYCHIT_BEACON_CHAIN_HASH must be 64 hexadecimal"),
        ("LUCKYCHIT_BEACON_CHAIN_HASH", "g" * 64, "LUCKYCHIT_BEACON_CHAIN_HASH must be 64 hexadecimal"),
        ("LUCKYCHIT_BEACON_PUBLIC_KEY", "ab" * 47, "LUCKYCHIT_BEACON_PUBLIC_KEY must be 96 hexadecimal"),
        ("LUCKYCHIT_BEACON_GENESIS", "-5", "LUCKYCHIT_BEACON_GENESIS must be a positive whole number"),
        ("LUCKYCHIT_BEACON_PERIOD", "0", "LUCKYCHIT_BEACON_PERIOD must be a positive whole number"),
        ("LUCKYCHIT_BEACON_PERIOD", "thirty", "LUCKYCHIT_BEACON_PERIOD must be a positive whole number"),
        ("LUCKYCHIT_BEACON_RELAYS", "api.drand.sh", "is not an http\\(s\\) address"),
    ],
)
def test_bad_overrides_are_refused_with_a_clear_error(name, value, message):
    env = {"LUCKYCHIT_BEACON_RELAYS": RELAY, name: value}
    with pytest.raises(ValueError, match=message):
        chain_from_env(env)


def test_the_process_environment_is_read_by_default(monkeypatch):
    monkeypatch.delenv("LUCKYCHIT_BEACON_RELAYS", raising=False)
    assert chain_from_env() is None
    monkeypatch.setenv("LUCKYCHIT_BEACON_RELAYS", SECOND)
    assert chain_from_env() == DrandChain(MAINNET_CHAIN_HASH, MAINNET_PUBLIC_KEY, 1595431050, 30, (SECOND,))
