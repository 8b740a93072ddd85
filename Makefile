# The README's two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := build/node_modules/axe-core/axe.min.js

.PHONY: demo test setup lint typecheck pytest system-deps clean bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: setup
	$(BIN)/cdkg demo --examples examples --out build/demo

system-deps: $(AXE)
	@bash scripts/system-deps.sh chromium chromium-driver nginx-light

# axe-core (accessibility checks run inside Chromium by the browser tests), project-local.
$(AXE):
	@command -v npm >/dev/null || bash scripts/system-deps.sh nodejs npm
	npm install --silent --no-audit --no-fund --prefix build axe-core@4

lint: setup
	$(BIN)/ruff check cdkg tests benchmarks
	$(BIN)/ruff format --check cdkg tests benchmarks
	$(BIN)/lint-imports  # the layers of docs/architecture.md (contracts in pyproject.toml)

typecheck: setup
	$(BIN)/mypy -p cdkg -p benchmarks

pytest: setup system-deps
	$(BIN)/pytest

test: lint typecheck pytest

# The registry-scale benchmark (about an hour: the stock path takes about a second per
# initiative, so above 500 initiatives it runs over a seeded sample of 500 and its time is
# projected; --stock-sample 0 runs it whole, for hours; --whole-stock-sizes 1000 adds the
# whole-graph stock path. Writes build/bench/results.{json,md} and time-vs-n.svg after
# every step).
BENCH_ARGS ?= --sizes 1000,10000,100000 --stock-sizes 1000,10000 --stock-sample 500 \
	--stock-timeout 14400 --out build/bench
bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
