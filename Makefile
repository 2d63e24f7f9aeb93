# Showroom: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the whole
# suite (SQLite, PostgreSQL, browser), `make bench` prints the benchmark table.
# Every target bootstraps .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
export ESCPOS_CAPABILITIES_PICKLE_DIR ?= /tmp/showroom-escpos

.PHONY: run test test-sqlite test-postgresql lint bench translations system-deps clean

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

lint: $(VENV)/.test
	$(BIN)/ruff check showroom printing tests wsgi.py
	$(BIN)/mypy

test: $(VENV)/.test translations system-deps lint
	rm -rf artifacts/junit && mkdir -p artifacts/junit
	$(BIN)/pytest -q -p no:cacheprovider --db sqlite --junitxml=artifacts/junit/sqlite.xml \
		--ignore=tests/benchmarks tests
	$(BIN)/pytest -q -p no:cacheprovider --db postgresql --junitxml=artifacts/junit/postgresql.xml \
		--ignore=tests/benchmarks tests
	$(BIN)/python tests/summarize.py artifacts/junit/sqlite.xml artifacts/junit/postgresql.xml

test-sqlite: $(VENV)/.test translations
	$(BIN)/pytest -q --db sqlite --ignore=tests/benchmarks tests

test-postgresql: $(VENV)/.test translations
	$(BIN)/pytest -q --db postgresql --ignore=tests/benchmarks tests

bench: $(VENV)/.test translations
	$(BIN)/python tests/benchmarks/run.py

clean:
	rm -rf $(VENV) instance artifacts .pytest_cache .mypy_cache .ruff_cache

# Re-extract messages after adding strings; then translate showroom/translations/zh_CN.
translations-update: $(VENV)/.runtime
	$(BIN)/pybabel extract -F showroom/translations/babel.cfg -k _l -o showroom/translations/messages.pot .
	$(BIN)/pybabel update -i showroom/translations/messages.pot -d showroom/translations
