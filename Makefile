# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STORE  ?= .govgraph/store

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## demo: build the knowledge graph from the bundled data/ into the embedded store and show it
demo: $(BIN)/.installed
	$(BIN)/govgraph build data --store $(STORE)
	$(BIN)/govgraph extract data/ifg-2014-bracken-strategy-is-delivery.txt

## test: run the test suite (what CI runs)
test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .govgraph .pytest_cache
