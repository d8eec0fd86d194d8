#!/usr/bin/env bash
# Runs the reference host waybyte/tool-pymtkflasher against an emulated MC60 (docs/emulator.md).
# pymtkflasher (and MediaTek's DA it bundles) is copied into a temp dir at run time from a local
# git mirror; it is never committed. Skips (exit 0) with a message when the mirror is absent.
#   PYMTKFLASHER_GIT_DIR  bare git dir of waybyte/tool-pymtkflasher
#                         (default /work/.mirror/waybyte+tool-pymtkflasher/repo)
#   extra arguments go to the runner: --baud 921600, --no-pacing (debug only)
set -euo pipefail
cd "$(dirname "$0")/../.."
GIT_DIR_PATH="${PYMTKFLASHER_GIT_DIR:-/work/.mirror/waybyte+tool-pymtkflasher/repo}"
if ! git --git-dir="$GIT_DIR_PATH" cat-file -e HEAD:mtkflasher.py 2>/dev/null; then
  echo "SKIP: pymtkflasher mirror not found at $GIT_DIR_PATH (set PYMTKFLASHER_GIT_DIR)"
  exit 0
fi
if ! /usr/bin/python3 -c 'import serial' 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 has no pyserial (apt-get install python3-serial)"
  exit 0
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
git --git-dir="$GIT_DIR_PATH" archive HEAD mtkflasher.py mt6261_da.bin | tar -x -C "$TMP"
exec npx tsx scripts/conformance/pymtkflasher.ts "$TMP" "$@"
