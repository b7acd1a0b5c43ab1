# The two commands in the README: `make demo` and `make test`.
# Each installs what it needs first: a virtual environment with the package and
# its test extras, and a browser (scripts/ensure-browser.sh).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help install browser display test test-loaded demo readme-images lint bench clean

help:
	@echo "make demo    run the tool against the bundled demo site (fixture server)"
	@echo "make test    run the test suite (real Chromium against the fixture server)"
	@echo "make readme-images  the demo, then the README's pictures of its record and history page"
	@echo "make test-loaded  the same, with every core kept busy by a CPU hog"
	@echo "make lint    ruff and mypy --strict"
	@echo "make bench   time run/status against a minimal Playwright script"

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	bash scripts/bootstrap-venv.sh "$(PYTHON)" "$(VENV)"
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	touch $@

browser: install
	bash scripts/ensure-browser.sh "$(PY)"

# The sign-in tests open a real window: on a machine without a screen, Xvfb.
display:
	bash scripts/ensure-xvfb.sh

# 4 workers on 2 cores: many tests spend much of their time waiting on pages.
test: browser display
	$(PY) -m pytest -n 4 $(PYTEST_ARGS)

# The suite must pass on a busy machine: this runs it with one CPU hog per core,
# and stops the hogs however the run ends.
test-loaded: browser display
	bash scripts/test-loaded.sh "$(PY)" $(PYTEST_ARGS)

demo: browser
	$(PY) scripts/demo.py

# The README's pictures (docs/img/): made from the demo's own pages, never by hand.
readme-images: browser
	$(PY) scripts/readme_images.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check linkedin_optout
	$(VENV)/bin/mypy

bench: browser
	$(PY) bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
