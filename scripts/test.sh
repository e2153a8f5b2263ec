#!/usr/bin/env bash
# Installs what Anneal needs and runs the whole test suite.
#
# Some tests need a Slurm cluster or a browser. As root (a fresh container, CI) this script
# installs Chromium and starts a single-node Slurm cluster for them (scripts/slurm-ci.sh), and
# stops the cluster when it ends; elsewhere, or with ANNEAL_TEST_EXTRAS=0, those tests are
# skipped and the last line says how many were skipped and why. With CI=true a test that cannot
# run fails instead of skipping, so CI runs everything.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "test.sh: $*" >&2; }
started=$SECONDS
phase_start=$SECONDS
phase() { # phase NAME: the wall time of the phase that just ended
    say "$1 took $((SECONDS - phase_start)) s"
    phase_start=$SECONDS
}

bash scripts/install-deps.sh
phase "installing the build dependencies"

extras=${ANNEAL_TEST_EXTRAS:-1}
[ "$(id -u)" = 0 ] || extras=0

if [ "$extras" = 1 ] && [ "$(dpkg-query -W -f='${Status}' chromium 2>/dev/null)" != "install ok installed" ]; then
    say "installing chromium for the run report's rendering test"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2; } \
        || say "warning: chromium could not be installed; the report rendering test will be skipped"
    phase "installing chromium"
fi

# Evaluates what `slurm-ci.sh start` printed, after checking that it is nothing but
# `export NAME=value` lines with plain values: anything else (a package manager's progress
# lines, say) would otherwise be run as commands.
start_slurm() {
    local out line
    out=$(bash scripts/slurm-ci.sh start) || return 1
    [ -n "$out" ] || { say "slurm-ci.sh start printed no SLURM_CONF"; return 1; }
    while IFS= read -r line; do
        if ! [[ "$line" =~ ^export\ [A-Z_][A-Z0-9_]*=[A-Za-z0-9_./:@+-]*$ ]]; then
            say "refusing to evaluate the output of 'slurm-ci.sh start': expected only 'export NAME=value' lines, got: $line"
            return 1
        fi
    done <<< "$out"
    bash -n <<< "$out" || { say "the output of 'slurm-ci.sh start' is not valid shell"; return 1; }
    eval "$out"
}

if [ "$extras" = 1 ] && [ -z "${SLURM_CONF:-}" ]; then
    trap 'bash scripts/slurm-ci.sh stop' EXIT
    if ! start_slurm; then
        if [ "${CI:-}" = true ]; then
            say "error: the Slurm cluster for the tests did not start (see the messages above)"
            exit 1
        fi
        say "warning: no Slurm cluster; the Slurm tests will be skipped"
        trap - EXIT
    fi
    phase "starting the Slurm cluster"
fi

swift build --build-tests
phase "building the tests"

# One test at a time: several suites train models in-process and check their
# bytes, and the kernels' thread pool is per process; serial runs keep those
# checks exact (the whole suite takes a few minutes on 2 cores).
log=$(mktemp)
status=0
swift test --skip-build --no-parallel "$@" 2>&1 | tee "$log" || status=$?
phase "running the tests"

# Swift Testing prints one "Test NAME skipped: REASON" line per skipped test (a suite that is
# skipped counts as one); say how many and why, so a pass with skips does not look complete.
skipped=$(grep -cE '^.{0,4}(Test|Suite) .* skipped' "$log" || true)
if [ "$skipped" -gt 0 ]; then
    reasons=$(grep -E '^.{0,4}(Test|Suite) .* skipped' "$log" | sed -E 's/.* skipped: //' | sort | uniq -c \
        | sed -E 's/^ *([0-9]+) /\1 × /' | paste -sd ';' -)
    say "$skipped tests or suites skipped: $reasons"
fi
rm -f "$log"
say "total $((SECONDS - started)) s"
exit "$status"
