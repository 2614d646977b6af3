"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import sqlmodel
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session, SQLModel, select

import luckychit_app.models  # noqa: F401  (registers the tables)
from luckychit_app.cli import _alembic_config
from luckychit_app.db import make_engine, transaction
from luckychit_app.models import AuditLog, Branch, ChitGroup, Company, DataVersion, Payment, ReceiptCounter
from luckychit_app.services import audit


def test_migrated_schema_matches_the_models(engine):
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite"}
        )
        assert context.get_current_revision() == head
        diffs = compare_metadata(context, SQLModel.metadata)
    assert diffs == [], "models and migrations disagree; add a migration:\n" + "\n".join(map(str, diffs))


def _to(url: str, revision: str, down: bool = False) -> None:
    cfg = _alembic_config()
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    (command.downgrade if down else command.upgrade)(cfg, revision)


def test_companies_migration_moves_a_running_foreman_into_a_main_branch(empty_url: str) -> None:
    """0008 on a database with a foreman's group, payments and receipt counter: a company and its
    main branch appear, the group and payments move in, the receipt series continues unbroken, and
    the rollup triggers still fire (SQLite rebuilt the tables under them)."""
    _to(empty_url, "0007_data_versions")
    engine = make_engine(empty_url)
    rows = {
        "users": "(id, mobile, name, role, password_hash, must_change_password, is_active, language, "
        "notify_sms, notify_email, created_at) VALUES "
        "(1, '9000000002', 'Ramesh', 'foreman', 'x', false, true, 'en', true, false, '2026-01-01'), "
        "(2, '9000000011', 'Priya', 'member', 'x', false, true, 'en', true, false, '2026-01-01')",
        "chit_groups": "(id, foreman_id, name, kind, chit_value, tickets, commission_bp, max_discount_bp, "
        "min_bid_step, foreman_first_chit, remainder_to, late_fee_mode, late_fee_flat, late_fee_interest_bp, "
        "grace_days, draw_day, status, current_month, invite_code, created_at, updated_at) VALUES "
        "(1, 1, 'Diwali', 'lucky', 3000000, 3, 500, 3000, 10000, false, 'carry', 'none', 0, 0, 0, 10, "
        "'active', 1, 'abc', '2026-01-01', '2026-01-01')",
        "tickets": "(id, group_id, ticket_no, member_id, status, status_reason, joined_at) VALUES "
        "(1, 1, 1, 2, 'active', '', '2026-01-01')",
        "payments": "(id, group_id, ticket_id, foreman_id, payer_id, amount, method, status, reference, "
        "receipt_no, failure_reason, late_fee_paid, created_at) VALUES "
        "(1, 1, 1, 1, 2, 100000, 'cash', 'captured', '-', 7, '', 0, '2026-01-02')",
        "receipt_counters": "(foreman_id, last_no) VALUES (1, 7)",
    }
    with engine.begin() as conn:
        for table, values in rows.items():
            conn.exec_driver_sql(f"INSERT INTO {table} {values}")
    engine.dispose()

    _to(empty_url, "head")
    engine = make_engine(empty_url)
    with Session(engine) as s:
        company = s.exec(select(Company)).one()
        branch = s.exec(select(Branch)).one()
        assert (company.owner_id, company.name, branch.company_id, branch.code) == (
            1,
            "Ramesh Chits",
            company.id,
            "MAIN",
        )
        assert s.get(ChitGroup, 1).branch_id == branch.id
        assert s.get(Payment, 1).branch_id == branch.id
        assert s.get(ReceiptCounter, branch.id).last_no == 7
        before = s.exec(  # a payment moves its ticket's counter (migration 0021)
            select(DataVersion.version).where(DataVersion.kind == "t", DataVersion.key_id == 1)
        ).first()
    with transaction(engine) as s:
        payment = s.get(Payment, 1)
        payment.reference = "moved"
        s.add(payment)
    with Session(engine) as s:
        after = s.exec(
            select(DataVersion.version).where(DataVersion.kind == "t", DataVersion.key_id == 1)
        ).one()
        assert after > (before or 0), "the data-version triggers stopped firing after 0008"
    engine.dispose()

    _to(empty_url, "0007_data_versions", down=True)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT foreman_id, last_no FROM receipt_counters").all() == [(1, 7)]
    engine.dispose()


