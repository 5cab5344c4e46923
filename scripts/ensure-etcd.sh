#!/usr/bin/env bash
# Makes sure etcd and etcdctl are on PATH (Debian's etcd-server and etcd-client when missing). Idempotent.
exec bash "$(dirname "$0")/ensure-debian.sh" "etcd etcdctl" "etcd-server etcd-client" \
  "run 'sudo apt-get install etcd-server etcd-client', or put the etcd release binaries (https://github.com/etcd-io/etcd/releases) on PATH."
