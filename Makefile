# Two commands on a fresh machine: `make run` and `make test`. Both create .venv themselves
# and install the pinned dependencies from uv.lock.
PY := .venv/bin/python
BENCH_ARGS ?= --sizes 1000,10000
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup run test ui eval notebooks bench lint browser clean

.venv/.synced: pyproject.toml uv.lock scripts/bootstrap.sh
	./scripts/bootstrap.sh
	@touch $@

setup: .venv/.synced

run: setup ## materialize every asset over $ARTICLES_DIR (default seeds/) and print a summary
	$(PY) -m pipelines run

test: setup browser ## the whole suite (notebooks, browser, webserver included)
	$(PY) -m pytest -q

ui: setup ## Dagster webserver + daemon on 127.0.0.1:3000
	./scripts/ui.sh

eval: setup ## extraction scores on the seeds and on ../shared/devset
	$(PY) -m pipelines evaluate seeds
	$(PY) -m pipelines evaluate ../shared/devset

notebooks: setup ## JupyterLab on notebooks/
	$(PY) -m jupyter lab notebooks

bench: setup ## benchmarks (prints a table)
	$(PY) -m benchmarks.run $(BENCH_ARGS)

lint: setup
	$(PY) -m ruff check .

browser: ## Debian's chromium for the review-page test (installed if missing)
	./scripts/ensure_chromium.sh

clean:
	rm -rf warehouse/parts warehouse/reports warehouse/review warehouse/*.duckdb
