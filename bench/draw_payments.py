"""Benchmark 2c: draw and verify time for 10, 100 and 1,000 tickets, and payment-recording
throughput through the service layer (allocation, receipt number, journal entry with postings,
notification and audit row, exactly as the foreman's "record payment" does).

* draw   - `domain.fairness.run_draw`: freeze and hash the eligible list, the unbiased HMAC
           selection, the full proof, and the app's own check of that proof before publishing it.
* verify - `verify.verify_proof` on that proof (what a member's downloaded verifier runs).
* select - `verify.select_index` alone: the selection step of the protocol.
* payments - `services.money.offline_payments.record_offline_payment` on the large book in PostgreSQL:
  one payment per transaction (sequential, and from 4 threads), and a collection sheet of many
  payments in one transaction, and through `services.money.payment_batch.record_offline_payments` in
  sheets of 100 and 1,000 payments a transaction. Each payment is Rs 100 cash on a random ticket
  of the foreman.
* foremen - (`--foremen N`, run on its own) single payments, one per transaction, from N foremen at
  once: `--processes P` processes (both cores busy) each running one thread per foreman it was
  given, for `--duration` seconds after a warm-up; total payments/s and each payment's latency
  (p50/p95), then ledger-check and audit-verify. It wants a book with N foremen or more:
  `--fresh` recreates `--database` and seeds a small one (3 groups of 20 per foreman, 6 months).
  This measures whether foremen wait for each other (issue 22: one audit chain per foreman).

    .venv/bin/python -m bench.draw_payments [--payments 400] [--draw-runs 300] [--profile]
    .venv/bin/python -m bench.draw_payments --foremen 16 --processes 4 --duration 30 \
        --database lc_bench_foremen --fresh
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import secrets
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import common


def draw_benchmark(runs: int) -> list[dict[str, Any]]:
    from luckychit_app.domain.fairness import DrawInputs, run_draw
    from luckychit_app.verify import commitment_of, eligible_hash, select_index, verify_proof

    rows = []
    t0 = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    for n in (10, 100, 1000):
        draw_s, verify_s, select_s = [], [], []
        for i in range(runs):
            seed = secrets.token_bytes(32)
            eligible = [{"ticket": k + 1, "member": f"{k:012x}"} for k in range(n)]
            inputs = DrawInputs(
                group_id=7,
                group_name="Bench Chit",
                draw_id=i + 1,
                month=3,
                kind="lucky",
                commitment=commitment_of(seed),
                committed_at=t0,
                server_seed=seed,
                phrases=["alpha", "beta"],
                public_value="drand 123456",
                cutoff_at=t0 + timedelta(days=20),
                eligible=eligible,
                frozen_at=t0 + timedelta(days=20),
                drawn_at=t0 + timedelta(days=20),
                revealed_at=t0 + timedelta(days=20),
            )
            started = time.perf_counter()
            proof = run_draw(inputs)
            draw_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            checks = verify_proof(proof)
            verify_s.append(time.perf_counter() - started)
            assert all(c.ok for c in checks)
            started = time.perf_counter()
            select_index(seed, 7, 3, eligible_hash(eligible), proof["client_seed"], n)
            select_s.append(time.perf_counter() - started)
        row = {
            "tickets": n,
            "draw": common.summary_ms(draw_s),
            "verify": common.summary_ms(verify_s),
            "select": common.summary_ms(select_s),
        }
        rows.append(row)
        print(
            f"{n:>5} tickets: draw p50 {row['draw']['p50_ms']:.2f} ms p95 {row['draw']['p95_ms']:.2f} ms | "
            f"verify p50 {row['verify']['p50_ms']:.2f} ms | select p50 {row['select']['p50_ms']:.3f} ms"
        )
    return rows


def _targets(database: str) -> tuple[Any, list[int]]:
    common.use_bench_env(database)
    from sqlmodel import select

    from luckychit_app.db import transaction
    from luckychit_app.models import ChitGroup, Ticket, User
    from luckychit_app.services.access import Actor

    with transaction() as s:
        foreman = s.exec(select(User).where(User.mobile == "9100000001")).one()
        tickets = s.exec(
            select(Ticket.id)
            .join(ChitGroup, ChitGroup.id == Ticket.group_id)
            .where(ChitGroup.foreman_id == foreman.id, ChitGroup.status == "active")
        ).all()
        return Actor(foreman.id, "foreman", foreman.name), list(tickets)


def _record(session: Any, actor: Any, ticket_id: int) -> None:
    from luckychit_app.services.money.offline_payments import record_offline_payment

    record_offline_payment(
        session, actor=actor, ticket_id=ticket_id, amount="100", method="cash", reference="bench"
    )


def payments_benchmark(database: str, count: int, profile: bool) -> dict[str, Any]:
    from luckychit_app.db import transaction

    actor, tickets = _targets(database)
    rng = random.Random(8)
    out: dict[str, Any] = {}

    # Warm the connection pool and caches.
    for _ in range(20):
        with transaction() as s:
            _record(s, actor, rng.choice(tickets))

    latencies = []
    started = time.perf_counter()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    for _ in range(count):
        t = time.perf_counter()
        with transaction() as s:
            _record(s, actor, rng.choice(tickets))
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        common.RESULTS.mkdir(parents=True, exist_ok=True)
        (common.RESULTS / "payments_profile.txt").write_text(profiler.output_text(unicode=False, color=False))
    out["one_per_transaction"] = {
        "payments": count,
        "per_second": round(count / elapsed, 1),
        "latency": common.summary_ms(latencies),
    }

    threads, per_thread, errors = 4, count // 4, []

    def worker(seed: int) -> None:
        local = random.Random(seed)
        for _ in range(per_thread):
            try:
                with transaction() as s:
                    _record(s, actor, local.choice(tickets))
            except Exception as exc:  # a deadlock or serialisation failure would show here
                errors.append(type(exc).__name__)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    out["four_threads"] = {
        "payments": threads * per_thread,
        "per_second": round(threads * per_thread / elapsed, 1),
        "errors": len(errors),
    }

    started = time.perf_counter()
    with transaction() as s:
        for _ in range(count):
            _record(s, actor, rng.choice(tickets))
    elapsed = time.perf_counter() - started
    out["one_transaction"] = {"payments": count, "per_second": round(count / elapsed, 1)}

    # The batch path (services.money.payment_batch, used by "mark all paid"): the same payments, each
    # with its allocation, receipt, journal entry and postings, notification and audit row, written
    # with one statement per table. Sheets of `batch` payments, one transaction each.
    from luckychit_app.services.money.payment_batch import record_offline_payments

    for batch in (100, 1000):
        sheets, latencies = max(1, (count * 5) // batch), []
        started = time.perf_counter()
        for _ in range(sheets):
            rows = [
                {"ticket_id": rng.choice(tickets), "amount": "100", "method": "cash", "reference": "bench"}
                for _ in range(batch)
            ]
            t = time.perf_counter()
            with transaction() as s:
                record_offline_payments(s, actor=actor, rows=rows)
            latencies.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - started
        out[f"batch_{batch}"] = {
            "payments": sheets * batch,
            "per_second": round(sheets * batch / elapsed, 1),
            "sheet": common.summary_ms(latencies),
        }
    for mode, row in out.items():
        print(f"payments {mode}: {row['per_second']} payments/s ({row['payments']} payments)")
    return out


# --- many foremen at once (issue 22) -------------------------------------------------------------


def _app_cli(database: str, *args: str) -> tuple[float, str]:
    """`python -m luckychit_app ARGS` of the checkout this process imported the app from (which
    need not be this script's: a before/after comparison runs one script against two trees)."""
    import luckychit_app

    root = Path(luckychit_app.__file__).resolve().parent.parent
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "luckychit_app", *args],
        cwd=root,
        env={**common.app_env(database), "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started, (done.stdout + done.stderr).strip()


def seed_foremen_book(name: str, foremen: int) -> str:
    """A fresh small book with `foremen` foremen (3 groups of 20 tickets each, 6 months of history)."""
    database = common.recreate_database(name)
    shape = ["--groups", str(3 * foremen), "--members", str(60 * foremen), "--months", "6"]
    for args in (["migrate"], ["seed-bench", *shape, "--foremen", str(foremen)]):
        took, out = _app_cli(database, *args)
        print(f"{' '.join(args[:1])}: {took:.1f}s")
        if "Traceback" in out:
            raise RuntimeError(out)
    return database


def _foremen_process(
    database: str, foreman_ids: list[int], duration: float, ready: Any, go: Any, results: Any
) -> None:
    """One process: a thread per foreman, each recording Rs 100 cash payments on the foreman's
    tickets, one per transaction, from `go` until `duration` seconds later."""
    common.use_bench_env(database)
    from sqlmodel import select

    from luckychit_app.db import transaction
    from luckychit_app.models import ChitGroup, Ticket, User
    from luckychit_app.services.access import Actor

    targets = []
    with transaction() as s:
        for fid in foreman_ids:
            user = s.get(User, fid)
            tickets = s.exec(
                select(Ticket.id)
                .join(ChitGroup, ChitGroup.id == Ticket.group_id)
                .where(ChitGroup.foreman_id == fid, ChitGroup.status == "active")
            ).all()
            targets.append((Actor(fid, "foreman", user.name), list(tickets)))
    for actor, tickets in targets:  # warm the pool and the caches
        for ticket_id in tickets[:3]:
            with transaction() as s:
                _record(s, actor, ticket_id)
    latencies: list[float] = []
    ends: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready.put(len(targets))
    go.wait()
    started = time.time()

    def worker(actor: Any, tickets: list[int], seed: int) -> None:
        rng, mine = random.Random(seed), []
        deadline = started + duration
        while time.time() < deadline:
            t = time.perf_counter()
            try:
                with transaction() as s:
                    _record(s, actor, rng.choice(tickets))
            except Exception as exc:  # a deadlock or serialisation failure would show here
                with lock:
                    errors.append(type(exc).__name__)
                continue
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)
            ends.append(time.time())

    pool = [threading.Thread(target=worker, args=(a, t, a.user_id)) for a, t in targets]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    results.put({"started": started, "ended": max(ends), "latencies": latencies, "errors": errors})


