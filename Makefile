# newsgold: `make demo` runs the main job on the bundled corpus, `make test` the whole suite.
# Both work from a fresh clone: they create the virtual environments they need.

PYTHON ?= python3
VENV := .venv
LS_VENV := .venv-labelstudio
PIP_FLAGS := --quiet --disable-pip-version-check
# Every environment installs from a checked-in lock of its whole resolution, with hashes
# (`make lock` refreshes them all; docs/development.md says when). newsgold itself goes in last,
# without dependencies and with the lock's setuptools, so nothing unlocked is ever fetched.
LOCKED := $(PIP_FLAGS) --require-hashes --no-deps
LS_LOCK := newsgold/studio/label-studio.lock

.PHONY: demo test test-latest lock bench mutation schemas exports screenshots docs clean postgresql

# make demo: newsgold with every extra (what the README's tour uses).
$(VENV)/.installed: requirements/all.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(LOCKED) -r requirements/all.lock
	$(VENV)/bin/pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock pyproject.toml $(VENV)/.installed
	$(VENV)/bin/pip install $(LOCKED) -r requirements/dev.lock
	touch $@

# The Label Studio server lives in its own venv so that its many pins do not shape newsgold's;
# the same lock as `newsgold studio serve` installs from (shipped inside the package).
$(LS_VENV)/.installed: $(LS_LOCK)
	rm -rf $(LS_VENV)
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/pip install $(LOCKED) -r $(LS_LOCK)
	touch $@

# Label Studio's first start migrates a new SQLite database: about 30 s of CPU. The test servers
# start from this copy of an empty, migrated one, made once per install (with Label Studio's calls
# to other hosts off, as newsgold's `studio serve` has them).
$(LS_VENV)/empty.sqlite3: $(LS_VENV)/.installed
	@scratch=$$(mktemp -d) && if SENTRY_DSN= FRONTEND_SENTRY_DSN= LATEST_VERSION_CHECK=false COLLECT_ANALYTICS=false \
		$(LS_VENV)/bin/label-studio version --data-dir "$$scratch" --database "$$scratch/empty.sqlite3" \
		>"$$scratch/log" 2>&1; then mv "$$scratch/empty.sqlite3" $@; rm -rf "$$scratch"; \
	else tail -40 "$$scratch/log"; rm -rf "$$scratch"; exit 1; fi

# Refresh every lock (newsgold's, Label Studio's, the pre-commit hooks' pins) from pyproject.toml and
# newsgold/studio/label-studio.in; commit the result with the change that asked for it.
lock: $(VENV)/.installed-dev
	$(VENV)/bin/python scripts/lock.py

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

# The team server's PostgreSQL test runs Debian's postgresql (a cluster of its own in a temp folder);
# installed when missing and allowed (root, as in CI), else that test skips outside CI.
postgresql:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; \
	else echo "note: PostgreSQL is missing; install Debian's postgresql for the team server's test"; fi

test: $(VENV)/.installed-dev $(LS_VENV)/.installed $(LS_VENV)/empty.sqlite3 $(CHROMIUM) postgresql
	NEWSGOLD_LABEL_STUDIO_BIN=$(abspath $(LS_VENV))/bin/label-studio $(VENV)/bin/python -m pytest -q -rs -n 2 --dist loadgroup

# The same suite on the newest releases of everything (no lock; Label Studio's own version stays
# the pinned one): drift found on purpose, in environments of their own, never by a user.
LATEST := .venv-latest
LS_LATEST := .venv-labelstudio-latest
test-latest: $(CHROMIUM)
	rm -rf $(LATEST) $(LS_LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/pip install $(PIP_FLAGS) --upgrade -e '.[dev]'
	$(PYTHON) -m venv $(LS_LATEST)
	$(LS_LATEST)/bin/pip install $(PIP_FLAGS) --upgrade "$$(grep -E '^label-studio==' newsgold/studio/label-studio.in)"
	NEWSGOLD_LABEL_STUDIO_BIN=$(abspath $(LS_LATEST))/bin/label-studio $(LATEST)/bin/python -m pytest -q -rs -n 2 --dist loadgroup

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
	$(VENV)/bin/python bench/install.py
	$(VENV)/bin/python bench/report.py

# Mutation testing of the modules whose mistakes would corrupt gold silently ([tool.mutmut] in
# pyproject.toml; not part of `make test`: about half an hour on 2 cores). Prints the score of each
# module (scripts/mutation_scores.py); docs/development.md gives the last run's.
mutation: $(VENV)/.installed-dev
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
	rm -rf $(VENV) $(LS_VENV) $(LATEST) $(LS_LATEST) .pytest_cache site mutants
