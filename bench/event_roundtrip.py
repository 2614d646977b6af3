"""Benchmark 2a: event round trips on the large book, beside the framework's and the database's floors.

One foreman tab and one member tab (python-socketio clients speaking Reflex's protocol, signed in
with the `lc_session` cookie like a browser) talk to `reflex run --env prod` on PostgreSQL and
Redis. In rounds, so every scenario sees the same background load, each scenario runs once:

* trivial       - `set_is_hydrated(True)` on the tiny on-load state: no handler code, no SQL; the
                  framework's floor (socket, state lock and load/save in Redis, delta).
* dashboard     - `DashboardState.load` (the foreman home at /f), and the full navigation to /f.
* group page    - `GroupPageState.load`, and the navigation to /f/groups/ID (its header and
                  first tab, Members; since issue 22 the other tabs load when opened).
* member home   - `MemberHomeState.load` after the member's books changed (the page is read from
                  the books: the bench moves the member's `data_versions` counter first, untimed,
                  as a posting on one of their groups would), and the navigation to /m as a
                  member moves around the app (the page key usually unchanged: no read).
* collections   - `CollectionGridState.tab_changed("collections")`: opening the group's payment grid.
* record payment- `ForemanPaymentsState.record`: a cash payment with its postings, receipt and
                  the payments page refresh.

The database floor of each is the SQL the server ran for it, measured inside the server at the
cursor (`luckychit_event_db_seconds` in /metrics, summed over the events of the scenario): the bare
statements' execution time, without the ORM, the handler or the framework around them.

    .venv/bin/python -m bench.event_roundtrip [--iterations 200] [--workers 1] [--no-redis]

Expects the bench database seeded (`python -m bench.run_all` or bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

from bench import common
from bench.reflex_client import ReflexTab, handler_name, hydrated, var_is

FOREMAN_MOBILE = "9100000001"
MEMBER_MOBILE = "7000000001"


@dataclass
class Scenario:
    name: str
    run: Any  # async () -> float seconds
    seconds: list[float] = field(default_factory=list)
    db_seconds: list[float] = field(default_factory=list)
    statements: list[float] = field(default_factory=list)
    errors: int = 0


def bench_fixtures(database: str) -> dict[str, Any]:
    """Session tokens for the foreman and a member, a group of the foreman and tickets owing money."""
    common.use_bench_env(database)
    from sqlmodel import select

    from luckychit_app.db import transaction
    from luckychit_app.models import ChitGroup, Ticket, User
    from luckychit_app.services.people.auth import open_session

    with transaction() as s:
        foreman = s.exec(select(User).where(User.mobile == FOREMAN_MOBILE)).one()
        member = s.exec(select(User).where(User.mobile == MEMBER_MOBILE)).one()
        group = s.exec(
            select(ChitGroup)
            .where(ChitGroup.foreman_id == foreman.id, ChitGroup.status == "active")
            .order_by(ChitGroup.id)
        ).first()
        tickets = s.exec(
            select(Ticket.id).where(Ticket.group_id == group.id).order_by(Ticket.ticket_no)
        ).all()
        return {
            "foreman_token": open_session(s, foreman, "bench"),
            "member_token": open_session(s, member, "bench"),
            "member_id": member.id,
            "group_id": str(group.id),
            "tickets": [str(t) for t in tickets],
        }


def books_changed(user_id: int) -> None:
    """Move the member's page key, as a write about them or their groups does (migration 0007), so
    the next home load reads the books. A book from before 0007 has no key to move."""
    from sqlalchemy import inspect

    from luckychit_app.db import get_engine

    if inspect(get_engine()).has_table("data_versions") and common.move_page_key("u", user_id) != 1:
        raise RuntimeError(f"no data_versions row for member {user_id}: the load would not read the books")


async def _measure(server: common.Server, fx: dict[str, Any], iterations: int, warmup: int) -> list[Scenario]:
    from reflex.state import OnLoadInternalState

    from luckychit_app.state.dashboard import DashboardState
    from luckychit_app.state.foreman import GroupPageState
    from luckychit_app.state.group_payments import ForemanPaymentsState
    from luckychit_app.state.group_tabs import CollectionGridState
    from luckychit_app.state.member import MemberHomeState

    foreman = ReflexTab(server.url, origin=server.origin, session_token=fx["foreman_token"])
    member = ReflexTab(server.url, origin=server.origin, session_token=fx["member_token"])
    gid = fx["group_id"]
    group_path, group_params = f"/f/groups/{gid}", {"group_id": gid}
    pay_path = f"/f/groups/{gid}/payments"
    await foreman.open("/f")
    await member.open("/m")
    await foreman.navigate(pay_path, group_params)  # the payments page must be open to record
    rng = random.Random(8)

    async def home_after_a_change() -> float:
        books_changed(fx["member_id"])
        return await member.event(
            handler_name(MemberHomeState, "load"), path="/m", until=loaded(MemberHomeState)
        )

    def loaded(state: type) -> Any:
        return var_is(state, "loading", False)

    async def record() -> float:
        form = {
            "ticket_id": rng.choice(fx["tickets"]),
            "amount": "100",
            "method": "cash",
            "reference": "bench",
            "received_on": "",
        }
        return await foreman.event(
            handler_name(ForemanPaymentsState, "record"),
            {"form": form},
            path=pay_path,
            params=group_params,
            until=var_is(ForemanPaymentsState, "busy", False),
        )

    scenarios = [
        Scenario(
            "trivial event (framework floor)",
            lambda: foreman.event(
                handler_name(OnLoadInternalState, "set_is_hydrated"),
                {"value": True},
                path="/f",
                until=hydrated,
            ),
        ),
        Scenario(
            "dashboard load event",
            lambda: foreman.event(
                handler_name(DashboardState, "load"), path="/f", until=loaded(DashboardState)
            ),
        ),
        Scenario("dashboard navigation (/f)", lambda: foreman.navigate("/f")),
        Scenario(
            "group page load event",
            lambda: foreman.event(
                handler_name(GroupPageState, "load"),
                path=group_path,
                params=group_params,
                until=loaded(GroupPageState),
            ),
        ),
        Scenario("group page navigation", lambda: foreman.navigate(group_path, group_params)),
        Scenario(
            "group page collections tab",
            lambda: foreman.event(
                handler_name(CollectionGridState, "tab_changed"),
                {"value": "collections"},
                path=group_path,
                params=group_params,
                until=loaded(CollectionGridState),
            ),
        ),
        Scenario("member home load event", home_after_a_change),
        Scenario("member home navigation (/m)", lambda: member.navigate("/m")),
        Scenario("record payment event", record),
    ]
    last = common.scrape(server.url)
    for round_no in range(warmup + iterations):
        for scenario in scenarios:
            try:
                took = await scenario.run()
            except Exception as exc:
                scenario.errors += 1
                print(f"  {scenario.name}: {exc}")
                continue
            await asyncio.sleep(0.005)  # let the handler task's done-callback record its metrics
            now = common.scrape(server.url)
            if round_no >= warmup:
                scenario.seconds.append(took)
                scenario.db_seconds.append(
                    common.metric_total(now, "luckychit_event_db_seconds_sum")
                    - common.metric_total(last, "luckychit_event_db_seconds_sum")
                )
                scenario.statements.append(
                    common.metric_total(now, "luckychit_event_db_statements_sum")
                    - common.metric_total(last, "luckychit_event_db_statements_sum")
                )
            last = now
    await foreman.close()
    await member.close()
    return scenarios


def report(scenarios: list[Scenario]) -> list[dict[str, Any]]:
    trivial = scenarios[0]
    t50, t95 = common.percentile(trivial.seconds, 50), common.percentile(trivial.seconds, 95)
    rows = []
    header = (
        f"{'scenario':<34}{'p50':>8}{'p95':>8}{'p99':>8}{'SQL p50':>9}{'stmts':>7}{'x p50':>7}{'x p95':>7}"
    )
    print(header)
    print("-" * len(header))
    for s in scenarios:
        summary = common.summary_ms(s.seconds)
        sql50, sql95 = common.percentile(s.db_seconds, 50), common.percentile(s.db_seconds, 95)
        ratio50 = common.percentile(s.seconds, 50) / (t50 + sql50)
        ratio95 = common.percentile(s.seconds, 95) / (t95 + sql95)
        row = {
            "scenario": s.name,
            **summary,
            "sql_p50_ms": round(sql50 * 1000, 2),
            "sql_p95_ms": round(sql95 * 1000, 2),
            "statements_p50": common.percentile(s.statements, 50),
            "ratio_p50": round(ratio50, 2),
            "ratio_p95": round(ratio95, 2),
            "errors": s.errors,
        }
        rows.append(row)
        print(
            f"{s.name:<34}{summary['p50_ms']:>8.1f}{summary['p95_ms']:>8.1f}{summary['p99_ms']:>8.1f}"
            f"{row['sql_p50_ms']:>9.1f}{row['statements_p50']:>7.0f}{ratio50:>7.2f}{ratio95:>7.2f}"
        )
    print("ms; SQL = statements' execution time inside the server; x = time / (trivial + SQL)")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-redis", action="store_true", help="in-memory state (one worker only)")
    parser.add_argument("--database", default=common.BENCH_DB)
    parser.add_argument("--port", type=int, default=common.BASE_PORT)
    parser.add_argument("--out", default="event_roundtrip")
    args = parser.parse_args(argv)
    database = common.db_url(args.database)
    started = time.time()
    info = common.machine()
    fx = bench_fixtures(database)
    with common.prod_server(
        database, workers=args.workers, redis=not args.no_redis, port=args.port, name=args.out
    ) as server:
        scenarios = asyncio.run(_measure(server, fx, args.iterations, args.warmup))
    rows = report(scenarios)
    path = common.save(
        args.out,
        {
            "benchmark": "event round trip",
            "command": "python -m bench.event_roundtrip "
            + f"--iterations {args.iterations} --workers {args.workers}"
            + (" --no-redis" if args.no_redis else ""),
            "machine": info,
            "seconds": round(time.time() - started, 1),
            "workers": args.workers,
            "redis": not args.no_redis,
            "results": rows,
        },
    )
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
