"""Configuration from the environment, read once. Defaults give a working dev install on SQLite."""

from __future__ import annotations

import os
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
        public_url=os.environ.get("LUCKYCHIT_PUBLIC_URL", "http://localhost:3000"),
    )
