#!/usr/bin/env bash
# Prints the folder holding the Prometheus Operator's CustomResourceDefinitions (monitoring.coreos.com_*.yaml), so a
# test cluster can accept the ServiceMonitor and PrometheusRule `install` writes. They come from the operator's own
# repository as the Go module proxy serves it (the module's zip holds example/prometheus-operator-crd/), downloaded
# once into the Go module cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/build-cache.sh"
require_go "the Prometheus Operator's CRDs"
version="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
dir=$(go mod download -json "github.com/prometheus-operator/prometheus-operator@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
crds="$dir/example/prometheus-operator-crd"
[[ -f "$crds/monitoring.coreos.com_servicemonitors.yaml" ]] || { echo "error: no CRDs in $crds (prometheus-operator $version)" >&2; exit 1; }
echo "$crds"
