PY ?= python

.PHONY: test lint format bench

test:
	$(PY) -m pytest -q

lint:
	ruff check src tests benchmarks
	ruff format --check src tests benchmarks
	mypy
	lint-imports

format:
	ruff format src tests benchmarks
	ruff check --fix src tests benchmarks

bench:
	$(PY) benchmarks/run_all.py
