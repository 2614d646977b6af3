"""Double-entry books for chit groups (DESIGN.md §6), as pure data.

Every money event becomes a :class:`JournalDraft`: postings that sum to zero (positive = debit,
negative = credit) plus an idempotency ``key`` naming the external event (``payment:17``,
``draw:42``) so a retried webhook or double click applies at most once. Services persist drafts;
this module only builds and checks them. Balances (passbooks, cash position, commission income,
prize payables, penalties) are always sums of postings, never separately kept counters.

Accounts and their normal sides:

===========================  ======================================================  =======
account                      meaning                                                 normal
===========================  ======================================================  =======
``group:{g}:cash``           money the foreman holds for the group                   debit
``group:{g}:cash_with:{u}``  the group's cash a staff member collected, not yet      debit
                             handed over to the branch
``ticket:{t}:receivable``    what the member owes on the ticket (negative = advance)  debit
``group:{g}:pot:{m}``        month m's chit amount being collected; 0 once settled   credit
``ticket:{t}:prize_payable`` prize won and not yet paid out                          credit
``foreman:{f}:commission``   the foreman's commission income                         credit
``group:{g}:late_fees``      late fees charged                                       credit
``group:{g}:carry_forward``  dividend remainders kept for the group                  credit
``ticket:{t}:refund_payable`` money to be returned to a member                       credit
``ticket:{t}:security_deposit`` a prized member's deposit held as security       credit
                             (s.21(1)(e)), theirs until applied or returned
``foreman:{f}:own_cash``     the foreman's own money, taken out of a closed group      debit
===========================  ======================================================  =======

Account names are produced only by the helper functions below so a typo cannot open a new account.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from luckychit_app.domain.errors import DomainError, UnbalancedEntryError
from luckychit_app.domain.money import format_inr
from luckychit_app.domain.settlement import Settlement, split_remainder
from luckychit_app.domain.wording import plural

Ref = int | str
"""A database id used inside an account name or key: an int, or a string without ':' or spaces."""

RemainderTo = Literal["carry", "foreman"]

KIND_DUES = "dues"
KIND_SETTLEMENT = "settlement"
KIND_PAYMENT = "payment"
KIND_LATE_FEE = "late_fee"
KIND_PAYOUT = "payout"
KIND_REFUND = "refund"
KIND_REVERSAL = "reversal"
KIND_HANDOVER = "handover"

_REF_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _ref(value: Ref, what: str) -> str:
    """Render an id for an account name, refusing anything that could forge another account."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(f"{what} must be an id, not {value!r}.")
    text = str(value)
    if not _REF_RE.match(text):
        raise DomainError(f"{what} {value!r} is not a valid id.")
    return text


