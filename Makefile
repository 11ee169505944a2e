# newsgold: `make demo` runs the main job on the bundled corpus, `make test` the whole suite.
# Both work from a fresh clone: they create the virtual environments they need.

PYTHON ?= python3
VENV := .venv
LS_VENV := .venv-labelstudio
LABEL_STUDIO_VERSION := 1.23.2
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: demo test bench schemas exports clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_FLAGS) -e '.[spacy]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(VENV)/bin/pip install $(PIP_FLAGS) -e '.[spacy,dev]'
	touch $@

# The Label Studio server lives in its own venv so that its many pins do not shape newsgold's.
$(LS_VENV)/.installed:
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/pip install $(PIP_FLAGS) 'label-studio==$(LABEL_STUDIO_VERSION)'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/newsgold validate corpus
	$(VENV)/bin/newsgold stats corpus
	@out=$$(mktemp -d) && $(VENV)/bin/newsgold export --corpus corpus --format all --out "$$out" \
		&& echo "exported the bundled gold in every format into $$out"

test: $(VENV)/.installed-dev $(LS_VENV)/.installed
	NEWSGOLD_LABEL_STUDIO_BIN=$(abspath $(LS_VENV))/bin/label-studio $(VENV)/bin/python -m pytest -q

bench: $(VENV)/.installed-dev $(LS_VENV)/.installed
	$(VENV)/bin/python bench/validate.py
	$(VENV)/bin/python bench/sync.py
	$(VENV)/bin/python bench/export.py

# The committed export of corpus/ in every format (a test checks it is current).
exports: $(VENV)/.installed
	$(VENV)/bin/newsgold export --corpus corpus --format all --out exports

# Regenerate committed artefacts after a model change.
schemas: $(VENV)/.installed
	$(VENV)/bin/newsgold schema --out schemas
	$(VENV)/bin/python -m newsgold.schemas.reference docs/format.md

clean:
	rm -rf $(VENV) $(LS_VENV) .pytest_cache
