"""Posting journal entries and reading balances. Balances are always sums of postings."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import String, cast, func, literal
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from luckychit_app.domain import ledger as books
from luckychit_app.domain.ledger import JournalDraft
from luckychit_app.models import (
    ChitGroup,
    Draw,
    Installment,
    JournalEntry,
    MonthTotal,
    Payment,
    PaymentAllocation,
    Payout,
    PostingRow,
    Refund,
    Ticket,
)
from luckychit_app.services.money import gst_invoices


def _ticket_of(account: str) -> int | None:
    kind, _, rest = account.partition(":")
    return int(rest.split(":", 1)[0]) if kind == "ticket" else None


def post(
    session: Session, draft: JournalDraft, *, group_id: int | None, created_by_id: int | None = None
) -> tuple[JournalEntry, bool]:
    """Write the entry once. Returns (entry, created); a repeated key returns the first entry, so a
    redelivered event or a retried request never posts twice."""
    existing = session.exec(select(JournalEntry).where(JournalEntry.key == draft.key)).first()
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            entry = JournalEntry(
                key=draft.key,
                kind=draft.kind,
                memo=draft.memo[:200],
                group_id=group_id,
                created_by_id=created_by_id,
            )
            session.add(entry)
            session.flush()
            for p in draft.postings:
                session.add(
                    PostingRow(
                        entry_id=entry.id,
                        account=p.account,
                        amount=p.amount,
                        group_id=group_id,
                        ticket_id=_ticket_of(p.account),
                    )
                )
            session.flush()
    except IntegrityError:
        existing = session.exec(select(JournalEntry).where(JournalEntry.key == draft.key)).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


def balance(session: Session, account: str) -> int:
    total = session.exec(select(func.sum(PostingRow.amount)).where(PostingRow.account == account)).one()
    return int(total or 0)


def balances(session: Session, *, group_id: int) -> dict[str, int]:
    rows = session.exec(
        select(PostingRow.account, func.sum(PostingRow.amount))
        .where(PostingRow.group_id == group_id)
        .group_by(PostingRow.account)
    ).all()
    return {account: int(total) for account, total in rows}


def custody_rows(
    session: Session, groups: Select, holder: int | None = None, *, before: datetime | None = None
) -> list[tuple[int, int, int, int]]:
    """(group id, branch id, holder's user id, paise) of every custody account (domain.ledger
    `cash_with`) with a balance in `groups` (a sub-select of group ids): everyone's, or `holder`'s
    only; as the books stand, or as they stood at `before` (by when entries were recorded). One query
    grouped in SQL by group and account, oldest group first (a hand-over empties those first)."""
    pattern = books.cash_with_like("%" if holder is None else holder)
    query = (
        select(PostingRow.group_id, ChitGroup.branch_id, PostingRow.account, func.sum(PostingRow.amount))
        .join(ChitGroup, ChitGroup.id == PostingRow.group_id)
        .where(PostingRow.account.like(pattern, escape="\\"), PostingRow.group_id.in_(groups))
    )
    if before is not None:
        query = query.join(JournalEntry, JournalEntry.id == PostingRow.entry_id).where(
            JournalEntry.created_at < before
        )
    rows = session.exec(
        query.group_by(PostingRow.group_id, ChitGroup.branch_id, PostingRow.account)
        .having(func.sum(PostingRow.amount) != 0)
        .order_by(PostingRow.group_id, PostingRow.account)
    ).all()
    return [(int(g), int(b), books.holder_of(account), int(paise)) for g, b, account, paise in rows]


def ledger_check(session: Session) -> list[str]:
    """Every invariant of the books that can be checked from the database; [] when all hold."""
    problems: list[str] = []
    unbalanced = session.exec(
        select(PostingRow.entry_id, func.sum(PostingRow.amount), func.count())
        .group_by(PostingRow.entry_id)
        .having((func.sum(PostingRow.amount) != 0) | (func.count() < 2))
    ).all()
    for entry_id, total, count in unbalanced[:20]:
        problems.append(f"journal entry {entry_id} does not balance (sum {total}, {count} postings)")
    # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN (subquery) as a nested loop once the subquery
    # outgrows work_mem, which took over ten minutes on the 550,000 postings of the bench book.
    has_postings = select(PostingRow.entry_id).where(PostingRow.entry_id == JournalEntry.id).exists()
    empty = session.exec(select(JournalEntry.id).where(~has_postings).limit(20)).all()
    problems += [f"journal entry {eid} has no postings" for eid in empty]

    totals = dict(
        session.exec(
            select(PostingRow.account, func.sum(PostingRow.amount)).group_by(PostingRow.account)
        ).all()
    )
    for account, total in totals.items():
        if account.endswith(":cash") and total < 0:
            problems.append(f"{account} is negative ({total} paise): more paid out than collected")
        if total < 0 and books.account_kind(account) == "cash_with":
            problems.append(f"{account} is negative ({total} paise): more handed over than collected")
        if account.endswith(":prize_payable") and total > 0:
            problems.append(f"{account} is overpaid ({total} paise): payout exceeded the prize")
        if total > 0 and books.account_kind(account) == "security_deposit":  # s.21(1)(e)
            problems.append(f"{account} is overdrawn ({total} paise): more applied than was deposited")

    # Pots are read from the balances above: one query per draw took most of a minute at scale.
    for group_id, month in session.exec(
        select(Draw.group_id, Draw.month).where(Draw.status == "completed")
    ).all():
        pot = f"group:{group_id}:pot:{month}"
        if totals.get(pot):
            problems.append(f"{pot} is not cleared after the draw ({totals[pot]} paise left)")

    captured = session.exec(
        select(Payment.id).where(Payment.status.in_(("captured", "refunded")), Payment.method != "prize")
    ).all()
    keys = set(session.exec(select(JournalEntry.key).where(JournalEntry.kind == "payment")).all())
    problems += [
        f"captured payment {pid} has no journal entry" for pid in captured if f"payment:{pid}" not in keys
    ]

    over_alloc = session.exec(
        select(Payment.id, Payment.amount, func.sum(PaymentAllocation.amount))
        .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .group_by(Payment.id, Payment.amount)
        .having(func.sum(PaymentAllocation.amount) > Payment.amount)
    ).all()
    problems += [f"payment {pid} allocates {a} paise of its {amt}" for pid, amt, a in over_alloc]
    over_paid = session.exec(
        select(Installment.id, Installment.amount, func.sum(PaymentAllocation.amount))
        .join(PaymentAllocation, PaymentAllocation.installment_id == Installment.id)
        .group_by(Installment.id, Installment.amount)
        .having(func.sum(PaymentAllocation.amount) > Installment.amount)
    ).all()
    problems += [f"installment {iid} is paid {a} paise against {amt} due" for iid, amt, a in over_paid]
    # installments.paid is a rollup the database keeps (triggers on payment_allocations): it must
    # equal the allocations, or every screen that reads it would be wrong.
    applied = (
        select(PaymentAllocation.installment_id, func.sum(PaymentAllocation.amount).label("applied"))
        .group_by(PaymentAllocation.installment_id)
        .subquery()
    )
    drift = session.exec(
        select(Installment.id, Installment.paid, func.coalesce(applied.c.applied, 0))
        .outerjoin(applied, applied.c.installment_id == Installment.id)
        .where(Installment.paid != func.coalesce(applied.c.applied, 0))
        .limit(20)
    ).all()
    problems += [
        f"installment {iid} records {p} paise paid but its allocations sum to {a}" for iid, p, a in drift
    ]

    problems += month_totals_drift(session)
    problems += closed_groups_at_zero(session, totals)
    problems += gst_invoices.gst_books_check(session, totals)

    grand = session.exec(select(func.sum(PostingRow.amount))).one()
    if grand:
        problems.append(f"all postings sum to {grand}, not zero")
    problems += _money_invariants(session)
    return problems


def closed_groups_at_zero(session: Session, totals: dict[str, int]) -> list[str]:
    """A closed group is settled to the paisa (issue 15): every `group:{g}:*` account and every
    `ticket:{t}:*` account of its tickets sums to zero. `totals` is every account's balance."""
    closed = set(session.exec(select(ChitGroup.id).where(ChitGroup.status == "closed")).all())
    if not closed:
        return []
    tickets = set(session.exec(select(Ticket.id).where(Ticket.group_id.in_(closed))).all())
    problems = []
    for account, total in sorted(totals.items()):
        kind, _, rest = account.partition(":")
        ref = rest.split(":", 1)[0]
        if not ref.isdigit() or not total:
            continue
        if (kind == "group" and int(ref) in closed) or (kind == "ticket" and int(ref) in tickets):
            problems.append(f"{account} is {total} paise, but its group is closed (every account must be 0)")
    return problems[:20]