def _month(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DomainError(f"Month numbers start at 1, not {value!r}.", field="month")
    return value


def _positive(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DomainError(f"{what} must be a positive number of paise, not {value!r}.", field="amount")
    return value


# --- account names -----------------------------------------------------------------------------


def cash(group_id: Ref) -> str:
    """Money the foreman holds for the group (bank, UPI and cash together)."""
    return f"group:{_ref(group_id, 'Group')}:cash"


def cash_with(group_id: Ref, user_id: Ref) -> str:
    """The group's cash in a staff member's hands: collected in the field or at the counter, owed to
    the branch until a hand-over is confirmed (the company's cash in custody, DESIGN §6)."""
    return f"group:{_ref(group_id, 'Group')}:cash_with:{_ref(user_id, 'Staff member')}"


def cash_with_like(user_id: Ref = "%") -> str:
    """A SQL LIKE pattern (escape character ``\\``) for :func:`cash_with` accounts of every group:
    one person's, or everyone's with "%" (LIKE's any-character ``_`` escaped, in ids too)."""
    who = "%" if user_id == "%" else _ref(user_id, "Staff member").replace("_", "\\_")
    return f"group:%:cash\\_with:{who}"


def holder_of(account: str) -> int:
    """The staff member whose custody account (:func:`cash_with`) this is."""
    if account_kind(account) != "cash_with":
        raise DomainError(f"{account!r} is not a custody account.")
    return int(account.rsplit(":", 1)[1])


def receivable(ticket_id: Ref) -> str:
    """What the member owes on this ticket; a negative balance is an advance paid."""
    return f"ticket:{_ref(ticket_id, 'Ticket')}:receivable"


def pot(group_id: Ref, month: int) -> str:
    """Month ``month``'s chit amount being collected; it clears to zero at that month's settlement."""
    return f"group:{_ref(group_id, 'Group')}:pot:{_month(month)}"


def prize_payable(ticket_id: Ref) -> str:
    """A prize won by this ticket and not yet released."""
    return f"ticket:{_ref(ticket_id, 'Ticket')}:prize_payable"


def commission_income(foreman_id: Ref) -> str:
    """The foreman's commission income (and dividend remainders when the group gives them to the foreman)."""
    return f"foreman:{_ref(foreman_id, 'Foreman')}:commission"


def gst_payable(foreman_id: Ref) -> str:
    """GST charged on the foreman's commission and not yet paid to the government (CGST Act 2017
    s.9: the tax on a supply is payable by the supplier; the foreman supplies the chit service)."""
    return f"foreman:{_ref(foreman_id, 'Foreman')}:gst_payable"


def owner_cash(foreman_id: Ref) -> str:
    """The foreman's own money: what a closed group's cash held for the foreman (commission and
    income kept) once it leaves the group at the close (issue 15)."""
    return f"foreman:{_ref(foreman_id, 'Foreman')}:own_cash"


def penalty_income(group_id: Ref) -> str:
    """Late fees charged to the group's members."""
    return f"group:{_ref(group_id, 'Group')}:late_fees"


def carry_forward(group_id: Ref) -> str:
    """Dividend remainders the group keeps (when ``remainder_to == "carry"``)."""
    return f"group:{_ref(group_id, 'Group')}:carry_forward"


def refunds_payable(ticket_id: Ref) -> str:
    """Money owed back to the member of this ticket (e.g. on withdrawal) and not yet paid."""
    return f"ticket:{_ref(ticket_id, 'Ticket')}:refund_payable"


def security_deposit(ticket_id: Ref) -> str:
    """Money a prized member of this ticket deposited as security (Chit Funds Act s.21(1)(e)), held
    for them: applied to their dues when they default (s.32-s.33), otherwise returned at the close."""
    return f"ticket:{_ref(ticket_id, 'Ticket')}:security_deposit"


_ACCOUNT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cash", re.compile(r"^group:[^:]+:cash$")),
    ("cash_with", re.compile(r"^group:[^:]+:cash_with:[^:]+$")),
    ("receivable", re.compile(r"^ticket:[^:]+:receivable$")),
    ("pot", re.compile(r"^group:[^:]+:pot:[0-9]+$")),
    ("prize_payable", re.compile(r"^ticket:[^:]+:prize_payable$")),
    ("commission", re.compile(r"^foreman:[^:]+:commission$")),
    ("own_cash", re.compile(r"^foreman:[^:]+:own_cash$")),
    ("gst_payable", re.compile(r"^foreman:[^:]+:gst_payable$")),
    ("late_fees", re.compile(r"^group:[^:]+:late_fees$")),
    ("carry_forward", re.compile(r"^group:[^:]+:carry_forward$")),
    ("refund_payable", re.compile(r"^ticket:[^:]+:refund_payable$")),
    ("security_deposit", re.compile(r"^ticket:[^:]+:security_deposit$")),
)

_CREDIT_NORMAL = frozenset(
    {
        "commission",
        "gst_payable",
        "late_fees",
        "carry_forward",
        "prize_payable",
        "refund_payable",
        "security_deposit",
    }
)


def account_kind(account: str) -> str | None:
    """Which kind of account a name is ("cash", "pot", "receivable", ...), or None if unknown.

    Lets reports and ``check_books`` group balances without re-parsing names ad hoc.
    """
    for kind, pattern in _ACCOUNT_PATTERNS:
        if pattern.match(account):
            return kind
    return None


# --- entries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    """One line of a journal entry: positive ``amount`` debits ``account``, negative credits it."""

    account: str
    amount: int

    def __post_init__(self) -> None:
        if not isinstance(self.account, str) or not self.account:
            raise UnbalancedEntryError(f"A posting needs an account name, not {self.account!r}.")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise UnbalancedEntryError(f"Posting amounts are int paise, not {self.amount!r}.")


@dataclass(frozen=True)
class JournalDraft:
    """A balanced journal entry ready to be stored, identified by its idempotency ``key``.

    Construction refuses empty entries, zero postings and entries whose debits and credits differ,
    so an unbalanced entry can never reach the database. ``reverses`` is the key of the entry this
    one reverses (set by :func:`reversal`), letting ``check_books`` know which settlements stand.
    """

    kind: str
    key: str
    memo: str
    postings: tuple[Posting, ...]
    reverses: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.postings, tuple):
            object.__setattr__(self, "postings", tuple(self.postings))
        if not isinstance(self.kind, str) or not self.kind:
            raise UnbalancedEntryError("A journal entry needs a kind.")
        if not isinstance(self.key, str) or not self.key:
            raise UnbalancedEntryError("A journal entry needs an idempotency key.")
        if not self.postings:
            raise UnbalancedEntryError(f"Journal entry {self.key} has no postings.")
        for posting in self.postings:
            if not isinstance(posting, Posting):
                raise UnbalancedEntryError(f"Journal entry {self.key} has a line that is not a posting.")
            if posting.amount == 0:
                raise UnbalancedEntryError(
                    f"Journal entry {self.key} has a zero posting to {posting.account}."
                )
        total = sum(p.amount for p in self.postings)
        if total != 0:
            raise UnbalancedEntryError(
                f"Journal entry {self.key} is unbalanced: debits {format_inr(self.total)} "
                f"≠ credits {format_inr(self.total - total)}."
            )

    @property
    def total(self) -> int:
        """The entry's size: the sum of its debits (equal to the sum of its credits)."""
        return sum(p.amount for p in self.postings if p.amount > 0)


