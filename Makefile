# `make run` serves the portal with demo data; `make test` runs the whole test suite.
# Both do all of their own set-up and skip what is already done.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Debian packages: a CJK font so PDFs show Chinese, gettext for the message catalogues,
# Pango for WeasyPrint and HarfBuzz-subset for its font embedding (without it WeasyPrint subsets
# Noto CJK with fontTools: ~9 s a receipt instead of ~0.2 s); Chromium for the browser tests.
RUN_DEBS := python3-venv fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_DEBS := $(RUN_DEBS) chromium

.PHONY: run test serve setup messages demo lint openapi system-packages-run system-packages-test

run: system-packages-run setup messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving http://127.0.0.1:8000 (Celery tasks run eagerly; Ctrl-C stops)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: system-packages-test setup messages
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(INSTALLED)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $@

messages: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check-format -o $@ $<

# The API's contract, checked in: regenerate after changing an API (CI fails when it drifts).
openapi:
	$(PY) manage.py spectacular --lang en --validate --fail-on-warn --file docs/openapi.yaml

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

system-packages-run:
	@DEBS="$(RUN_DEBS)" sh .ci/system-packages.sh

system-packages-test:
	@DEBS="$(TEST_DEBS)" sh .ci/system-packages.sh
