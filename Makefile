# The README's commands. Every target works on a fresh machine with Python >= 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out

.PHONY: report test test-durations lint typecheck bench lab sample notebooks plotly-bundle plotly-bundle-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,notebook]"
	touch $(STAMP)

## report: create .venv, install, render the annual report from data/sample/ and print its path
report: $(STAMP)
	@mkdir -p $(OUT)
	@$(BIN)/impactkit report data/sample --kind annual --lang en --out $(OUT)/annual_report.html \
		--xlsx $(OUT)/annual_report.xlsx > /dev/null
	@echo "$(abspath $(OUT)/annual_report.html)"

## test: ruff + the whole test suite (browser and notebook tests included), on $(TEST_WORKERS) processes
# (pytest-xdist; a module's tests stay on one worker, so its module-scoped fixtures are built once)
TEST_WORKERS ?= 2
test: $(STAMP) lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --durations-file=$(abspath $(OUT))/test-durations.txt

## test-durations: the 20 slowest tests and 10 slowest modules of the last `make test`
test-durations:
	@cat $(OUT)/test-durations.txt 2>/dev/null || echo "no $(OUT)/test-durations.txt yet: run make test"

lint: $(STAMP)
	$(BIN)/ruff check impactkit tests benchmarks notebooks
	$(BIN)/ruff format --check impactkit tests benchmarks notebooks
	$(BIN)/mypy impactkit

typecheck: $(STAMP)
	$(BIN)/mypy impactkit

## bench: speed and memory targets (never timed tests); IMPACTKIT_BENCH_1M=1 adds 1,000,000 families
bench: $(STAMP)
	@log=$$(mktemp); for f in benchmarks/bench_*.py; do echo "== $$f"; \
	  nice $(BIN)/python $$f 2>&1 || { echo "BENCH FAILED: $$f"; break; }; done | tee $$log; \
	echo; echo "== every target: measured, target, ratio (< 1 meets it)"; grep -E "target <" $$log; \
	! grep -q "^BENCH FAILED" $$log; status=$$?; rm -f $$log; exit $$status

## plotly-bundle: rebuild impactkit/report/js/plotly-impactkit.min.js from npm (scripts/plotly_bundle)
plotly-bundle:
	scripts/plotly_bundle/build.sh

## plotly-bundle-check: rebuild it into a temporary file; it must be the shipped file, byte for byte
plotly-bundle-check:
	@tmp=$$(mktemp -d); scripts/plotly_bundle/build.sh $$tmp/bundle.js > /dev/null \
		&& cmp $$tmp/bundle.js impactkit/report/js/plotly-impactkit.min.js \
		&& echo "impactkit/report/js/plotly-impactkit.min.js: reproduced from npm"; rc=$$?; rm -rf $$tmp; exit $$rc

## lab: JupyterLab on notebooks/
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## notebooks: the .ipynb files from their jupytext sources (notebooks/*.py), executed, with outputs
notebooks: $(STAMP)
	@# kaleido (PNG export) fails now and then on start-up: each notebook gets three tries
	cd notebooks && for f in [0-9][0-9]_*.py; do \
		for try in 1 2 3; do PLOTLY_RENDERER=plotly_mimetype+png ../$(BIN)/jupytext --to ipynb --execute "$$f" \
			> /dev/null 2>&1 && break; [ $$try = 3 ] && exit 1; done; done

## sample: regenerate data/sample/ (byte for byte the committed files)
sample: $(STAMP)
	$(BIN)/impactkit sample --families 350 --seed 20241 --out data/sample

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .mypy_cache
