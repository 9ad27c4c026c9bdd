#!/bin/sh
# Installs what the benchmarks need beyond the project venv: the wrk HTTP
# load generator used by bench/api.py (it falls back to a slower
# pure-Python client without it). Debian/Ubuntu; run as root.
set -eu
if command -v wrk >/dev/null 2>&1; then
    echo "wrk already installed: $(command -v wrk)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (or: sudo apt-get install -y wrk)" >&2
    exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y wrk