def test_group_lifecycle_migration_keeps_groups_and_seats_a_substitute_beside_the_removed(
    empty_url: str,
) -> None:
    """0009 on a running group: the agreement's new terms take their defaults, a removed ticket's
    number may be seated again (once), the data-version triggers still fire on the rebuilt tickets
    table and fire on the new tables, and the downgrade refuses while a removed ticket exists."""
    _to(empty_url, "0008_companies_branches_staff")
    engine = make_engine(empty_url)
    rows = {
        "users": "(id, mobile, name, role, password_hash, must_change_password, is_active, language, "
        "notify_sms, notify_email, address, created_at) VALUES "
        "(1, '9000000002', 'Ramesh', 'foreman', 'x', false, true, 'en', true, false, '', '2026-01-01'), "
        "(2, '9000000011', 'Priya', 'member', 'x', false, true, 'en', true, false, '', '2026-01-01'), "
        "(3, '9000000012', 'Arjun', 'member', 'x', false, true, 'en', true, false, '', '2026-01-01')",
        "companies": "(id, owner_id, name, created_at) VALUES (1, 1, 'Ramesh Chits', '2026-01-01')",
        "branches": "(id, company_id, name, code, address, created_at) VALUES "
        "(1, 1, 'Main branch', 'MAIN', '', '2026-01-01')",
        "chit_groups": "(id, foreman_id, branch_id, name, kind, chit_value, tickets, commission_bp, "
        "max_discount_bp, min_bid_step, foreman_first_chit, remainder_to, late_fee_mode, late_fee_flat, "
        "late_fee_interest_bp, grace_days, draw_day, status, current_month, invite_code, created_at, "
        "updated_at) VALUES (1, 1, 1, 'Diwali', 'lucky', 3000000, 3, 500, 3000, 10000, false, 'carry', "
        "'none', 0, 0, 0, 10, 'active', 1, 'abc', '2026-01-01', '2026-01-01')",
        "tickets": "(id, group_id, ticket_no, member_id, status, status_reason, joined_at) VALUES "
        "(1, 1, 1, 2, 'active', '', '2026-01-01')",
    }
    with engine.begin() as conn:
        for table, values in rows.items():
            conn.exec_driver_sql(f"INSERT INTO {table} {values}")
    engine.dispose()

    _to(empty_url, "head")
    engine = make_engine(empty_url)
    seat = (
        "INSERT INTO tickets (id, group_id, ticket_no, member_id, status, status_reason, joined_at) VALUES "
    )

    def version(conn: object, kind: str, key: int) -> int:
        found = conn.exec_driver_sql(
            f"SELECT version FROM data_versions WHERE kind = '{kind}' AND key_id = {key}"
        ).scalar()
        return int(found or 0)

    with engine.begin() as conn:
        terms = conn.exec_driver_sql(
            "SELECT period, default_after, removal_deduction_bp, removed_refund_at, late_fee_pool_to, "
            "forfeit_dividend_when_late FROM chit_groups WHERE id = 1"
        ).one()
        assert tuple(terms) == ("monthly", 3, 500, "close", "foreman", False)
        before = version(conn, "g", 1)
        conn.exec_driver_sql("UPDATE tickets SET status = 'removed' WHERE id = 1")
        conn.exec_driver_sql(seat + "(2, 1, 1, 3, 'active', '', '2026-02-01')")
        assert version(conn, "g", 1) > before or empty_url.startswith("postgresql")
    with engine.begin() as conn:  # PostgreSQL moves the counters at commit
        assert version(conn, "g", 1) > before, "the ticket triggers stopped firing after 0009"
        user_before = version(conn, "u", 2)
        conn.exec_driver_sql(
            "INSERT INTO subscriber_refunds (group_id, ticket_id, kind, member_id, contributed, deduction, "
            "amount, payable_at, status, method, reference, created_at) "
            "VALUES (1, 1, 'removal', 2, 0, 0, 0, 'close', 'due', '', '', '2026-02-01')"
        )
    with engine.begin() as conn:
        assert version(conn, "u", 2) > user_before, "subscriber_refunds has no data-version trigger"
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.exec_driver_sql(seat + "(3, 1, 1, 2, 'active', '', '2026-02-02')")  # a second seat of no. 1
    engine.dispose()

    with pytest.raises(RuntimeError, match="Cannot downgrade"):
        _to(empty_url, "0008_companies_branches_staff", down=True)
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM subscriber_refunds")
        conn.exec_driver_sql("DELETE FROM tickets WHERE status = 'removed'")
    engine.dispose()
    _to(empty_url, "0008_companies_branches_staff", down=True)
    engine = make_engine(empty_url)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.exec_driver_sql(seat + "(3, 1, 1, 2, 'active', '', '2026-02-02')")  # unique again, as before
    engine.dispose()


