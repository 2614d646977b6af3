"""Which recorded payment a bank statement's credit line is: the rules, without the database.

A line is compared with the payments the foreman has on record (captured cash, bank and UPI money,
and UPI payments still waiting for the foreman's confirmation):

1. **By UTR.** A UPI payment's 12-digit UTR (the RRN) that appears on the line (in its narration or
   reference, :func:`bank_statement.utrs_in`) names the payment for certain. Same amount: matched.
   Another amount: doubtful (the member typed a wrong amount, or it is not the same money).
2. **By amount and date.** Otherwise, the payments of exactly the line's amount dated within
   ``WINDOW_DAYS`` days of it (a cash deposit reaches the bank a day or two after the receipt;
   NEFT settles in batches). One, which no other line could be: matched. Several, or one that
   another line could be too: doubtful (the foreman decides). None: unmatched. A payment whose UTR
   is on another line is that line's, and is not offered again.

Each line's answer depends only on payments near its date and on the UTRs of other lines, never on
the order the lines are looked at, so the screen and the confirm button always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from luckychit_app.domain.money import format_inr

WINDOW_DAYS = 2
"""A statement line and a payment of the same amount are the same money when at most this many
days apart."""

Status = Literal["matched", "doubtful", "unmatched"]


@dataclass(frozen=True)
class Credit:
    """A statement line of money in."""

    line_id: int
    day: date
    amount: int  # paise
    utrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """A payment on record: ``day`` is the day the money was paid (India time)."""

    payment_id: int
    day: date
    amount: int
    utr: str | None = None
    pending: bool = False  # a UPI payment waiting for the foreman's confirmation
    rejected: bool = False  # a UPI claim the foreman rejected (its UTR still names it)


@dataclass(frozen=True)
class LineMatch:
    status: Status
    how: Literal["utr", "amount", ""]
    payment_ids: tuple[int, ...]
    reason: str

    @property
    def confirmable(self) -> int | None:
        """The one payment this line may confirm, if any: a line names it by UTR (at the
        statement's amount), or it is the only payment of that amount near that day."""
        if len(self.payment_ids) != 1:
            return None
        if self.how == "utr" or self.status == "matched":
            return self.payment_ids[0]
        return None


def _by_utr(credit: Credit, by_utr: dict[str, Recorded], claimed_by: dict[int, int]) -> LineMatch | None:
    hits = list(dict.fromkeys(by_utr[u].payment_id for u in credit.utrs if u in by_utr))
    if not hits:
        return None
    payment = next(p for p in by_utr.values() if p.payment_id == hits[0])
    if claimed_by.get(payment.payment_id, credit.line_id) != credit.line_id:
        return LineMatch("doubtful", "", (), f"UTR {payment.utr} is also on another statement line.")
    if payment.rejected:
        return LineMatch(
            "doubtful",
            "",
            (payment.payment_id,),
            f"UTR {payment.utr} belongs to a UPI payment that was rejected, but the money arrived.",
        )
    if payment.amount != credit.amount:
        return LineMatch(
            "doubtful",
            "utr",
            (payment.payment_id,),
            f"UTR {payment.utr} matches, but the payment says {format_inr(payment.amount)} and the bank "
            f"{format_inr(credit.amount)}.",
        )
    return LineMatch("matched", "utr", (payment.payment_id,), f"UTR {payment.utr}")


def match_credits(
    credits: Sequence[Credit], payments: Iterable[Recorded], *, window_days: int = WINDOW_DAYS
) -> dict[int, LineMatch]:
    """Each credit line's match (by line id). ``payments`` are the candidates: the caller leaves out
    payments already confirmed from a statement line."""
    payments = list(payments)
    by_utr = {p.utr: p for p in payments if p.utr}
    claimed_by: dict[int, int] = {}  # payment id -> the first line (by id) whose UTR names it
    for credit in sorted(credits, key=lambda c: c.line_id):
        for utr in credit.utrs:
            if utr in by_utr:
                claimed_by.setdefault(by_utr[utr].payment_id, credit.line_id)
    result: dict[int, LineMatch] = {}
    near_of: dict[int, list[Recorded]] = {}
    for credit in credits:
        found = _by_utr(credit, by_utr, claimed_by)
        if found is not None:
            result[credit.line_id] = found
            continue
        near_of[credit.line_id] = [
            p
            for p in payments
            if not p.rejected
            and p.amount == credit.amount
            and abs((p.day - credit.day).days) <= window_days
            and p.payment_id not in claimed_by
        ]
    listed = Counter(p.payment_id for near in near_of.values() for p in near)
    for credit in credits:
        if credit.line_id in near_of:
            result[credit.line_id] = _by_amount(credit, near_of[credit.line_id], listed, window_days)
    return result


def _by_amount(credit: Credit, near: list[Recorded], listed: Counter[int], window_days: int) -> LineMatch:
    """The line's match among the payments of its amount near its day (``listed``: how many lines
    have each payment among theirs). One payment that no other line could be: matched."""
    if not near:
        return LineMatch("unmatched", "", (), "No payment of this amount near this day.")
    if len(near) > 1:
        return LineMatch(
            "doubtful",
            "amount",
            tuple(sorted(p.payment_id for p in near)),
            f"{len(near)} payments of {format_inr(credit.amount)} within {window_days} days: "
            "confirm the right one from the group's payments page.",
        )
    only = near[0]
    if listed[only.payment_id] > 1:
        return LineMatch(
            "doubtful",
            "amount",
            (only.payment_id,),
            f"{listed[only.payment_id]} deposits of {format_inr(credit.amount)} near this day could be "
            "this one payment.",
        )
    if only.utr and credit.utrs:
        return LineMatch(
            "doubtful",
            "amount",
            (only.payment_id,),
            f"Amount and date agree, but the payment's UTR {only.utr} is not on this line.",
        )
    return LineMatch("matched", "amount", (only.payment_id,), "Amount and date")
