"""The browser tests' server fixture drives only the server it started (no production build needed):
its wait refuses anything else answering on the port, and an explicit port that is taken fails."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser.conftest import PORT_ENV, choose_port, free_port, port_taken, wait_for_own_server


def _serve(health_body: bytes | None) -> Iterator[str]:
    """A stand-in for another LuckyChit on some port: /health answers `health_body` (404 if None)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/health" and health_body is not None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(health_body)
            elif self.path == "/login":
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"<html>login</html>")
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def other_luckychit() -> Iterator[str]:
    yield from _serve(json.dumps({"status": "ok", "test_instance": "someone-elses-run"}).encode())


def test_refuses_a_server_that_echoes_another_token(other_luckychit: str) -> None:
    port = other_luckychit.rsplit(":", 1)[1]
    with pytest.raises(pytest.fail.Exception, match=f"port {port} is answered by another server") as exc:
        wait_for_own_server(other_luckychit, "my-token", timeout=10)
    assert "'someone-elses-run'" in str(exc.value)


def test_refuses_a_luckychit_without_a_token() -> None:
    """A developer's `make run`: a real /health, but no LUCKYCHIT_TEST_INSTANCE set."""
    for url in _serve(json.dumps({"status": "ok", "database": {"status": "ok"}}).encode()):
        with pytest.raises(pytest.fail.Exception, match="no test instance token"):
            wait_for_own_server(url, "my-token", timeout=10)


def test_refuses_a_server_without_health() -> None:
    """E.g. `python3 -m http.server` on the port: /health is a 404 page."""
    for url in _serve(None):
        with pytest.raises(pytest.fail.Exception, match="HTTP 404 with no test instance token"):
            wait_for_own_server(url, "my-token", timeout=10)


def test_accepts_the_server_that_echoes_its_own_token() -> None:
    for url in _serve(json.dumps({"status": "ok", "test_instance": "my-token"}).encode()):
        wait_for_own_server(url, "my-token", timeout=10)


def test_reports_a_server_that_could_not_take_the_port(tmp_path: Path) -> None:
    log = tmp_path / "app-server.log"
    log.write_text("Fullstack port: 3000 is already in use.\n")
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    with pytest.raises(pytest.fail.Exception, match="port 45678 is already in use by another process"):
        wait_for_own_server("http://127.0.0.1:45678", "my-token", proc, log, timeout=10)


def test_an_explicit_port_that_is_taken_fails_clearly(
    other_luckychit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = int(other_luckychit.rsplit(":", 1)[1])
    assert port_taken(port)
    monkeypatch.setenv(PORT_ENV, str(port))
    with pytest.raises(pytest.fail.Exception, match=f"port {port} \\({PORT_ENV}={port}\\) is already in use"):
        choose_port()


def test_without_an_explicit_port_a_free_one_is_chosen(
    other_luckychit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PORT_ENV, raising=False)
    taken = int(other_luckychit.rsplit(":", 1)[1])
    port = choose_port()
    assert port != taken and not port_taken(port)