def _legacy_row(row_id: int, prev: str, at: datetime, action: str) -> dict:
    """An audit row as the code before 0019 wrote it: one chain, its id in the hashed body."""
    row = {
        "id": row_id,
        "at": at,
        "actor_id": None,
        "action": action,
        "object_type": "database",
        "object_id": str(row_id),
        "detail": "{}",
        "prev_hash": prev,
    }
    body = {k: row[k] for k in ("id", "action", "object_type", "object_id", "detail")}
    body |= {"prev": prev, "at": at.isoformat(timespec="microseconds"), "actor": None}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return row | {"row_hash": hashlib.sha256(text.encode()).hexdigest()}


def test_audit_chains_migration_keeps_the_old_chain_as_chain_0(empty_url: str) -> None:
    """0019 on a database with audit rows of the single chain: they become chain 0 numbered by their
    id and verify unchanged; new rows then get ids of their own (PostgreSQL's sequence moved past the
    explicit ids the old code wrote) in chain 0 and in a foreman's chain; the downgrade refuses
    while a row is in a foreman's chain, and works once none is."""
    _to(empty_url, "0018_worker_heartbeats")
    engine = make_engine(empty_url)
    at = datetime(2026, 11, 1, 4, 30, 0, 123456, tzinfo=UTC)
    rows, prev = [], audit.GENESIS
    for row_id in (1, 2, 3):
        rows.append(_legacy_row(row_id, prev, at + timedelta(minutes=row_id), f"legacy.{row_id}"))
        prev = rows[-1]["row_hash"]
    legacy = sa.table(
        "audit_log",
        *(sa.column(c) for c in rows[0] if c != "at"),
        sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO users (id, mobile, name, role, password_hash, must_change_password, is_active, "
            "language, notify_sms, notify_email, address, created_at) VALUES "
            "(7, '9000000002', 'Ramesh', 'foreman', 'x', false, true, 'en', true, false, '', '2026-01-01')"
        )
        conn.execute(sa.insert(legacy), rows)
    engine.dispose()

    _to(empty_url, "head")
    engine = make_engine(empty_url)
    with Session(engine) as s:
        assert [(r.id, r.chain, r.seq) for r in s.exec(select(AuditLog).order_by(AuditLog.id))] == [
            (1, 0, 1),
            (2, 0, 2),
            (3, 0, 3),
        ]
        assert audit.verify_chain(s) == audit.ChainReport(3, None, "ok", 1)
    with transaction(engine) as s:
        platform = audit.record(s, actor_id=None, action="after.0019", object_type="database", object_id="x")
        assert (platform.chain, platform.seq, platform.prev_hash) == (0, 4, rows[-1]["row_hash"])
    with transaction(engine) as s:
        mine = audit.record(s, actor_id=7, action="after.0019", object_type="user", object_id=7)
        assert (mine.id, mine.chain, mine.seq) == (5, 7, 1)
    with Session(engine) as s:
        assert audit.verify_chain(s) == audit.ChainReport(5, None, "ok", 2)
    engine.dispose()

    with pytest.raises(RuntimeError, match="Cannot downgrade"):
        _to(empty_url, "0018_worker_heartbeats", down=True)
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log WHERE chain <> 0")
    engine.dispose()
    _to(empty_url, "0018_worker_heartbeats", down=True)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id FROM audit_log ORDER BY id").scalars().all() == [1, 2, 3, 4]
    engine.dispose()
