# Showroom: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs lint and
# the whole suite (SQLite, PostgreSQL, browser) in parallel, `make bench` prints the
# benchmark table. Every target bootstraps .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
export ESCPOS_CAPABILITIES_PICKLE_DIR ?= /tmp/showroom-escpos

.PHONY: run test test-suite test-sqlite test-postgresql test-fast test-browser venv lint bench \
	translations system-deps clean

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.test: tests/requirements.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r tests/requirements.txt
	touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d showroom/translations -f >/dev/null

run: $(VENV)/.runtime translations
	@bash .ci/print-font.sh
	$(FLASK) db upgrade
	$(FLASK) showroom seed-demo --if-empty
	$(FLASK) showroom demo-logins
	@# The print worker runs beside the server and stops with it.
	$(FLASK) print-worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port 5000

system-deps:
	@bash .ci/system-deps.sh

venv: $(VENV)/.test translations

lint: $(VENV)/.test
	$(BIN)/ruff check showroom printing tests wsgi.py
	$(BIN)/mypy

# The suite runs on TEST_WORKERS pytest-xdist workers: 3 on the 2-core machine, so a third
# worker runs while the others wait on PostgreSQL, Chromium, fsyncs and the print tests'
# sleeps (a choice, not yet timed against 2 and 4 on a quiet machine; override TEST_WORKERS=2).
# `--db all` runs each database test on SQLite and on PostgreSQL in the same run; each worker
# starts its own PostgreSQL cluster. Bytecode is cached (pytest rewrites every test module's
# asserts, 20 s a worker without the cache). Extra arguments: PYTEST_ARGS="-k settle -x".
TEST_WORKERS ?= 3
PYTEST = env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_WORKERS) --ignore=tests/benchmarks

test: lint test-suite

# The whole suite once, SQLite and PostgreSQL together; then the counts per backend (fails
# if anything failed or was skipped, or if either backend ran no browser test).
test-suite: venv system-deps
	rm -rf artifacts/junit && mkdir -p artifacts/junit
	$(PYTEST) -q -p no:cacheprovider --db all --junitxml=artifacts/junit/suite.xml $(PYTEST_ARGS) tests; \
		status=$$?; $(BIN)/python tests/summarize.py --expect sqlite,postgresql \
		artifacts/junit/suite.xml && exit $$status

test-sqlite: venv
	$(PYTEST) -q --db sqlite $(PYTEST_ARGS) tests

test-postgresql: venv
	$(PYTEST) -q --db postgresql $(PYTEST_ARGS) tests

test-fast: venv
	$(PYTEST) -q --db sqlite --ignore=tests/browser $(PYTEST_ARGS) tests

test-browser: venv
	$(PYTEST) -q --db all $(PYTEST_ARGS) tests/browser

bench: $(VENV)/.test translations
	$(BIN)/python tests/benchmarks/run.py

# 40 tablets at floor pace and a sign-in storm against gunicorn (production settings) on
# SQLite and PostgreSQL, on 127.0.0.1. LOADTEST_SECONDS=90 per backend; more options:
# make loadtest LOADTEST_ARGS="--backend sqlite --storms 5 --strict" (tests/load/run.py -h).
.PHONY: loadtest
loadtest: $(VENV)/.test translations
	$(BIN)/python tests/load/run.py $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) instance artifacts .pytest_cache .mypy_cache .ruff_cache

# Re-extract messages after adding strings; then translate showroom/translations/zh_CN.
translations-update: $(VENV)/.runtime
	$(BIN)/pybabel extract -F showroom/translations/babel.cfg -k _l -o showroom/translations/messages.pot .
	$(BIN)/pybabel update -i showroom/translations/messages.pot -d showroom/translations
