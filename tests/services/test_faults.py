"""Faults on PostgreSQL: a process killed in the middle of a money transaction leaves nothing
half-written, and the app's engine recovers by itself after the database restarts.

To kill a writer at a known point inside its transaction, the test holds the advisory lock of the
foreman's audit chain: every money service appends its audit row last, so the writer blocks there
after writing its payment, allocations, receipt number, postings (or draw result), and is then
killed with SIGKILL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, text
from sqlmodel import select

from luckychit_app.db import make_engine, transaction
from luckychit_app.models import Draw, JournalEntry, Payment, ReceiptCounter
from luckychit_app.services.audit import LOCK_CLASS, verify_chain
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.verify import verify_proof
from tests.services.helpers import (
    active_group,
    conduct,
    current_draw,
    foreman,
    main_branch_id,
    pay_dues,
    rupees,
)

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backend() -> str:
    """These faults are PostgreSQL's (advisory locks, a real server to restart): no SQLite variant."""
    return "postgres"


def _writer(db_url: str, code: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_until_blocked(db_url: str, timeout: float = 20) -> None:
    """Until some other backend waits on the audit advisory lock (i.e. it is mid-transaction)."""
    deadline = time.monotonic() + timeout
    dsn = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the writer never reached the audit lock")


def _kill_while_blocked(engine, db_url: str, chain: int, code: str) -> str:
    dsn = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_CLASS, chain))
        proc = _writer(db_url, code)
        try:
            _wait_until_blocked(db_url)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=20)
        finally:
            holder.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, chain))
    return proc.stdout.read().decode() if proc.stdout else ""


def _books_intact(tx) -> None:
    with tx() as s:
        assert ledger_check(s) == []
        assert verify_chain(s).ok


def test_killed_payment_writes_nothing_and_leaves_no_receipt_gap(tx, engine, db_url):
    boss = foreman(tx)
    _, tickets = active_group(tx, boss, tickets=3)
    with tx() as s:
        payments_before = s.exec(select(func.count()).select_from(Payment)).one()
        entries_before = s.exec(select(func.count()).select_from(JournalEntry)).one()
    _kill_while_blocked(
        engine,
        db_url,
        boss.user_id,
        f"""
        from luckychit_app.db import transaction
        from luckychit_app.services.money import offline_payments
        from luckychit_app.services.access import Actor
        with transaction() as s:
            offline_payments.record_offline_payment(s, actor=Actor({boss.user_id}, "foreman"),
                                                    ticket_id={tickets[0]}, amount="1000", method="cash")
        print("COMMITTED")
    """,
    )
    with tx() as s:
        assert s.exec(select(func.count()).select_from(Payment)).one() == payments_before
        assert s.exec(select(func.count()).select_from(JournalEntry)).one() == entries_before
        counter = s.exec(
            select(ReceiptCounter).where(ReceiptCounter.branch_id == main_branch_id(s, boss))
        ).first()
        assert counter is None or counter.last_no == 0
    _books_intact(tx)
    with tx() as s:  # the next payment gets receipt 1: no gap from the killed one
        from luckychit_app.services.money import offline_payments

        assert (
            offline_payments.record_offline_payment(
                s, actor=boss, ticket_id=tickets[0], amount=rupees(100_000), method="cash"
            ).receipt_no
            == 1
        )
    _books_intact(tx)


def test_killed_draw_happens_fully_or_not_at_all(tx, engine, db_url):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=4)
    pay_dues(tx, boss, tickets, 1)
    draw_id = current_draw(tx, group_id).id
    _kill_while_blocked(
        engine,
        db_url,
        boss.user_id,
        f"""
        from luckychit_app.db import transaction
        from luckychit_app.services.draws.conducting import conduct_draw
        from luckychit_app.services.access import Actor
        with transaction() as s:
            conduct_draw(s, actor=Actor({boss.user_id}, "foreman"), draw_id={draw_id})
    """,
    )
    with tx() as s:
        draw = s.get(Draw, draw_id)
        assert draw.status == "committed" and draw.winner_ticket_id is None and draw.proof_json is None
        assert s.exec(select(JournalEntry).where(JournalEntry.key == f"draw:{draw_id}")).first() is None
    _books_intact(tx)
    done = conduct(tx, boss, group_id)  # the same draw can now be held, once
    assert done.id == draw_id and done.status == "completed"
    import json

    assert all(check.ok for check in verify_proof(json.loads(done.proof_json)))
    _books_intact(tx)


# --- database restart -------------------------------------------------------------------------

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


@pytest.fixture
def private_cluster(tmp_path_factory):
    """A PostgreSQL server of this test's own, so restarting it disturbs nobody else."""
    if PG_BIN is None or shutil.which("runuser") is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are required in CI")
        pytest.skip("no PostgreSQL server binaries")
    base = Path("/tmp") / f"lc-pg-{uuid.uuid4().hex[:8]}"
    base.mkdir(mode=0o777)
    data = base / "data"
    shutil.chown(base, "postgres") if os.geteuid() == 0 else None
    port = 55000 + os.getpid() % 400
    subprocess.run(
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
        check=True,
        capture_output=True,
    )
    ctl = [
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
        "-l",
        str(base / "log"),
        "-w",
    ]
    subprocess.run(_as_postgres(*ctl, "start"), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", ctl
    finally:
        subprocess.run(_as_postgres(*ctl, "-m", "immediate", "stop"), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_engine_recovers_by_itself_after_the_database_restarts(private_cluster):
    from tests.conftest import migrate

    url, ctl = private_cluster
    migrate(url)
    engine = make_engine(url)
    try:
        with transaction(engine) as s:
            assert s.exec(text("SELECT 1")).one()[0] == 1
        subprocess.run(_as_postgres(*ctl, "-m", "fast", "restart"), check=True, capture_output=True)
        started = time.monotonic()
        with transaction(engine) as s:  # pooled connections are dead; pre-ping replaces them
            assert s.exec(text("SELECT count(*) FROM users")).one()[0] == 0
        assert time.monotonic() - started < 5
        subprocess.run(_as_postgres(*ctl, "-m", "fast", "stop"), check=True, capture_output=True)
        with pytest.raises(Exception), transaction(engine) as s:  # noqa: B017  (down: any DB error)
            s.exec(text("SELECT 1"))
        subprocess.run(_as_postgres(*ctl, "start"), check=True, capture_output=True)
        with transaction(engine) as s:
            assert s.exec(text("SELECT 1")).one()[0] == 1
    finally:
        engine.dispose()
