#!/usr/bin/env bash
# npm test: everything, from a fresh machine. Installs or builds etcd, kubectl, prometheus, fio, Chromium and code-server if
# missing (idempotent), type-checks, lints, checks the layering, builds and packages what the tests run, then unit,
# integration and end-to-end tests on the default etcd version, and every test that touches a member again on each
# version of the matrix (scripts/etcd-versions.sh).
#   ETCD_VERSION=3.7.3 npm test    the whole suite on that one version (no matrix)
#   ETCD_MATRIX="3.5.35" npm test  the default version, then the member tests on 3.5.35 only (ETCD_MATRIX= for none)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/etcd-versions.sh
if [[ -n "${ETCD_VERSION:-}" ]]; then matrix="${ETCD_MATRIX-}"; else matrix="${ETCD_MATRIX-$ETCD_MATRIX_DEFAULT}"; fi
export ETCD_VERSION="${ETCD_VERSION:-$ETCD_DEFAULT}"
echo "== etcd $ETCD_VERSION${matrix:+, then $matrix} (and $ETCD_KNOWN_BAD for the known-bad refusal)"
for version in $ETCD_VERSION $matrix $ETCD_KNOWN_BAD; do bash scripts/ensure-etcd.sh "$version" >/dev/null; done
default_bin="$(bash scripts/ensure-etcd.sh "$ETCD_VERSION")"
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
echo "== tests on etcd $ETCD_VERSION"
PATH="$default_bin:$PATH" node --import tsx --test --test-reporter=spec test/unit/*.test.ts test/integration/*.test.ts test/e2e/*.test.ts
# The tests that start etcd members (a local cluster or the Kubernetes sandbox), again on every other version; those
# marked "MATRIX: once" run a version of their own.
mapfile -t member_tests < <(grep -l -E "LocalCluster|harness/sandbox" test/integration/*.test.ts | xargs grep -L "MATRIX: once")
for version in $matrix; do
  [[ "$version" == "$ETCD_VERSION" ]] && continue
  echo "== member tests on etcd $version"
  PATH="$(bash scripts/ensure-etcd.sh "$version"):$PATH" ETCD_VERSION="$version" node --import tsx --test --test-reporter=spec "${member_tests[@]}"
done
