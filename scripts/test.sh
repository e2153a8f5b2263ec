#!/usr/bin/env bash
# Installs what Anneal needs and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
# One test at a time: several suites train models in-process and check their
# bytes, and the kernels' thread pool is per process; serial runs keep those
# checks exact (the whole suite takes a few minutes on 2 cores).
swift test --skip-build --no-parallel "$@"
