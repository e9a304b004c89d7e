# Two commands do everything on a fresh clone: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv report test lint bench load mutation clean

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

# Mutation testing (mutmut, configured in pyproject.toml): rank.py, numbers.py, stated.py and
# the audit's comparison, each mutant against the fast tests that cover it. Not part of
# `make test`; niced, two children, bounded (an hour or more on two busy cores). Surviving mutants and
# what kills each, or why it is equivalent: docs/testing.md.
AUDIT_COMPARISON := _measure _value_text compare _recomputed _check_index check_ranks \
	_check_printed check_numbering check_order
MUTANTS := 'reportgen.judge.rank.*' 'reportgen.judge.score.*' 'reportgen.core.numbers.*' 'reportgen.judge.stated.*' \
	$(foreach f,$(AUDIT_COMPARISON),'reportgen.judge.audit_compare.x_$(f)__mutmut_*')

mutation: $(STAMP)
	timeout 2h nice -n 10 $(BIN)/mutmut run --max-children 2 $(MUTANTS) > /dev/null
	$(BIN)/mutmut results

clean:
	rm -rf out .pytest_cache .ruff_cache mutants
