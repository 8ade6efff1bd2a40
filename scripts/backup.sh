#!/usr/bin/env bash
# Back the portal up: the database (one consistent pg_dump snapshot, custom format), the uploaded
# files in MEDIA_ROOT and the built county reports in PRIVATE_MEDIA_ROOT, into a new folder under
# TARGET (kvinnofrid-YYYYmmddTHHMMSSZ/).
# Usage: scripts/backup.sh TARGET
# Reads DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT (defaults: media/ and private/ in the
# repository) from the environment, as
# the portal does; with systemd: `set -a; . /etc/kvinnofrid/env; set +a` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: scripts/backup.sh TARGET}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
media=${MEDIA_ROOT:-$root/media}
private=${PRIVATE_MEDIA_ROOT:-$root/private}
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
archive() {  # archive FOLDER NAME: the folder's files, or an empty archive if it is missing
    if [ -d "$1" ]; then
        tar --create --gzip --file="$partial/$2" --directory="$1" .
    else
        tar --create --gzip --file="$partial/$2" --files-from=/dev/null
    fi
}
archive "$media" media.tar.gz
archive "$private" private.tar.gz
(cd "$partial" && sha256sum database.dump media.tar.gz private.tar.gz > SHA256SUMS)

mv "$partial" "$target/$name"
trap - EXIT
echo "$target/$name"
