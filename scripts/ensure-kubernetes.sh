#!/usr/bin/env bash
# Makes sure a Kubernetes release is built and prints the folder that holds its binaries: kubeadm, kubelet,
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, and a pause binary for the pod sandbox image.
#
#   scripts/ensure-kubernetes.sh 1.34.4    that release, built from k8s.io/kubernetes' Go modules
#   scripts/ensure-kubernetes.sh           $KUBERNETES_VERSION, or the default (scripts/etcd-versions.sh)
#
# A release is built once into ${ETCD_PERF_CACHE:-~/.cache/etcd-perf}/kubernetes/v<VERSION>/bin (outside the repo, with
# Go's own module and build caches); later calls find the stamp and return at once. k8s.io/kubernetes requires its
# staging modules (k8s.io/api, k8s.io/apiserver, ...) at v0.0.0 and points them at ./staging with `replace` lines, so
# `go install` cannot build it (kubernetes/kubernetes#79384): a throwaway wrapper module requires k8s.io/kubernetes at
# the release and replaces each staging module, read from the release's own go.mod, with its published v0.<minor>.<patch>.
# One `go build` compiles the six binaries together, static (CGO off, as the release's images are), stamped with the
# version fields kubeadm and the version skew checks read.
# Progress goes to stderr, the folder to stdout. Idempotent.
set -euo pipefail

source "$(dirname "$0")/etcd-versions.sh"
version="${1:-${KUBERNETES_VERSION:-$KUBERNETES_DEFAULT}}"
version="${version#v}"
if ! [[ "$version" =~ ^1\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "error: Kubernetes version \"$version\" is not a release like $KUBERNETES_DEFAULT" >&2
  exit 2
fi
minor="${BASH_REMATCH[1]}" patch="${BASH_REMATCH[2]}"

cache="${ETCD_PERF_CACHE:-$HOME/.cache/etcd-perf}/kubernetes/v$version"
bin="$cache/bin"
stamp="$bin/.built"
tools=(kubeadm kubelet kube-apiserver kube-controller-manager kube-scheduler kubectl pause)
built() {
  [[ -f "$stamp" ]] || return 1
  for tool in "${tools[@]}"; do [[ -x "$bin/$tool" ]] || return 1; done
}
source "$(dirname "$0")/build-cache.sh"
return_if_built "$cache" "$bin"
require_go "building Kubernetes $version needs Go 1.24 or later"

begin_build "$cache" "$bin" "Kubernetes $version (several minutes)"
mkdir -p pause
fail() { tail -20 "$log" >&2; echo "error: $1 (above; all of it in $log)" >&2; exit 1; }

# The release's own go.mod names its staging modules: every k8s.io/<name> it replaces with ./staging/src/k8s.io/<name>.
gomod=$(go mod download -json "k8s.io/kubernetes@v$version" 2>>"$log" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p') \
  || fail "the Go module proxy did not serve k8s.io/kubernetes v$version; 'go list -m -versions k8s.io/kubernetes' lists the ones it has"
[[ -f "$gomod" ]] || fail "the Go module proxy did not serve k8s.io/kubernetes v$version"
mapfile -t staging < <(sed -n 's|^[[:space:]]*\(k8s\.io/[a-z0-9-]*\)[[:space:]]*=>[[:space:]]*\./staging/.*|\1|p' "$gomod")
((${#staging[@]} > 0)) || fail "k8s.io/kubernetes v$version's go.mod names no staging modules"
{
  echo "module etcd-perf.local/kubernetes-build"
  echo
  echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
  echo
  echo "require k8s.io/kubernetes v$version"
  echo
  echo "replace ("
  for module in "${staging[@]}"; do echo "	$module => $module v0.$minor.$patch"; done
  echo ")"
} >go.mod
# The pod sandbox's process: waits for a signal and exits 0, as registry.k8s.io/pause does.
cat >pause/main.go <<'EOF'
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	os.Exit(0)
}
EOF
packages=()
for tool in kubeadm kubelet kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  packages+=("k8s.io/kubernetes/cmd/$tool")
done
go get "${packages[@]/%/@v$version}" >>"$log" 2>&1 || fail "the Go module proxy did not serve every module Kubernetes $version needs"

commit=$(go list -m -json "k8s.io/kubernetes" | sed -n 's/.*"Version": "\(.*\)".*/\1/p')
ldflags=(-s -w)
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=(-X "$pkg.gitVersion=v$version" -X "$pkg.gitMajor=1" -X "$pkg.gitMinor=$minor" -X "$pkg.gitCommit=module-$commit"
    -X "$pkg.gitTreeState=clean" -X "$pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
done
CGO_ENABLED=0 go build -trimpath -ldflags "${ldflags[*]}" -o "$bin/" "${packages[@]}" ./pause >>"$log" 2>&1 \
  || fail "Kubernetes $version did not build with $(go version | cut -d' ' -f3)"
for tool in "${tools[@]}"; do
  [[ -x "$bin/$tool" ]] || { echo "error: the build of Kubernetes $version made no $tool" >&2; exit 1; }
done
reported=$("$bin/kubeadm" version -o short)
if [[ "$reported" != "v$version" ]]; then
  echo "error: the kubeadm built says it is $reported, not v$version" >&2
  exit 1
fi
echo "$version built in $(($(date +%s) - started)) s" >"$stamp"
echo "Kubernetes $version built in $(($(date +%s) - started)) s: $bin" >&2
echo "$bin"
