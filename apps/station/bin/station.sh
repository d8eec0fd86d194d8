#!/usr/bin/env bash
# Starts the station agent with a libuv thread pool sized for its slots. Every serial drain holds
# a pool thread for the chunk's line time; with Node's default 4 threads, 8 slots in DA upload
# starve every other file and serial operation (measured in docs/emulator.md). The size must be
# set before the process starts, hence this launcher: 2 × slots + 4, at most 1024; a value in the
# environment wins.
#
# The station authenticates with its own secret (`fss_…`), created once by an admin
# (POST /api/stations) and shown once: keep it in a file only the station's user can read and
# name it in STATION_SECRET_FILE (default .run/station-secrets/$STATION_ID, relative to the repo
# root this script runs from). STATION_SECRET holds the secret itself instead, for containers.
set -euo pipefail
cd "$(dirname "$0")/../../.."
slots=${EMULATOR_SLOTS:-8}
case "$(printf '%s' "${EMULATOR:-true}" | tr '[:upper:]' '[:lower:]')" in
  false | 0 | no) slots=$(printf '%s' "${SERIAL_PORTS:-}" | tr ',' '\n' | grep -c '=' || true) ;;
esac
# A malformed count is the app's to report (env.ts); size the pool for the default meanwhile.
case "$slots" in '' | *[!0-9]*) slots=8 ;; esac
size=$((2 * slots + 4))
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-$((size > 1024 ? 1024 : size))}"
exec node_modules/.bin/tsx apps/station/src/main.ts "$@"
