#!/usr/bin/env bash
# `npm test`: everything CI runs, from a fresh clone. Installs what is missing, starts Postgres and
# Redis if they are local and down, then lint, format check, typecheck, package-graph check and
# every test (unit, real Postgres/Redis, pseudo-terminals, real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

ensure_node_deps
ensure_debian_packages socat:socat chromium:chromium python3-serial:python3-serial docker-compose:docker-compose
ensure_services
ensure_prisma_client

say "lint";        npm run --silent lint
say "format";      npm run --silent format:check
say "typecheck";   npx turbo run typecheck --output-logs=errors-only
npx tsc -p reliability
npx tsc -p scripts
say "package graph"; npm run --silent check:cycles
say "docker-compose.yml"
# With the demo's secrets: the file itself refuses to resolve without passwords (compose.test.ts).
if docker compose version >/dev/null 2>&1; then docker compose --env-file deploy/demo.env config --quiet
elif command -v docker-compose >/dev/null; then docker-compose --env-file deploy/demo.env config -q
else say "(docker compose is not installed: scripts/compose.test.ts still checks the file)"; fi
say "tests";       npx vitest run "$@"
