"""Closing a chit group, as pure arithmetic and journal drafts (issue 15, DESIGN.md §2 and §6).

When the last draw is held and every prize is paid, what the group still holds for its members goes
back to them, and what it holds for the foreman leaves it, so that every account of the group ends
at exactly zero:

- the dividend remainders carried forward (DESIGN §2: "recorded explicitly in the group's
  carry-forward and paid out at closing") are shared equally among the seated tickets;
- the late-fee pool goes to the foreman's income or, where the chit agreement says so, to the
  members in equal shares (the Act leaves late fees to the agreement, s.6);
- a ticket's advance (money paid beyond its dues) is owed back to its member;
- what is left of a prized member's security deposit (Chit Funds Act s.21(1)(e)) once every
  subscription is paid is theirs, and is owed back too.

Each seated ticket's shares and advance become one refund payable; the foreman pays them (as any
subscriber refund: domain.ledger.subscriber_refund_paid), then the group's remaining cash (the
foreman's commission and income) moves to the foreman's own cash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from luckychit_app.domain import ledger as books
from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.money import format_inr

PoolTo = Literal["foreman", "members"]

KIND_CLOSING = "closing"
KIND_CLOSE = "close"


def _id(value: books.Ref) -> str:
    """An id for an idempotency key, checked as the account names check theirs."""
    books.cash(value)  # raises DomainError for anything that is not a plain id
    return str(value)


def _paise(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError(f"{what} must be a whole number of paise, not {value!r}.")
    return value


def split_evenly(total: int, parts: int) -> list[int]:
    """``total`` paise in ``parts`` equal shares, floored, the leftover paise one each to the first
    shares (the lowest ticket numbers): they sum to ``total`` exactly and differ by at most one paisa.

    The chit agreement (s.6) and DESIGN §2: money kept for the group is the members' in equal
    shares; a paisa cannot be split, so the first tickets take the odd ones."""
    _paise(total, "The amount to share")
    if isinstance(parts, bool) or not isinstance(parts, int) or parts < 1:
        raise DomainError(f"Shares need at least one ticket, not {parts!r}.")
    each, left = divmod(total, parts)
    return [each + (1 if i < left else 0) for i in range(parts)]


@dataclass(frozen=True)
class TicketShare:
    """What the group owes one seated ticket at its close."""

    ticket_id: int
    ticket_no: int
    carry: int  # its share of the dividend remainders carried forward
    late_fees: int  # its share of the late-fee pool (0 when the pool is the foreman's)
    advance: int  # money paid beyond its dues
    deposit: int = 0  # what is left of its prized member's security deposit (s.21(1)(e))

    @property
    def total(self) -> int:
        return self.carry + self.late_fees + self.advance + self.deposit


@dataclass(frozen=True)
class ClosingPlan:
    """Where a completed group's remaining balances go. ``shares`` are every seated ticket's, in
    ticket-number order (zero shares included, so the statement can show each ticket)."""

    carry: int
    late_fees: int
    late_fees_to: PoolTo
    shares: tuple[TicketShare, ...]

    @property
    def to_foreman(self) -> int:
        """Late fees that become the foreman's income."""
        return self.late_fees if self.late_fees_to == "foreman" else 0

    @property
    def refunds(self) -> int:
        return sum(s.total for s in self.shares)

    @property
    def empty(self) -> bool:
        """Nothing left to move: the settlement would post no entry."""
        return not (self.carry or self.late_fees or any(s.advance or s.deposit for s in self.shares))


