# make run   — create .venv if missing, install, serve the API and page on http://127.0.0.1:8000
# make test  — the same set-up, then the test suite
# make bench — benchmarks (need ../shared/datasets or $WENZHEN_DATASETS); writes BENCHMARKS.md
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: run test bench install clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/wenzhen serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m wenzhen.kb.tools check > /dev/null
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info
