"""Receipt numbers: gap-free and per branch, as receipts for money received must be (each branch
keeps its own receipt book; the receipt prints the branch's code before the number).

A number is taken from the branch's counter row under its row lock, held until the payment
commits, so two payments never share a number and a rolled-back payment gives its number back.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.models import ReceiptCounter


def next_receipt_no(session: Session, branch_id: int) -> int:
    """Gap-free per branch: the counter row stays locked until the payment commits, and a rolled
    back payment rolls its number back with it."""
    return reserve_receipt_nos(session, branch_id, 1)


def reserve_receipt_nos(session: Session, branch_id: int, count: int) -> int:
    """The first of ``count`` consecutive receipt numbers, taken under the counter's row lock (held
    to commit, so a rolled-back batch gives all of them back)."""
    stmt = select(ReceiptCounter).where(ReceiptCounter.branch_id == branch_id).with_for_update()
    counter = session.exec(stmt).first()
    if counter is None:
        try:
            with session.begin_nested():
                session.add(ReceiptCounter(branch_id=branch_id, last_no=0))
        except IntegrityError:
            pass
        counter = session.exec(stmt).first()
    first = counter.last_no + 1
    counter.last_no += count
    session.add(counter)
    return first
