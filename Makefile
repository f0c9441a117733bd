# The commands people type. Every target bootstraps its own virtual environment (.venv) from
# the pinned list in pyproject.toml ([project.optional-dependencies] dev).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTEST_ARGS ?=
DEMO_PORT ?= 8080

.PHONY: venv test demo clean bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PYTHON) -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['optional-dependencies']['dev']))" > $(VENV)/requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -r $(VENV)/requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# The whole suite on every default target (cpython and micropython).
test: venv
	$(BIN)/pytest $(PYTEST_ARGS)

# A net server on the MicroPython unix port that you can reach with curl or nc.
demo: venv
	@echo "net demo: a NodeMCU-style web server on the MicroPython unix port."
	@echo "Try:  curl http://127.0.0.1:$(DEMO_PORT)/    (Ctrl-C to stop)"
	MICROPYPATH=$(CURDIR):$(CURDIR)/board:.frozen $(BIN)/micropython examples/hello_server.py $(DEMO_PORT)

# Benchmarks (not part of `make test`; about 8 minutes): net's echo server against asyncio
# streams, a raw poll loop and Node.js, in one run; writes docs/benchmarks.md and .png.
# Needs gcc (the load client is C) and, for the Node column, node. BENCH_ARGS=--quick: a smoke run.
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-$(shell cksum pyproject.toml | cut -d' ' -f1)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['optional-dependencies']['bench']))" > $(VENV)/requirements-bench.txt
	$(BIN)/pip install -q --disable-pip-version-check -r $(VENV)/requirements-bench.txt
	rm -f $(VENV)/.bench-*
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python tools/bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache
