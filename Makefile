# Footnotes — every target works on a fresh clone: it makes its own .venv.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

# llama-cpp-python builds from source; a native build targets this CPU's AMX units and crashed here
# on first use (a protection fault in libggml-cpu), so build the portable AVX2 variant.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

.PHONY: install run test bench soak clean

install: $(STAMP)

# CPU torch first: without the pin pip pulls a multi-GB CUDA build. constraints.txt pins every
# transitive dependency so a fresh install resolves the versions the tests ran with.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install -q -c constraints.txt -e ".[local,dev]"
	touch $(STAMP)

run: install
	$(VENV)/bin/footnotes run

test: install
	$(PY) -m pytest

# `make bench FULL=1` adds the 1,000-document scale row (about 30 min on two cores).
bench: install
	$(VENV)/bin/footnotes bench all $(if $(FULL),--full,)

soak: install
	$(PY) -m pytest -m soak -p no:cacheprovider

clean:
	rm -rf $(VENV) .footnotes .pytest_cache
