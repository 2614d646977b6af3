"""The app's side of an auction proof (docs/proofs.md, version 2, kind "auction").

An auction month publishes the accepted bids as a hash chain, the terms and the settlement they give,
and the lot among the tickets tied at the best discount (a version 2 lot proof from
:func:`luckychit_app.domain.fairness.run_draw`). As with draws, the protocol math and every check live
in the standalone :mod:`luckychit_app.verify`; :func:`build_auction_proof` runs that verifier on the
proof it assembles, so the app cannot publish an auction proof that says INVALID.

Pure domain code: no database, no clock. The services pass every value and time in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.fairness import format_utc, format_utc_ms
from luckychit_app.domain.settlement import Settlement, split_remainder
from luckychit_app.domain.terms import GST_RECOVERIES, REMAINDER_TARGETS, GroupTerms, validate_terms
from luckychit_app.verify import (
    ALGORITHM,
    AUCTION_KIND,
    PROOF_VERSION,
    bid_chain_genesis,
    bid_hash,
    verify_proof,
)

__all__ = ["auction_terms", "build_auction_proof", "chain_bids", "settlement_record"]


def auction_terms(
    terms: GroupTerms, *, gst_rate_bp: int, gst_intra_state: bool, gst_recovery: str
) -> dict[str, Any]:
    """The ``terms`` object of an auction proof: the group's economics in paise plus the GST setting.

    ``commission`` is c % of the chit value (Chit Funds Act 1982 s.21(1)(b), at most 7 %);
    ``gst_rate_bp`` is the rate on the commission on the draw's day (0 when the foreman is not
    registered for GST, CGST Act s.22), ``gst_intra_state`` whether it is CGST + SGST or IGST (IGST
    Act s.12(2)), and ``gst_recovery`` who bears it (GST_RECOVERIES).
    """
    validate_terms(terms)
    if terms.kind != "auction":
        raise DomainError("Only an auction group has an auction proof.", field="kind")
    if isinstance(gst_rate_bp, bool) or not isinstance(gst_rate_bp, int) or gst_rate_bp < 0:
        raise DomainError(f"The GST rate must be whole basis points, not {gst_rate_bp!r}.")
    if not isinstance(gst_intra_state, bool):
        raise DomainError("Say whether the supply is intra-state (true) or inter-state (false).")
    if gst_recovery not in GST_RECOVERIES:
        raise DomainError(f"GST is recovered from the prize or borne by the foreman, not {gst_recovery!r}.")
    return {
        "chit_value": terms.chit_value,
        "tickets": terms.tickets,
        "installment": terms.installment,
        "commission": terms.commission,
        "max_discount": terms.max_discount,
        "min_bid_step": terms.min_bid_step,
        "remainder_to": terms.remainder_to,
        "gst_rate_bp": gst_rate_bp,
        "gst_intra_state": gst_intra_state,
        "gst_recovery": gst_recovery,
    }


def settlement_record(settlement: Settlement, *, gst_total: int, remainder_to_foreman: int) -> dict[str, Any]:
    """The ``settlement`` object of an auction proof, from the domain's settled month.

    ``gst_total`` is the GST on the commission whoever bears it (domain/gst.py ``charge(...).total``);
    when it is recovered from the prize, ``settlement`` must already carry it (``with_gst``).
    ``remainder_to_foreman`` is :func:`~luckychit_app.domain.settlement.split_remainder`'s
    ``to_foreman`` (s.21(1)(b): the foreman's income within 7 % of V); anything else is refused.
    """
    settlement.check()
    if settlement.kind != "auction":
        raise DomainError("An auction proof records an auction month's settlement.")
    if gst_total < 0 or (settlement.gst and settlement.gst != gst_total):
        raise DomainError(f"GST of {gst_total} paise does not match the settlement's {settlement.gst}.")
    shares = {split_remainder(settlement, target).to_foreman for target in REMAINDER_TARGETS}
    if remainder_to_foreman not in shares:
        raise DomainError(
            f"The foreman's share of the remainder must be one of {sorted(shares)} paise "
            f"(split_remainder), not {remainder_to_foreman}."
        )
    return {
        "discount": settlement.discount,
        "commission": settlement.commission,
        "gst": gst_total,
        "prize": settlement.prize,
        "dividend_pool": settlement.dividend_pool,
        "dividend_per_ticket": settlement.dividend_per_ticket,
        "remainder": settlement.remainder,
        "remainder_to_foreman": remainder_to_foreman,
        "net_installment": settlement.net_installment,
    }


def chain_bids(
    group_id: int, month: int, draw_id: int, bids: list[tuple[int, str, int, datetime]]
) -> tuple[list[dict[str, Any]], str]:
    """Chain accepted bids ``(ticket, member_ref, discount, at)``, in the order they were accepted.

    Returns the proof's ``bids`` entries (seq from 1, each linked to the previous hash) and the head:
    the last hash, or the auction's starting hash when there are no bids. Times are truncated to the
    millisecond (:func:`~luckychit_app.domain.fairness.format_utc_ms`), as the chain hashes them.
    """
    previous = bid_chain_genesis(group_id, month, draw_id)
    chained: list[dict[str, Any]] = []
    for seq, (ticket, member, discount, moment) in enumerate(bids, start=1):
        at = format_utc_ms(moment)
        digest = bid_hash(previous, seq, ticket, member, discount, at)
        chained.append(
            {
                "seq": seq,
                "ticket": ticket,
                "member": member,
                "discount": discount,
                "at": at,
                "prev_hash": previous,
                "hash": digest,
            }
        )
        previous = digest
    return chained, previous


def build_auction_proof(
    *,
    lot: dict[str, Any],
    group_id: int,
    group_name: str,
    month: int,
    draw_id: int,
    terms: dict[str, Any],
    opened_at: datetime,
    closes_at: datetime,
    closed_at: datetime,
    bids: list[dict[str, Any]],
    set_aside: list[dict[str, Any]],
    settlement: dict[str, Any],
    winner: dict[str, Any],
) -> dict[str, Any]:
    """Assemble the auction proof and verify it with the standalone verifier before returning it.

    ``lot`` is the version 2 lot proof (``run_draw``) among the tickets at the best discount, ``terms``
    from :func:`auction_terms`, ``bids`` from :func:`chain_bids`, ``set_aside`` entries
    ``{"ticket", "reason"}`` (tickets whose bids do not count, e.g. suspended before the close),
    ``settlement`` from :func:`settlement_record` and ``winner`` ``{"ticket", "member"}``.
    Raises :class:`DomainError` naming the first check that fails.
    """
    head = bids[-1]["hash"] if bids else bid_chain_genesis(group_id, month, draw_id)
    proof: dict[str, Any] = {
        "version": PROOF_VERSION,
        "algorithm": ALGORITHM,
        "kind": AUCTION_KIND,
        "group_id": group_id,
        "group_name": group_name,
        "month": month,
        "draw_id": draw_id,
        "terms": dict(terms),
        "bidding_opened_at": format_utc(opened_at),
        "bidding_closes_at": format_utc(closes_at),
        "closed_at": format_utc(closed_at),
        "bids": [dict(bid) for bid in bids],
        "chain_head": head,
        "set_aside": sorted((dict(entry) for entry in set_aside), key=lambda entry: entry.get("ticket", 0)),
        "settlement": dict(settlement),
        "winner": dict(winner),
        "lot": lot,
    }
    failed = next((check for check in verify_proof(proof) if not check.ok), None)
    if failed is not None:
        raise DomainError(f"the auction does not give a valid proof: {failed.name}: {failed.detail}")
    return proof
