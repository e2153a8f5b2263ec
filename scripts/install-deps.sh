#!/usr/bin/env bash
# Installs the Debian packages Anneal builds against. Safe to run again.
set -euo pipefail
packages=(libyaml-dev libopenblas-dev libgit2-dev zlib1g-dev pkg-config git)
missing=()
for p in "${packages[@]}"; do
  # `dpkg -s` also succeeds for a package that was removed but left its config files behind.
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
