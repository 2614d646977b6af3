"""Auction proofs (docs/proofs.md, version 2, kind "auction"): built by domain/auction_proof.py from
the domain's own settlement, checked by the standalone verifier. Every field changed on its own must
fail the check that owns it; the verifier's settlement must equal the domain's to the paisa."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from luckychit_app.domain import gst
from luckychit_app.domain.auction_proof import (
    auction_terms,
    build_auction_proof,
    chain_bids,
    settlement_record,
)
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.fairness import DrawInputs, member_ref, run_draw
from luckychit_app.domain.settlement import (
    next_minimum_bid,
    settle_auction,
    split_remainder,
    with_gst,
)
from luckychit_app.domain.terms import GroupTerms, term_errors
from luckychit_app.verify import (
    AUCTION_CHECK_NAMES,
    AUCTION_FIELDS,
    auction_settlement,
    bid_chain_genesis,
    bid_hash,
    commitment_of,
    eligible_hash,
    format_rupees,
    main,
    verify_proof,
)

SECRET = b"auction-proof-test-secret"
SEED = bytes(range(100, 132))
GROUP, MONTH, DRAW = 7, 3, 41
OPEN = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
CLOSES = OPEN + timedelta(hours=1)
CLOSED = CLOSES + timedelta(seconds=2)
TERMS = GroupTerms(chit_value=10_000_000, tickets=20, kind="auction", min_bid_step=10_000)
"""₹1,00,000 in 20 tickets: commission 5 % = ₹5,000, maximum discount 30 % = ₹30,000, step ₹100."""


def ref(ticket: int) -> str:
    return member_ref(100 + ticket, GROUP, SECRET)


def at(minutes: int, millis: int = 0) -> datetime:
    return OPEN + timedelta(minutes=minutes, milliseconds=millis)


SINGLE_BIDS = [
    (4, 600_000, at(3, 120)),
    (9, 1_200_000, at(10)),
    (4, 1_850_000, at(44, 52_120)),
    (11, 1_900_000, at(50)),
]
"""Ticket 4's ₹18,500 is the best bid that counts: ticket 11 (₹19,000) was suspended before the close."""
SINGLE_SET_ASIDE = [{"ticket": 11, "reason": "suspended before the close"}]
TIE_BIDS = [
    (4, 2_500_000, at(5)),
    (7, 3_000_000, at(20)),
    (9, 3_000_000, at(31, 5)),
    (4, 3_000_000, at(59, 59_999)),
]
"""Tickets 4, 7 and 9 all offer the maximum discount (₹30,000): the lot decides among them."""


def lot_for(tickets: list[int], **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "group_id": GROUP,
        "group_name": "Diwali 2026",
        "draw_id": DRAW,
        "month": MONTH,
        "kind": "single-eligible" if len(tickets) == 1 else "auction-tie",
        "commitment": commitment_of(SEED),
        "committed_at": OPEN - timedelta(days=1),
        "server_seed": SEED,
        "phrases": ["Diwali lights", "ಶುಭವಾಗಲಿ"],
        "beacon": None,
        "cutoff_at": CLOSED + timedelta(minutes=1),
        "eligible": [{"ticket": t, "member": ref(t)} for t in tickets],
        "frozen_at": CLOSED + timedelta(minutes=1),
        "drawn_at": CLOSED + timedelta(minutes=1, seconds=1),
        "revealed_at": CLOSED + timedelta(minutes=1, seconds=2),
    }
    values.update(overrides)
    return run_draw(DrawInputs(**values))


