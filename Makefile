# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
YEAR ?= 2022

.PHONY: install run test fuzz lint format bench schema clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## a .venv with the package (editable) and the dev tools

run: install ## build the 2022 document and print where it is
	$(VENV)/bin/annual-report build $(YEAR)

test: install ## the whole suite (LibreOffice tests skip off CI when it is missing)
	$(PY) -m pytest

FUZZ_EXAMPLES ?= 3000
fuzz: install ## the property-based tests at random, FUZZ_EXAMPLES examples each (a few minutes)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_fuzz.py -q --hypothesis-show-statistics

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## cold build time, peak memory, validate and --help start-up
	$(PY) bench/bench.py

clean:
	rm -rf build dist .pytest_cache .ruff_cache
