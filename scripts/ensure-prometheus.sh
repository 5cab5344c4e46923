#!/usr/bin/env bash
# Makes sure prometheus and promtool are on PATH (the alert-rule and --prometheus-url tests run the real ones). Idempotent.
exec bash "$(dirname "$0")/ensure-debian.sh" "prometheus promtool" "prometheus" \
  "run 'sudo apt-get install prometheus', or put the release binaries (https://github.com/prometheus/prometheus/releases) on PATH."
