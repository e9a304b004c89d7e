# Two commands do everything on a fresh clone: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv report test lint bench load clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,web]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/reportgen report samples --out out

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check reportgen tests scripts
	$(BIN)/ruff format --check reportgen tests scripts
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

load: $(STAMP)
	$(BIN)/python scripts/load_portal.py

clean:
	rm -rf out .pytest_cache .ruff_cache
