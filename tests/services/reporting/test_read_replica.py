"""The read replica (issue 22, part 5): with READ_DATABASE_URL set, the reports, the exports, the proof
downloads and exports and `ledger-check` read a second database and never write to it; the audit rows
the exports make land in the primary. With it unset, the same paths read the primary.

The "replica" here is a copy of the primary (CREATE DATABASE ... TEMPLATE) that refuses every write
(`default_transaction_read_only`), as a hot standby does; the primary then moves on (a second month
paid and drawn), so a result that matches the copy and not the primary came from the replica."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.testclient import TestClient

from luckychit_app import cli, db, settings
from luckychit_app.api import routes
from luckychit_app.api.session_cookie import COOKIE
from luckychit_app.clock import today_ist, utcnow
from luckychit_app.domain.financial_year import fy_of
from luckychit_app.domain.gst import financial_year
from luckychit_app.models import AuditLog, Draw, User
from luckychit_app.services.people import auth
from luckychit_app.services.reporting import fy_documents, fy_statements, reports
from luckychit_app.state.runner import run_report
from tests.conftest import PgCopies, _pg_admin, pg_url
from tests.services.helpers import active_group, conduct, foreman, member_actor, pay_dues, snapshot


def _fresh_settings() -> None:
    """Settings and the replica's engine are read once per process: forget them."""
    settings.get_settings.cache_clear()
    if (engine := db.replica_engine()) is not None:
        engine.dispose()
    db.replica_engine.cache_clear()
    settings.get_settings.cache_clear()


