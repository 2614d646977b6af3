"""Serve LuckyChit from the frontend built into the image: no compile, no bun, no build at start.

`reflex run --env prod` compiles the app and rebuilds the frontend on every start (a minute or
more, and it needs bun and a writable .web). The image builds the frontend once, at image build
time (`reflex export --frontend-only --no-zip --env prod`, see Dockerfile), and starts here:
Reflex's own production backend (`reflex.utils.exec.run_backend_prod`, the call `reflex run --env
prod` ends with) with the compiled frontend mounted on the same port, and compilation skipped.
Granian serves in this process, so as the container's PID 1 (via exec in ops/docker-entrypoint.sh)
it receives SIGTERM itself and stops cleanly.

Environment: HOST (default 0.0.0.0), PORT (default 3000), GRANIAN_WORKERS (Reflex's default:
one worker, or one per CPU when REFLEX_REDIS_URL is set).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BUILD_MARKER = Path(".web/build/client/index.html")


def main() -> None:
    if not BUILD_MARKER.exists():
        # Refuse rather than build: a start that silently compiles is what this script replaces.
        sys.exit(f"no prebuilt frontend at {BUILD_MARKER.resolve()}: build the image (reflex export) first")
    os.environ.setdefault("REFLEX_ENV_MODE", "prod")
    from reflex.config import get_config
    from reflex.utils import exec as rx_exec
    from reflex_base.environment import environment

    # What `reflex run --env prod` sets before serving (its `_skip_compile`); an internal variable
    # (named __REFLEX_SKIP_COMPILE), so set through Reflex rather than spelled here.
    environment.REFLEX_SKIP_COMPILE.set(True)
    config = get_config()
    rx_exec.run_backend_prod(
        # All interfaces: inside a container the published port reaches the app only this way.
        os.environ.get("HOST", "0.0.0.0"),  # noqa: S104
        int(os.environ.get("PORT", "3000")),
        config.loglevel.subprocess_level(),
        mount_frontend_compiled_app=True,
    )


if __name__ == "__main__":
    main()