def plan_closing(
    *,
    carry: int,
    late_fees: int,
    late_fees_to: str,
    tickets: Sequence[tuple[int, int, int]],
    deposits: Mapping[int, int] | None = None,
) -> ClosingPlan:
    """The settlement of a completed group.

    ``carry`` and ``late_fees`` are the balances (paise, >= 0) of the carry-forward and the
    late-fee pool; ``tickets`` is ``[(ticket_id, ticket_no, receivable)]`` of every seated ticket,
    where a receivable must be <= 0 (nothing owed; negative = an advance); ``deposits`` maps a
    ticket id to the security deposit still held for it (paise, >= 0; s.21(1)(e))."""
    _paise(carry, "The carried-forward remainder")
    _paise(late_fees, "The late-fee pool")
    if late_fees_to not in ("foreman", "members"):
        raise DomainError(f"Late fees go to the foreman or the members, not {late_fees_to!r}.")
    if not tickets:
        raise DomainError("A group closes with at least one seated ticket.")
    ordered = sorted(tickets, key=lambda t: t[1])
    if len({t[0] for t in ordered}) != len(ordered) or len({t[1] for t in ordered}) != len(ordered):
        raise DomainError("A ticket is listed twice.")
    for _ticket_id, ticket_no, receivable in ordered:
        if isinstance(receivable, bool) or not isinstance(receivable, int):
            raise DomainError(f"Ticket {ticket_no}'s balance must be paise, not {receivable!r}.")
        if receivable > 0:
            raise DomainError(f"Ticket {ticket_no} still owes {format_inr(receivable)}.")
    held = dict(deposits or {})
    if not set(held) <= {t[0] for t in ordered}:
        raise DomainError("A security deposit is held for a ticket that is not seated.")
    for ticket_id, paise in held.items():
        _paise(paise, f"The deposit of ticket id {ticket_id}")
    carry_shares = split_evenly(carry, len(ordered))
    fee_shares = split_evenly(late_fees, len(ordered)) if late_fees_to == "members" else [0] * len(ordered)
    return ClosingPlan(
        carry=carry,
        late_fees=late_fees,
        late_fees_to=late_fees_to,  # type: ignore[arg-type]
        shares=tuple(
            TicketShare(
                ticket_id=tid,
                ticket_no=no,
                carry=c,
                late_fees=f,
                advance=-receivable,
                deposit=held.get(tid, 0),
            )
            for (tid, no, receivable), c, f in zip(ordered, carry_shares, fee_shares, strict=True)
        ),
    )


def closing_settled(group_id: books.Ref, foreman_id: books.Ref, plan: ClosingPlan) -> books.JournalDraft:
    """The settlement for closing: Dr the carry-forward and the late-fee pool (emptying them), Dr
    each advance's receivable (back to zero) and each security deposit still held (s.21(1)(e): the
    member paid every subscription, so it is theirs again), Cr the foreman's income with the pool if
    it is theirs, and Cr each ticket's refund payable with its total. Refused when there is nothing
    to move."""
    if plan.empty:
        raise DomainError("There is nothing to settle for closing.")
    postings: list[books.Posting] = []
    if plan.carry:
        postings.append(books.Posting(books.carry_forward(group_id), plan.carry))
    if plan.late_fees:
        postings.append(books.Posting(books.penalty_income(group_id), plan.late_fees))
    if plan.to_foreman:
        postings.append(books.Posting(books.commission_income(foreman_id), -plan.to_foreman))
    for share in plan.shares:
        if share.advance:
            postings.append(books.Posting(books.receivable(share.ticket_id), share.advance))
        if share.deposit:
            postings.append(books.Posting(books.security_deposit(share.ticket_id), share.deposit))
        if share.total:
            postings.append(books.Posting(books.refunds_payable(share.ticket_id), -share.total))
    memo = f"Settled for closing: {format_inr(plan.refunds)} owed back to members"
    if plan.to_foreman:
        memo += f", late fees {format_inr(plan.to_foreman)} to the foreman"
    return books.JournalDraft(
        kind=KIND_CLOSING,
        key=f"closing:{_id(group_id)}",
        memo=memo,
        postings=tuple(postings),
    )


def group_closed(group_id: books.Ref, foreman_id: books.Ref, amount: int) -> books.JournalDraft:
    """The close: what the group's cash still holds (the foreman's commission and income) leaves
    the group for the foreman's own cash, so the group's cash ends at zero."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DomainError(f"The cash to move must be a positive number of paise, not {amount!r}.")
    return books.JournalDraft(
        kind=KIND_CLOSE,
        key=f"close:{_id(group_id)}",
        memo=f"Group closed: {format_inr(amount)} of commission and income to the foreman",
        postings=(
            books.Posting(books.owner_cash(foreman_id), amount),
            books.Posting(books.cash(group_id), -amount),
        ),
    )


def no_dues_number(branch_code: str, group_id: int, ticket_no: int) -> str:
    """A no-dues certificate's number: one per ticket of a closed group, stable however often the
    certificate is printed."""
    return f"ND/{branch_code}/{group_id}/{ticket_no:03d}"
