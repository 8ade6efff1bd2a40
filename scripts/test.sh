#!/usr/bin/env bash
# The whole test suite, on throwaway PostgreSQL and Redis servers on loopback.
# Usage: scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_debian_packages postgresql redis-server chromium gettext fonts-dejavu-core
ensure_venv requirements-dev.txt

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
workdir=$(mktemp -d "${TMPDIR:-/tmp}/kvinnofrid-test.XXXXXX")
chmod 755 "$workdir"
pg_port=$(free_port)
redis_port=$(free_port)

# PostgreSQL refuses to run as root: as root, run it as the postgres user the package created.
as_db_user() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/sh -c "$*"
    else
        sh -c "$*"
    fi
}

stop_servers() {
    set +e
    [ -f "$workdir/pg/postmaster.pid" ] && as_db_user "'$pg_bin/pg_ctl' -D '$workdir/pg' -m immediate stop" >/dev/null
    [ -f "$workdir/redis.pid" ] && kill "$(cat "$workdir/redis.pid")" 2>/dev/null
    rm -rf "$workdir"
}
trap stop_servers EXIT

mkdir "$workdir/pg"
[ "$(id -u)" -eq 0 ] && chown postgres "$workdir/pg"
echo "==> Starting PostgreSQL on 127.0.0.1:$pg_port and Redis on 127.0.0.1:$redis_port"
as_db_user "'$pg_bin/initdb' -D '$workdir/pg' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >/dev/null
as_db_user "'$pg_bin/pg_ctl' -D '$workdir/pg' -w -l '$workdir/pg/server.log' \
    -o \"-p $pg_port -k '$workdir/pg' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$workdir/redis.pid" --logfile "$workdir/redis.log" --dir "$workdir"

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/kvinnofrid"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export CELERY_BROKER_URL="redis://127.0.0.1:$redis_port/1"
export CHROMIUM_PATH=/usr/bin/chromium
export DJANGO_SETTINGS_MODULE=tests.settings

.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
.venv/bin/python -m pytest "$@"
