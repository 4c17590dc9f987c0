# HSG assistant. `make run` and `make test` work from a fresh clone (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
STAMP   := $(VENV)/.installed
MODEL   := models/current.tar.gz
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) bot/rasa_server/nlu_component.py bot/rasa_server/topic_check.py bot/language.py

# Rasa 3.6 needs Python 3.8-3.10: the first python3.10 that really runs (pyenv shims may not).
PYTHON310 ?= $(shell for p in python3.10 $(HOME)/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL ?= 2
export TF_INTER_OP_PARALLELISM_THREADS ?= 1
export TF_INTRA_OP_PARALLELISM_THREADS ?= 1

.PHONY: help setup browser db train run test lint format eval bench clean

help:
	@echo "make run    - set up, train if the data changed, prepare the database, start every service"
	@echo "make test   - the whole test suite (real Rasa + action server, browser tests)"
	@echo "make setup  - virtualenv with pinned dependencies, Chromium for browser tests, database schema"
	@echo "make train  - train the model if config, domain or data changed"
	@echo "make eval   - NLU report on the test set + cross-validation, triage quality"
	@echo "make bench  - stock rasa init vs. embedded default vs. production profile, then latency and speed benchmarks"

setup: $(STAMP) browser db

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (Rasa 3.6 needs 3.8-3.10)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

db: $(STAMP)
	$(PY) -m bot db upgrade

train: $(MODEL)

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	$(RASA) train --config config.yml --domain domain.yml --data data --out models --fixed-model-name current
	touch $(MODEL)

run: setup train
	$(PY) -m bot.ops.supervisor

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup train
	$(PY) -m pip check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(RASA) data validate --domain domain.yml --data data --config config.yml --fail-on-warnings
	$(PY) -m pytest

eval: setup train
	$(PY) -m tools.nlu_quality nlu --cross-validation
	$(PY) -m tools.triage_eval

bench: setup train
	$(PY) -m tools.bench.compare_bench
	$(PY) -m tools.bench.latency_bench
	$(PY) -m tools.bench.triage_bench
	$(PY) -m tools.bench.inbox_bench
	$(PY) -m tools.bench.train_bench

clean:
	rm -rf results .pytest_cache .ruff_cache
