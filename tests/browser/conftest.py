"""One production build of the app per test session, on a fresh seeded SQLite database, driven
by Debian's Chromium through Playwright. Screenshots go to test-artifacts/ to be looked at.

The server runs on a free port (or `LUCKYCHIT_TEST_PORT`, which must be free) and proves it is the
one this session started: the fixture passes a random token in `LUCKYCHIT_TEST_INSTANCE` and waits
until `/health` echoes it. Anything else answering on the port (a developer's `make run`, another
session) fails the session with a message naming the port instead of being driven by the tests.
The server is started and lives holding /tmp/luckychit-browser.lock, as the benchmarks' servers do:
all of them build into and serve from the one `.web` folder."""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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
PORT_ENV = "LUCKYCHIT_TEST_PORT"  # unset: a free port is chosen
INSTANCE_ENV = "LUCKYCHIT_TEST_INSTANCE"  # the token /health echoes (luckychit_app.api.routes)
LOCK_FILE = Path("/tmp/luckychit-browser.lock")  # the `.web` build folder's lock, as in bench/common.py
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it, not skip)")
    pytest.skip(reason)


def _families() -> list[socket.AddressFamily]:
    families = [socket.AF_INET]
    if socket.has_ipv6:
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("", 0))
            families.append(socket.AF_INET6)
    return families


def port_taken(port: int) -> bool:
    """Whether a process already listens on `port` (Reflex's own check: bind with SO_REUSEADDR on
    every address family, plus a connection attempt to 127.0.0.1)."""
    for family in _families():
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("", port))
            except OSError:
                return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    """A port nobody listens on, from the kernel's ephemeral range."""
    for _ in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("", 0))
            port = sock.getsockname()[1]
        if not port_taken(port):
            return port
    pytest.fail("no free TCP port found for the browser tests' server", pytrace=False)


def choose_port() -> int:
    """`LUCKYCHIT_TEST_PORT` if set (it must be free), else a free port."""
    explicit = os.environ.get(PORT_ENV, "").strip()
    if not explicit:
        return free_port()
    port = int(explicit)
    if port_taken(port):
        pytest.fail(
            f"port {port} ({PORT_ENV}={explicit}) is already in use by another process; the browser "
            f"tests will not start their server there or drive whatever answers on it. Stop that "
            f"process, or unset {PORT_ENV} to run on a free port.",
            pytrace=False,
        )
    return port


def _health(url: str) -> tuple[int, str | None] | None:
    """(status, echoed test instance token or None) from `url`/health; None when nothing answers yet."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=3) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as exc:  # an answer, e.g. 503 while degraded, or 404 from a stranger
        status, body = exc.code, exc.read()
    except http.client.RemoteDisconnected:
        return None
    except http.client.HTTPException:  # something that does not speak HTTP holds the port
        return 0, None
    except OSError:  # refused, reset or timed out: not listening (yet)
        return None
    try:
        token = json.loads(body).get("test_instance")
    except (ValueError, AttributeError):
        token = None
    return status, token if isinstance(token, str) else None


def wait_for_own_server(
    url: str,
    token: str,
    proc: subprocess.Popen | None = None,
    log: Path | None = None,
    timeout: float = 420,
    page: str | None = "/login",
) -> None:
    """Wait until the server this session started answers on `url`: its /health must echo `token`,
    and `page` must load (None for a backend-only server).

    Fails (pytest.fail, naming the port) as soon as anything else answers there, when `proc` exits,
    or after `timeout` seconds."""
    port = urlsplit(url).port

    def tail() -> str:
        return log.read_text(errors="replace")[-3000:] if log and log.exists() else ""

    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            log_tail = tail()
            if "already in use" in log_tail:
                pytest.fail(
                    f"port {port} is already in use by another process, so the test server could "
                    f"not start there; stop that process or unset {PORT_ENV}.\n{log_tail}",
                    pytrace=False,
                )
            pytest.fail(
                f"the test server on port {port} exited early (code {proc.returncode}):\n{log_tail}",
                pytrace=False,
            )
        answer = _health(url)
        if answer is not None:
            status, echoed = answer
            if echoed != token:
                seen = f"the token {echoed!r}" if echoed else "no test instance token"
                pytest.fail(
                    f"port {port} is answered by another server, not the one this test session "
                    f"started: its /health gave HTTP {status} with {seen}. Refusing to run the "
                    f"browser tests against it (it may be a developer's `make run` and its "
                    f"database); stop it, or unset {PORT_ENV} to run on a free port.",
                    pytrace=False,
                )
            if status == 200 and page is None:
                return
            if status == 200:
                try:
                    with urllib.request.urlopen(f"{url}{page}", timeout=5):
                        return
                except OSError as exc:
                    last = f"{page}: {exc}"
            else:
                last = f"/health: HTTP {status}"
        time.sleep(1)
    pytest.fail(
        f"the test server on port {port} is not ready after {timeout}s ({last}):\n{tail()}", pytrace=False
    )


@pytest.fixture(scope="session")
def app_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The served app's database, so a test can act as a second party (e.g. the gateway)."""
    return f"sqlite:///{tmp_path_factory.mktemp('app') / 'browser.db'}"


