"""The container's commands are the documented ones and work, tested without Docker (issue 21).

Docker is not available where the suite runs, so the image's start is checked piece by piece: the
Dockerfile's ENTRYPOINT, CMD, build command, user and HEALTHCHECK are parsed and compared with what
ops/serve_prebuilt.py, ops/docker-entrypoint.sh and the README document, and the entrypoint is run
for real against a temporary SQLite database (it migrates, empties the Prometheus directory and
execs the command). README "Docker" says how the prebuilt start itself was proven by hand.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENTRYPOINT = ROOT / "ops" / "docker-entrypoint.sh"
EXPORT = "reflex export --frontend-only --no-zip --env prod"


def _instruction(name: str) -> str:
    """The last instruction `name` of the runtime stage (the one Docker uses), continuation lines joined."""
    joined = DOCKERFILE.replace("\\\n", " ")
    found = re.findall(rf"^{name}\s+(.+)$", joined, flags=re.MULTILINE)
    assert found, f"Dockerfile has no {name}"
    return found[-1].strip()


def _exec_form(name: str) -> list[str]:
    # Exec (JSON) form, not shell form: the command is PID 1 and receives SIGTERM itself.
    return json.loads(_instruction(name))


def test_start_is_the_entrypoint_then_the_prebuilt_server_as_a_non_root_user() -> None:
    assert _exec_form("ENTRYPOINT") == ["/app/ops/docker-entrypoint.sh"]
    assert _exec_form("CMD") == ["python", "ops/serve_prebuilt.py"]
    assert _instruction("USER") == "app"
    assert (ROOT / "ops" / "serve_prebuilt.py").exists() and os.access(ENTRYPOINT, os.X_OK)
    assert "reflex run" not in _instruction("CMD")  # no compile or frontend build at start


def test_the_frontend_is_built_at_image_build_time_and_the_healthcheck_asks_health() -> None:
    assert EXPORT in DOCKERFILE and "test -f .web/build/client/index.html" in DOCKERFILE
    # The server refuses to start without that build, under the same path.
    assert ".web/build/client/index.html" in (ROOT / "ops" / "serve_prebuilt.py").read_text()
    assert "/health" in _instruction("HEALTHCHECK")
    assert EXPORT in (ROOT / "README.md").read_text()


def test_compose_runs_app_db_redis_with_persistent_volumes_and_the_backup_schedule() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {"app", "db", "redis"}
    app = compose["services"]["app"]
    env = app["environment"]
    assert {"LUCKYCHIT_BACKUP_DIR", "LUCKYCHIT_BACKUP_EVERY", "LUCKYCHIT_BACKUP_KEEP"} <= set(env)
    assert f"backups:{env['LUCKYCHIT_BACKUP_DIR']}" in app["volumes"]
    assert {"pgdata", "backups"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]


def _entrypoint_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PROMETHEUS_"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",  # the image's `python`
        DATABASE_URL=f"sqlite:///{tmp_path / 'container.db'}",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    return env


def test_entrypoint_migrates_empties_the_metrics_dir_and_execs_the_command(tmp_path: Path) -> None:
    stale = tmp_path / "metrics" / "counter_123.db"
    stale.parent.mkdir()
    stale.write_text("a previous container's worker")
    done = subprocess.run(
        [str(ENTRYPOINT), "python", "-c", "import os; print('exec', os.getpid())"],
        cwd=ROOT,
        env=_entrypoint_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "exec" in done.stdout
    assert not stale.exists()
    with sqlite3.connect(tmp_path / "container.db") as db:
        (version,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    heads = sorted(p.stem for p in (ROOT / "alembic" / "versions").glob("0*.py"))
    assert version == heads[-1] and "worker_heartbeats" in tables


def test_entrypoint_stops_when_the_migration_fails(tmp_path: Path) -> None:
    env = _entrypoint_env(tmp_path)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"
    done = subprocess.run(
        [str(ENTRYPOINT), "python", "-c", "print('served')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 and "served" not in done.stdout  # never serve on an unmigrated schema


def test_prebuilt_server_refuses_to_start_without_a_build(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "ops" / "serve_prebuilt.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0 and "no prebuilt frontend" in done.stderr
