#!/usr/bin/env bash
# Usage: with-etcd.sh COMMAND [ARGS...]
# Runs COMMAND with etcd, etcdctl (and etcdutl) of $ETCD_VERSION (default: scripts/etcd-versions.sh) first on PATH,
# building that version first if needed (scripts/ensure-etcd.sh).
set -euo pipefail
here="$(dirname "$0")"
source "$here/etcd-versions.sh"
export ETCD_VERSION="${ETCD_VERSION:-$ETCD_DEFAULT}"
bin="$(bash "$here/ensure-etcd.sh" "$ETCD_VERSION")"
export PATH="$bin:$PATH"
exec "$@"
