# faq-assistant: `make run` opens the app, `make test` runs every test. Both set up .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help run test lint bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP) ## create .venv if needed, install, open the app
	$(BIN)/faq

test: $(STAMP) ## create .venv if needed, install, run every test (lint and types too)
	$(BIN)/ruff check kb tui tests bench
	$(BIN)/mypy kb tui
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff and mypy only
	$(BIN)/ruff check kb tui tests bench
	$(BIN)/mypy kb tui

bench: $(STAMP) ## run the benchmarks (see BENCHMARKS.md)
	$(BIN)/python -m bench.run

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