def month_totals_drift(session: Session) -> list[str]:
    """month_totals (migration 0006) against a recomputation from installments and allocations.

    The dashboard's chart reads only the rollup, so a trigger that missed a write would show
    wrong money; this recomputes every bucket (by due date in SQL, by calendar month here, the same
    on both databases) and names each bucket that disagrees. Zero buckets count as absent."""
    expected: dict[tuple[int, tuple[int, int], str], int] = defaultdict(int)
    for gid, day, amount in session.exec(
        select(Installment.group_id, Installment.due_date, func.sum(Installment.amount)).group_by(
            Installment.group_id, Installment.due_date
        )
    ).all():
        expected[(gid, (day.year, day.month), "due")] += int(amount)
    for gid, day, method, amount in session.exec(
        select(Installment.group_id, Installment.due_date, Payment.method, func.sum(PaymentAllocation.amount))
        .join(PaymentAllocation, PaymentAllocation.installment_id == Installment.id)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .group_by(Installment.group_id, Installment.due_date, Payment.method)
    ).all():
        expected[(gid, (day.year, day.month), method)] += int(amount)
    recorded: dict[tuple[int, tuple[int, int], str], int] = defaultdict(int)
    problems = []
    for row in session.exec(select(MonthTotal)).all():
        recorded[(row.group_id, (row.month.year, row.month.month), row.kind)] += int(row.amount)
        if row.month.day != 1:
            problems.append(f"month_totals group {row.group_id} has a bucket dated {row.month}, not a 1st")
    for key in sorted(set(expected) | set(recorded)):
        want, have = expected.get(key, 0), recorded.get(key, 0)
        if want != have:
            gid, (year, month), kind = key
            problems.append(
                f"month_totals group {gid} {year}-{month:02d} {kind} is {have} paise, rows say {want}"
            )
    return problems[:20]


