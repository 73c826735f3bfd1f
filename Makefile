# make demo: build the knowledge graph of the seed news into output/
# make test: run the test suite
# Both set up .venv first; the install reruns only when pyproject.toml changes.
# make browser: install Debian's chromium and chromium-driver for tests/test_browser.py (root or sudo)
# make virtuoso: install Debian's virtuoso-opensource for the Virtuoso remote-store test (root or sudo)

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.install.stamp

.PHONY: demo test clean browser virtuoso

demo: $(STAMP)
	$(VENV)/bin/kg build seeds --out output

test: $(STAMP)
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) *.egg-info

browser:
	bash .ci/install-chromium

virtuoso:
	bash .ci/install-virtuoso
