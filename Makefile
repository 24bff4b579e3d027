# LAPIS: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
PG_URL := postgresql://postgres@127.0.0.1:5432/test

.PHONY: help install run test test-fast test-sqlite test-postgres lint browser demo assets bench clean
# Both cores: pytest-xdist runs the suite on one worker per core (-n auto).
PYTEST := $(BIN)/pytest -q -n auto

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: $(STAMP) ## create .venv with LAPIS and everything it needs

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# LAPIS_DEBUG defaults to false (production); development and the tests turn it on.
run test-fast test-sqlite test-postgres lint: export LAPIS_DEBUG ?= true

run: install ## set up the SQLite database, load the demo partnership and serve http://127.0.0.1:8000
	$(BIN)/lapis migrate --no-input
	$(BIN)/lapis demo
	$(BIN)/lapis runserver 127.0.0.1:8000

browser: ## install Debian's chromium (page tests) and pango (PDF board packs), if missing
	@{ test -x $(CHROMIUM) && ldconfig -p | grep -q libpangoft2-1.0; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

lint: install ## ruff, the import layers (.importlinter), and a check that every model change has a migration
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/lapis makemigrations --check --dry-run >/dev/null

test: install browser lint test-sqlite test-postgres ## the whole suite: SQLite (browser tests included), then PostgreSQL when it answers

test-fast: install ## the inner loop: unit and integration tests on SQLite
	LAPIS_DATABASE_URL= $(PYTEST) tests/unit tests/integration

test-sqlite: install
	LAPIS_DATABASE_URL= $(PYTEST)

test-postgres: install
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL answers at 127.0.0.1:5432: running the unit and integration tests on it"; \
	  LAPIS_DATABASE_URL=$(PG_URL) $(PYTEST) tests/unit tests/integration; \
	elif [ "$$CI" = "true" ]; then echo "CI: PostgreSQL is not answering at 127.0.0.1:5432"; exit 1; \
	else echo "PostgreSQL is not answering at 127.0.0.1:5432: skipped the PostgreSQL run"; fi

bench: install ## the benchmarks (bench/README.md); installs DuckDB for the timeliness reference
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/run.py
	$(PY) bench/timeliness.py

assets: ## rebuild src/lapis/static/govuk from GOV.UK Frontend (needs npm)
	bash assets/build.sh

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var
