# Two-command setup: `make demo` and `make test` each create .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= results/demo

.PHONY: demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

# The headline experiment (4 strategies x 32 seeds, the OpenAI x SpaceX game over 8 seeds),
# the cost tables, and one baseline run with its plot.
demo: $(VENV)/.installed
	MPLBACKEND=Agg $(BIN)/spacemarket demo --out $(OUT)
	MPLBACKEND=Agg $(BIN)/spacemarket run baseline-2026 --seed 1 --out $(OUT)/baseline

test: $(VENV)/.installed-test
	MPLBACKEND=Agg $(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests experiments bench

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests experiments bench
	$(BIN)/ruff format --check src tests experiments bench

format: $(VENV)/.installed-test
	$(BIN)/ruff format src tests experiments bench
	$(BIN)/ruff check --fix src tests experiments bench

# Benchmarks (not timed tests). The headline sweep of 10,000 runs takes ~5-10 min on 2 cores;
# `make bench BENCH_ARGS=--quick` runs 100 and 1,000. Results: bench/results_memory.json.
# The headline comparison (4 strategies x 32 seeds, target < 1 min on 2 cores): bench/results_headline.json.
BENCH_ARGS ?=
bench: $(VENV)/.installed-test
	MPLBACKEND=Agg $(BIN)/python bench/bench_headline.py
	MPLBACKEND=Agg $(BIN)/python bench/bench_sweep_memory.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) results .pytest_cache .hypothesis build *.egg-info src/*.egg-info
