# PeaceHub: `make demo` runs the demo coalition, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PEOPLE ?= 2000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PEACEHUB_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test lint format bench browser messages clean serve

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

# Debian's Chromium drives the browser tests; Playwright never downloads its own.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The demo runs as production does: DEBUG off, its own secret and encryption keys.
var/secret-key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Order-only: a newer environment must never regenerate the key (the notes would be lost).
var/field-key: | $(STAMP)
	@mkdir -p var
	@$(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > $@

DEMO_ENV = PEACEHUB_SECRET_KEY=$$(cat var/secret-key) PEACEHUB_FIELD_KEY_FILE=$(CURDIR)/var/field-key \
	PEACEHUB_SECURE_COOKIES=false

demo: $(STAMP) var/secret-key var/field-key
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo --people $(PEOPLE)
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	@echo "PeaceHub demo: http://$(HOST):$(PORT)  (demo sign-ins above)"
	$(DEMO_ENV) $(BIN)/gunicorn peacehub.wsgi --bind $(HOST):$(PORT) --workers 3 \
	  --access-logfile -

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PEACEHUB_TESTING=true $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	cd peacehub && ../$(BIN)/django-admin makemessages -l es --no-obsolete --no-location \
	  --ignore "*/tests/*"
	cd peacehub && ../$(BIN)/django-admin compilemessages -l es

bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the benchmarks"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var staticfiles