def make_proof(
    bids: list[tuple[int, int, datetime]],
    set_aside: list[dict[str, Any]] | None = None,
    terms: GroupTerms = TERMS,
    *,
    month: int = MONTH,
    gst_rate_bp: int = 1800,
    gst_intra_state: bool = True,
    gst_recovery: str = "prize",
) -> dict[str, Any]:
    """Everything as the service will do it: domain settlement, GST, remainder split, lot, proof."""
    set_aside = set_aside or []
    excluded = {entry["ticket"] for entry in set_aside}
    best = max(d for t, d, _ in bids if t not in excluded)
    tied = sorted({t for t, d, _ in bids if d == best and t not in excluded})
    lot = lot_for(tied, month=month)
    settled = settle_auction(terms, month, best)
    tax = gst.charge(settled.commission, gst_rate_bp, intra_state=gst_intra_state).total
    if gst_recovery == "prize":
        settled = with_gst(settled, tax)
    record = settlement_record(
        settled, gst_total=tax, remainder_to_foreman=split_remainder(settled, terms.remainder_to).to_foreman
    )
    chained, head = chain_bids(GROUP, month, DRAW, [(t, ref(t), d, moment) for t, d, moment in bids])
    assert head == (chained[-1]["hash"] if chained else bid_chain_genesis(GROUP, month, DRAW))
    return build_auction_proof(
        lot=lot,
        group_id=GROUP,
        group_name="Diwali 2026",
        month=month,
        draw_id=DRAW,
        terms=auction_terms(
            terms, gst_rate_bp=gst_rate_bp, gst_intra_state=gst_intra_state, gst_recovery=gst_recovery
        ),
        opened_at=OPEN,
        closes_at=CLOSES,
        closed_at=CLOSED,
        bids=chained,
        set_aside=set_aside,
        settlement=record,
        winner=lot["winner"],
    )


SINGLE = make_proof(SINGLE_BIDS, SINGLE_SET_ASIDE)
TIE = make_proof(TIE_BIDS)


def first_failure(proof: Any) -> Any:
    return next((check for check in verify_proof(proof) if not check.ok), None)


def failed(proof: Any) -> str | None:
    failure = first_failure(proof)
    return None if failure is None else failure.name


def rechain(proof: dict[str, Any], renumber: bool = False) -> dict[str, Any]:
    """What a forger with the proof in hand can do: recompute every bid hash and the head. Only the
    head printed in the minutes and shown live in the auction room then tells the forgery apart."""
    forged = copy.deepcopy(proof)
    previous = bid_chain_genesis(forged["group_id"], forged["month"], forged["draw_id"])
    for seq, bid in enumerate(forged["bids"], start=1):
        if renumber:
            bid["seq"] = seq
        bid["prev_hash"] = previous
        bid["hash"] = previous = bid_hash(
            previous, bid["seq"], bid["ticket"], bid["member"], bid["discount"], bid["at"]
        )
    forged["chain_head"] = previous
    return forged


def edit(proof: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(proof)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


# ------------------------------------------------------------------------------------------------
# Valid proofs
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("proof", [SINGLE, TIE], ids=["single", "tie"])
def test_a_genuine_auction_proof_passes_every_check(proof: dict[str, Any]) -> None:
    checks = verify_proof(proof)
    assert [c.name for c in checks] == list(AUCTION_CHECK_NAMES)
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]
    assert set(proof) == AUCTION_FIELDS
    assert json.loads(json.dumps(proof)) == proof


def test_the_single_best_bid_reads_as_a_sentence() -> None:
    details = {c.name: c.detail for c in verify_proof(SINGLE)}
    assert details["best_bid"].startswith(
        "ticket 4 bid the highest discount, ₹18,500.00 at 05:44:52.120 UTC; no other ticket matched it"
    )
    assert "ticket 11: suspended before the close" in details["best_bid"]
    assert SINGLE["lot"]["kind"] == "single-eligible" and SINGLE["winner"]["ticket"] == 4
    assert "4 bids in one unbroken chain" in details["bid_chain"]
    assert "₹13,500.00 to share: ₹675.00 for each of 20 tickets" in details["settlement"]
    assert (
        "GST of ₹900.00 (18 %, CGST + SGST) on the commission is taken from the prize"
        in details["settlement"]
    )
    assert "the winner gets ₹80,600.00" in details["settlement"]
    assert "one ticket, so no draw was needed" in details["lot"]


def test_the_tie_names_the_tied_tickets_and_the_lot() -> None:
    details = {c.name: c.detail for c in verify_proof(TIE)}
    winner = TIE["lot"]["winner"]["ticket"]
    assert details["best_bid"] == (
        "tickets 4, 7 and 9 bid the highest discount, ₹30,000.00 (the first at 05:20:00.000 UTC); "
        f"the lot among them chose ticket {winner}"
    )
    assert TIE["lot"]["kind"] == "auction-tie"
    assert [e["ticket"] for e in TIE["lot"]["eligible"]] == [4, 7, 9]
    assert "3 tied tickets" in details["lot"]


