#!/usr/bin/env bash
# The whole test suite, on throwaway PostgreSQL and Redis servers on loopback.
# Usage: scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_debian_packages postgresql redis-server chromium gettext fonts-dejavu-core nginx \
    libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
ensure_venv requirements-dev.txt
ensure_frontend  # the pages and their tests need the built stylesheet

# Lint, format and the one-way dependencies of the apps (.importlinter) come first: cheap, and
# what they catch should never reach the slower tests.
echo "==> ruff and import-linter"
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache

start_throwaway_servers
export DJANGO_DEBUG=on  # development settings on the throwaway servers
export DJANGO_SETTINGS_MODULE=tests.settings

.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
.venv/bin/python -m pytest "$@"
