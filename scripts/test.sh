#!/usr/bin/env bash
# npm test: everything, from a fresh machine. Installs or builds etcd, kubectl, prometheus, fio, Chromium and code-server if
# missing (idempotent), type-checks, lints, checks the layering, builds and packages what the tests run, then unit,
# integration and end-to-end tests on the default etcd version, every test that touches a member again on each
# version of the matrix (scripts/etcd-versions.sh), then the Kubernetes tests against one real kubeadm cluster they
# share (test/kubeadm; Kubernetes is built from its Go modules once, in the background while the rest is set up).
#   ETCD_VERSION=3.7.3 npm test    the whole suite on that one version (no matrix)
#   ETCD_MATRIX="3.5.35" npm test  the default version, then the member tests on 3.5.35 only (ETCD_MATRIX= for none)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/etcd-versions.sh
if [[ -n "${ETCD_VERSION:-}" ]]; then matrix="${ETCD_MATRIX-}"; else matrix="${ETCD_MATRIX-$ETCD_MATRIX_DEFAULT}"; fi
export ETCD_VERSION="${ETCD_VERSION:-$ETCD_DEFAULT}"
echo "== etcd $ETCD_VERSION${matrix:+, then $matrix} (and $ETCD_KNOWN_BAD for the known-bad refusal); Kubernetes $KUBERNETES_DEFAULT"
# Kubernetes takes ~15 min to build on a fresh machine: it starts now, beside the downloads below, and is waited for
# before the first test. Its progress and errors go to its own log.
mkdir -p "${ETCD_PERF_CACHE:-$HOME/.cache/etcd-perf}"
kubernetes_log="${ETCD_PERF_CACHE:-$HOME/.cache/etcd-perf}/kubernetes-build.log"
nice -n 5 bash scripts/ensure-kubernetes.sh >/dev/null 2>"$kubernetes_log" &
kubernetes_build=$!
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
echo "== build and package"; npm run --silent package >/dev/null; node --import tsx scripts/build-sea.ts >/dev/null
echo "== waiting for the Kubernetes build ($kubernetes_log)"
if ! wait "$kubernetes_build"; then cat "$kubernetes_log" >&2; exit 1; fi
# The Kubernetes tests (those on the kubeadm cluster) run last, on one cluster; the rest first.
mapfile -t kubernetes_tests < <(grep -l "harness/kubeadm" test/*/*.test.ts)
mapfile -t local_tests < <(ls test/unit/*.test.ts test/integration/*.test.ts test/e2e/*.test.ts | grep -v -x -F -f <(printf '%s\n' "${kubernetes_tests[@]}"))
echo "== tests on etcd $ETCD_VERSION"
PATH="$default_bin:$PATH" node --import tsx --test --test-reporter=spec "${local_tests[@]}"
# The tests that start etcd members, again on every other version; those marked "MATRIX: once" run a version of their own.
mapfile -t member_tests < <(grep -l "LocalCluster" test/integration/*.test.ts | xargs grep -L "MATRIX: once")
for version in $matrix; do
  [[ "$version" == "$ETCD_VERSION" ]] && continue
  echo "== member tests on etcd $version"
  PATH="$(bash scripts/ensure-etcd.sh "$version"):$PATH" ETCD_VERSION="$version" node --import tsx --test --test-reporter=spec "${member_tests[@]}"
done

# The Kubernetes tests, on one kubeadm cluster they share.
bash scripts/test-kubernetes.sh