def test_the_bid_chain_follows_the_spec() -> None:
    import hashlib

    genesis = hashlib.sha256(f"luckychit-bids:{GROUP}:{MONTH}:{DRAW}".encode()).hexdigest()
    previous = genesis
    for seq, bid in enumerate(SINGLE["bids"], start=1):
        record = {k: bid[k] for k in ("prev_hash", "seq", "ticket", "member", "discount", "at")}
        text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert bid["seq"] == seq and bid["prev_hash"] == previous
        assert bid["hash"] == hashlib.sha256(text).hexdigest()
        previous = bid["hash"]
    assert SINGLE["chain_head"] == previous
    assert SINGLE["bids"][2]["at"] == "2026-12-06T05:44:52.120Z"
    assert chain_bids(GROUP, MONTH, DRAW, []) == ([], genesis)


def test_format_rupees_groups_the_indian_way() -> None:
    assert format_rupees(1_850_000) == "₹18,500.00"
    assert format_rupees(10_000_000) == "₹1,00,000.00"
    assert format_rupees(123_456_789_01) == "₹12,34,56,789.01"
    assert format_rupees(5) == "₹0.05"


# ------------------------------------------------------------------------------------------------
# One change at a time, each caught by the check that owns it
# ------------------------------------------------------------------------------------------------


def _swap(proof: dict[str, Any], i: int, j: int) -> dict[str, Any]:
    swapped = copy.deepcopy(proof)
    swapped["bids"][i], swapped["bids"][j] = swapped["bids"][j], swapped["bids"][i]
    return swapped


def _without_bid(proof: dict[str, Any], index: int) -> dict[str, Any]:
    removed = copy.deepcopy(proof)
    del removed["bids"][index]
    return removed


