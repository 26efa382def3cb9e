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

run: install
	$(BIN)/chanjiao-hub demo --port 8765

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
