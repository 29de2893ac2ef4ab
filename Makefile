# Footnotes — every target works on a fresh clone: it makes its own .venv.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

# llama-cpp-python builds from source. A native build (GGML_NATIVE) compiles in llama.cpp's AMX
# kernels where the CPU lists AMX, and on this VM their first tile instruction stops the process
# (SIGILL in libggml-cpu). So the build names the vector extensions itself: AVX2 always, and the
# AVX-512 ones /proc/cpuinfo lists (prompt reading 66 → 101 tokens/s here; docs/benchmarks.md).
# pip's wheel cache ignores build flags, so the wheel is kept per flag set under LLAMA_WHEELS.
CPU_FLAGS := $(shell grep -m1 -ow -e avx512f -e avx512_vnni -e avx512vbmi -e avx512_bf16 -e avx_vnni /proc/cpuinfo 2>/dev/null | sort -u)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
	$(if $(filter avx512f,$(CPU_FLAGS)),-DGGML_AVX512=ON) \
	$(if $(filter avx512vbmi,$(CPU_FLAGS)),-DGGML_AVX512_VBMI=ON) \
	$(if $(filter avx512_vnni,$(CPU_FLAGS)),-DGGML_AVX512_VNNI=ON) \
	$(if $(filter avx512_bf16,$(CPU_FLAGS)),-DGGML_AVX512_BF16=ON) \
	$(if $(filter avx_vnni,$(CPU_FLAGS)),-DGGML_AVX_VNNI=ON)
LLAMA_VERSION := $(shell sed -n 's/^llama_cpp_python==//p' constraints.txt)
LLAMA_WHEELS ?= $(HOME)/.cache/footnotes/llama-cpp-python-$(LLAMA_VERSION)-$(shell echo '$(strip $(LLAMA_CMAKE_ARGS))' | sha1sum | cut -c1-12)

.PHONY: install run test bench soak screenshots clean

install: $(STAMP)

# CPU torch first: without the pin pip pulls a multi-GB CUDA build. constraints.txt pins every
# transitive dependency so a fresh install resolves the versions the tests ran with.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	ls $(LLAMA_WHEELS)/*.whl >/dev/null 2>&1 || CMAKE_ARGS="$(strip $(LLAMA_CMAKE_ARGS))" \
		$(PIP) wheel -q --no-deps --no-cache-dir -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	$(PIP) install -q --no-deps $(LLAMA_WHEELS)/*.whl
	$(PIP) install -q -c constraints.txt -e ".[local,dev]"
	touch $(STAMP)

run: install
	$(VENV)/bin/footnotes run

test: install
	$(PY) -m pytest

# `make bench FULL=1` adds the 1,000-document scale row (about 30 min on two cores).
bench: install
	$(VENV)/bin/footnotes bench all $(if $(FULL),--full,)

# Refreshes docs/screenshots/ from the browser tests (an ordinary `make test` leaves them alone).
screenshots: install
	FOOTNOTES_SCREENSHOTS=1 $(PY) -m pytest tests/e2e -p no:cacheprovider

soak: install
	$(PY) -m pytest -m soak -p no:cacheprovider

clean:
	rm -rf $(VENV) .footnotes .pytest_cache
