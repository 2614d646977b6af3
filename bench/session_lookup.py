"""What a member page load costs the server before its page: the session check with the page key,
in CPU per call, in process (no server, no socket). Every handler starts with the session check,
so its cost is paid on nearly every event; run it in two trees to compare their code.

    .venv/bin/python -m bench.session_lookup [--calls 3000] [--database lc_bench]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench import common


def _cpu_us(fn: Callable[[], object], calls: int) -> float:
    for _ in range(min(200, calls)):
        fn()
    started = time.process_time()
    for _ in range(calls):
        fn()
    return round((time.process_time() - started) / calls * 1e6, 1)


def measure(database: str, calls: int) -> dict[str, Any]:
    common.use_bench_env(database)
    from bench.concurrency import member_tokens
    from luckychit_app.db import connection, transaction
    from luckychit_app.services.people import auth
    from luckychit_app.services.reporting import page_versions

    token = member_tokens(database, 1)[0]

    def empty() -> None:
        with transaction() as s:
            s.connection()

    def session_check() -> None:
        with transaction() as s:
            auth.actor_for_token(s, token)

    def page_load_check() -> None:
        """A member page load's check as state/session.py `page_read` runs it: one statement, with
        the page key's counters, on a connection with no transaction around it (docs/benchmarks.md 3k)."""
        with connection() as conn:
            assert auth.session_for_token(conn, token, page_versions.SESSION_WITH_COUNTERS) is not None

    return {
        "transaction_only_us": _cpu_us(empty, calls),
        "session_check_us": _cpu_us(session_check, calls),
        "page_load_check_us": _cpu_us(page_load_check, calls),
        "calls": calls,
    }


def main(argv: list[str] | None = None) -> int:
    return common.in_process_main(argv, doc=__doc__ or "", name="session_lookup", calls=3000, measure=measure)


if __name__ == "__main__":
    raise SystemExit(main())
