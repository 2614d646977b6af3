"""`db.connection()`, the page load's connection (state/session.py `page_read`): on PostgreSQL the
session check runs with no BEGIN and COMMIT around it, the page's read runs in one transaction of
its own (`db.session_on`), and the pooled connection goes back to the pool as it came, so the next
unit of work is a transaction again."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from luckychit_app.db import connection, session_on, transaction

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
XID = text("SELECT pg_current_xact_id()::text")


def test_the_check_commits_statement_by_statement_and_the_read_is_one_transaction(engine: Engine) -> None:
    with connection(engine) as conn:
        check = [conn.execute(XID).scalar() for _ in range(2)]
        with session_on(conn) as s:
            read = [s.exec(XID).one()[0] for _ in range(2)]
    assert check[0] != check[1], "each statement of the check is its own transaction: no BEGIN was sent"
    assert read[0] == read[1], "the page's read is one transaction"
    with transaction(engine) as s:  # the same pooled connection, back in its usual mode
        again = [s.exec(XID).one()[0] for _ in range(2)]
    assert again[0] == again[1]


def test_a_read_that_fails_commits_nothing(engine: Engine) -> None:
    with transaction(engine) as s:
        s.exec(text("CREATE TABLE scratch (n int)"))
    with pytest.raises(RuntimeError), connection(engine) as conn, session_on(conn) as s:
        s.exec(text("INSERT INTO scratch VALUES (1)"))
        raise RuntimeError("the read failed")
    with transaction(engine) as s:
        assert s.exec(text("SELECT count(*) FROM scratch")).one()[0] == 0
