#!/usr/bin/env bash
# Makes sure the container images a kubeadm control plane runs exist as OCI archives, and prints their folder.
#
#   scripts/ensure-kubeadm-images.sh [ETCD_VERSION]
#
# No registry is reachable here, so each image kubeadm asks for is built locally with `podman build`, FROM scratch,
# holding only the static binaries built by scripts/ensure-kubernetes.sh and scripts/ensure-etcd.sh:
#   registry.k8s.io/kube-apiserver, kube-controller-manager, kube-scheduler :v<KUBERNETES_VERSION>
#   registry.k8s.io/pause:<the tag kubeadm names>
#   registry.k8s.io/etcd:<ETCD_VERSION>-0   etcd, etcdctl and etcdutl (the test cluster names the etcd it really runs
#                                           with kubeadm's etcd.local.imageTag, so the tag tells the version)
# and saved with `podman save --format docker-archive` (its manifest names the image, so containerd imports it
# under that name) into the Kubernetes build's cache folder, where each node's
# containerd imports them (`ctr -n k8s.io images import`). Built once; later calls find the archives.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/etcd-versions.sh"
etcd_version="${1:-${ETCD_VERSION:-$ETCD_DEFAULT}}"
etcd_version="${etcd_version#v}"
k8s_version="${KUBERNETES_VERSION:-$KUBERNETES_DEFAULT}"
k8s_bin="$(bash "$here/ensure-kubernetes.sh" "$k8s_version")"
if [[ "$etcd_version" == "$ETCD_DEBIAN" ]]; then
  echo "error: Debian's etcd $ETCD_DEBIAN is linked for Debian, not static; the kubeadm cluster runs a built etcd (3.5 or later)" >&2
  exit 2
fi
etcd_bin="$(bash "$here/ensure-etcd.sh" "$etcd_version")"
out="$(dirname "$k8s_bin")/images"
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

pause_tag=$("$k8s_bin/kubeadm" config images list --kubernetes-version "v$k8s_version" 2>/dev/null | sed -n 's|^registry\.k8s\.io/pause:||p')
[[ -n "$pause_tag" ]] || { echo "error: kubeadm v$k8s_version named no pause image" >&2; exit 1; }

bash "$here/ensure-debian.sh" "podman runc" "podman runc" "install podman and runc to build the test cluster's images." >&2

# build IMAGE ARCHIVE CONTAINERFILE FILES...: a FROM-scratch image from the files (copied into a context folder).
build() {
  local image=$1 archive=$2 containerfile=$3
  shift 3
  [[ -s "$out/$archive" ]] && return 0
  local context
  context=$(mktemp -d)
  cp "$@" "$context/"
  printf '%s\n' "$containerfile" >"$context/Containerfile"
  echo "building image $image" >&2
  podman --runtime runc build -q -t "$image" "$context" >/dev/null
  rm -f "$out/$archive.part"
  podman save -q --format docker-archive -o "$out/$archive.part" "$image"
  mv "$out/$archive.part" "$out/$archive"
  podman rmi -f "$image" >/dev/null
  rm -rf "$context"
}

for component in kube-apiserver kube-controller-manager kube-scheduler; do
  build "registry.k8s.io/$component:v$k8s_version" "$component-v$k8s_version.tar" \
    "FROM scratch
COPY $component /usr/local/bin/$component
ENV PATH=/usr/local/bin" "$k8s_bin/$component"
done
build "registry.k8s.io/pause:$pause_tag" "pause-$pause_tag.tar" \
  "FROM scratch
COPY pause /pause
USER 65535:65535
ENTRYPOINT [\"/pause\"]" "$k8s_bin/pause"
build "registry.k8s.io/etcd:$etcd_version-0" "etcd-$etcd_version-0.tar" \
  "FROM scratch
COPY etcd etcdctl etcdutl /usr/local/bin/
ENV PATH=/usr/local/bin" "$etcd_bin/etcd" "$etcd_bin/etcdctl" "$etcd_bin/etcdutl"
echo "$out"
