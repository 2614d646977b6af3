"""Shared pieces of the benchmarks: the bench database, a production server started the way CI's
browser tests start it (own process group, killed as a group), session tokens for the load
clients, /metrics scraping and percentile arithmetic.

Every server is started while holding `/tmp/luckychit-browser.lock` (flock(2), the same lock the
browser tests take with flock(1)), because `reflex run` shares the `.web` build folder with them;
the lock is held until the server's process group is dead.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOCK_FILE = os.environ.get("LUCKYCHIT_BENCH_LOCK", "/tmp/luckychit-browser.lock")
PG_SERVER = os.environ.get("LUCKYCHIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
BENCH_DB = os.environ.get("LUCKYCHIT_BENCH_DB", "lc_bench")
REDIS_URL = os.environ.get("LUCKYCHIT_BENCH_REDIS", "redis://127.0.0.1:6379/5")
# A fixed key so the seeder and every server agree on the draw seeds' encryption (bench data only).
DATA_KEYS = "bench1:" + base64.b64encode(b"luckychit-bench-key-32-bytes-ok!").decode()
BASE_PORT = int(os.environ.get("LUCKYCHIT_BENCH_PORT", "3200"))
# Production refuses /metrics without a token (api/metrics.py); the bench servers get this one and
# `scrape` sends it.
METRICS_TOKEN = "bench-metrics-token"


def db_url(name: str = BENCH_DB) -> str:
    return f"{PG_SERVER}/{name}"


def app_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of every process that touches the bench database (CLI, seeder, server)."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "LUCKYCHIT_DATA_KEYS": DATA_KEYS,
        "LUCKYCHIT_ENV": "prod",
        "LUCKYCHIT_METRICS_TOKEN": METRICS_TOKEN,
        "REFLEX_USE_SYSTEM_BUN": "1",
        "TELEMETRY_ENABLED": "false",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "PATH": f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REFLEX_REDIS_URL", None)
    env.update(extra)
    return env


def use_bench_env(database: str) -> None:
    """Point this process's app settings at the bench database before any app module reads them."""
    for key in ("DATABASE_URL", "LUCKYCHIT_DATA_KEYS", "LUCKYCHIT_ENV"):
        os.environ[key] = app_env(database)[key]


