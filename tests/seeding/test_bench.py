"""seed-bench builds books that pass every check the real ones must: ledger-check, the audit
chain, and the proof of every draw it held. A small book, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import select

from luckychit_app.models import Draw, Installment, Payment, ReceiptCounter, Ticket
from luckychit_app.seeding.bench import BenchShape, seed_bench
from luckychit_app.services.audit import verify_chain
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.verify import verify_proof


def test_small_bench_book_passes_every_check(engine, tx):
    shape = BenchShape(groups=4, members=30, months=9, foremen=2)
    report = seed_bench(engine, shape)
    seats = shape.tickets_per_group
    assert seats == 9  # enough seats for nine months of history
    assert report.counts["installments"] == 4 * seats * seats
    with tx() as session:
        assert ledger_check(session) == []
        chain = verify_chain(session)
        assert chain.ok and chain.rows == 1
        draws = session.exec(select(Draw).where(Draw.status == "completed")).all()
        assert len(draws) == sum(shape.months - 1 - g % 4 for g in range(4))  # months 9, 8, 7, 6
        for draw in draws:
            assert all(check.ok for check in verify_proof(json.loads(draw.proof_json)))
        assert (
            session.exec(select(func.count()).select_from(Draw).where(Draw.status == "committed")).one() == 4
        )
        # Receipts are numbered 1..n without gaps per branch, and the counters agree.
        for counter in session.exec(select(ReceiptCounter)).all():
            numbers = sorted(
                session.exec(select(Payment.receipt_no).where(Payment.branch_id == counter.branch_id)).all()
            )
            assert numbers == list(range(1, counter.last_no + 1))
        # Every ticket except those still unprized won exactly one month.
        prized = session.exec(select(Ticket.prized_month).where(Ticket.prized_month.is_not(None))).all()
        assert len(prized) == len(draws)
        assert (
            session.exec(select(func.count()).select_from(Installment)).one() == report.counts["installments"]
        )


def test_seed_bench_refuses_a_database_with_data(engine):
    seed_bench(engine, BenchShape(groups=1, members=2, months=2))
    with pytest.raises(RuntimeError, match="empty database"):
        seed_bench(engine, BenchShape(groups=1, members=2, months=2))
