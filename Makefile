# The two set-up commands of the README: `make demo` and `make test`. Both create .venv when missing;
# `make test` also installs the Debian packages its tests need (as root or with sudo), or says which.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CASE ?= cases/leverkusen-2040

# the report's and the form's browser tests drive headless Chromium (the form's through Selenium and
# Debian's chromedriver); the run store's tests start a throwaway PostgreSQL server (initdb, pg_ctl)
DEBIAN_PACKAGES := chromium chromium-driver postgresql

.PHONY: demo test lint system-packages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out  # results go into out/; a command never creates a missing folder itself
	$(BIN)/lev2040 validate $(CASE)
	$(BIN)/lev2040 stadtcheck $(CASE) --maps out/leverkusen-stadtcheck
	$(BIN)/lev2040 weights $(CASE)
	$(BIN)/lev2040 rank $(CASE) --method all
	$(BIN)/lev2040 sensitivity $(CASE) --samples 2000
	$(BIN)/lev2040 conflicts $(CASE) --graphml out/leverkusen-conflicts.graphml
	$(BIN)/lev2040 portfolio $(CASE)
	$(BIN)/lev2040 portfolio $(CASE) --need-weighting --min-benefit-per-resident 0.6
	$(BIN)/lev2040 frontier $(CASE) --steps 8
	$(BIN)/lev2040 scenarios $(CASE) --select 3 --basins 1000
	$(BIN)/lev2040 robust $(CASE) --samples 50
	$(BIN)/lev2040 vote $(CASE)
	$(BIN)/lev2040 report $(CASE) -o out/leverkusen-report
	$(BIN)/lev2040 form $(CASE) -o out/leverkusen-gewichtung.html
	# two what-ifs kept in a run store in out/, then set side by side
	$(BIN)/lev2040 portfolio $(CASE) --save basis --store out/runs.sqlite > /dev/null
	$(BIN)/lev2040 portfolio $(CASE) --limit cost_eur_m=250 --save budget-250 --store out/runs.sqlite > /dev/null
	$(BIN)/lev2040 runs diff $(CASE) basis budget-250 --store out/runs.sqlite

test: system-packages lint
	$(BIN)/python -m pytest

# ruff (lint and format) and the import-linter contracts: each stage imports only the stages before it
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Installs what is missing as root, or with sudo when it needs no password; otherwise stops at once,
# before the suite starts, with the one command to run.
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then as=""; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as="sudo -n"; \
	  else \
	    echo "make test needs the Debian packages$$missing; install them with:" >&2; \
	    echo "  sudo apt-get install -y$$missing" >&2; exit 2; \
	  fi; \
	  echo "installing Debian packages:$$missing"; \
	  $$as apt-get update -qq && $$as env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null \
	    || { echo "could not install$$missing; run: sudo apt-get install -y$$missing" >&2; exit 2; }; \
	fi

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
