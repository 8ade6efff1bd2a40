#!/usr/bin/env bash
# The whole test suite, on throwaway PostgreSQL and Redis servers on loopback.
# Usage: scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_debian_packages postgresql redis-server chromium gettext fonts-dejavu-core
ensure_venv requirements-dev.txt

start_throwaway_servers
export DJANGO_DEBUG=on  # development settings on the throwaway servers
export DJANGO_SETTINGS_MODULE=tests.settings

.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
.venv/bin/python -m pytest "$@"
