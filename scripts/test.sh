#!/usr/bin/env bash
# npm test: everything, from a fresh machine. Installs etcd, kubectl, prometheus, fio, Chromium and code-server if missing (idempotent),
# type-checks, lints, checks the layering, builds and packages what the tests run, then unit, integration and
# end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-etcd.sh
bash scripts/ensure-kubectl.sh
bash scripts/ensure-prometheus.sh
bash scripts/ensure-fio.sh
command -v openssl >/dev/null || { echo "openssl is needed for the TLS tests (apt-get install openssl)" >&2; exit 1; }
echo "== type check"; npx tsc --noEmit
echo "== lint"; npx eslint .
echo "== layering (dependency-cruiser: no circles; every import, then the run-time graph)"
npx depcruise --config .dependency-cruiser.cjs --output-type err shared kubectl-plugin extension test scripts
npx depcruise --config .dependency-cruiser-runtime.cjs --output-type err shared kubectl-plugin extension
bash scripts/ensure-code-server.sh
echo "== build and package"; npm run --silent package >/dev/null
echo "== tests"
node --import tsx --test --test-reporter=spec test/unit/*.test.ts test/integration/*.test.ts test/e2e/*.test.ts
