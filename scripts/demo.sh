#!/usr/bin/env bash
# Installs what Anneal needs, builds it in release mode and runs the example pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product anneal
ANNEAL=.build/release/anneal
$ANNEAL validate pipelines/hello.yaml
$ANNEAL dag pipelines/hello.yaml
$ANNEAL plan pipelines/hello.yaml
