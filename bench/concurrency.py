"""Benchmark 2b: 500 member sessions against `reflex run --env prod` (PostgreSQL + Redis) with 1, 2
and 4 backend workers: p95 latency, errors and events per second.

Each simulated member is a signed-in tab (its own socket and client token, the `lc_session` cookie
in the hydrate event): it opens its home page (/m, which runs the guard and the home load), then
acts every `--interval` seconds (random phase) for `--duration` seconds, cycling through: open
home again (/m), open the passbook (/m/payments), go back home (/m), open the draws list (/m/draws).
Every action is a navigation as the app makes it (the page's on_load chain until hydrated); the
app has no other way to load a page's data. (Rounds 1-3 sent the home page's load event on its own
for the first action; since round 4 an unchanged page answers that event with no delta at all, so
a client cannot tell when it is done.) With `--home-only` every action opens home again.
`--changes R` moves R random signed-in members' ticket counters a second, as payments landing on
those tickets would, so those members read their next page from the books.
Opening the sessions is ramped over `--ramp` seconds. A warm-up of `--warmup` seconds follows
(default: 3 intervals, the time the last session opened takes to open each of its three pages once;
a first visit always reads the books, so the ramp's first visits spill a wave of page reads into
the seconds after it). Both are reported apart from the steady state: its latencies count only
actions started after the warm-up.

`--floor N` measures the framework's floor at the same offered load: every action sends no-op
events instead (N one after another for each navigation), no handler code
and no SQL, so the gap to a real run is what the app's handlers cost.

The load generator runs in `--procs` processes beside the server, on the same 2 cores: their CPU
use is reported, and their event-loop lag too, since a late timer would inflate latencies.

    .venv/bin/python -m bench.concurrency [--sessions 500] [--workers 1,2,4] [--duration 60]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import resource
import threading
import time
from typing import Any

from bench import common
from bench.reflex_client import ReflexTab, handler_name, hydrated


def member_tokens(database: str, count: int) -> list[str]:
    """A live session token for each of the first `count` bench members (as if each signed in)."""
    common.use_bench_env(database)
    from sqlmodel import select

    from luckychit_app.db import transaction
    from luckychit_app.models import User
    from luckychit_app.services.people.auth import open_session

    with transaction() as s:
        users = s.exec(select(User).where(User.role == "member").order_by(User.id).limit(count)).all()
        return [open_session(s, user, "bench") for user in users]


async def _member(
    url: str,
    token: str,
    until: float,
    args: dict[str, Any],
    ramp_at: float,
    out: dict[str, Any],
) -> None:
    from reflex.state import OnLoadInternalState

    rng = random.Random(token)
    await asyncio.sleep(max(0.0, ramp_at - time.monotonic()))
    tab = ReflexTab(url, origin=url, session_token=token)
    try:
        out["connect"].append(await tab.open("/m", timeout=60))
    except Exception as exc:
        out["errors"].append(f"connect: {type(exc).__name__}: {exc}"[:200])
        await tab.close()
        return
    actions = [
        ("home again", lambda: tab.navigate("/m")),
        ("passbook", lambda: tab.navigate("/m/payments")),
        ("home", lambda: tab.navigate("/m")),
        ("draws", lambda: tab.navigate("/m/draws")),
    ]
    if args["floor"]:
        trivial = handler_name(OnLoadInternalState, "set_is_hydrated")

        async def no_ops(count: int) -> float:
            took = 0.0
            for _ in range(count):
                took += await tab.event(trivial, {"value": True}, path="/m", until=hydrated)
            return took

        per_nav = args["floor"]
        actions = [
            ("home again", lambda: no_ops(per_nav)),
            ("passbook", lambda: no_ops(per_nav)),
            ("home", lambda: no_ops(per_nav)),
            ("draws", lambda: no_ops(per_nav)),
        ]
    if args["home_only"]:  # members who stay on their home page and open it again
        actions = actions[:1]
    interval = args["interval"]
    steady_from = until - args["duration"]  # actions during the ramp and warm-up are not
    warm_from = steady_from - args["warmup"]
    step = rng.randrange(len(actions))
    next_at = time.monotonic() + rng.uniform(0, interval)
    while True:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        if time.monotonic() >= until:
            break
        name, act = actions[step % len(actions)]
        step += 1
        started = time.monotonic()
        steady = started >= steady_from
        try:
            took = await act()
            if warm_from <= started < steady_from:
                out["warmup"].append(took)
            if steady:
                out["timeline"].append((int(time.time()), took))
                out["by_action"].setdefault(name, []).append(took)
        except Exception as exc:
            out["errors"].append(f"{name}: {type(exc).__name__}: {exc}"[:200])
        next_at += interval
    out["toasts"] += sum(1 for e in tab.frontend_events if "toast" in e.lower())
    await tab.close()


async def _lag_probe(until: float, out: dict[str, Any]) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        await asyncio.sleep(0.1)
        out["lag"].append(time.monotonic() - started - 0.1)


def _generator(url: str, tokens: list[str], start_at: float, args: dict, queue: Any) -> None:
    """One load-generating process: its share of the sessions, all on one event loop."""
    import os

    os.environ.setdefault("LUCKYCHIT_DATA_KEYS", common.DATA_KEYS)
    out: dict[str, Any] = {
        "connect": [],
        "by_action": {},
        "errors": [],
        "lag": [],
        "timeline": [],
        "warmup": [],
        "toasts": 0,
    }
    until = start_at + args["ramp"] + args["warmup"] + args["duration"]

    async def main() -> None:
        n = len(tokens)
        tasks = [
            _member(
                url,
                token,
                until,
                args,
                start_at + args["ramp"] * (i + args["offset"]) / max(1, args["total"]),
                out,
            )
            for i, token in enumerate(tokens)
        ]
        await asyncio.gather(_lag_probe(until, out), *tasks)
        assert n == len(tokens)

    cpu0 = time.process_time()
    asyncio.run(main())
    out["cpu_seconds"] = time.process_time() - cpu0
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(out)


def _label(labels: str, name: str) -> str:
    """One label's value in a scraped sample's label text (`{event="x",le="0.05"}`), or ""."""
    _, found, rest = labels.partition(f'{name}="')
    return rest.split('"', 1)[0] if found else ""


def handler_costs(before: dict, after: dict) -> dict[str, dict[str, float]]:
    """Per handler during the run, from the server's /metrics: events, mean handler time (state
    load to last delta, the queueing for the per-tab state lock excluded), mean SQL time and
    statements. Where the server's time goes, without a profiler attached."""

    def per_event(name: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for (metric, labels), value in after.items():
            handler = _label(labels, "event")
            if metric == name and handler:
                out[handler] = value - before.get((metric, labels), 0.0)
        return out

    count = per_event("luckychit_event_seconds_count")
    seconds = per_event("luckychit_event_seconds_sum")
    db = per_event("luckychit_event_db_seconds_sum")
    statements = per_event("luckychit_event_db_statements_sum")
    return {
        handler: {
            "events": int(n),
            "mean_ms": round(seconds.get(handler, 0) / n * 1000, 1),
            "db_mean_ms": round(db.get(handler, 0) / n * 1000, 1),
            "statements": round(statements.get(handler, 0) / n, 1),
            "busy_s": round(seconds.get(handler, 0), 1),
        }
        for handler, n in sorted(count.items(), key=lambda kv: -seconds.get(kv[0], 0))
        if n > 0
    }


def worst_seconds(timeline: list[tuple[int, float]], count: int = 5) -> list[dict[str, Any]]:
    """The steady state's slowest wall-clock seconds by p95: one bad second (a pause, a neighbour)
    reads differently from a whole run past its knee."""
    by_second: dict[int, list[float]] = {}
    for second, took in timeline:
        by_second.setdefault(second, []).append(took)
    start = min(by_second, default=0)
    ranked = sorted(by_second.items(), key=lambda kv: -common.percentile(kv[1], 95))[:count]
    return [{"second": second - start, **common.summary_ms(values)} for second, values in ranked]


def gc_pauses(before: dict, after: dict) -> dict[str, dict[str, float]]:
    """The workers' garbage collections during the run, per generation (`luckychit_gc_pause_seconds`)."""
    out: dict[str, dict[str, float]] = {}
    for (metric, labels), value in after.items():
        generation = _label(labels, "generation")
        if metric.startswith("luckychit_gc_pause_seconds") and generation:
            delta = value - before.get((metric, labels), 0.0)
            row = out.setdefault(generation, {})
            if metric.endswith("_count"):
                row["count"] = int(delta)
            elif metric.endswith("_sum"):
                row["seconds"] = round(delta, 3)
            elif _label(labels, "le") == "0.05":
                row["under_50ms"] = int(delta)
    return out


def _sample_steady(srv: common.Server, at: tuple[float, float], out: dict[str, Any]) -> None:
    """At the start and the end of the steady state: CPU used so far and events served so far."""
    for when in at:
        time.sleep(max(0.0, when - time.monotonic()))
        events = common.metric_total(common.scrape(srv.url), "luckychit_events_total")
        out.setdefault("samples", []).append((common.cpu_seconds(srv.pid), events))


def _cpu_costs(samples: list[tuple[dict[str, float], float]], actions: int, seconds: float) -> dict[str, Any]:
    """Steady-state CPU: cores busy, and milliseconds per event and per action, for each process."""
    (cpu0, events0), (cpu1, events1) = samples
    events = max(1.0, events1 - events0)
    out: dict[str, Any] = {"events": int(events)}
    for name in cpu0:
        used = cpu1[name] - cpu0[name]
        out[name] = {
            "cores": round(used / seconds, 2),
            "ms_per_event": round(used / events * 1000, 2),
            "ms_per_action": round(used / max(1, actions) * 1000, 2),
        }
    return out


def _books_change(database: str, rate: float, until: float, out: dict[str, Any], members: int) -> None:
    """Moves the `data_versions` counters of the signed-in members' tickets, drawn at random, `rate`
    times a second, as payments landing on them would (a payment moves its ticket's counter,
    migration 0021; before it, its whole group's): each such ticket's member reads their next page
    from the books. (What recording a payment costs is benchmark 2c; here only its effect on the
    members' pages counts.)"""
    common.use_bench_env(database)
    from sqlalchemy import text

    from luckychit_app.db import transaction

    with transaction() as s:
        tickets = (
            s.execute(
                text(  # the members member_tokens signs in
                    "SELECT id FROM tickets WHERE member_id IN "
                    "(SELECT id FROM users WHERE role = 'member' ORDER BY id LIMIT :n)"
                ),
                {"n": members},
            )
            .scalars()
            .all()
        )
    rng, done, next_at = random.Random(5), 0, time.monotonic()
    while next_at < until:
        time.sleep(max(0.0, next_at - time.monotonic()))
        common.move_page_key("t", rng.choice(tickets))
        done, next_at = done + 1, next_at + 1 / rate
    out["changes"] = done


def run_level(database: str, tokens: list[str], workers: int, args: argparse.Namespace) -> dict[str, Any]:
    with common.prod_server(
        database, workers=workers, redis=True, port=args.port, name=f"concurrency_w{workers}"
    ) as srv:
        before = common.scrape(srv.url)
        started = time.time()
        start_at = time.monotonic() + 2
        steady_at = start_at + args.ramp + args.warmup
        cpu_samples: dict[str, Any] = {}
        sampler = threading.Thread(
            target=_sample_steady,
            args=(srv, (steady_at, steady_at + args.duration), cpu_samples),
            daemon=True,
        )
        sampler.start()
        changes: dict[str, Any] = {}
        changer = threading.Thread(
            target=_books_change,
            args=(database, args.changes, steady_at + args.duration, changes, len(tokens)),
            daemon=True,
        )
        if args.changes:
            changer.start()
        queue: Any = multiprocessing.get_context("spawn").Queue()
        share = -(-len(tokens) // args.procs)
        procs = []
        for p in range(args.procs):
            part = tokens[p * share : (p + 1) * share]
            spec = {
                "ramp": args.ramp,
                "warmup": args.warmup,
                "duration": args.duration,
                "interval": args.interval,
                "floor": args.floor,
                "home_only": args.home_only,
                "offset": p * share,
                "total": len(tokens),
            }
            proc = multiprocessing.get_context("spawn").Process(
                target=_generator, args=(srv.url, part, start_at, spec, queue)
            )
            proc.start()
            procs.append(proc)
        parts = [queue.get(timeout=args.ramp + args.warmup + args.duration + 600) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        sampler.join(timeout=60)
        if args.changes:
            changer.join(timeout=60)
        after = common.scrape(srv.url)
        wall = time.time() - started
    lists = ("connect", "errors", "lag", "timeline", "warmup")
    merged: dict[str, Any] = {**{key: [] for key in lists}, "by_action": {}}
    for part in parts:
        for key in lists:
            merged[key] += part[key]
        for name, values in part["by_action"].items():
            merged["by_action"].setdefault(name, []).extend(values)
    events = common.metric_total(after, "luckychit_events_total") - common.metric_total(
        before, "luckychit_events_total"
    )
    event_errors = common.metric_total(after, "luckychit_event_errors_total") - common.metric_total(
        before, "luckychit_event_errors_total"
    )
    log_errors = common.metric_total(after, "luckychit_errors_total") - common.metric_total(
        before, "luckychit_errors_total"
    )
    steady = [took for _, took in merged["timeline"]]
    costs = handler_costs(before, after)
    samples = cpu_samples.get("samples", [])
    cpu = _cpu_costs(samples, len(steady), args.duration) if len(samples) == 2 else {}
    result = {
        "workers": workers,
        "sessions": len(tokens),
        "connected": len(merged["connect"]),
        "actions": len(steady),
        "actions_per_s": round(len(steady) / args.duration, 1),
        "events_per_s": round(events / wall, 1),
        "server_events": int(events),
        "errors_client": len(merged["errors"]),
        "errors_server_events": int(event_errors),
        "errors_server_logs": int(log_errors),
        "toasts": sum(p["toasts"] for p in parts),
        "latency": common.summary_ms(steady),
        "connect": common.summary_ms(merged["connect"]),
        "warmup": common.summary_ms(merged["warmup"]),
        "by_action": {name: common.summary_ms(v) for name, v in merged["by_action"].items()},
        "generator_cpu_s": round(sum(p["cpu_seconds"] for p in parts), 1),
        "generator_loop_lag_p95_ms": round(common.percentile(merged["lag"], 95) * 1000, 1),
        "error_samples": sorted(set(merged["errors"]))[:5],
        "server_handlers": costs,
        "worst_seconds": worst_seconds(merged["timeline"]),
        "gc_pauses": gc_pauses(before, after),
        "steady_cpu": cpu,
        "book_changes": changes.get("changes", 0),
        "wall_s": round(wall, 1),
    }
    lat = result["latency"]
    print(
        f"workers={workers}: {result['connected']}/{len(tokens)} connected, {result['actions']} actions "
        f"({result['actions_per_s']}/s), {result['events_per_s']} events/s, p50 {lat['p50_ms']} ms, "
        f"p95 {lat['p95_ms']} ms, p99 {lat['p99_ms']} ms, errors client {result['errors_client']} "
        f"server {result['errors_server_events']}+{result['errors_server_logs']}, "
        f"generator lag p95 {result['generator_loop_lag_p95_ms']} ms, "
        f"warm-up p95 {result['warmup']['p95_ms']} ms"
    )
    for sample in result["error_samples"]:
        print(f"    {sample}")
    for name in ("server", "postgres", "redis"):
        if name in cpu:
            c = cpu[name]
            print(
                f"    CPU {name:9s} {c['cores']:5.2f} cores  {c['ms_per_event']:6.2f} ms/event  "
                f"{c['ms_per_action']:6.2f} ms/action (steady state)"
            )
    for handler, cost in list(costs.items())[:8]:
        print(
            f"    {handler:60s} {cost['events']:6d} events  mean {cost['mean_ms']:7.1f} ms  "
            f"SQL {cost['db_mean_ms']:6.1f} ms  {cost['statements']:5.1f} stmts  busy {cost['busy_s']} s"
        )
    for generation, gc_row in sorted(result["gc_pauses"].items()):
        print(f"    GC generation {generation}: {gc_row}")
    worst = ", ".join(f"s{w['second']} p95 {w['p95_ms']} ms (n {w['n']})" for w in result["worst_seconds"])
    print(f"    slowest seconds: {worst}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=30)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument(
        "--warmup",
        type=float,
        default=None,
        help="seconds after the ramp reported apart (default 3 intervals: every session has then "
        "opened each page once)",
    )
    parser.add_argument(
        "--floor",
        type=int,
        default=0,
        metavar="N",
        help="the framework's floor: every action sends N no-op events one after another instead "
        "of a navigation, no handler code and no SQL",
    )
    parser.add_argument(
        "--home-only",
        action="store_true",
        help="every action opens home again (members who stay on /m), not the page mix",
    )
    parser.add_argument(
        "--changes",
        type=float,
        default=0,
        metavar="R",
        help="R payments a second landing on random signed-in members' tickets, so those members "
        "read their next page from the books",
    )
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes")
    parser.add_argument("--database", default=common.BENCH_DB)
    parser.add_argument("--port", type=int, default=common.BASE_PORT)
    parser.add_argument("--out", default="concurrency")
    args = parser.parse_args(argv)
    if args.warmup is None:
        args.warmup = 3 * args.interval
    database = common.db_url(args.database)
    info = common.machine()
    tokens = member_tokens(database, args.sessions)
    levels = [run_level(database, tokens, int(w), args) for w in args.workers.split(",")]
    path = common.save(
        args.out,
        {
            "benchmark": "concurrency",
            "command": f"python -m bench.concurrency --sessions {args.sessions} --workers {args.workers} "
            f"--duration {args.duration:g} --ramp {args.ramp:g} --warmup {args.warmup:g} "
            f"--interval {args.interval:g}"
            + (f" --floor {args.floor}" if args.floor else "")
            + (" --home-only" if args.home_only else "")
            + (f" --changes {args.changes:g}" if args.changes else ""),
            "machine": info,
            "results": levels,
        },
    )
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
