# Guichet — every target a newcomer needs. `make help` lists them.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROFILE ?= fr
PORT ?= 8000
# demo_setup prints, and emails link to, GUICHET_SITE_URL, which defaults to http://127.0.0.1:$(PORT).
export PORT
export GUICHET_LENDER ?= $(PROFILE)

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed ## Create .venv and install Guichet with its dev tools

demo: install ## Set up the SQLite demo (PROFILE=fr|nc) and serve it on http://127.0.0.1:PORT (PORT=8000)
	DJANGO_SETTINGS_MODULE=guichet.settings.dev $(BIN)/python manage.py demo_setup --reset
	DJANGO_SETTINGS_MODULE=guichet.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install ## Run every suite: unit, integration, e2e (Chromium)
	$(BIN)/python -m tests.preflight
	DJANGO_SETTINGS_MODULE=guichet.settings.test $(BIN)/pytest -q tests/unit tests/integration tests/e2e

test-fast: install ## Unit and integration tests only
	DJANGO_SETTINGS_MODULE=guichet.settings.test $(BIN)/pytest -q tests/unit tests/integration

# A 1st of the month, 29 February, New Year's Eve after 23:00 UTC (already 1 January in Paris).
TEST_DATES ?= 2027-03-01 09:00:00|2028-02-29 10:00:00|2026-12-31 23:30:00

test-dates: install ## Unit and integration tests on other days (faketime; TEST_DATES="a|b"): no test may read today
	@command -v faketime >/dev/null || { echo "faketime is missing (Debian package faketime)"; exit 1; }
	@IFS='|' read -ra days <<< "$(TEST_DATES)"; for day in "$${days[@]}"; do \
	  echo "=== tests on $$day (UTC)"; \
	  DJANGO_SETTINGS_MODULE=guichet.settings.test TZ=UTC faketime "$$day" $(BIN)/pytest -q tests/unit tests/integration || exit 1; \
	done

lint: install ## ruff lint + format check, import-linter contracts
	$(BIN)/ruff check guichet tests
	$(BIN)/ruff format --check guichet tests
	$(BIN)/lint-imports

audit: install ## pip-audit of the installed packages (fails on a known vulnerability; says NOT AUDITED offline)
	$(BIN)/python .ci/audit.py

typecheck: install ## mypy (strict on guichet/credit)
	$(BIN)/mypy

bench: install ## Benchmarks (print figures, never fail on time)
	DJANGO_SETTINGS_MODULE=guichet.settings.test $(BIN)/python -m tests.bench

check: lint typecheck test ## lint + types + tests

.PHONY: help install demo test test-fast lint audit typecheck bench check
