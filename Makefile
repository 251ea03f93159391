# greenmfg — two commands on a fresh machine:
#   make run    serve the portal with demo data on http://127.0.0.1:$(PORT) (SQLite)
#   make test   install what is missing, start a throwaway PostgreSQL, run lint and the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench lint messages translations system-deps-run system-deps-test clean

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

test: system-deps-test $(VENV)/.installed lint translations
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	scripts/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

bench: system-deps-test $(VENV)/.installed translations
	scripts/with-postgres.sh $(PY) bench/run.py

# Re-extract and compile translations (needs gettext, installed by system-deps-test).
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var