def dues_raised(group_id: Ref, month: int, dues: list[tuple[Ref, int]]) -> JournalDraft:
    """Month ``month``'s installments fall due: Dr each ticket's receivable, Cr the month's pot.

    ``dues`` is ``[(ticket_id, amount)]``; one row per ticket, raised at the full installment.
    """
    _month(month)
    if not dues:
        raise DomainError(f"No dues to raise for month {month}.")
    seen: set[str] = set()
    postings: list[Posting] = []
    for ticket_id, amount in dues:
        ref = _ref(ticket_id, "Ticket")
        if ref in seen:
            raise DomainError(f"Ticket {ticket_id} has dues raised twice for month {month}.")
        seen.add(ref)
        postings.append(Posting(receivable(ticket_id), _positive(amount, "A due")))
    total = sum(p.amount for p in postings)
    postings.append(Posting(pot(group_id, month), -total))
    return JournalDraft(
        kind=KIND_DUES,
        key=f"dues:{_ref(group_id, 'Group')}:{month}",
        memo=f"Month {month} installments due from {len(dues)} tickets ({format_inr(total)})",
        postings=tuple(postings),
    )


def settlement_posted(
    group_id: Ref,
    foreman_id: Ref,
    draw_id: Ref,
    settlement: Settlement,
    winner_ticket_id: Ref,
    ticket_ids: list[Ref],
    remainder_to: RemainderTo,
    forfeited_ticket_ids: Iterable[Ref] = (),
    gst: int = 0,
) -> JournalDraft:
    """Close month m's pot at its draw or auction.

    The pot holds the chit value V (N installments raised at the full amount). It is debited V and
    credited out: the prize to the winner's prize payable, the commission to the foreman, and, for
    auctions, each ticket's dividend straight to its receivable (so every member owes the net
    installment) plus the rounding remainder. Zero amounts are left out, so a lucky month is just
    Dr pot V, Cr prize V − C, Cr commission C. Two rules apply before anything is credited:

    * the remainder goes to the foreman (``remainder_to == "foreman"``) only as far as the
      foreman's income for the month stays within 7 % of V (Chit Funds Act s.21(1)(b) as amended in
      2019); the rest stays in the group's carry-forward (``settlement.split_remainder``);
    * where the chit agreement forfeits the dividend of a subscriber in arrears (the chit agreement,
      s.6: the Act leaves it to the agreement), the ``forfeited_ticket_ids`` get no dividend; it
      stays with the group in the carry-forward, shared at the group's closing.

    ``gst`` is the tax on the commission (domain/gst.py). Recovered from the prize
    (``settlement.gst``), the pot credits it to the GST-payable account; borne by the foreman
    (``settlement.gst == 0``), it moves from the commission income to the GST-payable account in the
    same entry. Either way the foreman owes the government exactly the invoice's tax.
    """
    settlement.check()
    if gst < 0 or (settlement.gst and settlement.gst != gst) or gst > settlement.commission:
        raise DomainError(f"GST {gst} does not fit this month's settlement.")
    split = split_remainder(settlement, remainder_to)
    refs = [_ref(t, "Ticket") for t in ticket_ids]
    if len(set(refs)) != len(refs):
        raise DomainError("A ticket is listed twice in the settlement.")
    if len(refs) != settlement.tickets:
        raise DomainError(
            f"The settlement covers {settlement.tickets} tickets but {len(refs)} ticket ids were given."
        )
    if _ref(winner_ticket_id, "Ticket") not in refs:
        raise DomainError(f"The winning ticket {winner_ticket_id} is not one of the group's tickets.")
    forfeited = [_ref(t, "Ticket") for t in forfeited_ticket_ids]
    if len(set(forfeited)) != len(forfeited):
        raise DomainError("A ticket's dividend is forfeited twice in the settlement.")
    if not set(forfeited) <= set(refs):
        raise DomainError("A forfeited dividend belongs to a ticket outside the settlement.")
    if forfeited and settlement.kind != "auction":
        raise DomainError("Only an auction month has a dividend to forfeit.")

    month, dividend = settlement.month, settlement.dividend_per_ticket
    postings = [
        Posting(pot(group_id, month), settlement.chit_value),
        Posting(prize_payable(winner_ticket_id), -settlement.prize),
    ]
    if settlement.commission:
        postings.append(Posting(commission_income(foreman_id), -settlement.commission))
    if gst:
        postings.append(Posting(gst_payable(foreman_id), -gst))
        if not settlement.gst:  # borne by the foreman: out of the commission
            postings.append(Posting(commission_income(foreman_id), gst))
    if dividend:
        credited = [t for t, ref in zip(ticket_ids, refs, strict=True) if ref not in forfeited]
        postings.extend(Posting(receivable(t), -dividend) for t in credited)
    if split.to_foreman:
        postings.append(Posting(commission_income(foreman_id), -split.to_foreman))
    if split.to_carry:
        postings.append(Posting(carry_forward(group_id), -split.to_carry))
    if dividend and forfeited:  # on a line of its own, so the entry reads as what happened
        postings.append(Posting(carry_forward(group_id), -dividend * len(forfeited)))

    memo = f"Month {month} settled: prize {format_inr(settlement.prize)} to ticket {winner_ticket_id}"
    if settlement.kind == "auction":
        memo += f" at discount {format_inr(settlement.discount)}, dividend {format_inr(dividend)} per ticket"
    if dividend and forfeited:
        memo += (
            f"; {plural(len(forfeited), 'dividend')} forfeited for arrears"
            f" ({format_inr(dividend * len(forfeited))})"
        )
    if gst:
        memo += f"; GST {format_inr(gst)} on the commission" + (
            " recovered from the prize" if settlement.gst else " borne by the foreman"
        )
    if split.to_carry and remainder_to == "foreman":
        memo += f"; {format_inr(split.to_carry)} of the remainder kept for the group (7% cap)"
    return JournalDraft(
        kind=KIND_SETTLEMENT, key=f"draw:{_ref(draw_id, 'Draw')}", memo=memo, postings=tuple(postings)
    )


