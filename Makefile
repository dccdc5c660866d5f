# frisat — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FRISAT_HOME ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install run init test lint bench clean browser pdf screenshots deep mutation

$(BIN)/frisat: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/frisat

init: install
	$(BIN)/frisat init

# Set everything up and run the portal on the embedded SQLite database.
run: init pdf
	$(BIN)/frisat serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# Lint, type-check, the whole suite on SQLite, and the database tests on PostgreSQL
# when a server answers on 127.0.0.1:5432 (CI has one).
# Debian's Chromium for the browser tests (the tests drive it with Playwright; no browser
# download). Installed when missing and this user may install packages.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null); } || \
		echo "chromium is not installed: the browser tests will report it"

# Pango for WeasyPrint (the briefing as PDF, /notat.pdf). Installed from Debian when
# missing and this user may install packages.
pdf:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
		>/dev/null); } || echo "Pango is not installed: the briefing PDF will report it"

test: install browser pdf
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest
	@if $(BIN)/python scripts/pg_available.py "$(PG_URL)"; then \
		echo "PostgreSQL: running the database tests against $(PG_URL)"; \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m django_db; \
	else echo "PostgreSQL not reachable: database tests ran on SQLite only"; fi

# The property tests with 5,000 random examples each (the CI profile runs a fixed set; see
# tests/conftest.py). Prints what the examples reached.
deep: install
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest tests/engine/test_oracle.py tests/law/test_citation.py \
		tests/sources/test_lexdania.py --hypothesis-show-statistics

# Mutation testing of the engine, the decision checks and the permissions (mutmut, pinned in
# the `mutation` extra); writes docs/mutation.md. Slow: not part of `make test`.
mutation: install
	$(BIN)/pip install --quiet -e '.[dev,mutation]'
	$(BIN)/python scripts/mutation.py

bench: install
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/import.py
	$(BIN)/python benchmarks/portal.py
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/evaluate.py
	$(BIN)/python benchmarks/scenario.py --register

# Screenshots of the main pages into docs/screenshots/ (needs Debian's chromium).
screenshots: install browser
	$(BIN)/python tests/browser/screenshots.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants
