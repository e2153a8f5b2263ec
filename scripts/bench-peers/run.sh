#!/usr/bin/env bash
# Anneal beside DVC and Snakemake on the layered pipelines of ../shared/bench/runners,
# in one sitting. Copies the harness to a scratch folder, adds Anneal to it
# (anneal-runner.patch: gen.py writes an Anneal pipeline from the same stages,
# bench.py runs it), builds the release binary and runs 10/100 steps for all
# three and 500 steps for Anneal and Snakemake (DVC needs about half an hour
# per 500-step run here). Prints the ratio table at the end.
#
#   bash scripts/bench-peers/run.sh [SCRATCH]      # default /tmp/anneal-bench-peers
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HARNESS="${HARNESS:-$ROOT/../shared/bench/runners}"
SCRATCH="${1:-/tmp/anneal-bench-peers}"
[ -d "$HARNESS" ] || { echo "error: no harness at $HARNESS (set HARNESS=...)" >&2; exit 1; }
(cd "$ROOT" && swift build -c release --static-swift-stdlib --product anneal)
mkdir -p "$SCRATCH/bin"
cp "$ROOT/.build/release/anneal" "$SCRATCH/bin/anneal"
for f in gen.py bench.py report.py run.sh README.md; do cp "$HARNESS/$f" "$SCRATCH/"; done
cp "$ROOT/scripts/bench-peers/ratios.py" "$SCRATCH/"
(cd "$SCRATCH" && patch -s -p1 < "$ROOT/scripts/bench-peers/anneal-runner.patch")
cd "$SCRATCH"
if [ ! -x .venv/bin/dvc ] || [ ! -x .venv/bin/snakemake ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q dvc snakemake
fi
export ANNEAL="$SCRATCH/bin/anneal" ANNEAL_REV="$(git -C "$ROOT" rev-parse --short HEAD)"
mkdir -p results
OUT="$SCRATCH/results/raw.jsonl"
rm -f "$OUT"
python3 bench.py --tools anneal,dvc,smk --ns 10,100 --reps 3 --reps-heavy 3 \
  --scenarios version,full,noop,param,dag --timeout 2400 --out "$OUT"
python3 bench.py --tools anneal,smk --ns 500 --reps 3 --reps-heavy 2 \
  --scenarios full,noop,param,dag --timeout 2400 --out "$OUT"
python3 ratios.py "$OUT"