def payment_received(
    group_id: Ref, ticket_id: Ref, payment_id: Ref, amount: int, held_by: Ref | None = None
) -> JournalDraft:
    """A member paid: Dr the group's cash (or, for cash a staff member took, that person's custody
    account ``held_by``), Cr the ticket's receivable (beyond what is owed = advance)."""
    _positive(amount, "A payment")
    into = cash(group_id) if held_by is None else cash_with(group_id, held_by)
    return JournalDraft(
        kind=KIND_PAYMENT,
        key=f"payment:{_ref(payment_id, 'Payment')}",
        memo=f"Payment of {format_inr(amount)} for ticket {ticket_id}",
        postings=(Posting(into, amount), Posting(receivable(ticket_id), -amount)),
    )


def cash_handed_over(
    handover_id: Ref, group_id: Ref, giver: Ref, receiver: Ref | None, amount: int
) -> JournalDraft:
    """Counted cash of one group changes hands: Cr the giver's custody, Dr the receiver's custody,
    or the group's cash when ``receiver`` is None (the branch's till). One entry per group, as every
    group keeps its own books; only what the receiver counted moves, so a shortfall stays with the
    giver."""
    _positive(amount, "A hand-over")
    into = cash(group_id) if receiver is None else cash_with(group_id, receiver)
    return JournalDraft(
        kind=KIND_HANDOVER,
        key=f"handover:{_ref(handover_id, 'Hand-over')}:{_ref(group_id, 'Group')}",
        memo=f"Cash handed over: {format_inr(amount)}",
        postings=(Posting(into, amount), Posting(cash_with(group_id, giver), -amount)),
    )


