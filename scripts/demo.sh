#!/usr/bin/env bash
# Installs what Anneal needs, builds it in release mode and runs a pipeline twice (default: the
# flagship, pipelines/tiny-chat.yaml, about 5 minutes on 2 cores; `bash scripts/demo.sh hello` runs the small one)
# (the second run is all cached), in a scratch workspace under .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --static-swift-stdlib --product anneal
ANNEAL="$PWD/.build/release/anneal"
PIPELINE="${1:-tiny-chat}"
mkdir -p .demo
$ANNEAL validate "pipelines/$PIPELINE.yaml"
$ANNEAL dag "pipelines/$PIPELINE.yaml"
$ANNEAL run "pipelines/$PIPELINE.yaml" --workspace .demo
$ANNEAL run "pipelines/$PIPELINE.yaml" --workspace .demo
$ANNEAL log "$PIPELINE" --workspace .demo
