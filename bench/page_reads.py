"""What a page's read costs the server when it must be read (a first visit, or after a change): the
member's home, draws and passbook reads and the dashboard's activity feed, in CPU and statements
per call, in process (no server, no socket). A member navigation finds most pages unchanged and
skips these (services/reporting/page_versions.py); a busy collection day (`bench.concurrency
--changes 2`) and the ramp's first visits do not. Run it in two trees to compare their code.

    .venv/bin/python -m bench.page_reads [--calls 40] [--database lc_bench]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench import common

MEMBER_MOBILE = "7000000001"
FOREMAN_MOBILE = "9100000001"


def _measure(fn: Callable[[], object], calls: int, statements: list[int]) -> dict[str, float]:
    for _ in range(5):
        fn()
    cpu, counted = [], statements[0]
    for _ in range(calls):
        started = time.process_time()
        fn()
        cpu.append((time.process_time() - started) * 1000)
    cpu.sort()
    return {
        "cpu_p50_ms": round(cpu[len(cpu) // 2], 2),
        "cpu_min_ms": round(cpu[0], 2),
        "statements": round((statements[0] - counted) / calls, 1),
    }


def measure(database: str, calls: int) -> dict[str, Any]:
    common.use_bench_env(database)
    from sqlalchemy import event
    from sqlmodel import Session, select

    from luckychit_app.db import get_engine, transaction
    from luckychit_app.models import User
    from luckychit_app.services.draws import draw_views
    from luckychit_app.services.people import auth
    from luckychit_app.services.reporting import home_dashboard, views
    from luckychit_app.state import passbook as passbook_page

    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(get_engine(), "before_cursor_execute", count)
    with transaction() as s:
        member = auth.actor_for_user(s, s.exec(select(User.id).where(User.mobile == MEMBER_MOBILE)).one())
        boss = auth.actor_for_user(s, s.exec(select(User.id).where(User.mobile == FOREMAN_MOBILE)).one())

    reads: dict[str, Callable[[Session], object]] = {
        "member_home": lambda s: views.member_home(s, actor=member),
        "member_draws": lambda s: draw_views.member_draws(s, actor=member),
        "passbook": lambda s: passbook_page.read_page(s, member, ""),  # the first ticket's statement
        "dashboard_activity": lambda s: home_dashboard.recent_activity(s, actor=boss),
    }

    def in_transaction(read: Callable[[Session], object]) -> Callable[[], object]:
        def call() -> object:
            with transaction() as s:
                return read(s)

        return call

    return {name: _measure(in_transaction(read), calls, statements) for name, read in reads.items()}


def main(argv: list[str] | None = None) -> int:
    return common.in_process_main(argv, doc=__doc__ or "", name="page_reads", calls=40, measure=measure)


if __name__ == "__main__":
    raise SystemExit(main())
