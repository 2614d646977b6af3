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

browser-deps:  # Debian's Chromium, and a Devanagari font so Hindi screens render in screenshots
	@(command -v chromium >/dev/null && fc-list | grep -qi deva) || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-lohit-deva >/dev/null)

# CI (CI=true) adds a deep fuzz run after the suite; `make test FUZZ_DEEP=1` adds it locally. Its seed is
# fresh each time (or LUCKYCHIT_FUZZ_SEED) and printed first, so a failure can be replayed. 24 examples
# for each of the 94 handlers the fuzz draws for: 76 s (measured in CI on 2026-12-05; the normal run draws 12).
FUZZ_DEEP ?= $(CI)
FUZZ_DEEP_EXAMPLES ?= 24

# Two runs: everything but the browser on both cores (pytest-xdist; each worker has its own databases
# and security world), then the browser journeys in one process against one production build.
test: install browser-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 -m "not browser"
	$(BIN)/python -m pytest -q -p no:cacheprovider -m browser
ifneq ($(filter-out 0 false,$(strip $(FUZZ_DEEP))),)
	@seed=$${LUCKYCHIT_FUZZ_SEED:-$$($(BIN)/python -c 'import secrets; print(secrets.randbelow(2**32))')}; \
	echo "deep fuzz: LUCKYCHIT_FUZZ_SEED=$$seed LUCKYCHIT_FUZZ_EXAMPLES=$(FUZZ_DEEP_EXAMPLES)"; \
	LUCKYCHIT_FUZZ_SEED=$$seed LUCKYCHIT_FUZZ_EXAMPLES=$(FUZZ_DEEP_EXAMPLES) \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/security/test_fuzz.py
endif

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check luckychit_app tests

clean:
	rm -rf .web var test-artifacts
