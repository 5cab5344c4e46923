#!/usr/bin/env bash
# Installs what the end-to-end tests need to drive a real VS Code, idempotently: Debian's chromium (for playwright-core),
# and code-server 4.100.3 (VS Code 1.100.3, the newest line that runs on Node 20) into
# ${ETCD_PERF_CACHE:-~/.cache/etcd-perf}/code-server-4.100.3 (outside the repo, kept between clones), offline.
# code-server's @vscode/ripgrep (1.15.11) downloads rg from GitHub at install time; its download cache is seeded with
# Debian's rg instead, under the name it looks for. node-pty's postinstall runs npx, hence npm_config_yes.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${ETCD_PERF_CACHE:-$HOME/.cache/etcd-perf}/code-server-4.100.3"
BIN="$DIR/node_modules/.bin/code-server"

missing=()
for pkg in chromium ripgrep pkg-config libkrb5-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} (Debian) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "the end-to-end tests need: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

[ -x "$BIN" ] && exit 0
CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
TARBALL="$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$TARBALL" ]; then
  mkdir -p "$CACHE"
  staging=$(mktemp -d)
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$TARBALL" -C "$staging" rg
  rm -rf "$staging"
fi
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{ "name": "code-server-for-tests", "private": true }' > "$DIR/package.json"
echo "installing code-server 4.100.3 into $DIR (about a minute) ..." >&2
(cd "$DIR" && npm_config_yes=true npm install code-server@4.100.3 --unsafe-perm --no-audit --no-fund --loglevel=error >&2)
[ -x "$BIN" ]
