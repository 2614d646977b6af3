# Production image: Python + bun (from npm), app built at start against the configured database.
FROM python:3.11-slim-bookworm
# Fonts for receipt PDFs: DejaVu (Latin, ₹) and Noto (Devanagari, Tamil, Telugu, Kannada, Malayalam).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm curl unzip \
    fonts-dejavu-core fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
RUN npm install --silent --prefix /opt/tools bun@1.4.5
ENV PATH=/opt/tools/node_modules/.bin:$PATH \
    REFLEX_USE_SYSTEM_BUN=1 TELEMETRY_ENABLED=false LUCKYCHIT_ENV=prod PYTHONUNBUFFERED=1
COPY . .
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:3000/health || exit 1
CMD ["sh", "-c", "python -m luckychit_app migrate && exec reflex run --env prod"]