def _money_invariants(session: Session) -> list[str]:
    """Payments, refunds, late fees and payouts against the books (DESIGN §6 and issue 4)."""
    problems: list[str] = []
    # A posted payment is captured for good: it never goes back to created/pending/failed/rejected.
    posted = session.exec(
        select(Payment.id, Payment.status)
        .join(JournalEntry, JournalEntry.key == literal("payment:") + cast(Payment.id, String))
        .where(Payment.status.not_in(("captured", "refunded")))
    ).all()
    problems += [f"payment {pid} is posted to the books but its status is {st}" for pid, st in posted]

    # Refunds: never more than the payment's amount, only on received money, and posted exactly
    # when processed.
    refunds = session.exec(
        select(Refund.payment_id, Payment.amount, Payment.status, func.sum(Refund.amount))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.status != "failed")
        .group_by(Refund.payment_id, Payment.amount, Payment.status)
    ).all()
    for pid, amount, status, refunded in refunds:
        if refunded > amount:
            problems.append(f"payment {pid} is refunded {refunded} paise of its {amount}")
        if status not in ("captured", "refunded"):
            problems.append(f"payment {pid} has refunds but its status is {status}")
    refund_keys = set(session.exec(select(JournalEntry.key).where(JournalEntry.kind == "refund")).all())
    for rid, status in session.exec(select(Refund.id, Refund.status)).all():
        if (status == "processed") != (f"refund:{rid}" in refund_keys):
            state = "missing" if status == "processed" else "present"
            problems.append(f"refund {rid} is {status} but its journal entry is {state}")

    # Each payment's money: allocated + late fees paid + refunded <= amount (the rest is an advance).
    used = (
        select(PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount).label("used"))
        .group_by(PaymentAllocation.payment_id)
        .subquery()
    )
    back = (
        select(Refund.payment_id, func.sum(Refund.amount).label("back"))
        .where(Refund.status != "failed")
        .group_by(Refund.payment_id)
        .subquery()
    )
    spent = Payment.late_fee_paid + func.coalesce(used.c.used, 0) + func.coalesce(back.c.back, 0)
    for pid, amount, total in session.exec(
        select(Payment.id, Payment.amount, spent)
        .outerjoin(used, used.c.payment_id == Payment.id)
        .outerjoin(back, back.c.payment_id == Payment.id)
        .where((spent > Payment.amount) | (Payment.late_fee_paid < 0))
    ).all():
        problems.append(f"payment {pid} accounts for {total} paise of its {amount}")
    stray = session.exec(
        select(Payment.id)
        .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .where(Payment.status.not_in(("captured", "refunded")))
        .distinct()
    ).all()
    problems += [f"payment {pid} is not captured but settles dues" for pid in stray]

    # Payouts: released ones are posted once; prize deductions equal the payout's receivable credit.
    payout_keys = dict(
        session.exec(select(JournalEntry.key, JournalEntry.id).where(JournalEntry.kind == "payout")).all()
    )
    for payout in session.exec(select(Payout)).all():
        key = f"payout:{payout.id}"
        if (payout.status == "released") != (key in payout_keys):
            problems.append(
                f"payout {payout.id} is {payout.status} but its journal entry is "
                f"{'missing' if payout.status == 'released' else 'present'}"
            )
    deducted = dict(
        session.exec(
            select(PostingRow.ticket_id, -func.sum(PostingRow.amount))
            .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
            .where(JournalEntry.kind == "payout", PostingRow.account.like("ticket:%:receivable"))
            .group_by(PostingRow.ticket_id)
        ).all()
    )
    prize_paid = dict(
        session.exec(
            select(Payment.ticket_id, func.sum(Payment.amount))
            .where(Payment.method == "prize", Payment.status.in_(("captured", "refunded")))
            .group_by(Payment.ticket_id)
        ).all()
    )
    for tid in set(deducted) | set(prize_paid):
        if int(deducted.get(tid) or 0) != int(prize_paid.get(tid) or 0):
            problems.append(
                f"ticket {tid}: prize deductions in the books ({deducted.get(tid) or 0}) differ from "
                f"its prize-deduction payments ({prize_paid.get(tid) or 0})"
            )

    # Late fees: never collected beyond what was charged, per ticket.
    charged = dict(
        session.exec(
            select(PostingRow.ticket_id, func.sum(PostingRow.amount))
            .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
            .where(JournalEntry.kind == "late_fee", PostingRow.account.like("ticket:%:receivable"))
            .group_by(PostingRow.ticket_id)
        ).all()
    )
    collected = session.exec(
        select(Payment.ticket_id, func.sum(Payment.late_fee_paid))
        .where(Payment.status.in_(("captured", "refunded")), Payment.late_fee_paid > 0)
        .group_by(Payment.ticket_id)
    ).all()
    for tid, got in collected:
        if int(got) > int(charged.get(tid) or 0):
            problems.append(
                f"ticket {tid}: {got} paise collected in late fees but {charged.get(tid) or 0} charged"
            )

    problems += _receivables_match_dues(session)
    return problems


