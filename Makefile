# The two commands: `make demo` and `make test`. Both bootstrap a fresh Debian machine first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

.PHONY: bootstrap test demo bench score clean

bootstrap:
	@bash deploy/bootstrap.sh

test: bootstrap
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

demo: bootstrap
	$(BIN)/nianbao demo

bench: bootstrap
	$(BIN)/python bench/run.py

# the labelled-report score (needs ../shared)
score: bootstrap
	python3 ../shared/tools/score_reports.py --cmd "$(BIN)/nianbao parse --json" --check-cmd "$(BIN)/nianbao check --json" ../shared/corpus/seeds ../shared/corpus/real

clean:
	rm -rf $(VENV) .pytest_cache
