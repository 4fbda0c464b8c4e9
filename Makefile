# One entry point for people and CI. `make demo` and `make test` work on a fresh machine
# with Python 3.12 (pyenv), Node/npm and the package registries.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
DEMO_ENV := IPIP_DEMO=1 DEBUG=1
CHROMIUM := /usr/bin/chromium

.PHONY: help setup assets demo run seed test test-postgres check lint fmt typecheck migrations-check deploy-check browser ci clean

help:
	@echo "make demo   - set up, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test   - set up and run the whole suite (SQLite)"
	@echo "make check  - ruff, mypy --strict, makemigrations --check"

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

static/dist/ipip.css: node_modules/.installed assets/scss/ipip.scss assets/build.mjs
	npm run build

setup: .venv/.synced static/dist/ipip.css

assets: static/dist/ipip.css

# Browser tests drive Debian's Chromium (Playwright must never download a browser).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "Chromium is needed at $(CHROMIUM) for the browser tests: sudo apt-get install chromium" >&2; exit 1; fi; \
	fi

demo: setup
	mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py createcachetable
	$(DEMO_ENV) $(PY) manage.py seed_demo_data --families 200
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

run: setup
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup browser
	$(PY) -m pytest -n 2 -q

# The same suite on PostgreSQL: DATABASE_URL must name a server the tests may create databases on.
test-postgres: setup browser
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL=postgres://..." >&2; exit 1)
	$(PY) -m pytest -n 2 -q

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	@! grep -rnE '\.save\(|objects\.create\(' --include='views*.py' --include='forms*.py' ipip || (echo "views and forms must not write: use a do_* action" >&2; exit 1)
	@! grep -rn 'AuditEvent.objects.create' --include=*.py ipip | grep -v '^ipip/audit/' || (echo "write audit rows only through ipip.audit.record" >&2; exit 1)

fmt: .venv/.synced
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

typecheck: .venv/.synced
	IPIP_TESTING=1 .venv/bin/mypy ipip config bench

migrations-check: .venv/.synced
	mkdir -p var
	IPIP_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

deploy-check: .venv/.synced
	SECRET_KEY=ci-$$(date +%s)-a-long-random-production-like-secret-value-0123456789 \
	ALLOWED_HOSTS=ipip.example.org DATABASE_URL=sqlite:///var/deploy-check.sqlite3 \
	IPIP_RANDOMISATION_KEY=$$(python3 -c 'import secrets; print(secrets.token_hex(32))') \
	$(PY) manage.py check --deploy --fail-level WARNING

check: lint typecheck migrations-check deploy-check

ci: check test

clean:
	rm -rf .venv $(TOOLS) node_modules static/dist staticfiles var
