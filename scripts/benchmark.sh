#!/usr/bin/env bash
# Benchmarks over generated, realistic data sets on throwaway PostgreSQL and Redis servers:
# the daily reminder sweep, and the main web pages under load on gunicorn with production settings.
# Usage: scripts/benchmark.sh [options]
#   --sizes LIST        data sets for the web pages, comma-separated: county (seed_demo as it is)
#                       and/or a number for seed_demo --scale N (default: county,250)
#   --duration S        seconds of load per page (default 10; the ceiling gets half)
#   --warmup S          seconds of warm-up before each page (default 2)
#   --clients N         concurrent clients (default 8)
#   --workers N         gunicorn sync workers (default 2)
#   --pages LIST        only the pages whose names contain these words, comma-separated
#   --sweep-scale N     the reminder sweep's data set, seed_demo --scale N (default 250)
#   --missing N         reports left missing for the sweep (default 10000)
#   --report-scale N    the county report build's data set, seed_demo --scale N (default 250)
#   --no-sweep, --no-web, --no-report  leave out one of the three
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

# All in one function, read whole before it runs: editing this file during a run is safe.
main() {
    command="scripts/benchmark.sh${*:+ $*}"
    sizes=county,250
    sweep=yes web=yes sweep_scale=250 missing=10000 workers=2
    report=yes report_scale=250
    web_options=()
    while [ $# -gt 0 ]; do
        case $1 in
            --sizes) sizes=$2; shift 2 ;;
            --duration | --warmup | --clients | --pages) web_options+=("$1" "$2"); shift 2 ;;
            --workers) workers=$2; shift 2 ;;
            --sweep-scale | --scale) sweep_scale=$2; shift 2 ;;
            --missing) missing=$2; shift 2 ;;
            --no-sweep) sweep=no; shift ;;
            --no-web) web=no; shift ;;
            --report-scale) report_scale=$2; shift 2 ;;
            --no-report) report=no; shift ;;
            -h | --help) sed -n '2,15p' "$0" | cut -c3-; exit 0 ;;
            *) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
        esac
    done

    ensure_debian_packages postgresql redis-server curl gettext
    ensure_venv requirements-dev.txt
    start_throwaway_servers

    gunicorn_pid=
    stop_gunicorn() {
        if [ -n "$gunicorn_pid" ]; then
            kill -TERM "$gunicorn_pid" 2>/dev/null || true
            wait "$gunicorn_pid" 2>/dev/null || true
            gunicorn_pid=
        fi
    }
    trap 'stop_gunicorn; stop_servers' EXIT

    database_url() { echo "postgres://postgres@127.0.0.1:$pg_port/$1"; }

    # A fresh database, migrated, with development settings (seeding is not what is measured).
    fresh_database() {
        "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$1"
        DATABASE_URL=$(database_url "$1") DJANGO_DEBUG=on .venv/bin/python manage.py migrate --no-input >/dev/null
    }

    results="$workdir/results.md"
    {
        local cpu memory
        cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
        memory=$(free -g | awk '/Mem:/ {print $2}')
        echo "Machine: $(nproc) cores ($cpu), $memory GiB memory;" \
            "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
        echo "Python $(.venv/bin/python -c 'import platform; print(platform.python_version())'), PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), gunicorn $(.venv/bin/python -c 'import gunicorn; print(gunicorn.__version__)'), $workers sync workers."
        echo "Command: $command"
    } >"$results"

    if [ "$sweep" = yes ]; then
        echo "==> Reminder sweep at --scale $sweep_scale"
        fresh_database kvinnofrid_sweep
        DATABASE_URL=$(database_url kvinnofrid_sweep) DJANGO_DEBUG=on \
            .venv/bin/python benchmarks/reminder_sweep.py --scale "$sweep_scale" --missing "$missing" \
            | tee "$workdir/sweep.txt"
        { echo; echo "### Reminder sweep (seed_demo --scale $sweep_scale)"; echo; echo '```'; cat "$workdir/sweep.txt"; echo '```'; } >>"$results"
    fi

    # countyreport: one year's county report, all three formats, as the worker builds it.
    if [ "$report" = yes ]; then
        echo "==> County report build at --scale $report_scale: seeding"
        fresh_database kvinnofrid_report
        DATABASE_URL=$(database_url kvinnofrid_report) DJANGO_DEBUG=on \
            .venv/bin/python manage.py seed_demo --scale "$report_scale" >/dev/null
        echo "==> County report build at --scale $report_scale: building"
        DATABASE_URL=$(database_url kvinnofrid_report) DJANGO_DEBUG=on CELERY_BROKER_URL=memory:// \
            PRIVATE_MEDIA_ROOT="$workdir/private" LOG_LEVEL=WARNING \
            .venv/bin/python benchmarks/county_report.py | tee "$workdir/report.txt"
        { echo; echo "### County report build (seed_demo --scale $report_scale)"; echo; echo '```'; cat "$workdir/report.txt"; echo '```'; } >>"$results"
    fi

    if [ "$web" = yes ]; then
        # Production settings (benchmarks.settings adds the query count and the ceiling page), with
        # the throwaway Redis; plain HTTP on loopback, the clients saying they came through TLS.
        export DJANGO_DEBUG=off DJANGO_SETTINGS_MODULE=benchmarks.settings LOG_LEVEL=WARNING
        export DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=off
        export STATIC_ROOT="$workdir/static"  # WhiteNoise's manifest storage needs collected files
        ensure_frontend  # collectstatic collects the built stylesheet
        .venv/bin/python manage.py collectstatic --no-input -v0
        .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null  # as on each release

        local sweep_twice="from followup.models import ReportingPeriod as P; from followup.reminders \
import reminders_sweep as sweep; sweep(); sweep(day=P.objects.current().due_on)"
        IFS=, read -r -a size_list <<<"$sizes"
        for size in "${size_list[@]}"; do
            if [ "$size" = county ]; then
                seed_options=() label="County size (seed_demo)"
            else
                seed_options=(--scale "$size") label="seed_demo --scale $size"
            fi
            echo "==> Web pages at ${label}: seeding"
            database="kvinnofrid_web_$size"
            fresh_database "$database"
            export DATABASE_URL
            DATABASE_URL=$(database_url "$database")
            started=$SECONDS
            DJANGO_DEBUG=on DJANGO_SETTINGS_MODULE=kvinnofrid.settings \
                .venv/bin/python manage.py seed_demo "${seed_options[@]}" >/dev/null
            # One reminder sweep today and one on the last day, as the daily job would have done, so
            # the reminder log has rows; the sending is queued in memory and goes nowhere.
            CELERY_BROKER_URL=memory:// .venv/bin/python manage.py shell -c "$sweep_twice" 2>&1 >/dev/null \
                | { grep -v "^No hostname was supplied" >&2 || true; }
            echo "    seeded in $((SECONDS - started)) s"

            port=$(free_port)
            .venv/bin/gunicorn kvinnofrid.wsgi:application --workers "$workers" --worker-class sync \
                --bind "127.0.0.1:$port" --no-control-socket --error-logfile "$workdir/gunicorn.log" &
            gunicorn_pid=$!
            for _ in $(seq 100); do
                curl -sf -o /dev/null "http://127.0.0.1:$port/health/live/" && break
                kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$workdir/gunicorn.log" >&2; exit 1; }
                sleep 0.2
            done
            echo "==> Web pages at ${label}: gunicorn on 127.0.0.1:$port, $workers workers"
            .venv/bin/python benchmarks/web.py --url "http://127.0.0.1:$port" \
                --gunicorn-pid "$gunicorn_pid" --postgres-pid "$(head -n 1 "$workdir/pg/postmaster.pid")" \
                --label "$label" "${web_options[@]}" | tee -a "$results"
            stop_gunicorn
        done
    fi

    echo
    echo "==> Results (Markdown, for docs/benchmarks.md)"
    echo
    cat "$results"
}

main "$@"
