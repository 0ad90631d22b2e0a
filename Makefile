# Newsroom: `make run` serves the site, `make test` runs the suite. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run DEMO=0` starts without the demo newsroom (made-up sections, authors and stories).
DEMO ?= 1

.DEFAULT_GOAL := help
.PHONY: help install run setup serve test test-postgres lint format check ci clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-15s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[site,dev]"
	@touch $(INSTALLED)

install: $(INSTALLED) ## Create .venv and install the project with its dev tools

setup: install ## Migrate, set up the site and sections, import the seeds (and the demo newsroom unless DEMO=0), make sure an admin exists
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_newsroom --hostname $(HOST) --port $(PORT)
	$(MANAGE) import_stories seeds/
ifeq ($(DEMO),1)
	$(MANAGE) load_demo_content
endif
	$(MANAGE) ensure_admin

run: setup ## Set everything up and serve the site at http://127.0.0.1:8000/ (admin at /admin/); HOST=... PORT=... to change
	@# Scheduled and embargoed articles go live on time: a scheduler runs beside the server.
	@# Links in admin emails point at the address the site is served on.
	export WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT); \
	$(MANAGE) publish_scheduled_loop & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

serve: install ## Production stack locally: PostgreSQL, Redis, db_worker, gunicorn 127.0.0.1:8000, Varnish 127.0.0.1:8080; DEMO=1 adds the demo newsroom
	@# The demo only when asked for on the command line (DEMO's default is for `make run`).
	BIN=$(BIN) DEMO=$(if $(filter command line,$(origin DEMO)),$(DEMO),0) deploy/serve-local.sh

CHROMIUM ?= /usr/bin/chromium
# One test worker per core (pytest-xdist); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup

test: install ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	@if [ -x "$(CHROMIUM)" ]; then \
		$(PYTEST); \
	else \
		echo "*** $(CHROMIUM) not found: the browser tests in tests/e2e are NOT run."; \
		echo "*** Install Chromium (apt-get install chromium) to run them."; \
		$(PYTEST) --ignore=tests/e2e; \
	fi

test-postgres: install ## Run the suite on the local PostgreSQL, with Redis as the cache
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	TEST_REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} $(MAKE) test

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install ## Django system checks and a missing-migration check
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

ci: lint check test test-postgres ## Everything CI runs

clean: ## Remove the virtualenv, the SQLite database and uploaded media
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media