def cli(database: str, *args: str, check: bool = True) -> tuple[float, str]:
    """Run `python -m luckychit_app ARGS` against `database`; returns (seconds, output)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "luckychit_app", *args],
        cwd=ROOT,
        env=app_env(database),
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if check and done.returncode != 0:
        raise RuntimeError(f"luckychit_app {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return took, done.stdout + done.stderr


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(["psql", f"{PG_SERVER}/{database}", "-qc", sql], check=True, capture_output=True)


def recreate_database(name: str) -> str:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')
    return db_url(name)


def drop_database(name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def move_page_key(kind: str, key_id: int) -> int:
    """Move one `data_versions` counter (kind 'g' a group, 't' a ticket, 'u' a user) as a write
    about it would (migrations 0007 and 0021), creating it if no write made it yet, so the members
    it belongs to read their next page from the books; the rows moved (1). Uses the database
    `use_bench_env` chose."""
    from sqlalchemy import text

    from luckychit_app.db import transaction

    with transaction() as s:
        moved = s.execute(
            text(
                "INSERT INTO data_versions (kind, key_id, version) VALUES (:k, :i, 1) "
                "ON CONFLICT (kind, key_id) DO UPDATE SET version = data_versions.version + 1"
            ),
            {"k": kind, "i": key_id},
        )
        return moved.rowcount


def flush_redis(url: str = REDIS_URL) -> None:
    """Our own Redis database number only (the state left by a previous run)."""
    import redis

    redis.Redis.from_url(url).flushdb()


# --- the server ---------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    origin: str
    workers: int
    redis: bool
    log: Path
    pid: int


@contextlib.contextmanager
def browser_lock(timeout: float = 1800) -> Iterator[None]:
    """Hold the shared `.web` lock (waiting for other engineers' browser runs to finish)."""
    with open(LOCK_FILE, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{LOCK_FILE} still held after {timeout:.0f}s") from None
                time.sleep(2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float, probe: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=3) as resp:
                if resp.status == 200 and probe:
                    with urllib.request.urlopen(f"{url}{probe}", timeout=10):
                        return
                elif resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"server not healthy after {timeout:.0f}s:\n{log.read_text()[-4000:]}")


@contextlib.contextmanager
def prod_server(
    database: str,
    *,
    workers: int = 1,
    redis: bool = True,
    port: int = BASE_PORT,
    frontend: bool = False,
    name: str = "server",
    timeout: float = 900,
) -> Iterator[Server]:
    """`reflex run --env prod` on 127.0.0.1:`port` with `workers` Granian workers, PostgreSQL and
    (by default) Redis, under the browser lock; killed as a process group on exit.

    `frontend=False` runs `--backend-only` (the socket benchmarks need no JavaScript build);
    `frontend=True` builds and serves the production frontend on the same port.
    """
    origin = f"http://127.0.0.1:{port}"
    metrics_dir = Path(tempfile.mkdtemp(prefix="lc-bench-metrics-"))
    env = app_env(
        database,
        LUCKYCHIT_CORS_ORIGINS=f"{origin},http://localhost:{port}",
        LUCKYCHIT_PUBLIC_URL=origin,
        GRANIAN_WORKERS=str(workers),
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        LUCKYCHIT_LOG_FORMAT="json",
    )
    if redis:
        flush_redis()
        env["REFLEX_REDIS_URL"] = REDIS_URL
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / f"{name}.log"
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-port", str(port)]
    if os.environ.get("BENCH_REFLEX_LOGLEVEL"):
        command += ["--loglevel", os.environ["BENCH_REFLEX_LOGLEVEL"]]
    command += ["--frontend-port", str(port)] if frontend else ["--backend-only"]
    with browser_lock(), log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_healthy(origin, proc, log, timeout, "/login" if frontend else "")
            yield Server(origin, origin, workers, redis, log, proc.pid)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            shutil.rmtree(metrics_dir, ignore_errors=True)


# --- measurements ----------------------------------------------------------------------------------


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far (user + system, from /proc) by the server's process group (the
    `reflex run` parent and its workers), by PostgreSQL's processes and by Redis. Sampled twice, it
    says what one event or one action costs each of them, busy box or not."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"server": 0.0, "postgres": 0.0, "redis": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended while we looked
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(fields[2]) == server_pid:
            used["server"] += seconds
        elif comm == "postgres":
            used["postgres"] += seconds
        elif comm.startswith("redis-server"):
            used["redis"] += seconds
    return used


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: a reported p99 is a latency that happened)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p95_ms": round(percentile(values, 95) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
        "mean_ms": round(sum(values) / len(values) * 1000, 2) if values else float("nan"),
    }


_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([0-9.eE+\-]+|NaN|\+Inf)$")


def scrape(url: str) -> dict[tuple[str, str], float]:
    """`/metrics` as {(metric name, label text): value}."""
    request = urllib.request.Request(f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        text = resp.read().decode()
    samples: dict[tuple[str, str], float] = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match:
            samples[(match.group(1), match.group(2) or "")] = float(match.group(3))
    return samples


def metric_total(samples: dict[tuple[str, str], float], name: str) -> float:
    return sum(v for (n, _), v in samples.items() if n == name)


def machine() -> dict[str, str]:
    """What the figures were measured on, for docs/benchmarks.md."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    pg = subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-Atc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{os.cpu_count()} x {cpu}",
        "python": platform.python_version(),
        "postgresql": pg,
        "load_average_at_start": f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
    }


def save(name: str, result: dict) -> Path:
    """Write a benchmark's figures to bench/results/NAME.json (docs/benchmarks.md quotes them)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


def in_process_main(
    argv: list[str] | None,
    *,
    doc: str,
    name: str,
    calls: int,
    measure: Callable[[str, int], dict[str, Any]],
) -> int:
    """The command line of an in-process benchmark (`bench.session_lookup`, `bench.page_reads`):
    `measure(database url, calls)` on the bench book, each figure printed and saved as NAME.json."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=calls)
    parser.add_argument("--database", default=BENCH_DB)
    parser.add_argument("--out", default=name)
    args = parser.parse_args(argv)
    info = machine()
    result = measure(db_url(args.database), args.calls)
    for key, value in result.items():
        print(f"{key:32s} {value}")
    command = f"python -m bench.{name} --calls {args.calls}"
    path = save(args.out, {"benchmark": name, "command": command, "machine": info, "results": result})
    print(f"saved {path}")
    return 0