def _sample_waits(database: str, stop: threading.Event, samples: list[dict[str, int]]) -> None:
    """Every 50 ms, what the benchmark's database sessions are doing (pg_stat_activity): in a
    statement, waiting for an advisory lock (the audit chain's), or for another lock (a row)."""
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        while not stop.is_set():
            rows = conn.execute(
                "SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = "
                "current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            ).fetchall()
            samples.append(
                {
                    "busy": sum(1 for state, _, _ in rows if state in ("active", "idle in transaction")),
                    "advisory": sum(1 for _, kind, event in rows if kind == "Lock" and event == "advisory"),
                    "other_lock": sum(1 for _, kind, event in rows if kind == "Lock" and event != "advisory"),
                }
            )
            stop.wait(0.05)


def foremen_benchmark(database: str, foremen: int, processes: int, duration: float) -> dict[str, Any]:
    """Single payments from `foremen` foremen at once, over `processes` processes."""
    common.use_bench_env(database)
    from sqlmodel import select

    from luckychit_app.db import get_engine, transaction
    from luckychit_app.models import ChitGroup, User

    with transaction() as s:
        ids = s.exec(
            select(User.id)
            .where(
                User.role == "foreman",
                User.id.in_(select(ChitGroup.foreman_id).where(ChitGroup.status == "active")),
            )
            .order_by(User.id)
            .limit(foremen)
        ).all()
    get_engine().dispose()
    if len(ids) < foremen:
        raise SystemExit(
            f"the book has {len(ids)} foremen with running groups, fewer than {foremen} (--fresh)"
        )
    processes = min(processes, foremen)
    ctx = multiprocessing.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=_foremen_process, args=(database, ids[i::processes], duration, ready, go, results))
        for i in range(processes)
    ]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=300)
    samples: list[dict[str, int]] = []
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_waits, args=(database, stop, samples))
    sampler.start()
    go.set()
    parts = [results.get(timeout=duration + 300) for _ in procs]
    stop.set()
    sampler.join()
    for proc in procs:
        proc.join()
    latencies = [x for part in parts for x in part["latencies"]]
    errors = [x for part in parts for x in part["errors"]]
    elapsed = max(p["ended"] for p in parts) - min(p["started"] for p in parts)
    row = {
        "foremen": foremen,
        "processes": processes,
        "threads_per_process": [len(ids[i::processes]) for i in range(processes)],
        "seconds": round(elapsed, 1),
        "payments": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "latency": common.summary_ms(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        # Mean number of the benchmark's sessions in a transaction, and of those waiting on a lock.
        "sessions": {
            key: round(sum(x[key] for x in samples) / max(len(samples), 1), 2)
            for key in ("busy", "advisory", "other_lock")
        }
        | {"samples": len(samples)},
    }
    lat, sessions = row["latency"], row["sessions"]
    print(
        f"payments from {foremen} foremen ({processes} processes): {row['per_second']} payments/s "
        f"({row['payments']} in {row['seconds']}s), latency p50 {lat['p50_ms']} ms p95 {lat['p95_ms']} ms, "
        f"{row['errors']} errors; sessions in a transaction {sessions['busy']}, waiting for the audit "
        f"lock {sessions['advisory']}, for a row lock {sessions['other_lock']} (means)"
    )
    return row


def foremen_main(args: argparse.Namespace) -> int:
    info = common.machine()
    database = seed_foremen_book(args.database, args.foremen) if args.fresh else common.db_url(args.database)
    row = foremen_benchmark(database, args.foremen, args.processes, args.duration)
    checks = {}
    for command in ("ledger-check", "audit-verify"):
        took, out = _app_cli(database, command)
        checks[command] = {"seconds": round(took, 1), "output": out}
        print(f"{command} after the payments: {out} ({took:.1f}s)")
    import luckychit_app

    path = common.save(
        args.out if args.out != "draw_payments" else f"payments_{args.foremen}_foremen",
        {
            "benchmark": "single payments from many foremen at once",
            "command": "python -m bench.draw_payments "
            + f"--foremen {args.foremen} --processes {args.processes} --duration {args.duration} "
            + f"--database {args.database}"
            + (" --fresh" if args.fresh else ""),
            "app": str(Path(luckychit_app.__file__).resolve().parent.parent),
            "machine": info,
            "payments": row,
            "checks_after": checks,
        },
    )
    print(f"saved {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--draw-runs", type=int, default=300)
    parser.add_argument("--payments", type=int, default=400)
    parser.add_argument("--database", default=common.BENCH_DB)
    parser.add_argument("--profile", action="store_true", help="pyinstrument the sequential payments")
    parser.add_argument("--out", default="draw_payments")
    parser.add_argument("--foremen", type=int, default=0, help="only: single payments from N foremen at once")
    parser.add_argument(
        "--processes", type=int, default=4, help="with --foremen: processes to spread them on"
    )
    parser.add_argument("--duration", type=float, default=30, help="with --foremen: seconds of payments")
    parser.add_argument("--fresh", action="store_true", help="with --foremen: recreate and seed --database")
    args = parser.parse_args(argv)
    if args.foremen:
        return foremen_main(args)
    database = common.db_url(args.database)
    info = common.machine()
    common.use_bench_env(database)
    draws = draw_benchmark(args.draw_runs)
    pays = payments_benchmark(database, args.payments, args.profile)
    took, check = common.cli(database, "ledger-check", check=False)
    print(f"ledger-check after the payments: {check.strip()} ({took:.1f}s)")
    path = common.save(
        args.out,
        {
            "benchmark": "draws and payments",
            "command": "python -m bench.draw_payments "
            + f"--draw-runs {args.draw_runs} --payments {args.payments}",
            "machine": info,
            "draws": draws,
            "payments": pays,
            "ledger_check_after": check.strip(),
        },
    )
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
