#!/usr/bin/env bash
# npm run demo: install etcd if needed, build, start a throwaway 3-member cluster with real fragmentation, run check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-etcd.sh
node --import tsx scripts/build.mjs
exec node --import tsx scripts/demo.ts "$@"