@pytest.fixture
def primary(pg_copies: PgCopies, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Engine]]:
    """A migrated PostgreSQL database that the app's get_engine() points at; no replica yet."""
    name = pg_copies.take()
    engine = db.make_engine(pg_url(name))
    monkeypatch.setenv("DATABASE_URL", pg_url(name))
    monkeypatch.delenv("READ_DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    _fresh_settings()
    try:
        yield name, engine
    finally:
        _fresh_settings()
        engine.dispose()
        pg_copies.release(name)


@pytest.fixture
def admin() -> Iterator[object]:
    conn = _pg_admin()
    yield conn
    conn.close()


def _tx(engine: Engine):
    return lambda: db.transaction(engine)


def _writes(admin: object, database: str) -> int:
    """Rows inserted, updated and deleted in `database` since it was made, once its backends are
    gone (a backend reports its counts when it ends)."""
    for _ in range(100):
        if not admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchone()[0]:
            break
        asyncio.run(asyncio.sleep(0.05))
    admin.execute("SELECT pg_stat_clear_snapshot()")
    row = admin.execute(
        "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = %s",
        (database,),
    ).fetchone()
    return int(row[0])


def _view(response: httpx.Response) -> tuple[int, object]:
    """What a download said, minus what differs between two downloads of the same books: a PDF's
    creation time and a zip's entry times (its JSON files are compared)."""
    kind = response.headers.get("content-type", "")
    if "pdf" in kind:
        return response.status_code, response.content[:5]
    if "zip" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return response.status_code, {
                n: archive.read(n) for n in archive.namelist() if n.endswith(".json")
            }
    return response.status_code, response.content


def _audits(engine: Engine) -> dict[str, int]:
    with db.transaction(engine) as s:
        rows = s.exec(select(AuditLog.action, func.count()).group_by(AuditLog.action)).all()
    return {action: count for action, count in rows if action.endswith(".exported")}


class Book:
    """One foreman's group with month 1 paid and drawn, and a member who may sign in."""

    def __init__(self, engine: Engine) -> None:
        tx = _tx(engine)
        self.tx = tx
        self.boss = foreman(tx)
        self.group_id, self.tickets = active_group(tx, self.boss, tickets=3)
        pay_dues(tx, self.boss, self.tickets, 1)
        self.first_draw = conduct(tx, self.boss, self.group_id).id
        self.member = member_actor(tx, self.tickets[0])
        with tx() as s:
            user = s.get(User, self.member.user_id)
            user.must_change_password = False
            s.add(user)

    def move_on(self) -> int:
        """Month 2 paid and drawn on the primary: new payments, ledger lines and a second proof."""
        pay_dues(self.tx, self.boss, self.tickets, 2)
        return conduct(self.tx, self.boss, self.group_id).id

    def sign_in(self) -> tuple[str, str]:
        with self.tx() as s:
            return (
                auth.open_session(s, s.get(User, self.boss.user_id)),
                auth.open_session(s, s.get(User, self.member.user_id)),
            )

    def downloads(self, second_draw: int) -> list[tuple[str, str, bool]]:
        """(address, who, audited) of every signed-in report and export, and the public proofs."""
        gid, fid, year = self.group_id, self.boss.user_id, fy_of(today_ist())
        boss = [
            *((f"/api/reports/{gid}/{kind}.csv", True) for kind in ("members", "dues", "payments", "ledger")),
            (f"/api/reports/{gid}/statement", False),
            (
                f"/api/accounts/{fid}/tally.xml?from={year}-04-01&to={today_ist().isoformat()}&openings=1",
                True,
            ),
            *(
                (f"/api/accounts/{fid}/fy/{year}/{kind}.csv", True)
                for kind in ("trial-balance", "receipts-payments", "commission-gst")
            ),
            (f"/api/accounts/{fid}/fy/{year}/statements", True),
            (f"/api/closing/{gid}/statement", False),  # not closed: 400 on both
            (f"/api/closing/{gid}/statement.pdf", False),
            (f"/api/no-dues/{self.tickets[1]}.pdf", False),
            (f"/api/tax/gst-summary.csv?fy={financial_year(today_ist())}", False),
            (f"/api/paperwork/{gid}/agreement.pdf", False),
        ]
        return [
            *((url, "boss", audited) for url, audited in boss),
            ("/api/me/data.zip", "member", True),
            (f"/api/draws/{self.first_draw}/proof.json", "", False),
            (f"/api/draws/{second_draw}/proof.json", "", False),
        ]


def _download_all(book: Book, tokens: tuple[str, str], second_draw: int) -> dict[str, tuple[int, object]]:
    client = TestClient(routes.api)
    cookies = {"boss": {COOKIE: tokens[0]}, "member": {COOKIE: tokens[1]}, "": {}}
    out = {}
    for url, who, _audited in book.downloads(second_draw):
        client.cookies.clear()
        for name, value in cookies[who].items():
            client.cookies.set(name, value)
        out[url] = _view(client.get(url))
    return out


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(argv)
    return code, capsys.readouterr().out


def _overview(book: Book) -> dict:
    return asyncio.run(run_report(lambda s: fy_documents.accounts_overview(s, actor=book.boss)))


@pytest.mark.postgres
def test_reports_exports_proofs_and_ledger_check_read_the_replica_and_write_the_primary(
    primary: tuple[str, Engine],
    admin: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    name, engine = primary
    printed = utcnow()  # the printable pages say when they were printed: the same moment for each run
    monkeypatch.setattr(reports, "utcnow", lambda: printed)
    monkeypatch.setattr(fy_statements, "utcnow", lambda: printed)
    book = Book(engine)

    # The replica: a copy of the books as they stand, that refuses every write.
    replica = f"{name}_replica"
    engine.dispose()  # CREATE DATABASE ... TEMPLATE wants no one connected to the template
    admin.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{name}"')
    try:
        admin.execute(f'ALTER DATABASE "{replica}" SET default_transaction_read_only = on')
        replica_engine = db.make_engine(pg_url(replica))
        copied = snapshot(replica_engine)
        replica_engine.dispose()

        # Sessions are opened after the copy: the replica never sees them, the primary checks them.
        tokens = book.sign_in()
        first = book.downloads(second_draw=0)
        as_copied = _download_all(book, tokens, second_draw=0)
        overview_as_copied = _overview(book)
        assert as_copied[f"/api/draws/{book.first_draw}/proof.json"][0] == 200
        statuses = {url: status for url, (status, _body) in as_copied.items()}
        assert statuses.pop("/api/draws/0/proof.json") == 404
        assert set(statuses.values()) <= {200, 400}, statuses
        oks = {url for url, (status, _body) in as_copied.items() if status == 200}
        assert {url for url, _who, audited in first if audited} <= oks  # every audited export ran

        # The primary moves on: month 2 paid and drawn.
        second_draw = book.move_on()
        latest = _download_all(book, tokens, second_draw)
        payments_csv = f"/api/reports/{book.group_id}/payments.csv"
        assert latest[payments_csv] != as_copied[payments_csv]  # unset: the primary, with month 2
        assert latest[f"/api/draws/{second_draw}/proof.json"][0] == 200
        assert _overview(book) != overview_as_copied
        before = snapshot(engine)  # the primary, to tell its audit rows from the rest
        audits_before = _audits(engine)
        writes_before = _writes(admin, replica)

        # READ_DATABASE_URL set: every path reads the copy, as it was when copied.
        monkeypatch.setenv("READ_DATABASE_URL", pg_url(replica).replace("+psycopg", ""))  # any spelling
        _fresh_settings()
        assert db.get_read_engine() is db.replica_engine() is not None
        assert db.get_read_engine().url.database == replica
        from_replica = _download_all(book, tokens, second_draw)
        audited = [url for url, _who, was_audited in book.downloads(second_draw) if was_audited]
        unknown = f"/api/draws/{second_draw}/proof.json"
        assert from_replica[unknown][0] == 404  # drawn after the copy
        assert {u: v for u, v in from_replica.items() if u != unknown} == {
            u: v for u, v in as_copied.items() if u != "/api/draws/0/proof.json"
        }
        assert _overview(book) == overview_as_copied  # the Reports page's figures (state.runner.run_report)

        # export-proofs and ledger-check: the replica's one draw; the primary's books broken after
        # the copy are not what ledger-check reads.
        code, out = _cli(["export-proofs", str(tmp_path / "replica")], capsys)
        assert code == 0 and "wrote 1 proofs" in out
        with db.transaction(engine) as s:
            s.execute(text("UPDATE month_totals SET amount = amount + 1 WHERE kind = 'cash'"))
        code, out = _cli(["ledger-check"], capsys)
        assert code == 0 and "ledger OK" in out
        health = routes._check_replica()
        assert health["status"] == "ok" and health["lag_seconds"] is None  # a copy, not a standby

        # Nothing was written to the replica, and the exports' audit rows are in the primary.
        _fresh_settings()
        replica_engine = db.make_engine(pg_url(replica))
        assert snapshot(replica_engine) == copied
        replica_engine.dispose()
        assert _writes(admin, replica) == writes_before
        audits_after = _audits(engine)
        assert audits_after["report.exported"] - audits_before["report.exported"] == len(audited) - 1
        assert audits_after["data.exported"] - audits_before["data.exported"] == 1
        after = snapshot(engine)
        changed = {table for table in after if after[table] != before[table]}
        assert changed == {"audit_log", "month_totals"} | ({"audit_chains"} & set(after)), changed

        # And unset again: ledger-check reads the primary, whose books were broken above.
        monkeypatch.delenv("READ_DATABASE_URL")
        _fresh_settings()
        code, out = _cli(["ledger-check"], capsys)
        assert code == 1 and "LEDGER INVARIANT BROKEN" in out
        code, out = _cli(["export-proofs", str(tmp_path / "primary")], capsys)
        assert code == 0 and "wrote 2 proofs" in out
    finally:
        _fresh_settings()
        admin.execute(f'DROP DATABASE IF EXISTS "{replica}" WITH (FORCE)')


@pytest.mark.postgres
def test_without_a_replica_reads_are_on_the_primary_and_read_only(
    primary: tuple[str, Engine], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _name, engine = primary
    book = Book(engine)
    assert db.replica_engine() is None and db.get_read_engine() is engine
    with db.read_transaction() as s:
        assert s.exec(text("SHOW transaction_read_only")).one()[0] == "on"
        assert s.exec(text("SHOW transaction_isolation")).one()[0] == "repeatable read"
        assert s.get(Draw, book.first_draw).status == "completed"
        with pytest.raises(Exception, match="read-only transaction"):
            s.exec(text("UPDATE draws SET month = month WHERE id = :id"), params={"id": book.first_draw})
    second = book.move_on()  # the primary's latest, seen at once
    client = TestClient(routes.api)
    assert client.get(f"/api/draws/{second}/proof.json").status_code == 200
    code, out = _cli(["export-proofs", str(tmp_path)], capsys)
    assert code == 0 and "wrote 2 proofs" in out
    code, out = _cli(["ledger-check"], capsys)
    assert code == 0 and "ledger OK" in out


def test_a_read_transaction_refuses_writes_and_leaves_the_connection_writable(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite too (query_only), so a write slipped into a read path fails in every test run; and the
    next ordinary transaction on the same pooled connection writes as before."""
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    monkeypatch.delenv("READ_DATABASE_URL", raising=False)
    _fresh_settings()
    try:
        for round_no in range(2):
            with db.read_transaction() as s, pytest.raises(Exception, match=r"read-only|readonly"):
                s.exec(text("UPDATE users SET name = name"))
            foreman(_tx(engine), name=f"Writer {round_no}")  # sign-up: users, companies, audit rows
        with db.read_transaction() as s:
            assert s.exec(text("SELECT count(*) FROM users")).one()[0] == 2
    finally:
        _fresh_settings()
