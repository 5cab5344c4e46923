#!/usr/bin/env bash
# Makes sure a real kubectl is on PATH for the Kubernetes tests: any kubectl already installed is used; otherwise
# Debian's kubernetes-client is installed when running as root. Idempotent.
set -euo pipefail
if command -v kubectl >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing kubernetes-client (Debian's kubectl) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq kubernetes-client >&2
  exit 0
fi
echo "kubectl is needed for the Kubernetes tests: run 'sudo apt-get install kubernetes-client'" >&2
echo "or install kubectl from https://kubernetes.io/docs/tasks/tools/." >&2
exit 1
