# What a developer can do here. Every target that needs the environment creates it first,
# so `make test` and `make demo` work on a fresh clone with nothing installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install generate check-generated spec-diff lint format typecheck pytest test demo bench clean

install: $(STAMP) ## create .venv and install the package with every extra and dev tool

$(STAMP): pyproject.toml
	scripts/install.sh "$(PYTHON)"
	@touch $@

generate: $(STAMP) ## regenerate generated/ from openapi.yaml
	scripts/generate.sh

check-generated: $(STAMP) ## fail if generated/ differs from a fresh generation
	scripts/check-generated.sh

REF ?= HEAD
spec-diff: $(STAMP) ## public-surface change of openapi.yaml since REF (default HEAD), additive or BREAKING
	$(BIN)/python scripts/spec_diff.py $(REF)

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP) ## mypy --strict over the facade and generated package; mypy over tests and README blocks
	$(BIN)/mypy
	$(BIN)/python scripts/typecheck_examples.py

pytest: $(STAMP) ## the test suite alone, on a real PostgreSQL started (and stopped) for it
	scripts/postgres.sh with $(BIN)/pytest

test: check-generated lint typecheck pytest ## everything CI runs

demo: $(STAMP) ## run a bulk sync against the embedded fake server and print a report
	$(BIN)/homebase demo

bench: $(STAMP) ## speed and resilience against the fake server (about 20 min; JSON in the temp dir)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
