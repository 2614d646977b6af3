"""Fixed-window rate limits for sign-in, sign-up and one-time-code requests, per client IP.

With REFLEX_REDIS_URL set, counters live in Redis so every worker shares them; otherwise they live
in this process (the embedded single-process setup). Limits come from the environment, e.g.
LUCKYCHIT_RATE_SIGNIN="20/300" (20 attempts per 5 minutes per IP). Client IPs come from Reflex,
which ignores X-Forwarded-For unless REFLEX_TRUSTED_PROXY_HOPS is configured."""

from __future__ import annotations

import logging
import os
import threading
import time
from functools import lru_cache

from luckychit_app.settings import get_settings

log = logging.getLogger("luckychit")
# Sign-up has sign-in's limit (issue 17, item 2): both answer about a mobile number.
DEFAULTS = {"signin": "20/300", "signup": "20/300", "code": "5/900", "webhook": "600/60"}
_local: dict[str, tuple[int, float]] = {}
_lock = threading.Lock()


def limit_of(scope: str) -> tuple[int, int]:
    spec = os.environ.get(f"LUCKYCHIT_RATE_{scope.upper()}", DEFAULTS[scope])
    count, _, window = spec.partition("/")
    return int(count), int(window)


@lru_cache(maxsize=1)
def _redis():  # noqa: ANN202
    url = get_settings().redis_url
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def hit(scope: str, key: str) -> bool:
    """Count one request; False when the caller is over the limit for the current window."""
    allowed, window = limit_of(scope)
    bucket = int(time.time() // window)
    name = f"lc:rl:{scope}:{key}:{bucket}"
    client = _redis()
    if client is not None:
        try:
            pipe = client.pipeline()
            pipe.incr(name)
            pipe.expire(name, window + 1)
            count = int(pipe.execute()[0])
            return count <= allowed
        except Exception:  # Redis blipped: fall back to this process's counters rather than fail open
            log.warning("rate limiter: Redis unavailable, using in-process counters", exc_info=True)
    with _lock:
        now = time.time()
        for stale in [k for k, (_, exp) in _local.items() if exp < now]:
            del _local[stale]
        count, expires = _local.get(name, (0, now + window))
        _local[name] = (count + 1, expires)
        return count + 1 <= allowed
