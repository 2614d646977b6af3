"""Several variants of the 500-sessions benchmark served and loaded at the same time, for an A/B
that the box's drift cannot decide.

Runs of `bench.concurrency` one after another on this shared box drifted by more than a lever
saves (docs/benchmarks.md 3h: 12.08 / 13.08 / 12.05 / 10.84 ms per action, alternating two trees).
Here every variant gets its own server (its own port, Redis database and lock file), all start
together and carry the same load over the same seconds, so a slow minute slows all of them alike;
each run's figures are compared within the run, and the run is repeated.

A variant is `NAME=DIR[,VAR=VALUE ...][;EXTRA ARGS]`: the checkout to serve (a `git worktree` of
the commit to compare with), environment for its server, and arguments for its load only, such as
`--floor 3` for the framework's floor:

    .venv/bin/python -m bench.side_by_side --reps 3 --sessions 50 --duration 40 \\
        --variant before=/tmp/old --variant now=. --variant "floor=.;--floor 3"

Any other argument goes to every variant's `bench.concurrency`. Every variant's JSON lands in its
own checkout's bench/results as `<out>_<name><rep>.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import common


@dataclass(frozen=True)
class Variant:
    name: str
    root: Path
    env: dict[str, str]
    extra: list[str]

    @classmethod
    def parse(cls, spec: str) -> Variant:
        name, _, rest = spec.partition("=")
        where, _, extra = rest.partition(";")
        root, *assignments = where.split(",")
        env = dict(a.split("=", 1) for a in assignments)
        return cls(name, Path(root).resolve(), env, shlex.split(extra))


def run_rep(variants: list[Variant], rep: int, args: argparse.Namespace, load: list[str]) -> list[dict]:
    procs = []
    for n, v in enumerate(variants, start=1):
        env = {
            **os.environ,
            **v.env,
            "LUCKYCHIT_BENCH_LOCK": f"/tmp/luckychit-bench-{v.name}.lock",
            "LUCKYCHIT_BENCH_REDIS": f"redis://127.0.0.1:6379/{5 + n}",
        }
        command = [sys.executable, "-m", "bench.concurrency", "--workers", str(args.workers)]
        command += ["--port", str(common.BASE_PORT + 100 * n), "--out", f"{args.out}_{v.name}{rep}"]
        log = open(f"/tmp/side_by_side_{args.out}_{v.name}{rep}.log", "w")  # noqa: SIM115
        procs.append(
            (subprocess.Popen([*command, *load, *v.extra], cwd=v.root, env=env, stdout=log, stderr=log), log)
        )
    rows = []
    for (proc, log), v in zip(procs, variants, strict=True):
        proc.wait()
        log.close()
        path = v.root / "bench" / "results" / f"{args.out}_{v.name}{rep}.json"
        result = json.loads(path.read_text())["results"][0]
        rows.append(
            {
                "variant": v.name,
                "ms_per_action": result["steady_cpu"]["server"]["ms_per_action"],
                "p50_ms": result["latency"]["p50_ms"],
                "p95_ms": result["latency"]["p95_ms"],
                "actions_per_s": result["actions_per_s"],
                "errors": result["errors_client"] + result["errors_server_events"],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--variant", action="append", required=True, help="NAME=DIR[,VAR=VALUE ...][;EXTRA ARGS]"
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default="side")
    args, load = parser.parse_known_args(argv)
    variants = [Variant.parse(spec) for spec in args.variant]
    all_rows = []
    for rep in range(1, args.reps + 1):
        started = time.strftime("%H:%M:%S", time.gmtime())
        rows = run_rep(variants, rep, args, load)
        base = rows[0]["ms_per_action"]
        for row in rows:
            print(
                f"rep {rep} {started} {row['variant']:>10s}: {row['ms_per_action']:6.2f} ms/action "
                f"({row['ms_per_action'] / base:4.2f}x {rows[0]['variant']}), p50 {row['p50_ms']:6.1f} ms, "
                f"p95 {row['p95_ms']:6.1f} ms, {row['actions_per_s']}/s, {row['errors']} errors",
                flush=True,
            )
        all_rows.append({"rep": rep, "started_utc": started, "rows": rows})
    common.save(
        args.out,
        {
            "benchmark": "side_by_side",
            "command": "python -m bench.side_by_side "
            + shlex.join(argv if argv is not None else sys.argv[1:]),
            "machine": common.machine(),
            "results": all_rows,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
