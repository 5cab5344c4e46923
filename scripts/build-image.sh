#!/usr/bin/env bash
# npm run image: the container image of etcd-perf (the exporter, the scheduled maintenance, any command), built here
# with podman, FROM scratch: the single executable (npm run build:sea, which npm run image runs first) and only the C libraries it links (found with
# ldd: the dynamic loader, libc, libm, libstdc++, libgcc_s, libdl, libpthread), /etc/passwd and /etc/group naming the
# user it runs as (65532, not root), nothing else: no shell, no package manager. It runs with a read-only root
# filesystem (it writes nothing). Prints the image's name, digest and size; saves it as an archive (docker-archive:
# its manifest names the image, so `ctr -n k8s.io images import` and `podman load` keep the name) in dist/image/.
#   IMAGE=registry.example.com/etcd-perf:0.1.0 npm run image    another name (then: podman push "$IMAGE")
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p "require('./package.json').version")
image="${IMAGE:-localhost/etcd-perf:$version}"
bash scripts/ensure-debian.sh "podman runc" "podman runc" "install podman and runc to build the image." >&2
[[ -x dist/sea/kubectl-etcd_perf ]] || { echo "error: dist/sea/kubectl-etcd_perf is missing: run npm run build:sea first" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/rootfs/etc" "$context/rootfs/tmp"
cp dist/sea/kubectl-etcd_perf "$context/rootfs/kubectl-etcd_perf"
# Every library the executable links, at the path the loader looks for it (and the loader itself).
ldd dist/sea/kubectl-etcd_perf | awk '/=> \// { print $3 } /^[[:space:]]*\// { print $1 }' | while read -r lib; do
  mkdir -p "$context/rootfs$(dirname "$lib")"
  cp -L "$lib" "$context/rootfs$lib"
done
printf 'root:x:0:0:root:/root:/sbin/nologin\netcd-perf:x:65532:65532:etcd-perf:/nonexistent:/sbin/nologin\n' >"$context/rootfs/etc/passwd"
printf 'root:x:0:\netcd-perf:x:65532:\n' >"$context/rootfs/etc/group"
chmod 1777 "$context/rootfs/tmp"
cat >"$context/Containerfile" <<EOF
FROM scratch
COPY rootfs/ /
USER 65532:65532
ENV HOME=/tmp
LABEL org.opencontainers.image.title="etcd-perf" org.opencontainers.image.version="$version" \\
      org.opencontainers.image.description="Find out why etcd is slow, and fix what can be fixed safely: kubectl etcd-perf, its exporter (serve) and maintenance"
ENTRYPOINT ["/kubectl-etcd_perf"]
CMD ["serve"]
EOF
podman --runtime runc build -q -t "$image" "$context" >/dev/null
mkdir -p dist/image
archive="dist/image/etcd-perf-$version.tar"
rm -f "$archive"
podman save -q --format docker-archive -o "$archive" "$image"
digest=$(podman image inspect --format '{{.Digest}}' "$image")
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "$image"
echo "digest $digest"
echo "size $size bytes ($(( size / 1000000 )) MB)"
echo "archive $archive"
