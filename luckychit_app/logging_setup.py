"""Structured logs: one JSON object per line, so a log shipper (Loki, CloudWatch, journald) can
filter on fields instead of parsing prose.

`LUCKYCHIT_LOG_FORMAT=json` turns it on; it is the default when `LUCKYCHIT_ENV=prod`, and plain text
stays the default on a developer's machine, where people read the logs. Only the app's own
`luckychit` loggers are configured here: Reflex and the ASGI server keep their own console output.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

from luckychit_app.settings import get_settings

# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
_CONFIGURED_MARK = "_luckychit_handler"


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "msg", "pid", ...extra fields, "exc"}` on one line.

    Extra fields (`log.info("slow event", extra={"event": name, "ms": 812})`) become top-level keys,
    which is what makes the logs queryable. Values that JSON cannot hold are written with `str()`.
    """

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


def log_format() -> str:
    """ "json" or "text", from LUCKYCHIT_LOG_FORMAT, defaulting to json in production."""
    chosen = os.environ.get("LUCKYCHIT_LOG_FORMAT", "").strip().lower()
    if chosen in ("json", "text"):
        return chosen
    return "json" if get_settings().env == "prod" else "text"


def configure_logging(fmt: str | None = None, stream: object = None) -> logging.Logger:
    """Give the `luckychit` logger one handler in the chosen format (idempotent: importing the app
    in several places, or in every worker, never stacks handlers)."""
    logger = logging.getLogger("luckychit")
    for handler in [h for h in logger.handlers if getattr(h, _CONFIGURED_MARK, False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    setattr(handler, _CONFIGURED_MARK, True)
    if (fmt or log_format()) == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(os.environ.get("LUCKYCHIT_LOG_LEVEL", "INFO").upper())
    logger.propagate = False
    return logger