def late_fee_charged(group_id: Ref, ticket_id: Ref, key: str, amount: int) -> JournalDraft:
    """A late fee is charged: Dr the ticket's receivable, Cr the group's late-fee income.

    ``key`` must identify the charge uniquely (e.g. ``late_fee:{installment_id}:{as_of}``) so the
    same fee is never charged twice.
    """
    _positive(amount, "A late fee")
    if not isinstance(key, str) or not key:
        raise DomainError("A late fee needs an idempotency key.")
    return JournalDraft(
        kind=KIND_LATE_FEE,
        key=key,
        memo=f"Late fee of {format_inr(amount)} on ticket {ticket_id}",
        postings=(Posting(receivable(ticket_id), amount), Posting(penalty_income(group_id), -amount)),
    )


def payout_released(
    group_id: Ref, ticket_id: Ref, payout_id: Ref, gross: int, deduction: int
) -> JournalDraft:
    """The foreman releases a prize: Dr prize payable gross; Cr cash paid; Cr receivable deduction.

    ``deduction`` is the member's arrears kept back from the prize (it pays the ticket's dues), so
    only ``gross − deduction`` leaves the group's cash.
    """
    _positive(gross, "A payout")
    if isinstance(deduction, bool) or not isinstance(deduction, int) or not 0 <= deduction <= gross:
        raise DomainError(
            f"The deduction must be between ₹0 and the prize {format_inr(gross)}, not {deduction!r}.",
            field="deduction",
        )
    postings = [Posting(prize_payable(ticket_id), gross)]
    if gross - deduction:
        postings.append(Posting(cash(group_id), -(gross - deduction)))
    if deduction:
        postings.append(Posting(receivable(ticket_id), -deduction))
    memo = f"Prize of {format_inr(gross)} released to ticket {ticket_id}"
    if deduction:
        memo += f" less arrears {format_inr(deduction)}"
    return JournalDraft(
        kind=KIND_PAYOUT, key=f"payout:{_ref(payout_id, 'Payout')}", memo=memo, postings=tuple(postings)
    )


