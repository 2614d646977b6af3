"""Configuration from the environment, read once. Defaults give a working dev install on SQLite."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    env: str
    session_hours: int
    cors_origins: tuple[str, ...]
    razorpay_key_id: str | None
    razorpay_key_secret: str | None
    razorpay_webhook_secret: str | None
    public_url: str
    public_url_set: bool = False  # LUCKYCHIT_PUBLIC_URL was given: links use it whatever the address
    read_database_url: str | None = None  # READ_DATABASE_URL: reports' read replica (db.read_transaction)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _normalise_db_url(url: str) -> str:
    """Accept the usual postgres:// spellings and always use psycopg 3."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    default_db = f"sqlite:///{VAR_DIR / 'luckychit.db'}"
    origins = os.environ.get("LUCKYCHIT_CORS_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000")
    return Settings(
        database_url=_normalise_db_url(os.environ.get("DATABASE_URL", default_db)),
        redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
        env=os.environ.get("LUCKYCHIT_ENV", "dev"),
        session_hours=int(os.environ.get("LUCKYCHIT_SESSION_HOURS", "12")),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        razorpay_key_id=os.environ.get("RAZORPAY_KEY_ID") or None,
        razorpay_key_secret=os.environ.get("RAZORPAY_KEY_SECRET") or None,
        razorpay_webhook_secret=os.environ.get("RAZORPAY_WEBHOOK_SECRET") or None,
        public_url=(os.environ.get("LUCKYCHIT_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/"),
        public_url_set=bool(os.environ.get("LUCKYCHIT_PUBLIC_URL")),
        read_database_url=_normalise_db_url(os.environ.get("READ_DATABASE_URL", "")) or None,
    )


DEFAULT_PUBLIC_URL = "http://localhost:3000"
# An address as a browser's Origin header gives it: scheme, host (a name, IPv4 or [IPv6]) and port.
_ORIGIN_RE = re.compile(
    r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?"
)


def public_url_for(origin: object) -> str:
    """The address links and QR codes point at (invite links): LUCKYCHIT_PUBLIC_URL when it is set
    (behind a proxy, or a fixed public name); otherwise the address the app was opened at (the
    browser's Origin, e.g. http://192.168.1.20:3000 on a shop's network), when it is a plain http(s)
    origin; otherwise the default. The Origin comes from the browser, so anything else is ignored."""
    settings = get_settings()
    if settings.public_url_set:
        return settings.public_url
    if isinstance(origin, str) and _ORIGIN_RE.fullmatch(origin):
        return origin
    return settings.public_url