def _holds_web_lock() -> bool:
    """Whether this process inherited a descriptor of the lock file (`flock LOCK_FILE pytest ...`,
    as docs/security.md runs it): the lock is then already ours, and taking it again would wait forever."""
    with contextlib.suppress(OSError):
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/self/fd/{fd}") == str(LOCK_FILE):
                    return True
    return False


@contextlib.contextmanager
def web_lock(timeout: float = 1800) -> Iterator[None]:
    """Hold LOCK_FILE while the server lives: `reflex run` builds into the one `.web` folder that
    other browser runs and the benchmarks (bench/common.py) also build into and serve from."""
    if _holds_web_lock():
        yield
        return
    with LOCK_FILE.open("a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"{LOCK_FILE} is still held by another run after {timeout:.0f}s", pytrace=False
                    )
                time.sleep(2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def app_url(app_db_url: str) -> Iterator[str]:
    bun_dir = ROOT / ".tools" / "node_modules" / ".bin"
    if not (bun_dir / "bun").exists() and shutil.which("bun") is None:
        _missing("bun is not installed (run `make install`)")
    with web_lock():
        yield from _serve_app(app_db_url, bun_dir)


def _serve_app(app_db_url: str, bun_dir: Path) -> Iterator[str]:
    """Migrate and seed the database, start `reflex run --env prod` on a free port and yield its
    URL once it has proved its identity; kill its process group afterwards."""
    port = choose_port()
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "DATABASE_URL": app_db_url,
        INSTANCE_ENV: token,
        "LUCKYCHIT_CORS_ORIGINS": f"http://127.0.0.1:{port},http://localhost:{port}",
        "LUCKYCHIT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "LUCKYCHIT_BCRYPT_ROUNDS": "4",
        "LUCKYCHIT_RATE_SIGNIN": "1000/60",  # every test signs in from 127.0.0.1
        "LUCKYCHIT_RATE_SIGNUP": "1000/60",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "TELEMETRY_ENABLED": "false",
        "PATH": f"{bun_dir}:{os.environ['PATH']}",
    }
    # Nothing from the caller's shell may point the build elsewhere (Redis, or the websocket's URL).
    for name in (
        "REFLEX_REDIS_URL",
        "REFLEX_API_URL",
        "REFLEX_DEPLOY_URL",
        "REFLEX_FRONTEND_PORT",
        "REFLEX_BACKEND_PORT",
    ):
        env.pop(name, None)
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
                # Production mode serves the frontend and the backend on this one port.
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_own_server(url, token, proc, log)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
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
    # A full-page capture of a long page on the shared 2-core box once took over 30 s (the sweep's
    # payments page, CI of de71212): give it a minute before calling the page broken.
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, timeout=60_000)


