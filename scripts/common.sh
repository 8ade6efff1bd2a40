# Shared by scripts/run.sh and scripts/test.sh: sourced, not run.

# Create .venv if needed and install a requirements file into it, again only when it changed.
ensure_venv() {
    local requirements=$1
    local python=${PYTHON:-python3}
    if [ ! -x .venv/bin/pip ]; then
        # Debian's own Python makes virtual environments only with python3-venv installed.
        "$python" -c "import ensurepip" 2>/dev/null || ensure_debian_packages python3-venv
        echo "==> Creating the Python environment in .venv"
        rm -rf .venv
        "$python" -m venv .venv
    fi
    local stamp=".venv/.installed-$(basename "$requirements")"
    local wanted
    wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        echo "==> Installing $requirements"
        # (Some machines' pip configuration names local indexes that do not exist: not our news.)
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 \
            | { grep -v "^WARNING: Location '.*' is ignored" || true; }
        echo "$wanted" > "$stamp"
    fi
}

# Install Debian packages that are missing; as a normal user, say what to install instead.
ensure_debian_packages() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages: ${missing[*]}" >&2
        echo "Install them with: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "==> Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Build the stylesheet (GOV.UK Frontend in Kvinnofrid purple, frontend/*.scss) into static/dist/
# with Node's packages pinned in package-lock.json, again only when the sources or the lockfile
# are newer than the build. Without Node, install Debian's as root; otherwise say what to install.
ensure_frontend() {
    if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
        if [ "$(id -u)" -eq 0 ]; then
            ensure_debian_packages nodejs npm
        else
            echo "Node.js (18 or newer) and npm are needed to build the portal's stylesheet." >&2
            echo "Install them with: sudo apt-get install nodejs npm" >&2
            exit 1
        fi
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 18 ]; then
        echo "Node.js $(node --version) is too old to build the stylesheet: install 18 or newer." >&2
        exit 1
    fi
    local built=static/dist/kvinnofrid.css
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "==> Installing Node packages (npm ci)"
        npm ci --no-audit --no-fund --loglevel=error
        rm -f "$built"
    fi
    if [ ! -f "$built" ] || [ -n "$(find frontend package-lock.json -newer "$built" -print -quit)" ]; then
        echo "==> Building the stylesheet (npm run build)"
        npm run --silent build
    fi
}

free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Start PostgreSQL and Redis on free loopback ports in a temporary directory, export their URLs,
# and stop them (and remove the directory) when the calling script exits, however it exits.
start_throwaway_servers() {
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
    for _ in $(seq 50); do
        redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done

    export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/kvinnofrid"
    export REDIS_URL="redis://127.0.0.1:$redis_port/0"
    export CELERY_BROKER_URL="redis://127.0.0.1:$redis_port/1"
    export CHROMIUM_PATH=/usr/bin/chromium
}
