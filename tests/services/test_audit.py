"""The hash-chained audit log, and the `audit-verify` / `ledger-check` commands."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from sqlalchemy import text
from sqlmodel import Session, select

from luckychit_app.models import AuditLog, ChitGroup, Draw, JournalEntry, Ticket
from luckychit_app.services import audit
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import conducting
from luckychit_app.services.groups.setup import activate_group, create_group, update_group
from luckychit_app.services.money import offline_payments
from luckychit_app.services.money.ledger import ledger_check
from luckychit_app.services.people import auth, members
from luckychit_app.settings import ROOT
from tests.services.helpers import (
    PASSWORD,
    active_group,
    current_draw,
    foreman,
    group_form,
    new_mobile,
    pay_dues,
    signup_code,
)

AUDIT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "detail",
    "prev_hash",
    "row_hash",
)


def chain(tx) -> list[AuditLog]:
    with tx() as s:
        return list(s.exec(select(AuditLog).order_by(AuditLog.id)).all())


def verify(tx) -> audit.ChainReport:
    with tx() as s:
        return audit.verify_chain(s)


def test_every_service_change_appends_a_chained_row(tx, subtests):
    mobile = new_mobile()
    boss = foreman(tx, mobile=mobile)
    state: dict = {}

    def create(s: Session) -> None:
        state["group"] = create_group(s, actor=boss, form=group_form(tickets="2")).id

    def add(s: Session) -> None:
        state["ticket"] = members.add_member(
            s, actor=boss, group_id=state["group"], name="Priya Sharma", mobile=new_mobile()
        )[0].id

    def join(s: Session) -> None:
        code = s.get(ChitGroup, state["group"]).invite_code
        mobile = new_mobile()
        user, request = members.sign_up_member(
            s,
            code=code,
            name="Arjun Nair",
            mobile=mobile,
            mobile_code=signup_code(s, mobile),
            password=PASSWORD,
        )
        state["request"], state["member"] = request.id, Actor(user.id, "member")

    def pay(s: Session) -> None:
        offline_payments.record_offline_payment(s, actor=boss, ticket_id=state["ticket"], amount="15,000")

    def pay_other(s: Session) -> None:
        ticket = s.exec(select(Ticket.id).where(Ticket.member_id == state["member"].user_id)).one()
        offline_payments.record_offline_payment(
            s, actor=boss, ticket_id=ticket, amount="15000", method="bank"
        )

    def draw(s: Session) -> None:
        draw_id = s.exec(select(Draw.id).where(Draw.group_id == state["group"])).one()
        conducting.conduct_draw(s, actor=boss, draw_id=draw_id)

    steps: list[tuple[str, Callable[[Session], object]]] = [
        ("create group", create),
        (
            "rename group",
            lambda s: update_group(
                s, actor=boss, group_id=state["group"], form=group_form(tickets="2", name="Renamed")
            ),
        ),
        ("add member", add),
        ("sign up member and ask to join", join),
        (
            "approve join",
            lambda s: members.decide_join_request(s, actor=boss, request_id=state["request"], approve=True),
        ),
        (
            "suspend",
            lambda s: members.set_ticket_status(
                s, actor=boss, ticket_id=state["ticket"], status="suspended", reason="cheque bounced"
            ),
        ),
        (
            "reinstate",
            lambda s: members.set_ticket_status(s, actor=boss, ticket_id=state["ticket"], status="active"),
        ),
        ("activate", lambda s: activate_group(s, actor=boss, group_id=state["group"])),
        ("record payment", pay),
        ("record bank payment", pay_other),
        ("conduct draw", draw),
        ("login", lambda s: auth.login(s, mobile=mobile, password=PASSWORD)),
        (
            "change password",
            lambda s: auth.change_password(s, actor=boss, current=PASSWORD, new="changed-pass-9"),
        ),
        (
            "sign up foreman",
            lambda s: auth.sign_up_foreman(
                s,
                name="Second Foreman",
                mobile=(m := new_mobile()),
                code=signup_code(s, m),
                password=PASSWORD,
            ),
        ),
    ]
    for name, step in steps:
        with subtests.test(name):
            before = chain(tx)
            with tx() as s:
                step(s)
            after = chain(tx)
            assert len(after) > len(before), f"{name} left no audit row"
            assert after[: len(before)] == before, "earlier rows must never change"
            for previous, row in zip(after[len(before) - 1 :], after[len(before) :], strict=False):
                assert row.id == previous.id + 1
                assert row.prev_hash == previous.row_hash
    rows = chain(tx)
    assert rows[0].prev_hash == audit.GENESIS
    assert len({r.row_hash for r in rows}) == len(rows)
    assert verify(tx) == audit.ChainReport(len(rows), None, "ok")


def _raw(engine, sql: str, **params) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def _saved_chain(engine) -> list[dict]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(text(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log ORDER BY id"))
        ]


def _restore(engine, rows: list[dict]) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
        cols = ", ".join(AUDIT_COLUMNS)
        conn.execute(
            text(f"INSERT INTO audit_log ({cols}) VALUES ({', '.join(':' + c for c in AUDIT_COLUMNS)})"), rows
        )


def _copy_content(engine, rows: list[dict], source: int, target: int, columns: tuple[str, ...]) -> None:
    row = next(r for r in rows if r["id"] == source)
    sets = ", ".join(f"{c} = :{c}" for c in columns)
    _raw(
        engine,
        f"UPDATE audit_log SET {sets} WHERE id = :target",
        target=target,
        **{c: row[c] for c in columns},
    )


def test_verify_chain_names_the_first_tampered_row(tx, engine, subtests):
    boss = foreman(tx)
    for i in range(3):
        with tx() as s:
            create_group(s, actor=boss, form=group_form(name=f"Group number {i}"))
    saved = _saved_chain(engine)
    assert [r["id"] for r in saved] == [1, 2, 3, 4]
    assert verify(tx).ok
    content = ("at", "actor_id", "action", "object_type", "object_id", "detail")

    def swap(columns: tuple[str, ...]) -> Callable[[], None]:
        def do() -> None:
            _raw(engine, "UPDATE audit_log SET row_hash = :h WHERE id = 4", h="0" * 64)  # row_hash is unique
            _copy_content(engine, saved, 4, 2, columns)
            _copy_content(engine, saved, 2, 4, columns)

        return do

    tampering: list[tuple[str, Callable[[], None], int, str]] = [
        (
            "edit detail",
            lambda: _raw(engine, """UPDATE audit_log SET detail = '{"name":"x"}' WHERE id = 3"""),
            3,
            "changed",
        ),
        (
            "edit action",
            lambda: _raw(engine, "UPDATE audit_log SET action = 'group.deleted' WHERE id = 2"),
            2,
            "changed",
        ),
        (
            "edit actor",
            lambda: _raw(engine, "UPDATE audit_log SET actor_id = NULL WHERE id = 4"),
            4,
            "changed",
        ),
        (
            "edit first row",
            lambda: _raw(engine, "UPDATE audit_log SET object_id = '99' WHERE id = 1"),
            1,
            "changed",
        ),
        (
            "delete middle row",
            lambda: _raw(engine, "DELETE FROM audit_log WHERE id = 2"),
            3,
            "row 2 is missing",
        ),
        (
            "delete first row",
            lambda: _raw(engine, "DELETE FROM audit_log WHERE id = 1"),
            2,
            "row 1 is missing",
        ),
        ("swap content", swap(content), 2, "changed"),
        ("swap content with hashes", swap((*content, "prev_hash", "row_hash")), 2, "prev_hash"),
        (
            "rehash one row",
            lambda: _raw(engine, "UPDATE audit_log SET row_hash = :h WHERE id = 3", h="f" * 64),
            3,
            "changed",
        ),
    ]
    for name, tamper, bad_id, reason in tampering:
        with subtests.test(name):
            tamper()
            report = verify(tx)
            assert report.first_bad_id == bad_id, report
            assert reason in report.reason
            assert not report.ok
            _restore(engine, saved)
            assert verify(tx).ok


def _cli(db_url: str, *commands: str) -> list[tuple[int, str]]:
    """(exit code, output) of `python -m luckychit_app COMMAND` for each command, run side by side."""
    env = {**os.environ, "DATABASE_URL": db_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "luckychit_app", command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for command in commands
    ]
    return [(proc.wait(timeout=60), proc.stdout.read()) for proc in procs]


def test_cli_audit_verify_and_ledger_check_exit_codes(tx, engine, db_url):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=2)
    pay_dues(tx, boss, tickets, 1)
    with tx() as s:
        conducting.conduct_draw(s, actor=boss, draw_id=current_draw(tx, group_id).id)
        assert ledger_check(s) == []
    rows = len(chain(tx))

    (audit_ok, audit_out), (ledger_ok, ledger_out) = _cli(db_url, "audit-verify", "ledger-check")
    assert (audit_ok, audit_out.strip()) == (0, f"audit chain OK ({rows} rows)")
    assert (ledger_ok, ledger_out.strip()) == (0, "ledger OK: every entry balances and every invariant holds")

    _raw(engine, "UPDATE audit_log SET detail = :d WHERE id = 5", d='{"forged": true}')
    with tx() as s:
        entry_id = s.exec(select(JournalEntry.id).where(JournalEntry.kind == "payment")).first()
    _raw(
        engine,
        "INSERT INTO postings (entry_id, account, amount) VALUES (:e, :a, 100)",
        e=entry_id,
        a=f"group:{group_id}:cash",
    )
    (audit_bad, audit_out), (ledger_bad, ledger_out) = _cli(db_url, "audit-verify", "ledger-check")
    assert audit_bad == 1, audit_out
    assert "audit chain BROKEN at row 5" in audit_out
    assert ledger_bad == 1, ledger_out
    assert f"LEDGER INVARIANT BROKEN: journal entry {entry_id} does not balance" in ledger_out
    assert "all postings sum to 100" in ledger_out
    assert "Traceback" not in audit_out + ledger_out
