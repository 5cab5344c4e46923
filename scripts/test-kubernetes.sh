#!/usr/bin/env bash
# The Kubernetes tests (every test file that uses test/harness/kubeadm.ts) on one real kubeadm cluster they share:
# three control-plane nodes, etcd in kubeadm's static pods (test/kubeadm). The last stage of npm test; alone, after
# `npm run package` (the VS Code test installs dist/etcd-perf.vsix):
#   bash scripts/test-kubernetes.sh                      etcd $ETCD_VERSION, or the default
#   bash scripts/test-kubernetes.sh test/kubeadm/plugin.test.ts   only those files
# Builds Kubernetes and the images when missing (cached). Needs root. The cluster is removed at the end, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/etcd-versions.sh
# kubeadm 1.34 runs etcd 3.5 or later: a 3.4 run uses the default version here.
etcd_version="${ETCD_VERSION:-$ETCD_DEFAULT}"
[[ "$etcd_version" == 3.4.* ]] && etcd_version="$ETCD_DEFAULT"
if (($# > 0)); then tests=("$@"); else mapfile -t tests < <(grep -l "harness/kubeadm" test/*/*.test.ts); fi
echo "== Kubernetes tests on a kubeadm cluster (Kubernetes $KUBERNETES_DEFAULT, etcd $etcd_version)"
bash scripts/ensure-kubernetes.sh >/dev/null
bash scripts/ensure-kubeadm-images.sh "$etcd_version" >/dev/null
etcd_bin="$(bash scripts/ensure-etcd.sh "$etcd_version")"
cluster_dir="$(mktemp -u "${TMPDIR:-/tmp}/etcd-perf-kubeadm-XXXXXX")"
node --import tsx test/kubeadm/main.ts --dir "$cluster_dir" --etcd-version "$etcd_version" >/dev/null 2>"$cluster_dir.log" &
cluster=$!
# The tests' status is the script's: the cluster's own exit on SIGTERM (143) must not replace it.
stop_cluster() {
  local status=$?
  kill -TERM "$cluster" 2>/dev/null || true
  wait "$cluster" 2>/dev/null || true
  if ((status != 0)); then echo "-- the kubeadm cluster's log:" >&2; tail -30 "$cluster_dir.log" >&2; fi
  rm -f "$cluster_dir.log"
  exit "$status"
}
trap stop_cluster EXIT
PATH="$etcd_bin:$PATH" ETCD_VERSION="$etcd_version" ETCD_PERF_KUBEADM="$cluster_dir" \
  node --import tsx --test --test-concurrency=1 --test-reporter=spec "${tests[@]}"