def refund_issued(group_id: Ref, ticket_id: Ref, refund_id: Ref, amount: int) -> JournalDraft:
    """Money paid back to a member (an advance or a wrong payment): Dr receivable, Cr cash."""
    _positive(amount, "A refund")
    return JournalDraft(
        kind=KIND_REFUND,
        key=f"refund:{_ref(refund_id, 'Refund')}",
        memo=f"Refund of {format_inr(amount)} to ticket {ticket_id}",
        postings=(Posting(receivable(ticket_id), amount), Posting(cash(group_id), -amount)),
    )


# --- a subscriber leaving: removal of a defaulter (s.28) or voluntary exit, with a substitute ------

KIND_SUBSTITUTION = "substitution"
KIND_SUBSCRIBER_REFUND = "subscriber_refund"


def _paise(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{what} must be whole paise, not {value!r}.")
    return value


@dataclass(frozen=True)
class RemovalFigures:
    """What a leaving subscriber's seat settles at, all in paise.

    ``taken_over`` (D) is every instalment raised on the seat so far, which the substitute owes now
    (Chit Funds Act s.30(1): the substitute pays the instalments relatable to the period before the
    substitution, the defaulter's arrears included). ``balance`` (B) is the leaving ticket's
    receivable (unpaid dues and late fees, less any advance). ``contributed`` = D − B is what the
    subscriber paid towards the seat; ``kept`` is what the group keeps of it (the chit agreement's
    deduction, capped by the Act at 5 % of the chit amount, s.30(1)); ``refund`` (R) is theirs,
    set aside until paid (s.30(2), (3)).
    """

    taken_over: int
    balance: int
    contributed: int
    kept: int
    refund: int


def removal_figures(taken_over: int, balance: int, deduction: int) -> RemovalFigures:
    """D, B and the agreement's deduction → what is refunded. R = max(0, (D − B) − deduction); when
    the subscriber owes more than they paid (unpaid late fees), nothing is refunded and the group
    writes the difference off against its late-fee income (``kept`` is then negative)."""
    d = _paise(taken_over, "The instalments taken over")
    b = _paise(balance, "The ticket's balance")
    cap = _paise(deduction, "The deduction")
    if d < 0 or cap < 0:
        raise DomainError("Instalments and the deduction cannot be negative.")
    contributed = d - b
    refund = max(0, contributed - cap)
    return RemovalFigures(d, b, contributed, contributed - refund, refund)


def substitution_posted(
    group_id: Ref, removed_ticket_id: Ref, new_ticket_id: Ref, figures: RemovalFigures
) -> JournalDraft:
    """A substitute takes a leaving subscriber's seat (s.28-s.30), as one entry:

    Dr the substitute's receivable D (the seat's raised instalments, now theirs to pay); Cr the
    leaving ticket's receivable B (its balance moves off it: the arrears pass to the substitute, an
    advance goes into the refund); Cr the leaving ticket's refund payable R; Cr the group's late-fee
    income what the group keeps (the deduction; a debit when unpaid late fees are written off).
    D − B − R − kept = 0 by construction, so the entry always balances. Zero lines are left out.
    """
    if _ref(removed_ticket_id, "Ticket") == _ref(new_ticket_id, "Ticket"):
        raise DomainError("A ticket cannot substitute itself.")
    f = figures
    if (
        f.contributed != f.taken_over - f.balance
        or f.kept != f.contributed - f.refund
        or not 0 <= f.refund <= max(f.contributed, 0)
        or f.taken_over < 0
    ):
        raise DomainError("The removal figures do not add up.")
    lines = (
        Posting(receivable(new_ticket_id), f.taken_over) if f.taken_over else None,
        Posting(receivable(removed_ticket_id), -f.balance) if f.balance else None,
        Posting(refunds_payable(removed_ticket_id), -f.refund) if f.refund else None,
        Posting(penalty_income(group_id), -f.kept) if f.kept else None,
    )
    postings = tuple(p for p in lines if p is not None)
    if not postings:
        raise DomainError("Nothing was raised on this ticket yet: there is nothing to substitute.")
    return JournalDraft(
        kind=KIND_SUBSTITUTION,
        key=f"substitution:{_ref(removed_ticket_id, 'Ticket')}",
        memo=(
            f"Ticket {removed_ticket_id} substituted by ticket {new_ticket_id}: "
            f"{format_inr(f.taken_over)} taken over, refund {format_inr(f.refund)}, "
            f"kept {format_inr(f.kept)}"
        ),
        postings=postings,
    )


def subscriber_refund_paid(group_id: Ref, ticket_id: Ref, refund_id: Ref, amount: int) -> JournalDraft:
    """A removed or exiting subscriber's refund is paid (s.30(2)): Dr refund payable, Cr cash."""
    _positive(amount, "A refund")
    return JournalDraft(
        kind=KIND_SUBSCRIBER_REFUND,
        key=f"subscriber_refund:{_ref(refund_id, 'Refund')}",
        memo=f"Refund of {format_inr(amount)} paid to the subscriber of ticket {ticket_id}",
        postings=(Posting(refunds_payable(ticket_id), amount), Posting(cash(group_id), -amount)),
    )


# --- a prized subscriber's security deposit (Chit Funds Act s.21(1)(e), s.32-s.33) ----------------

KIND_SECURITY_DEPOSIT = "security_deposit"


def security_deposit_received(
    group_id: Ref, ticket_id: Ref, security_id: Ref, amount: int, *, from_prize: bool = False, how: str = ""
) -> JournalDraft:
    """A prized member's security deposit (s.21(1)(e)) comes in: Dr the group's cash (they paid it by
    cash, bank or UPI) or, with ``from_prize``, Dr the ticket's prize payable (kept back from their
    own prize at its release); Cr the ticket's security deposit, money held for them. ``how`` is
    said in the memo (method, reference and date). One entry per security: key
    ``security_deposit:{security_id}``."""
    _positive(amount, "A security deposit")
    source = prize_payable(ticket_id) if from_prize else cash(group_id)
    memo = f"Security deposit of {format_inr(amount)} for ticket {ticket_id}"
    memo += " kept from the prize" if from_prize else " received"
    return JournalDraft(
        kind=KIND_SECURITY_DEPOSIT,
        key=f"security_deposit:{_ref(security_id, 'Security')}",
        memo=(memo + (f" ({how})" if how else ""))[:200],
        postings=(Posting(source, amount), Posting(security_deposit(ticket_id), -amount)),
    )


def security_deposit_applied(group_id: Ref, ticket_id: Ref, payment_id: Ref, amount: int) -> JournalDraft:
    """Dues of a defaulting prized member recovered from their deposit after the written demand
    (s.21(1)(e), s.32-s.33), as a payment of method "deposit": Dr the ticket's security deposit, Cr
    its receivable. No cash moves (it came in with the deposit), so the group's cash is not debited
    twice. Kind and key are a payment's (``payment:{payment_id}``): the passbook, receipts and
    ledger-check read it as the payment it is."""
    _ref(group_id, "Group")
    _positive(amount, "A recovery from the deposit")
    return JournalDraft(
        kind=KIND_PAYMENT,
        key=f"payment:{_ref(payment_id, 'Payment')}",
        memo=f"Recovered {format_inr(amount)} from the security deposit of ticket {ticket_id}",
        postings=(Posting(security_deposit(ticket_id), amount), Posting(receivable(ticket_id), -amount)),
    )


def reversal(original: JournalDraft, key: str) -> JournalDraft:
    """An entry that cancels ``original`` exactly; entries are never edited, only reversed."""
    if not isinstance(key, str) or not key:
        raise DomainError("A reversal needs its own idempotency key.")
    if key == original.key:
        raise DomainError("A reversal needs a key different from the entry it reverses.")
    return JournalDraft(
        kind=KIND_REVERSAL,
        key=key,
        memo=f"Reversal of {original.key}: {original.memo}",
        postings=tuple(Posting(p.account, -p.amount) for p in original.postings),
        reverses=original.key,
    )


# --- checks ------------------------------------------------------------------------------------


class PostingLike(Protocol):
    """Anything with an account and an amount, e.g. a posting row loaded from the database."""

    @property
    def account(self) -> str: ...

    @property
    def amount(self) -> int: ...


class EntryLike(Protocol):
    """Anything with a key and postings, so ``check_books`` can audit stored rows as they are."""

    @property
    def key(self) -> str: ...

    @property
    def postings(self) -> Iterable[PostingLike]: ...


def trial_balance(postings: Iterable[PostingLike]) -> dict[str, int]:
    """Balance of every account touched (zeros included), sorted by account name; they sum to 0."""
    balances: dict[str, int] = defaultdict(int)
    for posting in postings:
        balances[posting.account] += posting.amount
    return dict(sorted(balances.items()))


def check_books(entries: Iterable[EntryLike]) -> list[str]:
    """Human-readable violations of the books' invariants; an empty list means the books are sound.

    Checked: each entry has non-zero int postings that balance; keys are unique; reversals point
    at an existing entry and reverse it only once; a settled month's pot is exactly zero and no pot
    is overdrawn; no prize payable, refund payable or income account has been debited past zero;
    the group's cash is not negative. Balances are final balances over all ``entries``.
    """
    problems: list[str] = []
    all_entries = list(entries)
    keys = Counter(entry.key for entry in all_entries)
    for key, count in keys.items():
        if count > 1:
            problems.append(f"Key {key} is used by {count} entries; each event must be posted once.")

    reversed_by: dict[str, list[str]] = defaultdict(list)
    for entry in all_entries:
        target = getattr(entry, "reverses", None)
        if target is not None:
            reversed_by[target].append(entry.key)
    for target, reversers in reversed_by.items():
        if target not in keys:
            problems.append(f"Entry {reversers[0]} reverses {target}, which is not in the books.")
        elif len(reversers) > 1:
            problems.append(f"Entry {target} is reversed more than once ({', '.join(reversers)}).")

    every_posting: list[PostingLike] = []
    settled_pots: set[str] = set()
    for entry in all_entries:
        lines = list(entry.postings)
        if not lines:
            problems.append(f"Entry {entry.key} has no postings.")
            continue
        bad_lines = [p for p in lines if isinstance(p.amount, bool) or not isinstance(p.amount, int)]
        if bad_lines:
            problems.append(
                f"Entry {entry.key} has a posting that is not whole paise: {bad_lines[0].amount!r}."
            )
            continue
        if any(p.amount == 0 for p in lines):
            problems.append(f"Entry {entry.key} has a zero posting.")
        total = sum(p.amount for p in lines)
        if total != 0:
            debits = sum(p.amount for p in lines if p.amount > 0)
            problems.append(
                f"Entry {entry.key} is unbalanced: debits {format_inr(debits)} ≠ credits "
                f"{format_inr(debits - total)}."
            )
        every_posting.extend(lines)
        is_settlement = getattr(entry, "kind", None) == KIND_SETTLEMENT
        if is_settlement and entry.key not in reversed_by:
            settled_pots.update(p.account for p in lines if account_kind(p.account) == "pot" and p.amount > 0)

    for account, balance in trial_balance(every_posting).items():
        kind = account_kind(account)
        if kind == "pot":
            if account in settled_pots and balance != 0:
                state = "uncollected dues left" if balance < 0 else "more paid out than was raised"
                problems.append(
                    f"{account}: the month is settled but its pot is {format_inr(balance)} ({state})."
                )
            elif balance > 0:
                problems.append(
                    f"{account}: {format_inr(balance)} more taken out of the pot than was raised."
                )
        elif kind == "cash_with" and balance < 0:
            problems.append(f"{account}: {format_inr(-balance)} more handed over than this person collected.")
        elif kind == "cash" and balance < 0:
            problems.append(
                f"{account}: cash is negative; {format_inr(-balance)} more paid out than received."
            )
        elif kind == "prize_payable" and balance > 0:
            problems.append(f"{account}: {format_inr(balance)} more paid out than the prize won.")
        elif kind in _CREDIT_NORMAL and balance > 0:
            problems.append(f"{account}: debited past zero by {format_inr(balance)}.")
    return problems
