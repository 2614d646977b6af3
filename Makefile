# Two commands for a new machine: `make run` (the app at http://localhost:3000) and `make test`.
# Both create .venv, install pinned requirements and a project-local bun (Reflex's own bun
# download needs the internet), then do their job.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export TELEMETRY_ENABLED := false
export REFLEX_TELEMETRY_ENABLED := false

.PHONY: run test install lint migrate seed clean browser-deps

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(TOOLS)/node_modules/.bin/bun:
	npm install --silent --prefix $(TOOLS) bun@1.4.5
	test -x $@

install: $(BIN)/.installed $(TOOLS)/node_modules/.bin/bun

migrate: install
	$(BIN)/python -m luckychit_app migrate

seed: migrate
	$(BIN)/python -m luckychit_app seed-demo

run: seed
	$(BIN)/reflex run --env prod

# Debian's Chromium; a Devanagari font so Hindi screens render in screenshots; Noto for the Tamil,
# Telugu, Kannada and Malayalam screens and for receipt PDFs in every script (services/money/pdf_fonts);
# prometheus for promtool, which checks and unit-tests ops/prometheus/alerts.yml (tests/test_alert_rules.py).
browser-deps:
	@(command -v chromium >/dev/null && fc-list | grep -qi deva && fc-list | grep -q NotoSansTamil \
		&& command -v promtool >/dev/null) || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-lohit-deva fonts-noto-core >/dev/null \
			&& apt-get install -y -qq --no-install-recommends prometheus >/dev/null)

# CI (CI=true) fuzzes deeper: the fuzz test in the first run draws FUZZ_DEEP_EXAMPLES (24) examples per
# handler instead of 12, from a fresh seed (or LUCKYCHIT_FUZZ_SEED) printed first so a failure can be
# replayed; `make test FUZZ_DEEP=1` does the same locally. It runs on both xdist workers with the rest
# (a run of its own after the suite took 4 min 56 s in CI on 2026-12-05).
FUZZ_DEEP ?= $(CI)
FUZZ_DEEP_EXAMPLES ?= 24
DEEP := $(filter-out 0 false,$(strip $(FUZZ_DEEP)))

# Two runs: everything but the servers on both cores (pytest-xdist; each worker has its own databases
# and security world), then, in one process, the browser journeys against one production build and
# the live access matrix against a backend with two workers on Redis and PostgreSQL. Not side by
# side: Chromium uses 1.25 cores while the second run goes (measured on two route sweeps: 170 CPU
# seconds in 135 s), more the longer its pages stay open, and beside the first run both slowed down
# (tried on 2026-12-07: a third of the first run done after 18 minutes).
test: install browser-deps
	$(BIN)/ruff check .
	@seed=$${LUCKYCHIT_FUZZ_SEED:-$$($(BIN)/python -c 'import secrets; print(secrets.randbelow(2**32))')}; \
	$(if $(DEEP),echo "deep fuzz: LUCKYCHIT_FUZZ_SEED=$$seed LUCKYCHIT_FUZZ_EXAMPLES=$(FUZZ_DEEP_EXAMPLES)";) \
	env $(if $(DEEP),LUCKYCHIT_FUZZ_SEED=$$seed LUCKYCHIT_FUZZ_EXAMPLES=$(FUZZ_DEEP_EXAMPLES)) \
		$(BIN)/python -m pytest -q -p no:cacheprovider --durations=15 -n 2 --dist worksteal -m "not browser and not live"
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=15 -m "browser or live"

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check luckychit_app tests

clean:
	rm -rf .web var test-artifacts