def sign_in(page: object, url: str, mobile: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.wait_for_selector("#mobile")
    page.fill("#mobile", mobile)
    page.fill("#password", password)
    page.click("#sign-in")


def texted_code(app_db_url: str, mobile: str) -> str:
    """The 6-digit code the app last texted to `mobile`, read from the outbox as the phone shows it."""
    from sqlmodel import select

    from luckychit_app.db import make_engine, transaction
    from luckychit_app.models import OutboxMessage

    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            body = s.exec(
                select(OutboxMessage.body)
                .where(OutboxMessage.recipient == mobile)
                .order_by(OutboxMessage.id.desc())
            ).first()
    finally:
        engine.dispose()
    found = re.search(r"\b(\d{6})\b", body or "")
    assert found, f"no code in the last text to {mobile}: {body!r}"
    return found.group(1)


def prove_mobile(page: object, app_db_url: str, mobile: str) -> None:
    """Step one of a sign-up (/signup or an invite link): the number gets a code, typed in from the
    text; the account's fields follow on the same page."""
    page.wait_for_selector("#signup-send-code")
    page.fill("#mobile", mobile)
    page.click("#signup-send-code")
    page.wait_for_selector("#code")
    page.fill("#code", texted_code(app_db_url, mobile))


UNLABELLED = """(root) => {
  const scope = root ? document.querySelector(root) : document;
  if (!scope) return ["missing " + root];
  const bad = [];
  const sel = 'input, select, textarea, [role=combobox], [role=switch], [role=radio], '
    + '[role=checkbox], [role=radiogroup]';
  for (const el of scope.querySelectorAll(sel)) {
    if (el.type === 'hidden' || el.type === 'submit' || el.closest('[aria-hidden=true]')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const gone = style.display === 'none' || style.visibility === 'hidden';
    if (gone || (box.width === 0 && box.height === 0)) continue;
    const byId = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
      .some((id) => (document.getElementById(id)?.textContent || '').trim());
    const named = (el.getAttribute('aria-label') || '').trim() || byId
      || (el.labels && [...el.labels].some((l) => l.textContent.trim())) || el.closest('label')
      || (el.tagName === 'BUTTON' && el.textContent.trim());  // a radio button named by its text
    if (!named) bad.push(el.outerHTML.slice(0, 160));
  }
  return bad;
}"""
"""Visible form controls (inside `root`, a CSS selector, or the whole page) that have no accessible
name of their own: no label with text, no aria-label, no aria-labelledby pointing at text. A
placeholder is not a label. (The route sweep adds axe-core's rules on top.)"""


def unlabelled(page: object, root: str | None = None) -> list[str]:
    return page.evaluate(UNLABELLED, root)


@dataclass(frozen=True)
class Ids:
    group: int
    draw: int
    ticket: int
    payment: int
    dispute: int
    join_code: str


@pytest.fixture(scope="session")
def ids(app_db_url: str) -> Ids:
    """Real ids from the demo data: the demo member's ticket in a group with a completed draw, a
    payment received on it, a query on that payment (raised here if they have none), and a forming
    group's invite code. Shared by the route sweep and the language walk."""
    from sqlmodel import select  # the app's modules load once the server's settings are in the env

    from luckychit_app.db import make_engine, transaction
    from luckychit_app.models import ChitGroup, Dispute, Draw, Payment, Ticket, User
    from luckychit_app.seeding.demo import MEMBER_MOBILE
    from luckychit_app.services.messages import disputes
    from luckychit_app.services.people.auth import actor_for_user

    engine = make_engine(app_db_url)
    try:
        with transaction(engine) as s:
            member = s.exec(select(User).where(User.mobile == MEMBER_MOBILE)).one()
            payment, ticket = s.exec(
                select(Payment, Ticket)
                .join(Ticket, Ticket.id == Payment.ticket_id)
                .join(Draw, (Draw.group_id == Ticket.group_id) & (Draw.status == "completed"))
                .where(Ticket.member_id == member.id, Payment.status == "captured")
                .order_by(Payment.id)
            ).first()
            draw = s.exec(
                select(Draw).where(Draw.group_id == ticket.group_id, Draw.status == "completed")
            ).first()
            dispute = s.exec(select(Dispute).where(Dispute.raised_by_id == member.id)).first()
            if dispute is None:
                dispute = disputes.raise_dispute(
                    s,
                    actor=actor_for_user(s, member.id),
                    subject_type="payment",
                    subject_id=payment.id,
                    title="Receipt amount",
                    body="The receipt shows a different amount from what I paid in cash.",
                )
            forming = s.exec(select(ChitGroup).where(ChitGroup.status == "forming")).first()
            return Ids(ticket.group_id, draw.id, ticket.id, payment.id, dispute.id, forming.invite_code)
    finally:
        engine.dispose()
