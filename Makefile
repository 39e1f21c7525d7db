# Fiat's commands. `make run` and `make test` set up everything they need on
# a fresh clone: the virtualenv in .venv, the Python packages, the Debian
# packages when run as root, and the compiled translations.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Data of the embedded setup: SQLite database, stored files, secret key.
export FIAT_DATA_DIR ?= $(CURDIR)/data
# Tests keep their own data folder, so they never touch the demo database.
TEST_DATA_DIR := $(CURDIR)/var/test

.PHONY: run test lint bench bench-reading install install-test translations help

help:
	@echo "make run     install, migrate, load the demo and serve on port $(PORT)"
	@echo "make test    install what the tests need and run all of them"
	@echo "make lint    ruff and the migration check"
	@echo "make bench   print the performance table"
	@echo "make bench-reading  print the reading accuracy table, next to invoice2data"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

translations: install
	$(BIN)/fiat compiletranslations

run: install translations
	scripts/system-packages.sh run
	$(BIN)/fiat migrate --noinput
	$(BIN)/fiat demo --if-empty
	$(BIN)/fiat serve --port $(PORT)

lint: install-test
	$(BIN)/ruff check .
	FIAT_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/fiat makemigrations --check --dry-run

test: install-test translations lint
	scripts/system-packages.sh test
	FIAT_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/pytest $(PYTEST_ARGS)

# The bench starts from an empty database, so that intake times are not
# those of files taken in already.
bench: install-test bench-reading
	rm -rf $(CURDIR)/var/bench
	FIAT_DATA_DIR=$(CURDIR)/var/bench FIAT_LOG_LEVEL=WARNING $(BIN)/python -m fiat.bench
	FIAT_DATA_DIR=$(CURDIR)/var/bench FIAT_LOG_LEVEL=WARNING $(BIN)/python -m fiat.bench.approvals

# invoice2data, the reader that the accuracy table compares with, lives in a
# virtualenv of its own, so that its pins never touch Fiat's.
BENCH_VENV := $(CURDIR)/var/bench-venv
INVOICE2DATA_VERSION := 1.0.1

$(BENCH_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet invoice2data==$(INVOICE2DATA_VERSION)
	touch $@

bench-reading: install-test $(BENCH_VENV)/.installed
	scripts/system-packages.sh bench
	FIAT_DATA_DIR=$(CURDIR)/var/bench FIAT_LOG_LEVEL=WARNING FIAT_BENCH_VENV=$(BENCH_VENV) \
		$(BIN)/python -m fiat.bench.reading_accuracy
