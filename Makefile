# The two commands in the README: `make demo` and `make test`.
# Each installs what it needs first: a virtual environment with the package and
# its test extras, and a browser (scripts/ensure-browser.sh).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help install browser test demo lint bench clean

help:
	@echo "make demo    run the tool against the bundled demo site (fixture server)"
	@echo "make test    run the test suite (real Chromium against the fixture server)"
	@echo "make lint    ruff and mypy --strict"
	@echo "make bench   time run/status against a minimal Playwright script"

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	bash scripts/bootstrap-venv.sh "$(PYTHON)" "$(VENV)"
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	touch $@

browser: install
	bash scripts/ensure-browser.sh "$(PY)"

test: browser
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

demo: browser
	$(PY) scripts/demo.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check linkedin_optout
	$(VENV)/bin/mypy

bench: browser
	$(PY) bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
