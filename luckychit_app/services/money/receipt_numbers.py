"""Receipt numbers: gap-free and per branch, as receipts for money received must be (each branch
keeps its own receipt book; the receipt prints the branch's code before the number).

A number is taken from the branch's counter row under its row lock, held until the payment
commits, so two payments never share a number and a rolled-back payment gives its number back.
Screens, notices, messages and exports print it one way only, as `label_for` gives it ("MAIN/000177").
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from luckychit_app.domain.money import receipt_label
from luckychit_app.models import Branch, ChitGroup, Payment, ReceiptCounter


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


def branch_codes(session: Session, branch_ids: Iterable[int | None]) -> dict[int, str]:
    """{branch id: its code} for printing receipt labels of many payments with one query; codes once
    read are kept for the session's life (a page's read asks for the same branches several times,
    and a branch's code, printed on its receipts, is never changed)."""
    known: dict[int, str] = session.info.setdefault("branch_codes", {})
    wanted = {b for b in branch_ids if b is not None}
    if missing := wanted - known.keys():
        known.update(session.exec(select(Branch.id, Branch.code).where(Branch.id.in_(missing))).all())
    return {b: known[b] for b in wanted if b in known}


def label_for(session: Session, payment: Payment) -> str:
    """A received payment's receipt number as printed everywhere ("MAIN/000177": the branch's code,
    then its gap-free number; domain/money.receipt_label), or "" while it has none. For notices and
    messages that name a receipt, so a member and a foreman read the number the receipt shows."""
    if payment.receipt_no is None:
        return ""
    branch_id = payment.branch_id
    if branch_id is None:  # a number is taken with its branch; a row from before branches had none
        branch_id = session.get(ChitGroup, payment.group_id).branch_id
    return receipt_label(session.get(Branch, branch_id).code, payment.receipt_no)
