"""An auction's proof and the draw's public beacon said in plain words, for the member's draw page
and the public verify page (issue 20, item 5).

The verifier (luckychit_app/verify.py) decides whether a proof holds; these sentences only retell
what the proof records ("you bid ₹18,000 at 10:41:07; the winning bid was ₹18,500 at 10:44:52") so a
member can compare it with what they saw in the auction room. Times are India time to the second.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from luckychit_app.clock import format_datetime_ist, to_ist
from luckychit_app.domain.money import format_inr
from luckychit_app.i18n import text as tr
from luckychit_app.services.draws.beacon import due_at


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _clock(text: str) -> str:
    """10:44:52, the time a proof's UTC stamp shows on a clock in India."""
    return to_ist(_moment(text)).strftime("%H:%M:%S")


def _round_due(beacon: dict[str, Any], lang: str) -> str:
    return format_datetime_ist(due_at(beacon), seconds=True, lang=lang)


def named_beacon_words(terms_json: str | None, lang: str = "en") -> str:
    """The round a draw's commitment named, as the draw page shows it before the draw."""
    if not terms_json:
        return tr(lang, "beacon.not_named")
    terms = json.loads(terms_json)
    return tr(lang, "beacon.named", round=terms["round"], due=_round_due(terms, lang))


def beacon_words(beacon: dict[str, Any] | None, lang: str = "en") -> str:
    """What the draw mixed in, from a version 2 proof's ``beacon``."""
    if not beacon:
        return tr(lang, "beacon.none")
    if beacon.get("status") == "used":
        return tr(lang, "beacon.used", round=beacon["round"], randomness=beacon["randomness"][:16])
    return tr(lang, "beacon.fallback", round=beacon["round"], reason=beacon.get("fallback_reason") or "")


def auction_sentences(proof: dict[str, Any], my_refs: set[str], lang: str = "en") -> list[str]:
    """The auction retold from its proof: the reader's own bids, the winning bid, the close, the
    chain head and the settlement. Empty for a proof that is not an auction's (or is malformed:
    the checks beside these sentences say what is wrong with it)."""
    try:
        return _sentences(proof, my_refs, lang)
    except (KeyError, TypeError, ValueError, AttributeError):
        return []


def _sentences(proof: dict[str, Any], my_refs: set[str], lang: str) -> list[str]:
    if proof.get("kind") != "auction":
        return []
    bids, settlement, winner = proof["bids"], proof["settlement"], proof["winner"]
    aside = {entry["ticket"] for entry in proof.get("set_aside", [])}
    said: list[str] = []
    mine = [bid for bid in bids if bid["member"] in my_refs]
    if mine:
        parts = [
            tr(lang, "auctionproof.bid_at", amount=format_inr(b["discount"]), at=_clock(b["at"]))
            for b in mine
        ]
        said.append(tr(lang, "auctionproof.you_bid", bids="; ".join(parts)))
    elif my_refs:
        said.append(tr(lang, "auctionproof.you_did_not_bid"))
    counted = [bid for bid in bids if bid["ticket"] not in aside]
    best = max(bid["discount"] for bid in counted)
    first_best = next(bid for bid in counted if bid["discount"] == best)
    tied = sorted({bid["ticket"] for bid in counted if bid["discount"] == best})
    said.append(
        tr(
            lang,
            "auctionproof.winning_bid",
            amount=format_inr(best),
            at=_clock(first_best["at"]),
            ticket=winner["ticket"],
        )
    )
    if len(tied) > 1:
        said.append(tr(lang, "note.tie", tickets=", ".join(str(t) for t in tied)))
    said.append(
        tr(
            lang,
            "auctionproof.closed",
            n=len(bids),
            last=_clock(bids[-1]["at"]),
            closes=_clock(proof["bidding_closes_at"]),
            closed=_clock(proof["closed_at"]),
        )
    )
    if aside:
        said.append(tr(lang, "auctionproof.set_aside", tickets=", ".join(str(t) for t in sorted(aside))))
    said.append(tr(lang, "auctionproof.head", head=proof["chain_head"][:16]))
    said.append(
        tr(
            lang,
            "auctionproof.settled",
            discount=format_inr(settlement["discount"]),
            commission=format_inr(settlement["commission"]),
            dividend=format_inr(settlement["dividend_per_ticket"]),
            prize=format_inr(settlement["prize"]),
        )
    )
    return said
