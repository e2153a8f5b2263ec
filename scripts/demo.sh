#!/usr/bin/env bash
# Installs what Anneal needs, builds it in release mode and runs the example pipeline twice
# (the second run is all cached), in a scratch workspace under .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product anneal
ANNEAL="$PWD/.build/release/anneal"
PIPELINE="${1:-hello}"
mkdir -p .demo
$ANNEAL validate "pipelines/$PIPELINE.yaml"
$ANNEAL dag "pipelines/$PIPELINE.yaml"
$ANNEAL run "pipelines/$PIPELINE.yaml" --workspace .demo
$ANNEAL run "pipelines/$PIPELINE.yaml" --workspace .demo
$ANNEAL log "$PIPELINE" --workspace .demo
