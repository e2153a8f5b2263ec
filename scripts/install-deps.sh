#!/usr/bin/env bash
# Installs the Debian packages Anneal builds against. Safe to run again.
set -euo pipefail
packages=(libyaml-dev libopenblas-dev libgit2-dev zlib1g-dev pkg-config git)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
