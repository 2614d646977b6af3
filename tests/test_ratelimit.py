"""Fixed-window limits, in process and through Redis (the multi-worker setup)."""

from __future__ import annotations

import os
import uuid

import pytest

from luckychit_app import ratelimit


@pytest.fixture
def redis_url(monkeypatch):
    import redis

    url = os.environ.get("LUCKYCHIT_TEST_REDIS", "redis://127.0.0.1:6379/9")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis at 127.0.0.1:6379 is required in CI")
        pytest.skip("Redis is not running")
    return url


def _use(monkeypatch, redis_url: str | None) -> None:
    from luckychit_app.settings import get_settings

    if redis_url:
        monkeypatch.setenv("REFLEX_REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    get_settings.cache_clear()
    ratelimit._redis.cache_clear()
    monkeypatch.setenv("LUCKYCHIT_RATE_SIGNIN", "3/60")


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_fourth_attempt_in_a_window_is_refused(monkeypatch, request, backend):
    _use(monkeypatch, request.getfixturevalue("redis_url") if backend == "redis" else None)
    try:
        ip = f"10.0.0.{uuid.uuid4().int % 250}-{uuid.uuid4().hex}"
        assert [ratelimit.hit("signin", ip) for _ in range(4)] == [True, True, True, False]
        assert ratelimit.hit("signin", ip + "-other")  # another client is not affected
        if backend == "redis":
            assert ratelimit._redis() is not None
    finally:
        monkeypatch.undo()
        from luckychit_app.settings import get_settings

        get_settings.cache_clear()
        ratelimit._redis.cache_clear()
