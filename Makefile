# greenmfg — two commands on a fresh machine:
#   make run    serve the portal with demo data on http://127.0.0.1:$(PORT) (SQLite)
#   make test   install what is missing, start a throwaway PostgreSQL, run lint and the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
# axe-core for the browser tests' accessibility checks: from the npm registry, into var/ (never
# served by the portal; the tests inject it into the page).
AXE := var/node/node_modules/axe-core/axe.min.js

.PHONY: run test bench bench-load mutate lint messages translations system-deps-run system-deps-test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

# Compiled translations are build output (not committed); msgfmt comes with gettext.
translations: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0

run: system-deps-run $(VENV)/.installed translations
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

$(AXE):
	mkdir -p var/node
	npm install --prefix var/node --no-audit --no-fund --no-save axe-core@4

test: system-deps-test $(VENV)/.installed lint translations $(AXE)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	scripts/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

# Every page, list, export and public page at BENCH_SIZES (default 1000,10000,100000) against its
# floor; writes var/bench/results.json (bench/README.md).
bench: system-deps-test $(VENV)/.installed translations
	scripts/with-postgres.sh $(PY) bench/run.py

# Mutation run over the modules that hold the notice's rules (mutation.toml; ~30 min, not part of
# `make test`): prints the surviving mutants and writes var/mutation/report.json. MUTATE_ARGS may
# name modules (`MUTATE_ARGS=applications/conditions.py`) or `--list`.
MUTATE_ARGS ?=
mutate: system-deps-test $(VENV)/.installed translations
	scripts/with-postgres.sh $(PY) scripts/mutate.py $(MUTATE_ARGS)
# gunicorn with deploy/gunicorn.conf.py on the 10,000-application data, 50 and 200 sessions.
bench-load: system-deps-test $(VENV)/.installed translations
	scripts/with-postgres.sh $(PY) bench/load.py

# Re-extract and compile translations (needs gettext, installed by system-deps-test).
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var
