#!/usr/bin/env bash
# Usage: ensure-debian.sh "COMMANDS" "PACKAGES" "HOW TO GET THEM OTHERWISE"
# Makes sure every command in COMMANDS is on PATH: when one is missing and we run as root with apt-get, installs the
# Debian PACKAGES (without recommends); otherwise prints the hint and fails. Idempotent: nothing happens when all exist.
set -euo pipefail
commands=$1 packages=$2 hint=$3
missing=0
for c in $commands; do command -v "$c" >/dev/null 2>&1 || missing=1; done
[ "$missing" = 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing $packages (Debian) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $packages >&2
  for c in $commands; do command -v "$c" >/dev/null 2>&1 || { echo "$c: still missing after installing $packages; $hint" >&2; exit 1; }; done
  exit 0
fi
echo "$commands: needed; $hint" >&2
exit 1
