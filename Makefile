# Parcours — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test lint install install-test translations demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml tests/example_plugin/pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]' -e tests/example_plugin
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations:
	$(BIN)/pybabel compile -d lms/translations -f --statistics >/dev/null
	$(BIN)/pybabel compile -d tests/example_plugin/lms_example/translations -f >/dev/null

## run: create the venv, install, migrate, load the catalogue and demo accounts, serve on :5000
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask lms demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## test: linters, then the whole suite on SQLite and on PostgreSQL
## The two passes run side by side (one per core): the PostgreSQL pass writes to a log that is
## printed after the SQLite pass; the target fails if either fails.
test: lint
	@rm -f .pytest-postgresql.log
	@$(BIN)/python -m pytest -q --db postgresql -m "not browser" >.pytest-postgresql.log 2>&1 & pg=$$!; \
	echo "SQLite pass (the PostgreSQL pass runs alongside):"; \
	$(BIN)/python -m pytest -q; lite=$$?; \
	wait $$pg; post=$$?; \
	echo "PostgreSQL pass:"; cat .pytest-postgresql.log; \
	exit $$(( lite || post ))

## bench: page speed, SQL queries per page and outbox rate (test client), then the same pages
## behind gunicorn driven by wrk next to a bare Flask app (HTTP), on SQLite then PostgreSQL
## (not part of `make test`; see benchmarks/README.md). `make bench-client` / `make bench-http`
## run one mode; BENCH_ARGS and HTTP_BENCH_ARGS pass options through.
.PHONY: bench bench-client bench-http
bench: bench-client bench-http

bench-client: install-test
	$(BIN)/python -m benchmarks.run --db sqlite $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.run --db postgresql $(BENCH_ARGS)

bench-http: install-test
	$(BIN)/python -m benchmarks.http --db sqlite $(HTTP_BENCH_ARGS)
	$(BIN)/python -m benchmarks.http --db postgresql $(HTTP_BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/parcours.sqlite* instance/mail
