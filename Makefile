# Two commands set everything up: `make run` and `make test` (README: Quick start).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run superuser port-free test lint format check bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# DEBUG on and this checkout's own secrets for every later command, manage.py's included.
.env:
	$(PYTHON) scripts/dev_env.py .env

# Before anything slow: a taken address would only show after installing and ingesting.
port-free:
	@$(PYTHON) scripts/port_free.py $(HOST) $(PORT)

# OAuth callbacks and the trusted origins follow the address served, unless set (here or in .env).
ifeq ($(origin BACKEND_URL)$(shell grep -s '^BACKEND_URL=' .env),undefined)
run: export BACKEND_URL = http://$(HOST):$(PORT)
endif
run: export DEBUG ?= true
run: port-free $(STAMP) .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ingest_book
	$(PY) manage.py runserver $(HOST):$(PORT)

# The admin's account, by email and password (migrates first, so it works before `make run`).
superuser: $(STAMP) .env
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py createsuperuser

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(STAMP)
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(PY) -m bench.auth_overhead

clean:
	rm -rf $(VENV)
