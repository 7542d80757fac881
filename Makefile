# The two set-up commands of the README: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CASE ?= cases/leverkusen-2040

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/lev2040 validate $(CASE)
	$(BIN)/lev2040 weights $(CASE)
	$(BIN)/lev2040 rank $(CASE) --method all
	$(BIN)/lev2040 sensitivity $(CASE) --samples 2000
	$(BIN)/lev2040 conflicts $(CASE) --graphml out/leverkusen-conflicts.graphml
	$(BIN)/lev2040 portfolio $(CASE)
	$(BIN)/lev2040 frontier $(CASE) --steps 8
	$(BIN)/lev2040 robust $(CASE) --samples 50
	$(BIN)/lev2040 report $(CASE) -o out/leverkusen-report

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
