# Two commands on a fresh machine with only python3:  make reports   and   make test
# Everything installs into .venv from the exact pins of requirements.lock (no conda needed; environment.yml mirrors it).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | sha256sum | cut -c1-12)
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all venv data processed reports notebooks params lint test test-unit test-notebooks browser lab pdf bench bench-reports \
        mutation clean help

all: reports

help:
	@echo "make reports    set up .venv, fetch external data, build data/processed, render every report into reports/"
	@echo "make test       set up .venv and run ruff, unit tests, the data-manifest check, browser tests and nbval"
	@echo "make lint       ruff check src tests benchmarks (settings in pyproject.toml)"
	@echo "make notebooks  re-execute the committed notebooks with their default parameters (outputs for nbval)"
	@echo "make params     rewrite each notebook's parameters cell from params/<notebook>/_schema.yaml"
	@echo "make lab        JupyterLab with the project installed"
	@echo "make pdf        render every report and print it to PDF with headless Chromium"
	@echo "make bench      benchmarks (ingest vs peer tools; make reports timing); not run by CI"
	@echo "make mutation   mutation testing (mutmut) of every analysis module, or MODULE=vigie/emerging; not run by CI"
	@echo "make clean      remove generated files (reports, processed data, external copies, .venv)"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

data: venv
	$(PY) -m analysis data

processed: data
	$(PY) -m analysis process

reports: processed
	$(PY) -m analysis render --jobs $(JOBS)

notebooks: processed
	$(PY) -m analysis render --in-place --jobs $(JOBS)

# The parameters cell of each notebook, generated from its schema (the one place for defaults).
params: venv
	$(PY) -m analysis params sync

lint: venv
	$(VENV)/bin/ruff check src tests benchmarks

# Debian's Chromium and its driver for the browser tests (root on these machines); failure is tolerated here:
# the browser test then skips with a message saying Chromium could not be installed.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	    || echo "make browser: could not install chromium (browser tests will be skipped)"; }

test: lint data browser
	$(PY) -m pytest tests -q
	$(PY) -m pytest --nbval notebooks -q

test-unit: venv
	$(PY) -m pytest tests -q

test-notebooks: data
	$(PY) -m pytest --nbval notebooks -q

lab: processed
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (vigie)" >/dev/null
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

pdf: processed browser
	$(PY) -m analysis render --pdf --jobs $(JOBS)

bench: venv
	bash benchmarks/setup_peers.sh
	$(PY) benchmarks/bench_ingest.py
	$(PY) benchmarks/bench_reports.py

bench-reports: venv
	$(PY) benchmarks/bench_reports.py

# Mutation testing (issue 21): mutmut on each module of benchmarks/mutation/modules.toml with its mapped tests;
# results in benchmarks/mutation/results/ and benchmarks/results/mutation.md. Hours for every module: not in CI.
#   make mutation MODULE=vigie/emerging      MUTATION_JOBS=2 for two mutmut workers (default 1)
#   MUTATION_SAMPLE=300 tests a seeded random sample of 300 mutants per module (default 0: every mutant)
MODULE          ?=
MUTATION_JOBS   ?= 1
MUTATION_SAMPLE ?= 0
mutation: data
	$(PY) benchmarks/mutation/run.py --jobs $(MUTATION_JOBS) --sample $(MUTATION_SAMPLE) $(MODULE)

clean:
	rm -rf reports data/external $(VENV)
	find data/processed -type f ! -name .gitkeep ! -path 'data/processed/editions/*' -delete  # editions are kept: they are the watch's history
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# The living watch: run the strategy against OpenAlex (OPENALEX_API_KEY, VIGIE_OPENALEX_URL) and write an
# edition under data/processed/editions/ (docs/watch.md). Exit 3 = stopped cleanly (budget or rate limit): rerun.
.PHONY: watch
watch: venv
	$(PY) -m analysis watch update
