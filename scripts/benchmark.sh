#!/usr/bin/env bash
# Benchmarks over a generated, realistic data set on throwaway PostgreSQL and Redis servers.
# Usage: scripts/benchmark.sh [--scale N] [--missing N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_debian_packages postgresql redis-server
ensure_venv requirements-dev.txt
start_throwaway_servers
export DJANGO_DEBUG=on  # development settings on the throwaway servers
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres kvinnofrid
.venv/bin/python manage.py migrate --no-input >/dev/null
.venv/bin/python benchmarks/reminder_sweep.py "$@"
