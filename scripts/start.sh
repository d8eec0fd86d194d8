#!/usr/bin/env bash
# `npm start`: the whole system on one machine — server, one station agent with an emulated 8-slot
# jig (EMULATOR=true by default), and the dashboard. Installs what is missing, starts local
# Postgres/Redis if they are down, creates the database and applies migrations. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
[ -f .env ] && { set -a; source .env; set +a; }

ensure_node_deps
ensure_debian_packages socat:socat
ensure_services
ensure_prisma_client
say "database: creating if missing and applying migrations"
npm run --silent db:migrate
# The emulated station's credential (docs/security.md "Stations"): issued once, kept in
# .run/station-secrets/<id> (the station's default STATION_SECRET_FILE), re-installed if the
# database was reset.
station_id=${STATION_ID:-station-1}
npm run --silent station:credential -- "$station_id" --secret-file ".run/station-secrets/$station_id"

# Build the dashboard only when its sources changed since the last build.
dash=apps/dashboard
if [ ! -f $dash/.next/BUILD_ID ] || [ -n "$(find $dash/src $dash/next.config.* packages/contracts/src -newer $dash/.next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  say "building the dashboard (next build)"
  npm run --silent build -w @station/dashboard >/dev/null
fi

# The emulated line's demo users (operator with badge 0001, supervisor, engineer, admin) get this
# password; printed below. When neither the environment nor .env sets it, one is generated once and
# kept in .run/demo-password: the users are created only if missing, so later runs need the same one.
if [ -z "${DEMO_PASSWORD:-}" ]; then
  if [ ! -s .run/demo-password ]; then
    mkdir -p .run
    (umask 077; node -e "process.stdout.write(require('node:crypto').randomBytes(9).toString('base64url'))" > .run/demo-password)
  fi
  DEMO_PASSWORD=$(cat .run/demo-password)
fi
export DEMO_PASSWORD

pids=()
stop_all() {
  trap - INT TERM EXIT
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop_all INT TERM EXIT

# Each process's JSON log lines are made readable for a person at a terminal (pino-pretty passes
# other lines through) and prefixed with the process name. `npm run server` / `npm run station`
# keep the raw JSON lines for log collectors.
pretty=(node_modules/.bin/pino-pretty --colorize --ignore pid,hostname --translateTime SYS:HH:MM:ss.l)
run() { # name, command...
  local name=$1; shift
  "$@" > >("${pretty[@]}" | sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!)
}

tsx=node_modules/.bin/tsx
run server  $tsx apps/server/src/server.ts
run station bash apps/station/bin/station.sh
run dashboard bash -c 'cd apps/dashboard && exec ../../node_modules/.bin/next start --port "${DASHBOARD_PORT:-3000}"'

node scripts/lib/port-open.mjs 127.0.0.1 "${SERVER_PORT:-4000}" 60 || die "the server did not start (see [server] lines above)"
node scripts/lib/port-open.mjs 127.0.0.1 "${DASHBOARD_PORT:-3000}" 60 || die "the dashboard did not start (see [dashboard] lines above)"
say "dashboard: http://localhost:${DASHBOARD_PORT:-3000}   API: http://localhost:${SERVER_PORT:-4000}/api/health   OpenAPI: http://localhost:${SERVER_PORT:-4000}/docs"
say "sign in as operator (badge 0001 at station-1), supervisor, engineer or admin with password: $DEMO_PASSWORD"
say "press Ctrl-C to stop"
wait -n "${pids[@]}" || true
