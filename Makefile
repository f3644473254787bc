# Two commands: `make run` (install, initialize, demo data, serve) and `make test`.
# `make test-fast` is the quick tier for the edit-run loop (SQLite, no browser, no real server).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PO_FILES := $(wildcard survey_app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-fast system venv translations messages lint bench clean browser-tools node-tools

run: system venv translations
	SURVEY_BASE_URL="$${SURVEY_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/survey-app init
	SURVEY_BASE_URL="$${SURVEY_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/survey-app demo --if-empty
	$(BIN)/survey-app serve --host $(HOST) --port $(PORT)

test: system venv translations lint browser-tools
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

# SQLite only, no Chromium, no `survey-app serve`, no load or slow tests (markers: setup.cfg);
# node-tools for the OpenID Connect provider of the single sign-on tests.
FAST_TESTS := not (browser or live_server or load or slow or postgresql)
test-fast: venv translations node-tools
	SURVEY_TEST_DATABASES=sqlite $(BIN)/python -m pytest -n 2 -p no:cacheprovider -q \
		-m "$(FAST_TESTS)" $(PYTEST_ARGS)

system:
	@bash scripts/system-packages.sh

venv: $(BIN)/.installed

$(BIN)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgresql]'
	touch $@

translations: $(MO_FILES)

%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

# Extract translatable strings and merge them into every catalogue (then translate the .po files).
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k S_ -k _ -k _l -k ngettext:1,2 -k NP_:1,2 -k plural_forms:1,2 \
		--no-location --sort-output \
		-w 100 -o survey_app/translations/messages.pot .
	$(BIN)/pybabel update -i survey_app/translations/messages.pot -d survey_app/translations --no-fuzzy-matching --ignore-obsolete -w 100

# Node tools from the npm registry, pinned in package-lock.json: axe-core for the
# accessibility tests, ESLint for `make lint`, oidc-provider for the single sign-on tests.
node-tools: node_modules/.installed
browser-tools: node-tools

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: venv node-tools
	$(BIN)/ruff check survey_app tests $(wildcard bench)
	node_modules/.bin/eslint --max-warnings 0 survey_app/static tests/oidc eslint.config.js
	$(BIN)/mypy

bench: system venv translations
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
