# The two Quick start commands (README.md) and a few developer shortcuts.
# Everything lives in .venv; nothing is installed system-wide except the
# backing servers the integration tests need (tools/backends.sh) and the
# real clients they drive (tools/clients.sh: Go, gophercloud, .venv-ansible).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: run test test-quick lint sample fuzz clean

# uv resolves and installs in parallel: a cold install takes seconds where
# pip took most of a minute (docs/performance.md, "Install"). uv itself
# comes from PyPI into the venv, through the interpreter's own pip when it
# can install into another environment (pip >= 22.3), else through a pip
# in the venv.
$(UV):
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install -q uv 2>/dev/null || \
	  { $(PYTHON) -m venv --clear $(VENV) && $(BIN)/pip install -q uv; }

# minova alone, for `make run`; the test extra adds the clients and linters.
# Bytecode is compiled at install, as pip does and uv does not by default:
# without it a process whose environment sets PYTHONDONTWRITEBYTECODE (CI
# does) compiles every module it imports at every start, which was more
# than half of minova-all's start (docs/performance.md, "Start").
# minova's own modules are compiled in the checkout, where the editable
# install imports them from.
INSTALL := $(UV) pip install -q --compile-bytecode --python $(BIN)/python

$(RUN_STAMP): setup.cfg setup.py | $(UV)
	$(INSTALL) -e .
	$(BIN)/python -m compileall -q minova
	touch $(RUN_STAMP)

$(STAMP): setup.cfg setup.py | $(UV)
	$(INSTALL) -e '.[test]'
	$(BIN)/python -m compileall -q minova
	touch $(STAMP) $(RUN_STAMP)

# Install and start every service in one process on the embedded defaults:
# in-process RPC, SQLite under ~/.local/state/minova, API on 127.0.0.1:8774.
run: $(RUN_STAMP)
	$(BIN)/minova-all

# Install, start the backing servers, lint, and run every test.
test: $(STAMP)
	bash tools/backends.sh
	bash tools/clients.sh
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
	rm -rf $(VENV) .venv-ansible build *.egg-info
