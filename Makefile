# The commands people type. Every target bootstraps its own virtual environment (.venv) from
# the pinned list in pyproject.toml ([project.optional-dependencies] dev).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTEST_ARGS ?=
DEMO_PORT ?= 8080
# `make test` runs the suite on CPython, the unix port from .py and from .mpy (the bytecode a
# firmware freezes), the unix firmware with net frozen in (built first from MICROPY_DIR, or
# from the project's copy of MicroPython where there is one; skipped, with the reason, without
# either), the virtual board through mpremote, and the ESP32/ESP8266 board personalities
# (board/esp32, board/esp8266), and the ESP8266's and the ESP32's own socket code on real lwIP
# (lwip-esp8266, lwip-esp32, below). Plain `pytest` runs the first two.
NET_TARGETS ?= cpython,micropython,micropython-mpy,frozen,vboard,esp32,esp8266,lwip-esp8266,lwip-esp32
# `make test-lwip`: the suite on the boards' own socket code on real lwIP over a TAP link
# (lwip-esp8266, lwip-rp2: modlwip; lwip-esp32: ESP32's modsocket.c; built from the same tree,
# skipped with the reason without it or without the rights to make a network namespace).
# lwip-rp2 is not in `make test`: the Pico W's own stack wedges and modlwip drops a send it
# reports as done, which fails a test in most runs (docs/lwip.md, "The test targets").
LWIP_TARGETS ?= lwip-esp8266,lwip-rp2,lwip-esp32
# make firmware BOARD=... MICROPY_DIR=...; make flash PORT=... BOARD=...; make deploy PORT=...
BOARD ?= ESP32_GENERIC
# A MicroPython source tree: a git checkout, or an unpacked release with its submodules. The
# test harness and the virtual board build the unix firmware from it too (exported for them).
MICROPY_DIR ?=
export MICROPY_DIR
PORT ?=
FIRMWARE ?=
ARCH ?= bytecode

.PHONY: venv test test-lwip demo clean bench bench-instr firmware flash deploy soak index

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PYTHON) -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['optional-dependencies']['dev']))" > $(VENV)/requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -r $(VENV)/requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# The whole suite on every target of NET_TARGETS.
test: venv
	$(BIN)/pytest --targets $(NET_TARGETS) $(PYTEST_ARGS)

test-lwip: venv
	$(BIN)/pytest --targets $(LWIP_TARGETS) $(PYTEST_ARGS)

# A net web server on the virtual board (the unix port behind a pseudo-terminal, an ESP8266's
# 38K heap): examples/hello_server.py runs as its main.py. net is frozen in the unix firmware
# (built or brought up to date first from MICROPY_DIR or the project's copy of MicroPython), so
# the board's free heap is a real board's; without a MicroPython tree, net from the .mpy build.
demo: venv
	@echo "net demo: examples/hello_server.py as main.py on a virtual board (tools/vboard.py)."
	@echo "Try:  curl http://127.0.0.1:$(DEMO_PORT)/"
	@echo "      $(BIN)/mpremote connect $(CURDIR)/build/vboard.tty repl    (Ctrl-C there stops main.py, as on a board)"
	@echo "      Ctrl-C here stops the board."
	rm -rf build/demo-flash
	$(BIN)/python tools/vboard.py --flash build/demo-flash --link build/vboard.tty --echo --main examples/hello_server.py --main-arg $(DEMO_PORT)

# A firmware with net frozen in, built by MicroPython's own build in a MicroPython source tree,
# with your toolchain (ESP-IDF for ESP32_GENERIC, xtensa-lx106-elf for ESP8266_GENERIC and
# ESP8266_GENERIC_FLASH_1M, a C compiler for unix: 32-bit where `cc -m32` works). The image
# goes to build/firmware/. BOARD=unix needs no MICROPY_DIR on the project's developer and CI
# machines, which hold a copy of the MicroPython release (tools/firmware.py, SHARED_SRC):
# it is unpacked once under build/src.
firmware: venv
	$(BIN)/python tools/firmware.py build --board $(BOARD) --micropython "$(MICROPY_DIR)"

# Erase the board's flash and write the firmware (esptool, at the chip's offset).
flash: venv
	@test -n "$(PORT)" || { echo "flash: give the board's serial port: make flash PORT=/dev/ttyUSB0 BOARD=$(BOARD)" >&2; exit 2; }
	$(BIN)/python tools/firmware.py flash --board $(BOARD) --port $(PORT) $(if $(FIRMWARE),--firmware $(FIRMWARE))

# No firmware build: copy net, compiled with mpy-cross, to the board's flash with mpremote.
deploy: venv
	@test -n "$(PORT)" || { echo "deploy: give the board's serial port: make deploy PORT=/dev/ttyUSB0" >&2; exit 2; }
	$(BIN)/python tools/firmware.py deploy --port $(PORT) --arch $(ARCH)

# A mip package index holding net as .mpy (and .py) in micropython-lib's layout, in
# build/index: `mpremote mip install --index build/index net`, or served over HTTP for a
# board's own mip (README, "Running on a board").
index: venv
	$(BIN)/python tools/mipindex.py

# Benchmarks (not part of `make test`; about 5 minutes): net's echo server against asyncio
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

# Instructions per message and per short connection, net against a raw loop, counted by
# valgrind (apt install valgrind): repeatable to about 1.5 %, where rates on a shared machine
# are not. For judging a change to net's hot paths (tools/bench/notes.md).
bench-instr: venv
	$(BIN)/python tools/bench/instr.py

# The long soak (not part of `make test`, which runs the shortened form): 100,000 short
# connections through one server, a minute of slow peers, and each hostile-peer attack for a
# minute, on cpython, micropython and the frozen firmware (docs/reliability.md).
soak: venv
	NET_SOAK=1 $(BIN)/pytest -s --targets cpython,micropython,frozen tests/test_load.py tests/test_soak.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache
