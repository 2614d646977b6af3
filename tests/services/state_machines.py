"""What the stateful (hypothesis) tests share: a new migrated database per example, and the books'
structural check over every journal entry written so far."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from luckychit_app.db import make_engine
from luckychit_app.domain.ledger import check_books
from luckychit_app.models import JournalEntry, PostingRow
from luckychit_app.services.money.ledger import ledger_check
from tests.conftest import pg_url, restore_sqlite


@dataclass
class _Posting:
    account: str
    amount: int


@dataclass
class _Entry:
    key: str
    kind: str
    reverses: str | None
    postings: list[_Posting] = field(default_factory=list)


@pytest.fixture
def fresh_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Engine]]:
    """A factory of engines on new, empty, migrated databases (one per hypothesis example: an example
    that shrinks or replays must start from the same empty books). On SQLite every example gets the
    same engine, the template restored into its file (tests.conftest.restore_sqlite)."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        engine = make_engine(f"sqlite:///{tmp_path / 'sm.db'}")

        def new() -> Engine:
            restore_sqlite(template, engine)
            return engine

        yield new
        engine.dispose()
        return

    copies = request.getfixturevalue("pg_copies")
    made: list[str] = []

    def new_pg() -> Engine:
        made.append(copies.take())
        return make_engine(pg_url(made[-1]))

    yield new_pg
    for name in made:
        copies.release(name)


def assert_books_hold(s: Session) -> None:
    """The stored ledger checks (services/money/ledger.ledger_check), and every journal entry read
    back as written passes the domain's own check (balanced, reversals name what they reverse)."""
    assert ledger_check(s) == []
    keys = dict(s.exec(select(JournalEntry.id, JournalEntry.key)).all())
    entries: dict[int, _Entry] = {
        e.id: _Entry(e.key, e.kind, keys.get(e.reverses_id)) for e in s.exec(select(JournalEntry)).all()
    }
    for row in s.exec(select(PostingRow)).all():
        entries[row.entry_id].postings.append(_Posting(row.account, row.amount))
    assert check_books(list(entries.values())) == []
    for entry in entries.values():
        assert len(entry.postings) >= 2 and sum(p.amount for p in entry.postings) == 0, entry


def run_machine(
    machine: type[RuleBasedStateMachine],
    fresh_db: Callable[[], Engine],
    seen: Counter[str],
    *,
    examples: int,
    must_reach: tuple[str, ...],
) -> None:
    """Run a stateful test on new databases: `examples` fixed, repeatable examples, or with
    LUCKYCHIT_SM_EXAMPLES=N that many fresh random ones. A fixed run must reach every path named in
    `must_reach` (counted in `seen` by the machine's events), or the rules have stopped exploring."""
    machine.new_database = staticmethod(fresh_db)
    deep = int(os.environ.get("LUCKYCHIT_SM_EXAMPLES", "0"))
    seen.clear()
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=deep or examples,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
            derandomize=not deep,
        ),
    )
    print(dict(seen))
    if not deep:
        for path in must_reach:
            assert seen[path], f"no example reached {path!r}: {dict(seen)}"
