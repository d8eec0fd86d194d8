# Shared steps of `npm start` and `npm test`: install what is missing, start local services that are
# not running, generate the Prisma client. Sourced by scripts/start.sh and scripts/test.sh.

say() { printf '\033[1m[flash-station]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[flash-station]\033[0m %s\n' "$*" >&2; exit 1; }

# Node dependencies: `npm ci` on a fresh clone, again whenever package-lock.json changed since.
ensure_node_deps() {
  command -v node >/dev/null || die "Node.js 20 (20.19 or later, not 21+) is required (.nvmrc; https://nodejs.org)."
  node scripts/check-node-version.mjs >/dev/null || exit 1
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

# Debian packages the product needs at run time (socat for the emulated jig) or in tests
# (chromium for the browser test, python3-serial for the pymtkflasher conformance run).
ensure_debian_packages() {
  local missing=()
  for spec in "$@"; do
    local bin=${spec%%:*} pkg=${spec##*:}
    if [ "$bin" = python3-serial ]; then
      /usr/bin/python3 -c 'import serial' 2>/dev/null || missing+=("$pkg")
    else
      command -v "$bin" >/dev/null || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})"
  fi
}

# host:port of a URL such as postgresql://user@host:port/db or redis://host:port
url_host() { local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; echo "${rest%%:*}"; }
url_port() { local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; [[ $rest == *:* ]] && echo "${rest##*:}" || echo "$2"; }

is_local() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]; }

# Postgres and Redis: when they are local and down, start them the way this machine runs them;
# otherwise say exactly which one is missing and how to start it.
ensure_services() {
  local db=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/flashstation}
  local redis=${REDIS_URL:-redis://127.0.0.1:6379}
  local pg_host pg_port r_host r_port
  pg_host=$(url_host "$db"); pg_port=$(url_port "$db" 5432)
  r_host=$(url_host "$redis"); r_port=$(url_port "$redis" 6379)

  if ! node scripts/lib/port-open.mjs "$pg_host" "$pg_port"; then
    if is_local "$pg_host" && command -v pg_ctlcluster >/dev/null; then
      say "starting the local PostgreSQL service"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    fi
    node scripts/lib/port-open.mjs "$pg_host" "$pg_port" 20 ||
      die "Postgres is not reachable at $pg_host:$pg_port (DATABASE_URL): start your local PostgreSQL service or set DATABASE_URL to where it runs."
  fi

  if ! node scripts/lib/port-open.mjs "$r_host" "$r_port"; then
    if is_local "$r_host" && command -v redis-server >/dev/null; then
      say "starting a local Redis server"
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$r_port" --save "" --appendonly no \
        --maxmemory-policy noeviction --dir /tmp --logfile /tmp/flash-station-redis.log || true
    fi
    node scripts/lib/port-open.mjs "$r_host" "$r_port" 20 ||
      die "Redis is not reachable at $r_host:$r_port (REDIS_URL): start your local Redis service or set REDIS_URL to where it runs."
  fi
}

ensure_prisma_client() {
  npm run --silent db:generate >/dev/null || die "prisma generate failed (run 'npm run db:generate' to see why)"
}
