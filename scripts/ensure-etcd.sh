#!/usr/bin/env bash
# Makes sure an etcd is at hand and prints the folder that holds its etcd and etcdctl (and etcdutl from 3.5 on).
#
#   scripts/ensure-etcd.sh 3.4.23     Debian's etcd-server and etcd-client (3.4.23), installed when missing
#   scripts/ensure-etcd.sh 3.6.16     etcd, etcdctl and etcdutl v3.6.16 built from etcd's Go modules
#   scripts/ensure-etcd.sh            $ETCD_VERSION, or the default version (scripts/etcd-versions.sh)
#
# A version is built once into ${ETCD_PERF_CACHE:-~/.cache/etcd-perf}/etcd/v<VERSION>/bin (outside the repo, with Go's
# own module and build caches); later calls find the stamp and return at once. etcd's server, etcdctl and etcdutl
# modules carry relative `replace` lines, so `go install module@version` cannot build them: a throwaway wrapper module
# requires the three at one version (as `tool` lines) and one `go build` compiles them together.
# Progress goes to stderr, the folder to stdout. Idempotent.
set -euo pipefail

source "$(dirname "$0")/etcd-versions.sh"
version="${1:-${ETCD_VERSION:-$ETCD_DEFAULT}}"
version="${version#v}"
if [[ "$version" == "$ETCD_DEBIAN" || "$version" == debian ]]; then
  # Debian's own binaries, whatever another version put first on PATH.
  PATH=/usr/sbin:/usr/bin:/sbin:/bin bash "$(dirname "$0")/ensure-debian.sh" "etcd etcdctl" "etcd-server etcd-client" \
    "run 'sudo apt-get install etcd-server etcd-client'." >&2
  dirname "$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v etcd)"
  exit 0
fi
if ! [[ "$version" =~ ^3\.[0-9]+\.[0-9]+(-[a-z]+\.[0-9]+)?$ ]]; then
  echo "error: etcd version \"$version\" is not a release like $ETCD_DEFAULT (or $ETCD_DEBIAN for Debian's package)" >&2
  exit 2
fi
if [[ "$version" =~ ^3\.[0-4]\. ]]; then
  echo "error: etcd $version predates etcdutl and its Go modules cannot be built this way; $ETCD_DEBIAN is Debian's package" >&2
  exit 2
fi

cache="${ETCD_PERF_CACHE:-$HOME/.cache/etcd-perf}/etcd/v$version"
bin="$cache/bin"
stamp="$bin/.built"
built() { [[ -f "$stamp" && -x "$bin/etcd" && -x "$bin/etcdctl" && -x "$bin/etcdutl" ]]; }
source "$(dirname "$0")/build-cache.sh"
return_if_built "$cache" "$bin"
require_go "building etcd $version needs Go (1.26 for 3.7, 1.25 for 3.5.28+ and 3.6.9+; or use ETCD_VERSION=$ETCD_DEBIAN, Debian's package)"

begin_build "$cache" "$bin" "etcd $version"
cat >go.mod <<EOF
module etcd-perf.local/etcd-build

go 1.25

tool (
	go.etcd.io/etcd/etcdctl/v3
	go.etcd.io/etcd/etcdutl/v3
	go.etcd.io/etcd/server/v3
)
EOF
if ! go get "go.etcd.io/etcd/server/v3@v$version" "go.etcd.io/etcd/etcdctl/v3@v$version" "go.etcd.io/etcd/etcdutl/v3@v$version" >"$log" 2>&1; then
  tail -5 "$log" >&2
  echo "error: the Go module proxy did not serve etcd v$version (above; all of it in $log); 'go list -m -versions go.etcd.io/etcd/server/v3' lists the ones it has" >&2
  exit 1
fi
sha=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
if ! CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-$sha" -o "$bin/" \
    go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3 go.etcd.io/etcd/etcdutl/v3 >>"$log" 2>&1; then
  tail -20 "$log" >&2
  echo "error: etcd $version did not build with $(go version | cut -d' ' -f3) (above; all of it in $log)" >&2
  exit 1
fi
mv "$bin/server" "$bin/etcd"
for tool in etcd etcdctl etcdutl; do
  [[ -x "$bin/$tool" ]] || { echo "error: the build of etcd $version made no $tool" >&2; exit 1; }
done
reported=$("$bin/etcd" --version | sed -n 's/^etcd Version: //p')
if [[ "$reported" != "$version" ]]; then
  echo "error: the etcd built says it is $reported, not $version" >&2
  exit 1
fi
echo "$version built in $(($(date +%s) - started)) s" >"$stamp"
echo "etcd $version built in $(($(date +%s) - started)) s: $bin" >&2
echo "$bin"
