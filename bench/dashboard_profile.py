"""Where the foreman dashboard's time goes, in process: each part of `DashboardState.load`'s work
(the four services and the two figures) timed over N loads, and every SQL statement of the last
load timed at the cursor. No profiler to install; the event round trip (bench.event_roundtrip)
adds the framework around it. `--explain` also runs EXPLAIN ANALYZE on each statement of the last
load (PostgreSQL) and records its plan: which ones read more of the book than the foreman's.

    .venv/bin/python -m bench.dashboard_profile [--loads 30] [--database lc_bench] [--explain]
"""

from __future__ import annotations

import argparse
import collections
import time
from typing import Any

from bench import common

FOREMAN_MOBILE = "9100000001"


def profile(database: str, loads: int, explain: bool = False) -> dict[str, Any]:
    common.use_bench_env(database)
    from sqlalchemy import event
    from sqlmodel import select

    from luckychit_app.db import get_engine, transaction
    from luckychit_app.models import User
    from luckychit_app.services.access import Actor
    from luckychit_app.services.reporting import home_dashboard
    from luckychit_app.state.charts import collection_figure, outstanding_figure

    statements: dict[str, list[float]] = collections.defaultdict(list)
    last_load: list[tuple[str, Any]] = []  # (statement, parameters) of the last load, for --explain
    started: dict[str, float] = {}
    engine = get_engine()

    @event.listens_for(engine, "before_cursor_execute")
    def _before(*_: object) -> None:
        started["t"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(_conn: object, _cur: object, statement: str, parameters: Any, *_: object) -> None:
        statements[" ".join(statement.split())[:100]].append(time.perf_counter() - started["t"])
        last_load.append((statement, parameters))

    with transaction() as s:
        user = s.exec(select(User).where(User.mobile == FOREMAN_MOBILE)).one()
        actor = Actor(user_id=user.id, role="foreman", name=user.name)
    parts: dict[str, list[float]] = collections.defaultdict(list)
    for n in range(loads):
        if n == loads - 1:
            statements.clear()
            last_load.clear()
        marks = [time.perf_counter()]
        with transaction() as s:
            home_dashboard.cards(s, actor=actor)
            marks.append(time.perf_counter())
            series = home_dashboard.collection_series(s, actor=actor)
            marks.append(time.perf_counter())
            owing = home_dashboard.outstanding_by_group(s, actor=actor)
            marks.append(time.perf_counter())
            home_dashboard.recent_activity(s, actor=actor)
            marks.append(time.perf_counter())
        collection_figure(series)
        outstanding_figure(owing)
        marks.append(time.perf_counter())
        for name, a, b in zip(
            ("cards", "collection_series", "outstanding_by_group", "recent_activity", "figures"),
            marks,
            marks[1:],
            strict=False,
        ):
            parts[name].append(b - a)
        parts["total"].append(marks[-1] - marks[0])
    plans = _explain(last_load) if explain else []
    return {
        "plans": plans,
        "parts": {name: common.summary_ms(values) for name, values in parts.items()},
        "last_load_statements": [
            {"ms": round(sum(times) * 1000, 2), "count": len(times), "sql": sql}
            for sql, times in sorted(statements.items(), key=lambda kv: -sum(kv[1]))
        ],
    }


def _explain(statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN ANALYZE of each statement, slowest first (run once more each, outside the timing)."""
    from luckychit_app.db import get_engine

    plans = []
    with get_engine().connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for statement, parameters in statements:
            cursor.execute("EXPLAIN ANALYZE " + statement, parameters)
            lines = [row[0] for row in cursor.fetchall()]
            took = float(lines[-1].split(":")[1].split()[0])  # "Execution Time: 1.234 ms"
            plans.append({"ms": took, "sql": " ".join(statement.split())[:160], "plan": lines})
        conn.rollback()
    return sorted(plans, key=lambda p: -p["ms"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--database", default=common.BENCH_DB)
    parser.add_argument("--out", default="dashboard_profile")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each statement (PostgreSQL)")
    args = parser.parse_args(argv)
    database = common.db_url(args.database)
    info = common.machine()
    result = profile(database, args.loads, args.explain)
    for name, row in result["parts"].items():
        print(f"{name:22s} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms")
    for row in result["last_load_statements"][:12]:
        print(f"  {row['ms']:7.1f} ms x{row['count']}  {row['sql']}")
    for plan in result["plans"]:
        print(f"EXPLAIN {plan['ms']:7.2f} ms  {plan['sql']}")
    common.save(
        args.out,
        {
            "benchmark": "dashboard read, in process",
            "command": f"python -m bench.dashboard_profile --loads {args.loads} --database {args.database}"
            + (" --explain" if args.explain else ""),
            "machine": info,
            **result,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
