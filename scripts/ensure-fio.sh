#!/usr/bin/env bash
# Makes sure fio is on PATH (bench disk is compared with the real fio, in a test and in npm run bench:disk). Idempotent.
exec bash "$(dirname "$0")/ensure-debian.sh" "fio" "fio" "run 'sudo apt-get install fio'."
