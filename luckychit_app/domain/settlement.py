"""Settling one month of a chit: who gets what, to the paisa.

The arithmetic follows DESIGN.md §2. With chit value V, N tickets, installment I = V/N and
commission C = c % of V:

* lucky draw: discount 0, prize V − C, everyone pays I;
* auction with winning discount D (C ≤ D ≤ max discount): prize V − D, dividend pool D − C,
  dividend per ticket floor((D − C)/N), remainder pool − N × dividend (kept explicitly so the books
  close to the paisa), net installment I − dividend;
* foreman's first chit (s.21(1)(a)): month 1 goes to the foreman's ticket with no discount, so the
  numbers are the lucky-draw numbers.

Every ``Settlement`` produced here has passed :meth:`Settlement.check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from luckychit_app.domain.errors import DomainError, InvalidBidError, InvariantError
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.terms import GroupTerms, validate_terms

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

    def check(self) -> None:
        """Raise ``InvariantError`` unless every identity of a settled month holds.

        The two headline identities are: when everyone pays, ``N × net = prize + C + remainder``
        (cash collected covers exactly what goes out), and ``prize + C + N × dividend + remainder = V``
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
        kept = self.discount if self.kind == "auction" else self.commission
        if self.prize != self.chit_value - kept:
            problems.append(
                f"prize {self.prize} ≠ chit value − {'discount' if self.kind == 'auction' else 'commission'}"
            )
        if self.dividend_per_ticket < 0 or not 0 <= self.remainder < max(n, 1):
            problems.append(f"dividend {self.dividend_per_ticket} / remainder {self.remainder} out of range")
        if n * self.dividend_per_ticket + self.remainder != self.dividend_pool:
            problems.append("dividends plus remainder do not add up to the dividend pool")
        if self.net_installment != self.installment - self.dividend_per_ticket:
            problems.append(f"net installment {self.net_installment} ≠ installment − dividend")
        if n * self.net_installment != self.prize + self.commission + self.remainder:
            problems.append(f"{n} × net installment {self.net_installment} ≠ prize + commission + remainder")
        if self.prize + self.commission + n * self.dividend_per_ticket + self.remainder != self.chit_value:
            problems.append("prize + commission + dividends + remainder ≠ chit value")
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


def _no_discount(terms: GroupTerms, month: int, kind: SettlementKind) -> Settlement:
    """Numbers for a month won without discount: the prize is the chit value less commission."""
    settlement = Settlement(
        month=month,
        kind=kind,
        chit_value=terms.chit_value,
        tickets=terms.tickets,
        installment=terms.installment,
        discount=0,
        commission=terms.commission,
        prize=terms.chit_value - terms.commission,
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
    return _no_discount(terms, month, "lucky")


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
    """Settle month 1 for the foreman's own ticket (s.21(1)(a)): no discount, same numbers as lucky."""
    validate_terms(terms)
    if not terms.foreman_first_chit:
        raise DomainError(
            "This group is not set up for the foreman to take the first chit.", field="foreman_first_chit"
        )
    return _no_discount(terms, 1, "foreman_first")


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
    """
    validate_terms(terms)
    if terms.kind != "auction":
        raise InvalidBidError("This group runs lucky draws; it does not take bids.", field="discount")
    _check_discount_range(terms, discount, "discount")
    if best is None:
        return
    if not _is_int(best):
        raise InvalidBidError(f"The best bid must be a whole number of paise, not {best!r}.")
    needed = best + terms.min_bid_step
    if needed > terms.max_discount:
        raise InvalidBidError(
            f"The best bid {format_inr(best)} cannot be beaten: the next step would exceed the maximum "
            f"discount of {format_inr(terms.max_discount)}.",
            field="discount",
        )
    if discount < needed:
        raise InvalidBidError(
            f"A new bid must beat the best bid of {format_inr(best)} by at least "
            f"{format_inr(terms.min_bid_step)}, i.e. offer a discount of at least {format_inr(needed)}.",
            field="discount",
        )


def next_minimum_bid(terms: GroupTerms, best: int | None) -> int | None:
    """The smallest discount that would be accepted next, or ``None`` when no bid can beat ``best``.

    Lets the bidding screen pre-fill and label the bid input without duplicating the rules.
    """
    validate_terms(terms)
    needed = terms.commission if best is None else best + terms.min_bid_step
    return needed if needed <= terms.max_discount else None
