# The two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=true
# Production-like variables for the deploy check and benchmarks (not secrets: local only).
PROD_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-key-0123456789abcdef DJANGO_ALLOWED_HOSTS=clinic.example

# Python keeps its compiled modules (some machines turn that off): each test process, server
# and worker would otherwise compile the site's code again, and pytest would rewrite every test
# module's assertions again (10 s per test process here, 4.6 s once kept).
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help install install-dev run test test-fast checks lint format bench bench-editor lighthouse cluster cluster-test clean messages

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# uv installs the pinned packages in about a second where pip took half a minute (it resolves
# and unpacks in parallel); pip only puts uv itself into the venv.
UV_VERSION := 0.9.30
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(UV) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(UV) -r requirements-dev.txt
	touch $(VENV)/.installed $@

NPM_CI := npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# The tests' tools (axe-core, the Nu Html Checker, the toolbar's release to compare with).
node_modules/.installed: package.json package-lock.json
	$(NPM_CI)
	touch $@

# Lighthouse, for the benchmarks only: 170 MB that the tests never run.
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && $(NPM_CI)
	touch $@

# The Spanish catalogue, compiled from the committed .po (the .mo is not committed). Needs
# gettext's msgfmt (Debian: apt-get install gettext).
MESSAGES := locale/es/LC_MESSAGES/django.mo
$(MESSAGES): locale/es/LC_MESSAGES/django.po $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --locale es --ignore .venv --ignore node_modules

messages: $(VENV)/.installed ## After changing template text: update the catalogue (then translate it)
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale es --no-obsolete --no-location \
	  --ignore .venv --ignore node_modules --ignore staticfiles --ignore var --ignore bench --ignore tests

install: $(VENV)/.installed $(MESSAGES) ## Create the virtualenv and install the site's packages

install-dev: $(VENV)/.installed-dev node_modules/.installed $(MESSAGES) ## Install the packages the tests need too

# honcho runs Procfile.dev (the server and the task worker) and stops both on Ctrl-C or when
# either exits. --env /dev/null: a .env file (say, a copy of .env.example) must not turn debug off.
run: install ## Set up everything and run the site at http://127.0.0.1:8000 with its task worker
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_content --publish
	PATH="$(CURDIR)/$(BIN):$$PATH" $(DEV_ENV) $(BIN)/honcho --env /dev/null --procfile Procfile.dev start

checks: install-dev ## Django's checks, missing migrations, and the production deploy check
	$(DEV_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# `make test` runs on three pytest-xdist workers: on two cores a third keeps both busy while
# another waits on Chromium, a server or a task worker. `make test-fast`, all computing, runs
# on two. TEST_WORKERS=1 (or FAST_WORKERS=1) for one. Test databases are built afresh every
# run (tests/conftest.py refuses --reuse-db; README, "Tests").
TEST_WORKERS ?= 3
FAST_WORKERS ?= 2
# Not --dist worksteal, though it idles less: a worker that steals runs tests out of the order
# pytest-django gives them (every test in a rolled-back transaction before any that commits and
# then empties the tables), and a rolled-back test after an emptying one finds no rows.
PYTEST := $(BIN)/python -m pytest

test: checks ## Run every check and test (SQLite; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(PYTEST) -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: install-dev ## The edit-test loop: every test but the browser and process-starting ones
	$(PYTEST) -n $(FAST_WORKERS) -m "not browser and not process" $(PYTEST_ARGS)

lint: install-dev ## Check code style without changing anything
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Fix code style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev bench/node_modules/.installed bench-editor ## Benchmarks: editor input, then pages, page cache and contact form under gunicorn (bench/README.md)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null) \
	  || echo "wrk could not be installed: the benchmark falls back to a slower Python client"
	PYTHONPATH=$(CURDIR) $(BIN)/python bench/run.py

lighthouse: install-dev bench/node_modules/.installed ## Lighthouse mobile scores of the article page, median of 3, and its layout shift
	PYTHONPATH=$(CURDIR) $(BIN)/python bench/lighthouse.py

bench-editor: install-dev ## Benchmark: the worst Markdown and word-diff inputs against an ordinary section
	$(BIN)/python bench/editor_input.py

# The production shape on loopback: HAProxy, two app instances, two task workers (README, "Past
# one machine"). PostgreSQL and Redis are shared by every instance, so both must be given.
CLUSTER_NEEDS = @if [[ "$$DATABASE_URL" != postgres* || -z "$$REDIS_URL" ]]; then \
	  echo "Set DATABASE_URL (PostgreSQL) and REDIS_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic REDIS_URL=redis://127.0.0.1:6379/0 make $@"; exit 2; fi; \
	  command -v haproxy >/dev/null || command -v /usr/sbin/haproxy >/dev/null \
	  || { echo "HAProxy is needed (Debian: apt-get install haproxy)"; exit 2; }

cluster: install ## Run HAProxy + 2 app instances + 2 task workers at http://127.0.0.1:8080 (Ctrl-C stops all)
	$(CLUSTER_NEEDS)
	$(BIN)/python -m deploy.cluster

cluster-test: install-dev ## Kill parts of that cluster under load and check what patients see (figures at the end)
	$(CLUSTER_NEEDS)
	$(BIN)/python -m pytest -m cluster tests/deploy $(PYTEST_ARGS)

clean: ## Remove the virtualenv, the database and collected static files
	rm -rf $(VENV) var staticfiles node_modules bench/node_modules $(MESSAGES)
