"""Settling one month of a chit: who gets what, to the paisa.

The arithmetic follows DESIGN.md §2. With chit value V, N tickets, installment I = V/N and
commission C = c % of V:

* lucky draw: discount 0, prize V − C, everyone pays I;
* auction with winning discount D (C ≤ D ≤ max discount): prize V − D, dividend pool D − C,
  dividend per ticket floor((D − C)/N), remainder pool − N × dividend (kept explicitly so the books
  close to the paisa), net installment I − dividend;
* foreman's first chit (s.21(1)(a)): month 1's chit amount goes to the foreman's ticket "without
  deduction of any discount": prize V, no commission and no dividend that month;
* the rounding remainder may go to the foreman only as far as the foreman's income for the month
  (commission + remainder) stays within 7 % of V (s.21(1)(b) as amended in 2019); the excess stays
  with the group's carry-forward (:func:`split_remainder`);
* GST on the commission (domain/gst.py), where the group recovers it from the prize as the practice
  is, comes off the prize: prize V − D − GST (:func:`with_gst`).

Every ``Settlement`` produced here has passed :meth:`Settlement.check`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from luckychit_app.domain.errors import DomainError, InvalidBidError, InvariantError
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.terms import (
    BP_PER_WHOLE,
    MAX_COMMISSION_BP,
    REMAINDER_TARGETS,
    GroupTerms,
    validate_terms,
)

SettlementKind = Literal["lucky", "auction", "foreman_first"]


@dataclass(frozen=True)
class Settlement:
    """The money outcome of one month: all amounts in paise.

    ``remainder`` is the part of the dividend pool that cannot be shared equally in whole paise
    (always fewer paise than there are tickets); where it goes is the group's ``remainder_to``.
    """

    month: int
    kind: SettlementKind
    chit_value: int
    tickets: int
    installment: int
    discount: int
    commission: int
    prize: int
    dividend_pool: int
    dividend_per_ticket: int
    remainder: int
    net_installment: int
    gst: int = 0
    """GST on the commission recovered from the prize (0 when the foreman bears it, or is not
    registered): the prize is that much smaller, and it goes to the GST-payable account."""

    def check(self) -> None:
        """Raise ``InvariantError`` unless every identity of a settled month holds.

        The two headline identities are: when everyone pays, ``N × net = prize + C + GST + remainder``
        (cash collected covers exactly what goes out), and
        ``prize + C + GST + N × dividend + remainder = V``
        (the chit value is fully accounted for). Explicit raises rather than ``assert`` so the check
        survives ``python -O``.
        """
        problems: list[str] = []
        n = self.tickets
        if self.kind not in ("lucky", "auction", "foreman_first"):
            problems.append(f"unknown settlement kind {self.kind!r}")
        if n < 1 or self.month < 1 or self.month > n:
            problems.append(f"month {self.month} is outside 1..{n}")
        if n * self.installment != self.chit_value:
            problems.append(f"{n} × installment {self.installment} ≠ chit value {self.chit_value}")
        if self.kind == "auction":
            if self.discount < self.commission:
                problems.append(f"discount {self.discount} is below the commission {self.commission}")
            if self.dividend_pool != self.discount - self.commission:
                problems.append(f"dividend pool {self.dividend_pool} ≠ discount − commission")
        else:
            if self.discount != 0:
                problems.append(f"a {self.kind} settlement has discount {self.discount}, expected 0")
            if self.dividend_pool != 0:
                problems.append(f"a {self.kind} settlement has dividend pool {self.dividend_pool}")
        if self.kind == "foreman_first" and (self.commission != 0 or self.month != 1):
            # s.21(1)(a): the first instalment's chit amount, without deduction of any discount.
            problems.append("the foreman's first chit is month 1's whole chit amount, without commission")
        if self.commission > foreman_income_cap(self.chit_value):
            problems.append(f"commission {self.commission} is above 7% of the chit value")
        kept = self.discount if self.kind == "auction" else self.commission
        if self.gst < 0 or (self.gst and not self.commission):
            problems.append(f"GST {self.gst} without a commission to tax")
        if self.prize != self.chit_value - kept - self.gst:
            problems.append(
                f"prize {self.prize} ≠ chit value − {'discount' if self.kind == 'auction' else 'commission'}"
                " − GST"
            )
        if self.dividend_per_ticket < 0 or not 0 <= self.remainder < max(n, 1):
            problems.append(f"dividend {self.dividend_per_ticket} / remainder {self.remainder} out of range")
        if n * self.dividend_per_ticket + self.remainder != self.dividend_pool:
            problems.append("dividends plus remainder do not add up to the dividend pool")
        if self.net_installment != self.installment - self.dividend_per_ticket:
            problems.append(f"net installment {self.net_installment} ≠ installment − dividend")
        if n * self.net_installment != self.prize + self.commission + self.gst + self.remainder:
            problems.append(
                f"{n} × net installment {self.net_installment} ≠ prize + commission + GST + remainder"
            )
        total = self.prize + self.commission + self.gst + n * self.dividend_per_ticket + self.remainder
        if total != self.chit_value:
            problems.append("prize + commission + GST + dividends + remainder ≠ chit value")
        if problems:
            raise InvariantError(f"Settlement for month {self.month} is inconsistent: " + "; ".join(problems))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_month(terms: GroupTerms, month: int) -> None:
    if not _is_int(month) or not 1 <= month <= terms.tickets:
        raise DomainError(
            f"Month must be between 1 and {terms.tickets} for this group, not {month!r}.", field="month"
        )


def _check_not_foreman_month(terms: GroupTerms, month: int) -> None:
    if terms.foreman_first_chit and month == 1:
        raise DomainError(
            "Month 1 of this group belongs to the foreman's ticket (s.21(1)(a)); settle it as the "
            "foreman's first chit.",
            field="month",
        )


def _no_discount(terms: GroupTerms, month: int, kind: SettlementKind, commission: int) -> Settlement:
    """Numbers for a month won without discount: the prize is the chit value less ``commission``."""
    settlement = Settlement(
        month=month,
        kind=kind,
        chit_value=terms.chit_value,
        tickets=terms.tickets,
        installment=terms.installment,
        discount=0,
        commission=commission,
        prize=terms.chit_value - commission,
        dividend_pool=0,
        dividend_per_ticket=0,
        remainder=0,
        net_installment=terms.installment,
    )
    settlement.check()
    return settlement


def settle_lucky(terms: GroupTerms, month: int) -> Settlement:
    """Settle month ``month`` of a lucky-draw group: discount 0, prize V − C, no dividend."""
    validate_terms(terms)
    if terms.kind != "lucky":
        raise DomainError("This group runs auctions; settle its months with the winning bid.", field="kind")
    _check_month(terms, month)
    _check_not_foreman_month(terms, month)
    return _no_discount(terms, month, "lucky", terms.commission)


def _check_discount_range(terms: GroupTerms, discount: int, field: str) -> None:
    if not _is_int(discount):
        raise InvalidBidError(f"A bid must be a whole number of paise, not {discount!r}.", field=field)
    if discount < terms.commission:
        raise InvalidBidError(
            f"A bid must offer a discount of at least {format_inr(terms.commission)} (the foreman's "
            f"commission); {format_inr(discount)} is too low.",
            field=field,
        )
    if discount > terms.max_discount:
        raise InvalidBidError(
            f"A bid cannot offer a discount above {format_inr(terms.max_discount)} (this group's maximum); "
            f"{format_inr(discount)} is too high.",
            field=field,
        )


def settle_auction(terms: GroupTerms, month: int, discount: int) -> Settlement:
    """Settle an auction month at winning discount ``discount`` (paise), sharing D − C as a dividend.

    The dividend is floored to whole paise per ticket; the leftover ``remainder`` is recorded, never
    silently dropped, so the ledger can credit it to the group's carry-forward or the foreman.
    """
    validate_terms(terms)
    if terms.kind != "auction":
        raise DomainError("This group runs lucky draws; it has no auction to settle.", field="kind")
    _check_month(terms, month)
    _check_not_foreman_month(terms, month)
    _check_discount_range(terms, discount, "discount")
    n = terms.tickets
    pool = discount - terms.commission
    dividend, remainder = divmod(pool, n)
    settlement = Settlement(
        month=month,
        kind="auction",
        chit_value=terms.chit_value,
        tickets=n,
        installment=terms.installment,
        discount=discount,
        commission=terms.commission,
        prize=terms.chit_value - discount,
        dividend_pool=pool,
        dividend_per_ticket=dividend,
        remainder=remainder,
        net_installment=terms.installment - dividend,
    )
    settlement.check()
    return settlement


def settle_foreman_first(terms: GroupTerms) -> Settlement:
    """Settle month 1 for the foreman's own ticket.

    Chit Funds Act s.21(1)(a): the foreman is entitled to "obtain the chit amount at the first
    instalment without any discount": the prize is the whole chit value V, so there is no commission
    and no dividend that month; everyone pays the full installment, and N × I = V = prize.
    """
    validate_terms(terms)
    if not terms.foreman_first_chit:
        raise DomainError(
            "This group is not set up for the foreman to take the first chit.", field="foreman_first_chit"
        )
    return _no_discount(terms, 1, "foreman_first", 0)


def settle_final_month(terms: GroupTerms) -> Settlement:
    """Settle month N, which the last non-prized ticket takes without a draw or auction.

    A lucky group settles as usual; in an auction group nobody bids, so the discount is just the
    commission (the smallest legal bid): prize V − C and no dividend.
    """
    validate_terms(terms)
    if terms.kind == "lucky":
        return settle_lucky(terms, terms.tickets)
    return settle_auction(terms, terms.tickets, terms.commission)


def validate_bid(terms: GroupTerms, discount: int, best: int | None) -> None:
    """Raise ``InvalidBidError`` unless ``discount`` is a legal next bid.

    Bids are discounts, so a higher bid is better for the group. A bid must lie within
    commission..max discount and, once there is a best bid, beat it by at least ``min_bid_step``.

    A bid of exactly the maximum discount is always taken while the best bid is not above it, even
    when it beats the best by less than a step or merely equals it: several tickets may offer the
    cap, and the tie among them is settled by the verifiable lot (DESIGN.md §2; the chit agreement,
    s.6, as the Act says nothing of ties).
    """
    validate_terms(terms)
    if terms.kind != "auction":
        raise InvalidBidError("This group runs lucky draws; it does not take bids.", field="discount")
    _check_discount_range(terms, discount, "discount")
    if best is None:
        return
    if not _is_int(best):
        raise InvalidBidError(f"The best bid must be a whole number of paise, not {best!r}.")
    if discount == terms.max_discount and best <= terms.max_discount:
        return
    needed = best + terms.min_bid_step
    if needed > terms.max_discount:
        raise InvalidBidError(
            f"The best bid is {format_inr(best)}: the only bid left is the maximum discount of "
            f"{format_inr(terms.max_discount)} (tickets that offer it share the lot at the close).",
            field="discount",
        )
    if discount < needed:
        raise InvalidBidError(
            f"A new bid must beat the best bid of {format_inr(best)} by at least "
            f"{format_inr(terms.min_bid_step)}, i.e. offer a discount of at least {format_inr(needed)}.",
            field="discount",
        )


def next_minimum_bid(terms: GroupTerms, best: int | None) -> int | None:
    """The smallest discount that would be accepted next, or ``None`` when no bid can be taken.

    Lets the bidding screen pre-fill and label the bid input without duplicating the rules. Near the
    cap it is the cap itself, which may always be offered (and tied, see :func:`validate_bid`).
    """
    validate_terms(terms)
    needed = terms.commission if best is None else best + terms.min_bid_step
    if needed <= terms.max_discount:
        return needed
    return terms.max_discount if best is not None and best <= terms.max_discount else None


def with_gst(settlement: Settlement, gst: int) -> Settlement:
    """The month with `gst` (paise, the tax on its commission) recovered from the prize: the practice
    of chit companies, the tax on the foreman's service being borne by the prized subscriber (the
    published example, chit ₹2,00,000, discount ₹80,000, commission ₹10,000: prize ₹1,20,000 less
    ₹1,800 GST at 18 % = ₹1,18,200). A group whose foreman bears the tax keeps `settlement` as it is."""
    if gst == settlement.gst:
        return settlement
    if settlement.gst or gst < 0 or gst > settlement.prize:
        raise DomainError(f"GST of {format_inr(gst)} cannot be recovered from this month's prize.")
    taxed = replace(settlement, prize=settlement.prize - gst, gst=gst)
    taxed.check()
    return taxed


def foreman_income_cap(chit_value: int) -> int:
    """The most the foreman may take from one month, in paise: 7 % of the chit value.

    Chit Funds Act s.21(1)(b) as amended in 2019 caps the foreman's commission, remuneration and
    expenses together at 7 % of the chit amount; floored to whole paise like the commission itself.
    """
    return chit_value * MAX_COMMISSION_BP // BP_PER_WHOLE


@dataclass(frozen=True)
class RemainderSplit:
    """Where one month's rounding remainder goes: the foreman's part and the group's carry-forward."""

    to_foreman: int
    to_carry: int


def split_remainder(settlement: Settlement, remainder_to: str) -> RemainderSplit:
    """Split ``settlement.remainder`` between the foreman and the group's carry-forward.

    With ``remainder_to == "carry"`` it all stays with the group (paid out at closing). With
    ``"foreman"`` the foreman gets only what keeps commission + remainder within 7 % of V
    (s.21(1)(b) as amended in 2019); the excess paise go to the carry-forward instead.
    """
    settlement.check()
    if remainder_to not in REMAINDER_TARGETS:
        raise DomainError(f"Remainder must go to 'carry' or 'foreman', not {remainder_to!r}.")
    if remainder_to == "carry":
        return RemainderSplit(0, settlement.remainder)
    room = max(0, foreman_income_cap(settlement.chit_value) - settlement.commission)
    to_foreman = min(settlement.remainder, room)
    return RemainderSplit(to_foreman, settlement.remainder - to_foreman)


def foreman_income(settlement: Settlement, remainder_to: str) -> int:
    """The foreman's income from one settled month: commission plus the remainder's part, if any."""
    return settlement.commission + split_remainder(settlement, remainder_to).to_foreman
