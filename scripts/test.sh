#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need, then runs lint,
# type check and the test suite. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the cross compilers (cartridge rebuild tests) and Chromium (dashboard
# tests) — only as root.
need=()
command -v arm-none-eabi-gcc >/dev/null || need+=(gcc-arm-none-eabi binutils-arm-none-eabi)
command -v sdcc >/dev/null || need+=(sdcc)
# a real headless browser for the dashboard tests
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
# a real Redis server for the knowledge store tests
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "== installing Debian packages: ${need[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "== not root: skipping Debian packages ${need[*]} (their tests will be skipped)"
    fi
fi

# Python packages into the project's virtual environment.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv"
    "$PY" -m venv .venv
fi
echo "== installing eevee and test dependencies"
# llama-cpp-python builds llama.cpp from source on a machine that has not built it before
# (a few minutes on 2 cores; pip keeps the wheel): only the library, portable code
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DGGML_NATIVE=OFF}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
if ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" \
        > .venv/pip-install.log 2>&1; then
    cat .venv/pip-install.log
    echo "pip install failed (log above)"
    exit 1
fi

echo "== ruff"
.venv/bin/ruff check src tests
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest -q "$@"
