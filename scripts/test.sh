#!/usr/bin/env bash
# npm test: everything, from a fresh machine. Installs etcd if missing (idempotent), type-checks, lints, builds the
# bundle the integration tests run, then runs unit and integration tests with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-etcd.sh
command -v openssl >/dev/null || { echo "openssl is needed for the TLS tests (apt-get install openssl)" >&2; exit 1; }
echo "== type check"; npx tsc --noEmit
echo "== lint"; npx eslint .
echo "== build"; node --import tsx scripts/build.mjs
echo "== tests"
node --import tsx --test --test-reporter=spec test/unit/*.test.ts test/integration/*.test.ts