TAMPERS: dict[str, tuple[Any, str]] = {
    "a bid amount": (lambda: edit(SINGLE, ("bids", 1, "discount"), 1_300_000), "bid_chain"),
    "a bid amount, rechained, below the step": (
        lambda: rechain(edit(SINGLE, ("bids", 2, "discount"), 1_205_000)),
        "bid_rules",
    ),
    "a bid amount, rechained, below the commission": (
        lambda: rechain(edit(SINGLE, ("bids", 0, "discount"), 400_000)),
        "bid_rules",
    ),
    "the best bid, rechained, still legal": (
        lambda: rechain(edit(SINGLE, ("bids", 2, "discount"), 1_860_000)),
        "settlement",
    ),
    "a bid time after closing": (
        lambda: edit(SINGLE, ("bids", 3, "at"), "2026-12-06T06:00:00.000Z"),
        "bid_chain",
    ),
    "a bid time after closing, rechained": (
        lambda: rechain(edit(SINGLE, ("bids", 3, "at"), "2026-12-06T06:00:00.000Z")),
        "closing",
    ),
    "a bid time before opening, rechained": (
        lambda: rechain(edit(SINGLE, ("bids", 0, "at"), "2026-12-06T04:59:59.999Z")),
        "closing",
    ),
    "a bid time going backwards, rechained": (
        lambda: rechain(edit(SINGLE, ("bids", 2, "at"), "2026-12-06T05:09:00.000Z")),
        "bid_rules",
    ),
    "a removed bid": (lambda: _without_bid(SINGLE, 1), "bid_chain"),
    "the last bid removed": (lambda: _without_bid(SINGLE, 3), "bid_chain"),
    "two bids' order swapped": (lambda: _swap(SINGLE, 1, 2), "bid_chain"),
    "two bids' order swapped, rechained": (lambda: rechain(_swap(SINGLE, 1, 2), renumber=True), "bid_rules"),
    "the chain head": (lambda: edit(SINGLE, ("chain_head",), "0" * 64), "bid_chain"),
    "the commission in the settlement": (
        lambda: edit(SINGLE, ("settlement", "commission"), 400_000),
        "settlement",
    ),
    "the commission in the terms": (lambda: edit(SINGLE, ("terms", "commission"), 700_000), "bid_rules"),
    "the commission in the terms, lowered": (
        lambda: edit(SINGLE, ("terms", "commission"), 400_000),
        "settlement",
    ),
    "the dividend per ticket": (
        lambda: edit(SINGLE, ("settlement", "dividend_per_ticket"), 67_600),
        "settlement",
    ),
    "the prize": (lambda: edit(SINGLE, ("settlement", "prize"), 8_150_000), "settlement"),
    "the GST": (lambda: edit(SINGLE, ("settlement", "gst"), 0), "settlement"),
    "who bears the GST": (lambda: edit(SINGLE, ("terms", "gst_recovery"), "foreman"), "settlement"),
    "the remainder's owner": (lambda: edit(SINGLE, ("settlement", "remainder_to_foreman"), 1), "settlement"),
    "the winner": (
        lambda: edit(
            TIE,
            ("winner",),
            TIE["lot"]["eligible"][0] if TIE["winner"]["ticket"] != 4 else TIE["lot"]["eligible"][1],
        ),
        "best_bid",
    ),
    "the single winner": (lambda: edit(SINGLE, ("winner",), {"ticket": 9, "member": ref(9)}), "best_bid"),
    "the lot's eligible list": (
        lambda: edit(TIE, ("lot", "eligible"), TIE["lot"]["eligible"][:2]),
        "best_bid",
    ),
    "a set-aside ticket restored": (lambda: edit(SINGLE, ("set_aside",), []), "best_bid"),
    "the lot's kind": (lambda: edit(TIE, ("lot", "kind"), "lucky"), "best_bid"),
    "the lot's seed": (lambda: edit(TIE, ("lot", "server_seed"), "ff" * 32), "lot"),
    "the lot's month": (lambda: edit(TIE, ("lot", "month"), MONTH + 1), "lot"),
    "the close after the lot's cutoff": (
        lambda: edit(SINGLE, ("closed_at",), "2026-12-06T06:05:00.000000Z"),
        "closing",
    ),
    "the version": (lambda: edit(SINGLE, ("version",), 1), "version"),
    "an extra field": (lambda: {**SINGLE, "names": ["Ravi"]}, "version"),
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_one_change_fails_the_right_check(name: str) -> None:
    make, expected = TAMPERS[name]
    checks = verify_proof(make())
    failure = next((c for c in checks if not c.ok), None)
    assert failure is not None, f"changing {name} went unnoticed"
    assert failure.name == expected, failure
    assert not any("internal error" in c.detail for c in checks)


def test_failures_read_as_plain_sentences() -> None:
    assert first_failure(TAMPERS["a bid amount, rechained, below the step"][0]()).detail == (
        "bid 3 (ticket 4) offers ₹12,050.00, but it had to beat the best bid so far, ₹12,000.00, "
        "by at least ₹100.00"
    )
    assert first_failure(TAMPERS["the dividend per ticket"][0]()).detail == (
        "the settlement's dividend per ticket is ₹676.00, but from the terms and the best bid of ₹18,500.00 "
        "it is ₹675.00"
    )
    detail = first_failure(TAMPERS["a bid time after closing, rechained"][0]()).detail
    assert detail == (
        "bid 4 (ticket 11) was placed at 2026-12-06 06:00:00 UTC, after bidding closed "
        "(2026-12-06 06:00:00 UTC)"
    )
    assert "lot proof's commitment check failed" in first_failure(TAMPERS["the lot's seed"][0]()).detail


def test_a_forger_who_rechains_after_removing_a_bid_changes_the_head() -> None:
    """The verifier alone cannot see a legal bid removed and the chain rebuilt; the head printed in
    the minutes and shown in the auction room can."""
    forged = rechain(_without_bid(SINGLE, 1), renumber=True)
    assert all(c.ok for c in verify_proof(forged))
    assert forged["chain_head"] != SINGLE["chain_head"]


def test_the_maximum_may_be_tied_but_not_exceeded() -> None:
    too_high = rechain(edit(TIE, ("bids", 1, "discount"), 3_000_100))
    failure = first_failure(too_high)
    assert failure.name == "bid_rules" and "above this group's maximum of ₹30,000.00" in failure.detail


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("terms",), None),
        (("terms", "tickets"), 0),
        (("terms", "installment"), 1),
        (("terms", "commission"), 800_000),
        (("bids",), {}),
        (("bids", 0), "bid"),
        (("bids", 0, "at"), "2026-12-06T05:03:00.12Z"),
        (("bids", 0, "at"), "2026-12-06T05:03:00.120+00:00"),
        (("bids", 0, "member"), ""),
        (("set_aside",), [{"ticket": 11}]),
        (("settlement",), []),
        (("settlement", "gst"), "900"),
        (("lot",), None),
        (("winner",), [4]),
        (("chain_head",), None),
        (("bidding_closes_at",), "2026-12-06T04:00:00Z"),
    ],
)
def test_malformed_auction_fields_fail_without_internal_errors(path: tuple[Any, ...], value: Any) -> None:
    checks = verify_proof(edit(SINGLE, path, value))
    assert [c.name for c in checks] == list(AUCTION_CHECK_NAMES)
    assert not all(c.ok for c in checks)
    assert not any("internal error" in c.detail for c in checks), [c.detail for c in checks]


