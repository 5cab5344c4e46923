#!/usr/bin/env bash
# Makes sure etcd and etcdctl are on PATH: installs Debian's etcd-server and etcd-client when missing and running as root;
# otherwise says exactly how to get them. Idempotent.
set -euo pipefail
if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing etcd-server and etcd-client (Debian) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq etcd-server etcd-client >&2
  exit 0
fi
echo "etcd and etcdctl are needed: run 'sudo apt-get install etcd-server etcd-client' (Debian/Ubuntu)," >&2
echo "or put the etcd release binaries (https://github.com/etcd-io/etcd/releases) on PATH, or set ETCD_BIN." >&2
exit 1
