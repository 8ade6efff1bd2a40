#!/usr/bin/env bash
# The quick start: the portal on http://127.0.0.1:8000 with SQLite, in-process tasks and demo data.
# Usage: scripts/run.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

# WeasyPrint draws the county report's PDF with Pango.
ensure_debian_packages libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
ensure_venv requirements.txt
ensure_frontend
port=${1:-8000}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$port}

# Swedish is the source language, so the portal is Swedish even without compiled catalogues;
# the English translation needs gettext's msgfmt.
if command -v msgfmt >/dev/null; then
    .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
else
    echo "(gettext is not installed: the English translation is left out)"
fi
.venv/bin/python manage.py migrate --no-input >/dev/null
.venv/bin/python manage.py seed_demo
echo
echo "The portal runs at http://127.0.0.1:$port/ (stop it with Ctrl+C)"
exec .venv/bin/python manage.py runserver "127.0.0.1:$port"
