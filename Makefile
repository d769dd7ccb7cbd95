# Two-command setup: `make demo` and `make test` each create .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= results/demo

.PHONY: demo test lint format bench bench-memory clean distclean

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
# the cost tables, and one baseline run with its plot. --overwrite: a rerun replaces the
# previous demo (atomically: the old results stay until the new ones are complete).
DEMO_ARGS ?=
demo: $(VENV)/.installed
	MPLBACKEND=Agg $(BIN)/spacemarket demo --out $(OUT) --overwrite $(DEMO_ARGS)

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

# `make clean` removes results and caches and keeps .venv (reinstalling pygambit takes
# minutes); `make distclean` removes .venv too.
clean:
	rm -rf results .pytest_cache .hypothesis .ruff_cache build *.egg-info src/*.egg-info

distclean: clean
	rm -rf $(VENV)
