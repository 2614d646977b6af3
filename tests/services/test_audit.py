"""The hash-chained audit log, and the `audit-verify` / `ledger-check` commands."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
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
    pay,
    pay_dues,
    signup_code,
    staff,
)

AUDIT_COLUMNS = (
    "id",
    "chain",
    "seq",
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
            ends = {r.chain: r for r in before}  # each chain's last row so far
            for row in after[len(before) :]:
                previous = ends.get(row.chain)
                assert row.seq == (previous.seq + 1 if previous else 1)
                assert row.prev_hash == (previous.row_hash if previous else audit.GENESIS)
                ends[row.chain] = row
    rows = chain(tx)
    assert len({r.row_hash for r in rows}) == len(rows)
    # The foreman's company work is in the foreman's chain (the second foreman's in another).
    chains: dict[str, int] = {}
    for r in rows:
        chains.setdefault(r.action, r.chain)  # the first such row: the first foreman's
    for action in (
        "user.foreman_signed_up",
        "group.created",
        "payment.recorded",
        "draw.completed",
        "auth.login",
    ):
        assert chains[action] == boss.user_id, action
    second = [r for r in rows if r.action == "user.foreman_signed_up"][-1]
    assert (second.chain, second.seq) == (second.actor_id, 1), "the second foreman's chain starts at 1"
    # The member's request to join is about the foreman's group: the foreman's chain too.
    assert {r.chain for r in rows if r.actor_id == state["member"].user_id} == {boss.user_id}
    assert verify(tx) == audit.ChainReport(len(rows), None, "ok", len({r.chain for r in rows}))


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
    assert [(r["id"], r["chain"], r["seq"]) for r in saved] == [(i, boss.user_id, i) for i in (1, 2, 3, 4)]
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
            "row 2 of the chain is missing",
        ),
        (
            "delete first row",
            lambda: _raw(engine, "DELETE FROM audit_log WHERE id = 1"),
            2,
            "row 1 of the chain is missing",
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
            assert (report.bad_chain, report.first_bad_id) == (boss.user_id, bad_id), report
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
    assert (audit_ok, audit_out.strip()) == (0, f"audit chains OK ({rows} rows in 1 chains)")
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
    assert f"audit chain BROKEN: chain {boss.user_id} at row 5: content does not match" in audit_out
    assert ledger_bad == 1, ledger_out
    assert f"LEDGER INVARIANT BROKEN: journal entry {entry_id} does not balance" in ledger_out
    assert "all postings sum to 100" in ledger_out
    assert "Traceback" not in audit_out + ledger_out


# --- one chain per foreman (issue 22) -----------------------------------------------------------


def create_group_id(tx, boss: Actor) -> int:
    with tx() as s:
        return create_group(s, actor=boss, form=group_form()).id


def _by_chain(tx) -> dict[int, list[AuditLog]]:
    chains: dict[int, list[AuditLog]] = {}
    for row in chain(tx):
        chains.setdefault(row.chain, []).append(row)
    return chains


def test_each_foreman_writes_a_chain_of_their_own(tx):
    a, b = foreman(tx, name="Foreman A"), foreman(tx, name="Foreman B")
    clerk = staff(tx, b, "clerk")
    group_a, tickets_a = active_group(tx, a, tickets=2)
    group_b, tickets_b = active_group(tx, b, tickets=2)
    for ticket_a, ticket_b in zip(tickets_a, tickets_b, strict=True):  # interleaved
        pay(tx, a, ticket_a, 100_000)
        pay(tx, b, ticket_b, 100_000)
    with tx() as s:
        # Left to chain_for: an object of a group, a staff member's act, a job's, a member's.
        audit.record(s, actor_id=None, action="test.group", object_type="group", object_id=group_a)
    with tx() as s:
        audit.record(s, actor_id=clerk.user_id, action="test.staff", object_type="user", object_id=1)
    with tx() as s:
        audit.record(s, actor_id=None, action="test.job", object_type="database", object_id="x")
    with tx() as s:
        member = s.exec(select(Ticket.member_id).where(Ticket.id == tickets_a[0])).one()
        audit.record(s, actor_id=member, action="test.member", object_type="user", object_id=member)
    chains = _by_chain(tx)
    assert set(chains) == {0, a.user_id, b.user_id}
    for rows in chains.values():
        assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
        assert rows[0].prev_hash == audit.GENESIS
        assert all(later.prev_hash == earlier.row_hash for earlier, later in itertools.pairwise(rows))
    actions = {c: [r.action for r in rows] for c, rows in chains.items()}
    assert actions[0] == ["test.job", "test.member"]
    assert actions[a.user_id].count("payment.recorded") == 2 and "test.group" in actions[a.user_id]
    assert actions[b.user_id].count("payment.recorded") == 2 and "test.staff" in actions[b.user_id]
    assert group_b and verify(tx) == audit.ChainReport(sum(map(len, chains.values())), None, "ok", 3)


def test_a_transaction_takes_its_first_chain_and_then_only_chain_0(tx):
    """Rows of one transaction that belong to different companies: the first company's chain, then
    chain 0 for the others (never two foremen's chain locks, nor chain 0's before a foreman's)."""
    a, b = foreman(tx, name="Foreman A"), foreman(tx, name="Foreman B")
    group_a, group_b = create_group_id(tx, a), create_group_id(tx, b)
    with tx() as s:
        rows = [
            audit.record(s, actor_id=None, action="t1", object_type="group", object_id=group_a),
            audit.record(s, actor_id=None, action="t1", object_type="group", object_id=group_b),
            audit.record(s, actor_id=None, action="t1", object_type="group", object_id=group_a),
            audit.record(s, actor_id=None, action="t1", object_type="x", object_id="x", chain=b.user_id),
        ]
        first = [r.chain for r in rows]
    with tx() as s:
        rows = [
            audit.record(s, actor_id=None, action="t2", object_type="database", object_id="x"),
            audit.record(s, actor_id=None, action="t2", object_type="group", object_id=group_a),
        ]
        second = [r.chain for r in rows]
    assert first == [a.user_id, 0, a.user_id, 0]
    assert second == [0, 0]
    assert verify(tx).ok


def test_tampering_in_one_chain_is_reported_as_that_chains_row(tx, engine, subtests):
    a, b = foreman(tx, name="Foreman A"), foreman(tx, name="Foreman B")
    for boss in (a, b, a, b):
        with tx() as s:
            create_group(s, actor=boss, form=group_form())
    saved = _saved_chain(engine)
    b_rows = [r for r in saved if r["chain"] == b.user_id]
    assert [r["seq"] for r in b_rows] == [1, 2, 3]
    second, third = b_rows[1]["id"], b_rows[2]["id"]
    a_last = [r for r in saved if r["chain"] == a.user_id][-1]["row_hash"]  # A's seq 3
    tampering = [
        ("edit", f"UPDATE audit_log SET detail = '{{}}' WHERE id = {second}", second, "changed"),
        ("delete", f"DELETE FROM audit_log WHERE id = {second}", third, "row 2 of the chain is missing"),
        # Moved to the end of chain A, linked to A's last row: the hash covered the chain.
        (
            "move",
            f"UPDATE audit_log SET chain = {a.user_id}, seq = 4, prev_hash = '{a_last}' WHERE id = {third}",
            third,
            "changed",
        ),
    ]
    for name, sql, bad_id, reason in tampering:
        with subtests.test(name):
            _raw(engine, sql)
            report = verify(tx)
            expected_chain = a.user_id if name == "move" else b.user_id
            assert (report.bad_chain, report.first_bad_id) == (expected_chain, bad_id), report
            assert reason in report.reason
            assert report.describe() == f"chain {expected_chain} at row {bad_id}: {report.reason}"
            _restore(engine, saved)
            assert verify(tx).ok


def _legacy_hash(prev_hash: str, row_id: int, at, actor, action, object_type, object_id, detail) -> str:
    """The hash as the code before issue 22 computed it: one chain, "id" the row's id, no "chain"."""
    body = json.dumps(
        {
            "prev": prev_hash,
            "id": row_id,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "detail": detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def test_platform_chain_hashes_as_the_single_chain_did(tx):
    """Chain 0's rows hash exactly as every row did before chains (so old rows verify unchanged);
    another chain's rows also cover their chain."""
    boss = foreman(tx)
    with tx() as s:
        first = audit.record(s, actor_id=None, action="test.job", object_type="database", object_id="x")
        s.expunge(first)
    with tx() as s:
        second = audit.record(
            s, actor_id=None, action="test.job", object_type="database", object_id="y", chain=0
        )
        s.expunge(second)
    rows = {r.seq: r for r in _by_chain(tx)[0]}
    for seq, prev in ((1, audit.GENESIS), (2, rows[1].row_hash)):
        r = rows[seq]
        assert r.row_hash == _legacy_hash(
            prev, seq, r.at, r.actor_id, r.action, r.object_type, r.object_id, r.detail
        )
    mine = _by_chain(tx)[boss.user_id][0]
    legacy = _legacy_hash(
        audit.GENESIS, 1, mine.at, mine.actor_id, mine.action, mine.object_type, mine.object_id, mine.detail
    )
    assert mine.row_hash != legacy


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_foremen_do_not_wait_for_each_others_audit_chain(tx, engine):
    """A foreman's payment transaction, left open mid-way (its chain lock held), holds up only that
    foreman's next payment: another foreman's payment completes at once."""
    a, b = foreman(tx, name="Foreman A"), foreman(tx, name="Foreman B")
    _, tickets_a = active_group(tx, a, tickets=2)
    _, tickets_b = active_group(tx, b, tickets=2)
    done: dict[str, object] = {}

    def pay_in_thread(key: str, actor: Actor, ticket_id: int) -> threading.Thread:
        def run() -> None:
            try:
                with tx() as s:
                    done[key] = offline_payments.record_offline_payment(
                        s, actor=actor, ticket_id=ticket_id, amount="1000"
                    ).id
            except Exception as exc:  # the test inspects it
                done[key] = exc

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    with tx() as s:
        offline_payments.record_offline_payment(s, actor=a, ticket_id=tickets_a[0], amount="1000")
        locks = s.exec(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = :k AND objid = :c"
            ).bindparams(k=audit.LOCK_CLASS, c=a.user_id)
        ).one()[0]
        assert locks == 1, "A's transaction holds A's chain lock"
        other = pay_in_thread("b", b, tickets_b[0])
        other.join(timeout=10)
        assert not other.is_alive(), "foreman B's payment waited for foreman A's open transaction"
        assert isinstance(done["b"], int), done["b"]
        same = pay_in_thread("a", a, tickets_a[1])
        same.join(timeout=1)
        assert same.is_alive(), "foreman A's next payment waits for A's open transaction"
    same.join(timeout=10)
    assert isinstance(done["a"], int), done["a"]
    report = verify(tx)
    assert report.ok and report.chains == 2, report