@pytest.mark.parametrize("field", sorted(AUCTION_FIELDS))
def test_a_missing_field_fails(field: str) -> None:
    checks = verify_proof({k: v for k, v in SINGLE.items() if k != field})
    assert not all(c.ok for c in checks)
    assert not any("internal error" in c.detail for c in checks)


# ------------------------------------------------------------------------------------------------
# The builder refuses what would not verify
# ------------------------------------------------------------------------------------------------


def test_build_auction_proof_refuses_a_wrong_settlement() -> None:
    lot = SINGLE["lot"]
    kwargs: dict[str, Any] = {
        "lot": lot,
        "group_id": GROUP,
        "group_name": "Diwali 2026",
        "month": MONTH,
        "draw_id": DRAW,
        "terms": SINGLE["terms"],
        "opened_at": OPEN,
        "closes_at": CLOSES,
        "closed_at": CLOSED,
        "bids": SINGLE["bids"],
        "set_aside": SINGLE_SET_ASIDE,
        "settlement": {**SINGLE["settlement"], "prize": 1},
        "winner": lot["winner"],
    }
    with pytest.raises(DomainError, match="settlement: the settlement's prize"):
        build_auction_proof(**kwargs)
    with pytest.raises(DomainError, match="best_bid"):
        build_auction_proof(**{**kwargs, "settlement": SINGLE["settlement"], "set_aside": []})


def test_settlement_record_takes_the_remainder_share_from_split_remainder() -> None:
    settled = settle_auction(dataclasses.replace(TERMS, remainder_to="foreman"), MONTH, 1_850_013)
    assert settled.remainder == 13
    share = split_remainder(settled, "foreman").to_foreman
    record = settlement_record(settled, gst_total=0, remainder_to_foreman=share)
    assert record["remainder_to_foreman"] == share == 13
    with pytest.raises(DomainError, match="split_remainder"):
        settlement_record(settled, gst_total=0, remainder_to_foreman=5)


def test_auction_terms_refuse_a_lucky_group_and_odd_gst() -> None:
    with pytest.raises(DomainError):
        auction_terms(
            dataclasses.replace(TERMS, kind="lucky"),
            gst_rate_bp=1800,
            gst_intra_state=True,
            gst_recovery="prize",
        )
    with pytest.raises(DomainError):
        auction_terms(TERMS, gst_rate_bp=1800, gst_intra_state=True, gst_recovery="members")


# ------------------------------------------------------------------------------------------------
# The verifier's arithmetic is the domain's, to the paisa
# ------------------------------------------------------------------------------------------------


@st.composite
def auctions(draw: st.DrawFn) -> tuple[GroupTerms, int, list[int], int, bool, str]:
    tickets = draw(st.integers(2, 40))
    installment = draw(st.integers(1, 50_000)) * 100 + draw(st.sampled_from([0, 1, 37, 99]))
    terms = GroupTerms(
        chit_value=tickets * installment,
        tickets=tickets,
        kind="auction",
        commission_bp=draw(st.integers(0, 700)),
        max_discount_bp=draw(st.integers(0, 5_000)),
        min_bid_step=draw(st.integers(100, 50_000)),
        remainder_to=draw(st.sampled_from(["carry", "foreman"])),
    )
    assume(not term_errors(terms) and terms.commission <= terms.max_discount)
    month = draw(st.integers(1, tickets))
    discounts: list[int] = []
    best: int | None = None
    for _ in range(draw(st.integers(1, 8))):
        low = next_minimum_bid(terms, best)
        if low is None:
            break
        high = terms.max_discount
        if best is not None and low == high:
            bid = high
        else:
            bid = draw(st.one_of(st.integers(low, high), st.just(high)))
        discounts.append(bid)
        best = bid if best is None else max(best, bid)
    assume(discounts)
    rate = draw(st.sampled_from([0, 1200, 1800, 2800]))
    return terms, month, discounts, rate, draw(st.booleans()), draw(st.sampled_from(["prize", "foreman"]))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(auctions())
