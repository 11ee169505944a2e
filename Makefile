# newsgold: `make demo` runs the main job on the bundled corpus, `make test` the whole suite.
# Both work from a fresh clone: they create the virtual environments they need.

PYTHON ?= python3
VENV := .venv
LS_VENV := .venv-labelstudio
LABEL_STUDIO_VERSION := 1.23.2
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: demo test bench mutation schemas exports screenshots docs clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_FLAGS) -e '.[spacy]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(VENV)/bin/pip install $(PIP_FLAGS) -e '.[spacy,web,dev]'
	touch $@

# The Label Studio server lives in its own venv so that its many pins do not shape newsgold's.
$(LS_VENV)/.installed:
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/pip install $(PIP_FLAGS) 'label-studio==$(LABEL_STUDIO_VERSION)'
	touch $@

# Label Studio's first start migrates a new SQLite database: about 30 s of CPU. The test servers
# start from this copy of an empty, migrated one, made once per install (with Label Studio's calls
# to other hosts off, as newsgold's `studio serve` has them).
$(LS_VENV)/empty.sqlite3: $(LS_VENV)/.installed
	@scratch=$$(mktemp -d) && if SENTRY_DSN= FRONTEND_SENTRY_DSN= LATEST_VERSION_CHECK=false COLLECT_ANALYTICS=false \
		$(LS_VENV)/bin/label-studio version --data-dir "$$scratch" --database "$$scratch/empty.sqlite3" \
		>"$$scratch/log" 2>&1; then mv "$$scratch/empty.sqlite3" $@; rm -rf "$$scratch"; \
	else tail -40 "$$scratch/log"; rm -rf "$$scratch"; exit 1; fi

demo: $(VENV)/.installed
	$(VENV)/bin/newsgold validate --corpus corpus
	$(VENV)/bin/newsgold stats --corpus corpus
	@out=$$(mktemp -d) && $(VENV)/bin/newsgold export --corpus corpus --format all --out "$$out" \
		&& echo "exported the bundled gold in every format into $$out"
	@echo "newsgold is installed in $(VENV)/bin: run '. $(VENV)/bin/activate' to use the newsgold command (newsgold --help)"

# The browser tests drive Debian's Chromium (Playwright cannot download its own browsers here);
# installed when missing and allowed (root, as in CI), else those tests skip outside CI.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else echo "note: $(CHROMIUM) is missing; install Debian's chromium for the browser tests"; fi

test: $(VENV)/.installed-dev $(LS_VENV)/.installed $(LS_VENV)/empty.sqlite3 $(CHROMIUM)
	NEWSGOLD_LABEL_STUDIO_BIN=$(abspath $(LS_VENV))/bin/label-studio $(VENV)/bin/python -m pytest -q -rs -n 2 --dist loadgroup

# Refresh the README's screenshots of the labeling page (made by the browser tests).
screenshots: $(VENV)/.installed-dev $(LS_VENV)/.installed $(LS_VENV)/empty.sqlite3 $(CHROMIUM)
	NEWSGOLD_SCREENSHOTS=docs/img NEWSGOLD_LABEL_STUDIO_BIN=$(abspath $(LS_VENV))/bin/label-studio \
		$(VENV)/bin/python -m pytest -q tests/test_annotator_ui.py

bench: $(VENV)/.installed-dev $(LS_VENV)/.installed
	$(VENV)/bin/python bench/validate.py
	$(VENV)/bin/python bench/sync.py
	$(VENV)/bin/python bench/export.py
	$(VENV)/bin/python bench/scale.py
	$(VENV)/bin/python bench/suggest.py
	$(VENV)/bin/python bench/startup.py
	$(VENV)/bin/python bench/report.py

# Mutation testing of the modules whose mistakes would corrupt gold silently ([tool.mutmut] in
# pyproject.toml; not part of `make test`: about half an hour on 2 cores). Prints the score of each
# module (scripts/mutation_scores.py); docs/development.md gives the last run's.
mutation: $(VENV)/.installed-dev
	$(VENV)/bin/pip install $(PIP_FLAGS) -e '.[spacy,web,dev,mutation]'
	rm -rf mutants
	$(VENV)/bin/mutmut run
	$(VENV)/bin/python scripts/mutation_scores.py

# The documentation site (MkDocs, API pages from the docstrings) into site/.
docs: $(VENV)/.installed-dev
	$(VENV)/bin/python scripts/cli_reference.py
	$(VENV)/bin/mkdocs build --strict

# The committed export of corpus/ in every format (a test checks it is current).
exports: $(VENV)/.installed
	$(VENV)/bin/newsgold export --corpus corpus --format all --out exports

# Regenerate committed artefacts after a model change.
schemas: $(VENV)/.installed
	$(VENV)/bin/newsgold schema --out schemas
	$(VENV)/bin/python -m newsgold.schemas.reference docs/format.md docs/guidelines.md

clean:
	rm -rf $(VENV) $(LS_VENV) .pytest_cache site mutants
