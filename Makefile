# Two-command setup: `make demo` and `make test` each create .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= results/demo

.PHONY: demo test lint format bench bench-memory clean

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

# Benchmarks (not timed tests), each against a named peer measured in the same run: the price
# solver vs pyblp, a baseline run's profile, the sweep runner vs mesa.batch_run, scaling in the
# number of firms, the headline comparison (4 strategies x 32 seeds). About 2 minutes on 2
# cores (`make bench BENCH_ARGS=--quick`: ~20 s). Results: bench/results.json.
# `make bench-memory`: the sweep's memory as runs grow to 10,000 (~5-10 min; --quick: 1,000).
BENCH_ARGS ?=
bench: $(VENV)/.installed-test
	MPLBACKEND=Agg $(BIN)/python bench/run_all.py $(BENCH_ARGS)

bench-memory: $(VENV)/.installed-test
	MPLBACKEND=Agg $(BIN)/python bench/bench_sweep_memory.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) results .pytest_cache .hypothesis build *.egg-info src/*.egg-info
