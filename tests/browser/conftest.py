"""One production build of the app per test session, on a fresh seeded SQLite database, driven
by Debian's Chromium through Playwright. Screenshots go to test-artifacts/ to be looked at."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PORT = int(os.environ.get("LUCKYCHIT_TEST_PORT", "3000"))
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it, not skip)")
    pytest.skip(reason)


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 420) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=3) as resp:
                if resp.status == 200:
                    with urllib.request.urlopen(f"{url}/login", timeout=5):
                        return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"app not healthy after {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def app_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The served app's database, so a test can act as a second party (e.g. the gateway)."""
    return f"sqlite:///{tmp_path_factory.mktemp('app') / 'browser.db'}"


@pytest.fixture(scope="session")
def app_url(app_db_url: str) -> Iterator[str]:
    bun_dir = ROOT / ".tools" / "node_modules" / ".bin"
    if not (bun_dir / "bun").exists() and shutil.which("bun") is None:
        _missing("bun is not installed (run `make install`)")
    env = {
        **os.environ,
        "DATABASE_URL": app_db_url,
        "LUCKYCHIT_CORS_ORIGINS": f"http://127.0.0.1:{PORT},http://localhost:{PORT}",
        "LUCKYCHIT_PUBLIC_URL": f"http://127.0.0.1:{PORT}",
        "LUCKYCHIT_BCRYPT_ROUNDS": "4",
        "LUCKYCHIT_RATE_SIGNIN": "1000/60",  # every test signs in from 127.0.0.1
        "REFLEX_USE_SYSTEM_BUN": "1",
        "TELEMETRY_ENABLED": "false",
        "PATH": f"{bun_dir}:{os.environ['PATH']}",
    }
    env.pop("REFLEX_REDIS_URL", None)
    for command in ("migrate", "seed-demo"):
        subprocess.run(
            [sys.executable, "-m", "luckychit_app", command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "app-server.log"
    with log.open("w") as out:
        # Own process group: Reflex ignores SIGTERM for a while, so the whole group is killed.
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reflex",
                "run",
                "--env",
                "prod",
                "--frontend-port",
                str(PORT),
                "--backend-port",
                str(PORT),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{PORT}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _missing("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: object, url: str, mobile: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.wait_for_selector("#mobile")
    page.fill("#mobile", mobile)
    page.fill("#password", password)
    page.click("#sign-in")
