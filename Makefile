# Two commands: `make run` (install, initialize, demo data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PO_FILES := $(wildcard survey_app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test system venv translations messages lint bench clean browser-tools

run: system venv translations
	$(BIN)/survey-app init
	$(BIN)/survey-app demo --if-empty
	$(BIN)/survey-app serve --host $(HOST) --port $(PORT)

test: system venv translations lint browser-tools
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

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
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k ngettext:1,2 --no-location --sort-output \
		-w 100 -o survey_app/translations/messages.pot .
	$(BIN)/pybabel update -i survey_app/translations/messages.pot -d survey_app/translations --no-fuzzy-matching --ignore-obsolete -w 100

# axe-core for the accessibility tests, from the npm registry (pinned in package-lock.json).
browser-tools: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: venv
	$(BIN)/ruff check survey_app tests $(wildcard bench)
	$(BIN)/mypy

bench: system venv translations
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
