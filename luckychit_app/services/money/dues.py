"""What each ticket owes, installment by installment, as the books hold it: the building block of
every dues screen, of applying money and of the late-fee rules.

`installments.paid` is kept equal to the sum of the installment's allocations by database triggers
(migration 0005) and proved by ``ledger-check``, so these reads are plain columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from luckychit_app.models import ChitGroup, Installment

CAPTURED = ("captured", "refunded")
"""Statuses of a payment whose money was received (a refunded payment was received, then returned)."""
PAYING_GROUP = ("active", "completed")
"""A completed group can still be owed its last installments (the final month is settled without
waiting for them), so money keeps being accepted until the dues are cleared."""


def open_and_due() -> tuple[ColumnElement[bool], ...]:
    """Where-clauses for installments still owing in a month already opened (the query joins
    ChitGroup): dues of months not yet opened cannot be paid, so they never count against a member.
    The second clause is the condition of the partial index ix_installment_open."""
    return (Installment.month <= ChitGroup.current_month, Installment.paid < Installment.amount)


@dataclass(frozen=True)
class DueLine:
    """One installment of a ticket: what falls due on ``due_date`` and what has been applied to it."""

    installment_id: int
    month: int
    due_date: date
    amount: int
    paid: int

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid


def due_lines(session: Session, *, ticket_id: int, up_to_month: int | None = None) -> list[DueLine]:
    """Each installment of a ticket with what has been applied to it, oldest first.

    `installments.paid` is the sum of the installment's allocations, kept by triggers in the same
    transaction (migration 0005) and proved by ledger-check; plain columns, since this runs for
    every payment and every dues screen."""
    stmt = (
        select(Installment.id, Installment.month, Installment.due_date, Installment.amount, Installment.paid)
        .where(Installment.ticket_id == ticket_id)
        .order_by(Installment.month)
    )
    if up_to_month is not None:
        stmt = stmt.where(Installment.month <= up_to_month)
    return [DueLine(*row) for row in session.exec(stmt).all()]


def open_dues(session: Session, ticket_ids: Iterable[int]) -> dict[int, list[DueLine]]:
    """For many tickets at once: each ticket's raised dues (up to its group's current month) with
    money still owing, oldest first. Tickets with nothing owing are absent."""
    return lines_by_ticket(session, ticket_ids, *open_and_due())


def lines_by_ticket(
    session: Session, ticket_ids: Iterable[int], *where: ColumnElement[bool]
) -> dict[int, list[DueLine]]:
    """Many tickets' installments that meet `where` (on Installment and its ChitGroup), per ticket,
    oldest first, in one statement. Tickets with none are absent."""
    lines: dict[int, list[DueLine]] = defaultdict(list)
    for tid, *line in session.exec(
        select(
            Installment.ticket_id,
            Installment.id,
            Installment.month,
            Installment.due_date,
            Installment.amount,
            Installment.paid,
        )
        .join(ChitGroup, ChitGroup.id == Installment.group_id)
        .where(Installment.ticket_id.in_(list(ticket_ids)), *where)
        .order_by(Installment.ticket_id, Installment.month)
    ).all():
        lines[tid].append(DueLine(*line))
    return lines
