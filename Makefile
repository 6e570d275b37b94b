# claimdb — the two commands that do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.sqlite
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval bench bench-size bench-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## initialise a SQLite database, load the fixtures, compare, write the report
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/claimdb init --db $(DEMO_DB)
	$(BIN)/claimdb fixtures load --db $(DEMO_DB)
	$(BIN)/claimdb compare --db $(DEMO_DB)
	$(BIN)/claimdb report --format md -o report.md --db $(DEMO_DB)

test: $(STAMP)  ## the whole suite, on SQLite and PostgreSQL
	$(BIN)/python -m pytest -q

eval: $(STAMP)  ## score the extractor: seed claims, golden cases, real articles (development half, test half), event grouping
	$(BIN)/claimdb evaluate --golden tests/golden --golden tests/golden_holdout --golden tests/golden_holdout2 \
		--golden tests/golden_holdout3 --golden tests/golden_holdout4 \
		--golden tests/golden_holdout5 --real tests/real --real tests/real_extra --real tests/real_test

bench: $(STAMP)  ## extraction throughput over 5 MB, next to a plain regex scan
	$(BIN)/python benchmarks/extract_speed.py --mb 5

bench-size: $(STAMP)  ## extraction time and memory for single documents of 1, 4 and 16 MB
	$(BIN)/python benchmarks/extract_scale.py --sizes 1 4 16

bench-scale: $(STAMP)  ## corpus scale: ingest of 10,000 articles (--jobs 1/2, no extraction, PostgreSQL), queries at 1,000,000 claims
	$(BIN)/python benchmarks/scale.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .mypy_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm report.md
