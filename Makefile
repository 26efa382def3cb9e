# All set-up happens here: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lint typecheck pytest bench install lock clean package

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

lock: $(UV)
	$(UV) lock --python $(PYTHON)

# The app signed in as the demo school user to a demo hub in a temp dir; the hub stops with it.
run: install
	@tmp=$$(mktemp -d); \
	$(BIN)/chanjiao-hub demo --host 127.0.0.1 --port 8765 --db $$tmp/demo-hub.sqlite3 \
		> $$tmp/hub.log 2>&1 & hub=$$!; \
	trap 'kill $$hub 2>/dev/null; wait $$hub 2>/dev/null; rm -rf $$tmp' EXIT INT TERM; \
	until $(BIN)/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8765/api/v1/health', timeout=1)" 2>/dev/null; do \
		kill -0 $$hub 2>/dev/null || { cat $$tmp/hub.log; exit 1; }; sleep 0.3; \
	done; \
	echo chanjiao-demo | $(BIN)/chanjiao --profile $$tmp/profile \
		--hub http://127.0.0.1:8765 --user school1 --password-stdin

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python -m tests.bench

# The Linux bundle and .deb in dist/, self-tested and measured (packaging/build.py).
package: install
	$(BIN)/python packaging/build.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache build dist
