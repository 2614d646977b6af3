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

    .venv/bin/python -m bench.draw_payments [--payments 400] [--draw-runs 300] [--profile]
"""

from __future__ import annotations

import argparse
import random
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--draw-runs", type=int, default=300)
    parser.add_argument("--payments", type=int, default=400)
    parser.add_argument("--database", default=common.BENCH_DB)
    parser.add_argument("--profile", action="store_true", help="pyinstrument the sequential payments")
    parser.add_argument("--out", default="draw_payments")
    args = parser.parse_args(argv)
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
