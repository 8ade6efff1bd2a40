#!/usr/bin/env bash
# Screenshots of the portal's main pages at 1366 and 390 px wide, from the demo data, written to
# docs/screenshots/ (the README shows them under "Så ser portalen ut").
# Usage: scripts/screenshots.sh [--output DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_debian_packages chromium fonts-dejavu-core
ensure_venv requirements-dev.txt  # Playwright, as for the browser tests
ensure_frontend  # the built stylesheet the pages are shown with
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
exec .venv/bin/python scripts/screenshots.py "$@"
