#!/usr/bin/env bash
# Back the portal up: the database (one consistent pg_dump snapshot, custom format) and the report
# files in MEDIA_ROOT, into a new folder under TARGET (kvinnofrid-YYYYmmddTHHMMSSZ/).
# Usage: scripts/backup.sh TARGET
# Reads DATABASE_URL and MEDIA_ROOT (default: media/ in the repository) from the environment, as
# the portal does; with systemd: `set -a; . /etc/kvinnofrid/env; set +a` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: scripts/backup.sh TARGET}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
media=${MEDIA_ROOT:-$root/media}
# pg_dump must be at least as new as the server: take the newest installed (or PG_BIN).
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$pg_bin/pg_dump" ] || { echo "pg_dump not found; install Debian's postgresql-client or set PG_BIN" >&2; exit 1; }

name="kvinnofrid-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
# Written under a temporary name and renamed when complete: a backup that stopped half-way
# never looks like a good one.
partial="$target/.$name.partial"
rm -rf "$partial"
mkdir -m 700 "$partial"
trap 'rm -rf "$partial"' EXIT

# The database first: files written after its snapshot are harmless extras in the archive.
"$pg_bin/pg_dump" --format=custom --no-owner --no-privileges --file="$partial/database.dump" \
    --dbname="$DATABASE_URL"
if [ -d "$media" ]; then
    tar --create --gzip --file="$partial/media.tar.gz" --directory="$media" .
else
    tar --create --gzip --file="$partial/media.tar.gz" --files-from=/dev/null
fi
(cd "$partial" && sha256sum database.dump media.tar.gz > SHA256SUMS)

mv "$partial" "$target/$name"
trap - EXIT
echo "$target/$name"
