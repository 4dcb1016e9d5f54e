# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STORE  ?= .govgraph/store

# command:package pairs from Debian that the tests use for real: a second SPARQL server, a browser, Graphviz
SYSTEM_TOOLS ?= virtuoso-t:virtuoso-opensource chromium:chromium dot:graphviz

.PHONY: demo test lint bench clean system-deps screenshot docs

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,pandas,docs]'
	touch $@

## demo: build the knowledge graph from the bundled data/ into the embedded store and show it
demo: $(BIN)/.installed
	$(BIN)/govgraph build data --store $(STORE)
	$(BIN)/govgraph related --materialise --top 5 --store $(STORE)
	$(BIN)/govgraph related "strategy is delivery" --top 3 --store $(STORE)
	$(BIN)/govgraph query pressures-by-department --store $(STORE) | head -12
	$(BIN)/govgraph export --format html -o .govgraph/graph.html --store $(STORE)
	@echo "open .govgraph/graph.html in a browser to explore the graph"
	$(BIN)/govgraph extract data/ifg-2014-bracken-strategy-is-delivery.txt

## system-deps: install the Debian tools the tests start (as root); tests needing a missing one skip and say why
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing (Debian packages for the tests)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
	      >/dev/null 2>&1 || echo "warning: could not install$$missing; the tests that need them will skip" >&2; \
	  else echo "note: install$$missing (Debian) to run every test" >&2; fi; \
	fi

## test: run the test suite (what CI runs)
test: $(BIN)/.installed system-deps
	$(BIN)/python -m pytest

## screenshot: the README's picture (docs/graph.png) from the demo's HTML export, drawn by headless Chromium
screenshot: demo
	$(BIN)/python docs/screenshot.py .govgraph/graph.html docs/graph.png

## docs: HTML documentation of ontology/ into docs/ontology/ (the ontology by pyLODE, the vocabularies, gazetteer, shapes)
docs: $(BIN)/.installed
	$(BIN)/govgraph docs -o docs/ontology

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .govgraph .pytest_cache
