# Shortcuts for the bin/ scripts (each works on its own too); `make` alone lists them.
# Extra pytest arguments: make test ARGS="posts -k bulk".
ARGS ?=

.PHONY: help setup test test-fast lint format typecheck migrations-check lock ci

help:
	@echo "make setup | test | test-fast | lint | format | typecheck | migrations-check | lock | ci"

setup:  ## .venv from requirements/dev.lock (hashes checked)
	bin/setup --dev

test:  ## the whole suite, real-worker engine tests included
	bin/test $(ARGS)

test-fast:  ## the edit-test loop: all but the real_worker tests
	bin/test --fast $(ARGS)

lint:  ## ruff check + ruff format --check
	bin/lint

format:  ## ruff --fix + ruff format, in place
	bin/format

typecheck:  ## mypy, configured in pyproject.toml [tool.mypy]
	bin/setup --dev
	bin/typecheck

migrations-check:  ## makemigrations --check --dry-run
	bin/migrations-check

lock:  ## regenerate requirements/*.lock from requirements/*.in
	bin/lock

ci:  ## what CI runs: .ci/run
	bash .ci/run
