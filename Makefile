# Two commands do everything on a fresh machine with Python 3.11 and pip:
#   make all    create/refresh .venv, then run the whole pipeline
#   make test   create/refresh .venv, then run every test (nbval included)
# Pass pipeline options with ARGS, e.g.  make all ARGS="--set account=pcm2018"

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
PYTEST_ARGS ?=

.PHONY: all test venv validate fuzz sweep lint benchmark clean help

all: $(STAMP)
	$(BIN)/python -m analysis run $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile --nbval tests notebooks $(PYTEST_ARGS)

venv: $(STAMP)

# Reinstall whenever pyproject.toml changes; otherwise this is a no-op.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/python -m analysis validate

# long seeded fuzzing of raw validation (make test runs a short one); FUZZ_EXAMPLES to change
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest -q tests/test_fuzz_raw.py

# every account x treatment of "other" x language, into sweeps/ (never the committed outputs)
sweep: $(STAMP)
	$(BIN)/python -m analysis sweep

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf .staging .pytest_cache sweeps

help:
	@sed -n '1,5p' Makefile
