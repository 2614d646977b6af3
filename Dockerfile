# Production image (issue 21): the frontend is built here, once, at image build time, and the
# container starts the prebuilt app in seconds as a non-root user (ops/serve_prebuilt.py). The old
# image ran `reflex run --env prod` at every start: a full compile and frontend build (about a
# minute) before the first request, bun in the image, and a writable source tree.
#
# Stage 1 (build): Python packages into /opt/venv, bun from npm, then
#   reflex export --frontend-only --no-zip --env prod  ->  .web/build/client
# The export imports the app, so it is given a throwaway SQLite database and a throwaway data key
# for that one command only (neither is kept in the image: they are not ENV lines).
# The frontend talks to the backend on the same host and port it was served from (Reflex's
# getBackendURL swaps `localhost` for the page's host, and drops the port under https), so one
# image serves any public address, behind a TLS proxy or on :3000.
FROM python:3.11-slim-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm unzip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt
RUN npm install --silent --prefix /opt/tools bun@1.4.5
ENV PATH=/opt/venv/bin:/opt/tools/node_modules/.bin:$PATH \
    REFLEX_USE_SYSTEM_BUN=1 TELEMETRY_ENABLED=false REFLEX_TELEMETRY_ENABLED=false LUCKYCHIT_ENV=prod
COPY . .
RUN DATABASE_URL=sqlite:////tmp/build.db \
    LUCKYCHIT_DATA_KEYS="build:$(head -c32 /dev/urandom | base64)" \
    reflex export --frontend-only --no-zip --env prod \
    && test -f .web/build/client/index.html \
    && rm -rf .web/node_modules .web/.react-router /tmp/build.db

# Stage 2 (runtime): no node, no bun, no compiler. Fonts for receipt PDFs: DejaVu (Latin, ₹) and
# Noto (Devanagari, Tamil, Telugu, Kannada, Malayalam); curl for the HEALTHCHECK; the PostgreSQL 15
# client for the backups' pg_dump / pg_restore (services/operations/backup.py), the same major
# version as the db service in docker-compose.yml.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl postgresql-client-15 \
    fonts-dejavu-core fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
# A fixed uid/gid so volume permissions are the same on every host.
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --home-dir /app app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code and the built frontend stay root-owned (the app cannot rewrite itself); only the
# directories it writes are the app user's: uploads, var (a SQLite database when no DATABASE_URL),
# .web/backend (Reflex writes .web/backend/upload_is_used at start: a start as a non-root user
# without it failed with PermissionError), the backups and the Prometheus multiprocess directory.
COPY --from=build /app /app
RUN mkdir -p /app/var /app/uploaded_files /app/.web/backend /var/lib/luckychit/backups \
    /var/lib/luckychit/metrics \
    && chown -R app:app /app/var /app/uploaded_files /app/.web/backend /var/lib/luckychit \
    && chmod 0755 /app/ops/docker-entrypoint.sh
ENV PATH=/opt/venv/bin:$PATH \
    TELEMETRY_ENABLED=false REFLEX_TELEMETRY_ENABLED=false LUCKYCHIT_ENV=prod PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 PORT=3000
USER app
EXPOSE 3000
# /health answers 503 only when the database (or Redis) is down; late background jobs are
# 200 "degraded" (routes.health), so a late reminder job never gets a serving container restarted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null || exit 1
ENTRYPOINT ["/app/ops/docker-entrypoint.sh"]
CMD ["python", "ops/serve_prebuilt.py"]
