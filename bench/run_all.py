"""Every benchmark in one go, on a fresh bench database: seed-bench (timed), ledger-check and
audit-verify on the large book (timed), then 2a event round trips, 2b concurrency, 2c draws and
payments, 2d browser. Figures land in bench/results/*.json; docs/benchmarks.md quotes them.

    .venv/bin/python -m bench.run_all [--quick] [--skip browser,concurrency] [--keep-db]

`--quick` runs each benchmark small (a smoke test of the harness, minutes); the full run takes
about 30-40 minutes on the 2-core machine, most of it the concurrency levels and the browser build.
"""

from __future__ import annotations

import argparse
import re
import time

from bench import browser, common, concurrency, draw_payments, event_roundtrip


def seed(database_name: str, shape: list[str], name: str = "seed") -> dict:
    database = common.recreate_database(database_name)
    common.cli(database, "migrate")
    took, out = common.cli(database, "seed-bench", *shape)
    print(out.strip())
    ledger_s, ledger = common.cli(database, "ledger-check")
    audit_s, audit = common.cli(database, "audit-verify")
    print(f"{ledger.strip()} ({ledger_s:.1f}s); {audit.strip()} ({audit_s:.1f}s)")
    reported = re.search(r"in ([0-9.]+)s \(build ([0-9.]+)s, load ([0-9.]+)s\)", out)
    result = {
        "command": "python -m luckychit_app seed-bench " + " ".join(shape),
        "wall_s": round(took, 1),
        "reported_s": float(reported.group(1)) if reported else None,
        "output": out.strip().splitlines(),
        "ledger_check": {"seconds": round(ledger_s, 1), "output": ledger.strip()},
        "audit_verify": {"seconds": round(audit_s, 1), "output": audit.strip()},
        "machine": common.machine(),
    }
    common.save(name, result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--skip", default="", help="comma-separated: seed,roundtrip,concurrency,draws,browser"
    )
    parser.add_argument("--keep-db", action="store_true", help="leave the bench database for inspection")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    # A quick run writes quick_*.json, so it never overwrites the figures docs/benchmarks.md quotes.
    pre = "quick_" if args.quick else ""
    started = time.perf_counter()
    if "seed" not in skip:
        seed(common.BENCH_DB, ["--groups", "10", "--members", "400"] if args.quick else [], name=f"{pre}seed")
    if "roundtrip" not in skip:
        rounds = (
            ["--iterations", "10", "--warmup", "3"]
            if args.quick
            else ["--iterations", "100", "--warmup", "10"]
        )
        event_roundtrip.main([*rounds, "--out", f"{pre}event_roundtrip"])
    if "concurrency" not in skip:
        quick = ["--sessions", "50", "--workers", "1,2", "--duration", "20", "--ramp", "10"]
        concurrency.main([*(quick if args.quick else []), "--out", f"{pre}concurrency"])
    if "draws" not in skip:
        small = ["--draw-runs", "50", "--payments", "100"] if args.quick else []
        draw_payments.main([*small, "--out", f"{pre}draw_payments"])
    if "browser" not in skip:
        browser.main([*(["--runs", "3"] if args.quick else []), "--out", f"{pre}browser"])
    if not args.keep_db:
        common.drop_database(common.BENCH_DB)
    print(f"all benchmarks done in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
