"""What a member page load costs the server before its page: the session check with the page key, in
CPU per call, in process (no server, no socket): through the engine on a worker thread, and on the
event loop through psycopg's async driver as page loads run it (luckychit_app/db_loop.py). Every
handler starts with the session check, so its cost is paid on nearly every event; run it in two
trees to compare their code.

    .venv/bin/python -m bench.session_lookup [--calls 3000] [--database lc_bench]
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench import common


def _cpu_us(fn: Callable[[], object], calls: int) -> float:
    for _ in range(min(200, calls)):
        fn()
    started = time.process_time()
    for _ in range(calls):
        fn()
    return round((time.process_time() - started) / calls * 1e6, 1)


async def _cpu_us_async(fn: Callable[[], Awaitable[object]], calls: int) -> float:
    for _ in range(min(200, calls)):
        await fn()
    started = time.process_time()
    for _ in range(calls):
        await fn()
    return round((time.process_time() - started) / calls * 1e6, 1)


def measure(database: str, calls: int) -> dict[str, Any]:
    common.use_bench_env(database)
    from bench.concurrency import member_tokens
    from luckychit_app import db, db_loop
    from luckychit_app.db import transaction
    from luckychit_app.services.people import auth
    from luckychit_app.services.reporting import page_versions

    token = member_tokens(database, 1)[0]
    values = auth.session_values(token)
    statement = page_versions.SESSION_WITH_COUNTERS

    def empty() -> None:
        with transaction() as s:
            s.connection()

    def session_check() -> None:
        with transaction() as s:
            auth.actor_for_token(s, token)

    async def on_loop() -> dict[str, float]:
        async def engine_check() -> None:
            """The check as page loads ran it before db_loop: a thread hop, a checkout, SQLAlchemy."""
            row = await asyncio.to_thread(db_loop._fetch_on_engine, db.get_engine(), statement, values)
            assert auth.session_of_row(row) is not None

        async def loop_check() -> None:
            """A member page load's check as state/session.py `page_read` runs it (db_loop.fetch_one)."""
            assert auth.session_of_row(await db_loop.fetch_one(statement, values)) is not None

        try:
            return {
                "engine_check_us": await _cpu_us_async(engine_check, calls),
                "page_load_check_us": await _cpu_us_async(loop_check, calls),
            }
        finally:
            await db_loop.close_pools()

    return {
        "transaction_only_us": _cpu_us(empty, calls),
        "session_check_us": _cpu_us(session_check, calls),
        **asyncio.run(on_loop()),
        "calls": calls,
    }


def main(argv: list[str] | None = None) -> int:
    return common.in_process_main(argv, doc=__doc__ or "", name="session_lookup", calls=3000, measure=measure)


if __name__ == "__main__":
    raise SystemExit(main())
