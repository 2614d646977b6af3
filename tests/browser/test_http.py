"""HTTP-level checks against the served production build: health, headers, CORS."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()


def test_health_reports_the_database(app_url):
    status, headers, body = _get(f"{app_url}/health")
    data = json.loads(body)
    assert status == 200 and data["status"] == "ok" and data["database"]["status"] == "ok"
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"


def test_pages_carry_security_headers(app_url):
    _, headers, _ = _get(f"{app_url}/login")
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_api_responses_may_not_run_anything(app_url):
    status, headers, body = _get(f"{app_url}/api/verify.py")
    assert status == 200 and b"def main" in body
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["cache-control"] == "no-store" and headers["x-frame-options"] == "DENY"


def _handshake(app_url: str, origin: str) -> str:
    """The Engine.IO handshake checks the Origin header before anything else."""
    request = urllib.request.Request(
        f"{app_url}/_event/?EIO=4&transport=polling&token=t", headers={"Origin": origin}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.read().decode().lower()
    except urllib.error.HTTPError as err:
        return err.read().decode().lower()


def test_websocket_refuses_origins_not_configured(app_url):
    assert "not an accepted origin" in _handshake(app_url, "http://evil.example")
    assert "not an accepted origin" not in _handshake(app_url, app_url)


def test_the_builds_hashed_files_are_cached_for_good_and_pages_are_not(app_url):
    _, _, html = _get(f"{app_url}/login")
    asset = re.search(r"/assets/[\w.-]+\.js", html.decode()).group(0)
    status, headers, _ = _get(f"{app_url}{asset}")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable", headers
    _, page_headers, _ = _get(f"{app_url}/login")
    assert "immutable" not in page_headers.get("cache-control", "")
    try:
        _get(f"{app_url}/assets/no-such-file-0000.js")
    except urllib.error.HTTPError as err:  # a missing file is not cached as if it were there
        assert "immutable" not in (err.headers.get("cache-control") or "")
