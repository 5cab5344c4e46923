#!/usr/bin/env bash
# Makes sure a real kubectl is on PATH for the Kubernetes tests: any kubectl already installed is used; otherwise
# Debian's kubernetes-client. Idempotent.
exec bash "$(dirname "$0")/ensure-debian.sh" "kubectl" "kubernetes-client" \
  "run 'sudo apt-get install kubernetes-client', or install kubectl from https://kubernetes.io/docs/tasks/tools/."