def test_random_auctions_settle_as_the_domain_does_and_verify(
    auction: tuple[GroupTerms, int, list[int], int, bool, str],
) -> None:
    terms, month, discounts, rate, intra, recovery = auction
    tickets = [(i % terms.tickets) + 1 for i in range(len(discounts))]
    bids = [(t, d, at(1 + i, i)) for i, (t, d) in enumerate(zip(tickets, discounts, strict=True))]
    best = max(discounts)
    settled = settle_auction(terms, month, best)
    tax = gst.charge(settled.commission, rate, intra_state=intra).total
    assume(recovery == "foreman" or tax <= settled.prize)
    taxed = with_gst(settled, tax) if recovery == "prize" else settled
    expected = settlement_record(
        taxed, gst_total=tax, remainder_to_foreman=split_remainder(taxed, terms.remainder_to).to_foreman
    )
    terms_dict = auction_terms(terms, gst_rate_bp=rate, gst_intra_state=intra, gst_recovery=recovery)
    assert auction_settlement(terms_dict, best) == expected
    proof = make_proof(
        bids, terms=terms, month=month, gst_rate_bp=rate, gst_intra_state=intra, gst_recovery=recovery
    )
    assert all(c.ok for c in verify_proof(proof))


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------


def test_cli_prints_valid_and_invalid_for_auction_proofs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "auction.json"
    good.write_text(json.dumps(SINGLE, ensure_ascii=False, indent=2), encoding="utf-8")
    assert main([str(good)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "VALID"
    assert [line.split(":")[0] for line in out[1:-1]] == [f"PASS  {name}" for name in AUCTION_CHECK_NAMES]
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(edit(SINGLE, ("settlement", "prize"), 8_150_000)), encoding="utf-8")
    assert main([str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("INVALID: settlement: the settlement's prize is ₹81,500.00")


def test_the_lot_can_carry_a_real_beacon() -> None:
    """An auction month that named a drand round: the lot's beacon check runs inside the lot check."""
    from luckychit_app.verify import beacon_terms
    from tests.domain.test_fairness import B0, ROUND_AT, real_beacon

    opened = ROUND_AT - timedelta(hours=2)
    lot = lot_for(
        [4, 7, 9],
        beacon=real_beacon(),
        commitment=commitment_of(SEED, beacon_terms(real_beacon())),
        committed_at=B0,
        cutoff_at=ROUND_AT - timedelta(minutes=1),
        frozen_at=ROUND_AT + timedelta(minutes=1),
        drawn_at=ROUND_AT + timedelta(minutes=1, seconds=1),
        revealed_at=ROUND_AT + timedelta(minutes=1, seconds=2),
    )
    bids = [(t, 3_000_000, opened + timedelta(minutes=i)) for i, t in enumerate([4, 7, 9])]
    chained, _ = chain_bids(GROUP, MONTH, DRAW, [(t, ref(t), d, m) for t, d, m in bids])
    settled = with_gst(settle_auction(TERMS, MONTH, 3_000_000), 90_000)
    proof = build_auction_proof(
        lot=lot,
        group_id=GROUP,
        group_name="Diwali 2026",
        month=MONTH,
        draw_id=DRAW,
        terms=auction_terms(TERMS, gst_rate_bp=1800, gst_intra_state=True, gst_recovery="prize"),
        opened_at=opened,
        closes_at=ROUND_AT - timedelta(minutes=30),
        closed_at=ROUND_AT - timedelta(minutes=30),
        bids=chained,
        set_aside=[],
        settlement=settlement_record(settled, gst_total=90_000, remainder_to_foreman=0),
        winner=lot["winner"],
    )
    assert all(c.ok for c in verify_proof(proof))
    assert eligible_hash(lot["eligible"]) == lot["eligible_hash"]
    forged = edit(proof, ("lot", "beacon", "randomness"), "00" * 32)
    failure = first_failure(forged)
    assert failure.name == "lot" and "beacon check failed" in failure.detail