def _receivables_match_dues(session: Session) -> list[str]:
    """Every seated ticket's receivable in the books equals its unpaid raised dues plus unpaid late
    fees, less its advance and refunds still in flight: the passbook and the dues screens agree."""
    problems: list[str] = []
    rows = session.exec(
        select(Ticket.id, ChitGroup.current_month)
        .join(ChitGroup, ChitGroup.id == Ticket.group_id)
        .where(Ticket.status != "removed", ChitGroup.current_month > 0)
    ).all()
    if not rows:
        return problems
    ids = [tid for tid, _ in rows]
    month_of = dict(rows)
    raised: dict[int, int] = defaultdict(int)
    for tid, month, amount in session.exec(
        select(Installment.ticket_id, Installment.month, Installment.amount).where(
            Installment.ticket_id.in_(ids)
        )
    ).all():
        if month <= month_of[tid]:
            raised[tid] += int(amount)
    received = dict(
        session.exec(
            select(Payment.ticket_id, func.sum(Payment.amount))
            .where(Payment.ticket_id.in_(ids), Payment.status.in_(("captured", "refunded")))
            .group_by(Payment.ticket_id)
        ).all()
    )
    fees = dict(
        session.exec(
            select(PostingRow.ticket_id, func.sum(PostingRow.amount))
            .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
            .where(JournalEntry.kind == "late_fee", PostingRow.ticket_id.in_(ids), PostingRow.amount > 0)
            .group_by(PostingRow.ticket_id)
        ).all()
    )
    refunded = dict(
        session.exec(
            select(Payment.ticket_id, func.sum(Refund.amount))
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Payment.ticket_id.in_(ids), Refund.status == "processed")
            .group_by(Payment.ticket_id)
        ).all()
    )
    books_balance = dict(
        session.exec(
            select(PostingRow.ticket_id, func.sum(PostingRow.amount))
            .where(PostingRow.ticket_id.in_(ids), PostingRow.account.like("ticket:%:receivable"))
            .group_by(PostingRow.ticket_id)
        ).all()
    )
    # An advance still held at the settlement for closing moved to the ticket's refund payable.
    moved = dict(
        session.exec(
            select(PostingRow.ticket_id, func.sum(PostingRow.amount))
            .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
            .where(
                JournalEntry.kind == "closing",
                PostingRow.ticket_id.in_(ids),
                PostingRow.account.like("ticket:%:receivable"),
            )
            .group_by(PostingRow.ticket_id)
        ).all()
    )
    for tid in ids:
        expected = (
            raised[tid] + int(fees.get(tid) or 0) - int(received.get(tid) or 0) + int(refunded.get(tid) or 0)
        ) + int(moved.get(tid) or 0)
        actual = int(books_balance.get(tid) or 0)
        if actual != expected:
            problems.append(
                f"ticket {tid}: receivable in the books is {actual} paise but its dues, fees, payments "
                f"and refunds come to {expected}"
            )
    return problems
