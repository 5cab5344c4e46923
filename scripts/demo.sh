#!/usr/bin/env bash
# npm run demo: build etcd if needed (the default version, or ETCD_VERSION), build, start a throwaway 3-member cluster
# with real fragmentation, run check.
set -euo pipefail
cd "$(dirname "$0")/.."
node --import tsx scripts/build.mjs
exec bash scripts/with-etcd.sh node --import tsx scripts/demo.ts "$@"
