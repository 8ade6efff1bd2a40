#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and empty (or missing) media
# and private folders; refuses anything else, so that it never mixes a backup with live data.
# Usage: scripts/restore.sh BACKUP_FOLDER
# Reads DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT (defaults: media/ and private/ in the
# repository) from the environment.
# Create the database first, e.g. `createdb -O kvinnofrid kvinnofrid`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
backup=${1:?usage: scripts/restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?DATABASE_URL must name the empty PostgreSQL database to restore into}"
media=${MEDIA_ROOT:-$root/media}
private=${PRIVATE_MEDIA_ROOT:-$root/private}
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$pg_bin/pg_restore" ] || { echo "pg_restore not found; install Debian's postgresql-client or set PG_BIN" >&2; exit 1; }

refuse() { echo "Refusing to restore: $*" >&2; exit 1; }

[ -f "$backup/database.dump" ] && [ -f "$backup/media.tar.gz" ] \
    || refuse "$backup is not a backup folder (database.dump and media.tar.gz missing)"
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || refuse "the backup's checksums do not match"

relations=$("$pg_bin/psql" --dbname="$DATABASE_URL" --no-psqlrc --tuples-only --no-align --command \
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')")
[ "$relations" = "0" ] || refuse "the database is not empty ($relations tables, views or sequences)"
for folder in "$media" "$private"; do
    if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
        refuse "the media folder $folder is not empty"
    fi
done

# One transaction: a restore that fails leaves the database as empty as it was.
"$pg_bin/pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$media" "$private"
tar --extract --gzip --file="$backup/media.tar.gz" --directory="$media" --no-same-owner
# Backups made before the county reports were built have no private archive.
if [ -f "$backup/private.tar.gz" ]; then
    tar --extract --gzip --file="$backup/private.tar.gz" --directory="$private" --no-same-owner
fi
echo "Restored $backup into the database, $media and $private"
