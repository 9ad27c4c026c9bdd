# The two Quick start commands (README.md) and a few developer shortcuts.
# Everything lives in .venv; nothing is installed system-wide except the
# backing servers the integration tests need (tools/backends.sh).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-quick lint sample fuzz clean

$(STAMP): setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Install and start every service in one process on the embedded defaults:
# in-process RPC, SQLite under ~/.local/state/minova, API on 127.0.0.1:8774.
run: $(STAMP)
	$(BIN)/minova-all

# Install, start the backing servers, lint, and run every test.
test: $(STAMP)
	bash tools/backends.sh
	$(BIN)/ruff check minova tests bench
	$(BIN)/pytest tests -p no:cacheprovider --timeout 300 -q

# The fast loop: no integration tests, no backing servers needed.
test-quick: $(STAMP)
	$(BIN)/pytest tests -p no:cacheprovider --timeout 120 -q -m "not integration and not slow"

# The API fuzz test with many more examples than the suite runs (a few
# minutes; tests/functional/test_api_fuzz.py).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/pytest tests/functional/test_api_fuzz.py \
		-p no:cacheprovider --timeout 3600 -q

lint: $(STAMP)
	$(BIN)/ruff check minova tests bench

sample: $(STAMP)
	$(BIN)/oslo-config-generator --config-file etc/minova/minova-config-generator.conf

clean:
	rm -rf $(VENV) build *.egg-info
