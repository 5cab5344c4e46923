# Sourced by the scripts that build from Go modules into a cache folder outside the repo (ensure-etcd.sh,
# ensure-kubernetes.sh). They define `built` (true when the cache holds a complete build) before calling these.

# return_if_built CACHE BIN: when the build is there, prints BIN and exits 0; otherwise takes the build lock of CACHE
# (a second caller waits for the first build, then finds it) and returns, holding the lock, to build.
return_if_built() {
  local cache=$1 bin=$2
  if built; then
    echo "$bin"
    exit 0
  fi
  mkdir -p "$cache"
  exec 9>"$cache.lock"
  flock 9
  if built; then
    echo "$bin"
    exit 0
  fi
}

# require_go WHAT: puts Go on PATH (from PATH or its usual install folders), or fails with one line naming WHAT needs it.
require_go() {
  if ! command -v go >/dev/null 2>&1; then
    for candidate in /usr/local/go/bin /usr/lib/go/bin; do
      [[ -x "$candidate/go" ]] && PATH="$candidate:$PATH"
    done
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "error: $1: install it from https://go.dev/dl/ or your package manager" >&2
    exit 1
  fi
}

# begin_build CACHE BIN WHAT: a fresh wrapper module folder (CACHE/wrapper, the current directory afterwards) and BIN,
# Go's settings for a wrapper build, `log` (CACHE/build.log) and `started` (seconds) set; says what it builds.
begin_build() {
  local cache=$1 what=$3
  bin=$2 log="$cache/build.log" started=$(date +%s)
  rm -rf "$cache/wrapper" "$bin"
  mkdir -p "$cache/wrapper" "$bin"
  cd "$cache/wrapper"
  : >"$log"
  export GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  echo "building $what from its Go modules with $(go version | cut -d' ' -f3) (once; cached in $cache)" >&2
}
