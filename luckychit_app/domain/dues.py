"""Dues: applying payments to installments and computing late fees (DESIGN.md §3).

Partial payments are allowed and always settle the oldest due first, because that is what members
expect, it clears eligibility-blocking arrears soonest, and it stops late fees on the oldest debt.
Money beyond everything outstanding is kept as an advance, never lost.
"""

from __future__ import annotations

from datetime import date

from luckychit_app.domain.errors import DomainError
from luckychit_app.domain.terms import BP_PER_WHOLE, GroupTerms, validate_terms

DAYS_PER_FEE_MONTH = 30
"""Late fees count months as 30 days, the convention of simple-interest calculations."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def allocate_payment(amount: int, outstanding: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], int]:
    """Spread a payment over outstanding installments, oldest first.

    ``outstanding`` is ``[(installment_id, amount_outstanding)]`` ordered oldest first (the caller
    knows the due dates). Returns ``([(installment_id, applied)], excess)``: only installments that
    receive money are listed, none receives more than it owes, and ``excess`` is the advance left
    over, so ``sum(applied) + excess == amount`` always.
    """
    if not _is_int(amount) or amount <= 0:
        raise DomainError(f"A payment must be a positive number of paise, not {amount!r}.", field="amount")
    seen: set[int] = set()
    for installment_id, owed in outstanding:
        if installment_id in seen:
            raise DomainError(f"Installment {installment_id} is listed twice.")
        seen.add(installment_id)
        if not _is_int(owed) or owed < 0:
            raise DomainError(f"Installment {installment_id} has an invalid outstanding amount {owed!r}.")

    allocations: list[tuple[int, int]] = []
    left = amount
    for installment_id, owed in outstanding:
        if left == 0:
            break
        applied = min(left, owed)
        if applied > 0:
            allocations.append((installment_id, applied))
            left -= applied
    return allocations, left


def days_late(due_date: date, as_of: date) -> int:
    """Whole days past the due date on ``as_of``; 0 on or before the due date."""
    return max(0, (as_of - due_date).days)


def late_fee(terms: GroupTerms, overdue_amount: int, due_date: date, as_of: date) -> int:
    """Late fee in paise on one overdue installment, as of ``as_of``.

    Nothing is charged within the group's grace days. After that: in ``flat`` mode the flat fee for
    every started 30-day month (1 × fee for days 1..30 past grace, 2 × for 31..60, ...); in
    ``interest`` mode simple interest ``overdue × rate × days/30``, floored to whole paise so the
    member is never charged a fraction in the group's favour.
    """
    validate_terms(terms)
    if not _is_int(overdue_amount) or overdue_amount < 0:
        raise DomainError(f"The overdue amount must be zero or more paise, not {overdue_amount!r}.")
    late = days_late(due_date, as_of) - terms.grace_days
    if overdue_amount == 0 or late <= 0 or terms.late_fee_mode == "none":
        return 0
    if terms.late_fee_mode == "flat":
        started_months = -(-late // DAYS_PER_FEE_MONTH)
        return terms.late_fee_flat * started_months
    return overdue_amount * terms.late_fee_interest_bp * late // (BP_PER_WHOLE * DAYS_PER_FEE_MONTH)
