# Two commands set everything up: `make run` and `make test` (README: Quick start).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run serve superuser port-free test lint format check bench bench-serving clean

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

# The production server, as the README's deployment section starts it: settings from the
# environment (DEBUG off unless set, so it refuses to start without the production secrets);
# the pages' static files collected first, since WhiteNoise serves that copy. Migrating stays
# a deploy step of its own (two instances starting at once must not both migrate).
# make serve HOST=0.0.0.0 PORT=9000 WORKERS=2 THREADS=32
ifeq ($(origin GUNICORN_BIND),undefined)
serve: export GUNICORN_BIND = $(HOST):$(PORT)
endif
ifdef WORKERS
serve: export GUNICORN_WORKERS = $(WORKERS)
endif
ifdef THREADS
serve: export GUNICORN_THREADS = $(THREADS)
endif
serve: export DEBUG ?= false
serve: $(STAMP)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi

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

# 100 slow streamed answers against sign-in traffic, then a mixed load (needs Redis).
bench-serving: $(STAMP)
	$(PY) -m bench.serving

clean:
	rm -rf $(VENV)
