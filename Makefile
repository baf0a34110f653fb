# Two commands do everything on a fresh machine with Python 3.11, 3.12 or 3.13 and pip:
#   make all    create/refresh .venv from the lock, then run the whole pipeline
#   make test   create/refresh .venv from the lock, then run every test (nbval included)
# Pass pipeline options with ARGS, e.g.  make all ARGS="--set account=pcm2018"
# Choose the interpreter with PYTHON, e.g.  make test PYTHON=python3.13

# Empty: the first supported interpreter that actually runs (tools/find-python).
PYTHON ?=
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per interpreter asked for, so that `make test PYTHON=python3.13` rebuilds a .venv
# made with another Python even when the lock has not changed.
STAMP  := $(VENV)/.installed$(if $(PYTHON),-$(notdir $(PYTHON)))
# Every dependency pinned with hashes, one set of versions for every supported Python.
LOCK   := requirements/lock.txt
UV_VERSION := 0.13.8
ARGS   ?=
PYTEST_ARGS ?=

.PHONY: all test venv lock validate fuzz sweep lint benchmark explore docs clean help

all: $(STAMP)
	$(BIN)/python -m analysis run $(ARGS)

# nbval executes every notebook; their outputs go to a temporary folder, never the tree.
test: $(STAMP)
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	  echo "notebook outputs of this test run go to $$scratch" && \
	  ANALYSIS_OUTPUT_ROOT=$$scratch $(BIN)/python -m pytest -n auto --dist loadfile --nbval tests notebooks $(PYTEST_ARGS)

venv: $(STAMP)

# Reinstall whenever pyproject.toml or the lock changes; otherwise this is a no-op.
# A .venv whose interpreter no longer runs (or is not the PYTHON asked for) is rebuilt.
$(STAMP): pyproject.toml $(LOCK)
	@python=$$(tools/find-python $(PYTHON)) || exit 1; \
	if ! $(BIN)/python -c 'import sys' 2>/dev/null || \
	   { [ -n "$(PYTHON)" ] && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" != \
	                            "$$($$python -c 'import sys; print(sys.version_info[:2])')" ]; }; then \
	  echo "creating $(VENV) with $$python"; rm -rf $(VENV) && $$python -m venv $(VENV) || exit 1; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# pytest rewrites the asserts of the test modules and of its plugins' packages (hypothesis
	@# alone is 73 modules) at every start, in every xdist worker, unless it may cache the
	@# result; PYTHONDONTWRITEBYTECODE, set on some machines, forbids that. Cache it once here.
	-@env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q --collect-only -p no:cacheprovider \
	  tests > /dev/null 2>&1
	touch $(STAMP)

# Refresh the lock after changing dependencies in pyproject.toml: resolve for Python 3.11,
# then the universal lock for every supported Python constrained to those same versions
# (so all Pythons get the same pandas, matplotlib...), with hashes. uv is a build tool here.
lock:
	@python=$$(tools/find-python $(PYTHON)) || exit 1; \
	$(BIN)/python -c 'import sys' 2>/dev/null || $$python -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	@mkdir -p requirements
	$(BIN)/uv pip compile --quiet pyproject.toml --extra test --extra explore --python-version 3.11 \
	  --no-header --no-annotate -o requirements/.pins-3.11.txt
	$(BIN)/uv pip compile --quiet pyproject.toml --extra test --extra explore --universal --python-version 3.11 \
	  -c requirements/.pins-3.11.txt --generate-hashes --custom-compile-command "make lock" -o $(LOCK)
	@rm -f requirements/.pins-3.11.txt

validate: $(STAMP)
	$(BIN)/python -m analysis validate

# long seeded fuzzing of raw validation (make test runs a short one); FUZZ_EXAMPLES to change
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest -q tests/test_fuzz_raw.py

# every account x treatment of "other" x language, into sweeps/ (never the committed outputs)
# ARGS passes options, e.g.  make sweep ARGS="--combo pcm2018,civil_society,en"
sweep: $(STAMP)
	$(BIN)/python -m analysis sweep $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

# Quote its tables in docs/speed.md (on a quiet machine).
# ARGS passes options, e.g.  make benchmark ARGS="--no-tests"
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py $(ARGS)

# Both data packages in a browser (Datasette on 127.0.0.1:8001; ARGS="--port N" for another).
# The SQLite databases are built in a temporary folder, removed when Datasette stops.
explore: $(STAMP)
	$(BIN)/python -m analysis explore $(ARGS)

# Rewrite the generated pages of docs/ (data dictionary, register) after a table, field or
# disagreement changed; run it after make all. A test fails while they are out of step.
docs: $(STAMP)
	$(BIN)/python -m analysis docs

clean:
	rm -rf .staging .pytest_cache sweeps

help:
	@sed -n '1,6p' Makefile
