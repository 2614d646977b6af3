#!/bin/sh
# Container entrypoint: bring the schema up to date, then exec the command (by default the prebuilt
# server, ops/serve_prebuilt.py), which becomes PID 1 and so receives `docker stop`'s SIGTERM.
#
# - Migrations run at every start: `python -m luckychit_app migrate` is idempotent (Alembic, up to
#   head), and a new image's code must never meet an old schema. LUCKYCHIT_MIGRATE_ON_START=0 skips
#   it, for deployments that migrate in a separate one-off job before rolling replicas.
# - PROMETHEUS_MULTIPROC_DIR must start empty (luckychit_app/metrics.py): files left by a previous
#   container's workers would be summed into this one's counters.
set -eu

if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    find "$PROMETHEUS_MULTIPROC_DIR" -mindepth 1 -delete
fi

if [ "${LUCKYCHIT_MIGRATE_ON_START:-1}" != "0" ]; then
    python -m luckychit_app migrate
fi

exec "$@"
