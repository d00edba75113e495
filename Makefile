# Payable AI: `make demo` runs the main job end to end on embedded defaults; `make test` runs
# every test. Both install what they need through the project's own files (Maven, npm, pip).
SHELL := /bin/bash
MVN ?= mvn -B -q
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
LAKEHOUSE ?= $(CURDIR)/lakehouse

.PHONY: build test demo benchmark clean help contracts chromium

help:
	@echo "make demo       run the pipeline end to end on sample data (lakehouse in ./lakehouse)"
	@echo "make test       build and run every test"
	@echo "make build      build bin/payable"
	@echo "make benchmark  run the benchmarks (see benchmarks/README.md)"

build:
	$(MVN) package -DskipTests

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Apache Airflow 3 (and the Spark provider) for orchestration/dags, pinned, in a project-local venv.
.venv/.installed: orchestration/requirements.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r orchestration/requirements.txt
	touch $@

# Jupyter, nbconvert and the JJava kernel for notebooks/, pinned, in their own venv (Airflow pins
# many of the same libraries differently).
.venv-notebooks/.installed: notebooks/requirements.txt
	python3 -m venv .venv-notebooks
	.venv-notebooks/bin/pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt
	touch $@

# Debian's chromium and chromedriver, for the governance report's browser test.
chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; fi

test: node_modules/.installed .venv/.installed .venv-notebooks/.installed chromium
	mvn -B verify

demo: build node_modules/.installed
	LAKEHOUSE="$(LAKEHOUSE)" bin/demo

benchmark: build
	benchmarks/run

clean:
	$(MVN) clean
	rm -rf build

# Recompiles the Solidity contracts (solc-js from npm) into the ABI + bytecode the Java side loads.
contracts: node_modules/.installed
	node rewards/contracts/compile.mjs rewards/src/main/resources/ai/payable/rewards/contracts
