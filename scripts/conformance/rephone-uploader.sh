#!/usr/bin/env bash
# Runs a second, independent MediaTek host against an emulated module (docs/emulator.md,
# "Second independent host"): Stefan Mandl's firmwareUploader.py (GPL-2.0-or-later, Python 3) for
# the RePhone (MT2502), with its split Download Agent and RePhone boot loaders, from
# loboris/RePhone_on_Linux. It is copied into a temp dir at run time from a local git mirror and
# never committed. Skips (exit 0) with a message when the mirror or pyserial is absent.
#   REPHONE_GIT_DIR  git dir of loboris/RePhone_on_Linux
#                    (default /work/.mirror/loboris+RePhone_on_Linux/repo/.git)
#   extra arguments go to the runner: --real-package, --until <stage>, --no-pacing, --timeout <s>
set -euo pipefail
cd "$(dirname "$0")/../.."
GIT_DIR_PATH="${REPHONE_GIT_DIR:-/work/.mirror/loboris+RePhone_on_Linux/repo/.git}"
TOOL=FirmwareUpdate/Firmware_update_Linux
if ! git --git-dir="$GIT_DIR_PATH" cat-file -e "HEAD:$TOOL/firmwareUploader.py" 2>/dev/null; then
  echo "SKIP: RePhone_on_Linux mirror not found at $GIT_DIR_PATH (set REPHONE_GIT_DIR)"
  exit 0
fi
if ! /usr/bin/python3 -c 'import serial' 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 has no pyserial (apt-get install python3-serial)"
  exit 0
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# One file at a time: `git archive` of the folder trips over the mirror's absent large blobs.
for file in firmwareUploader.py Download_Agent/6261/{NOR_FLASH_TABLE,INT_SYSRAM,EXT_RAM} \
  RePhone/{INT_BOOTLOADER,EXT_BOOTLOADER,ROM,VIVA}; do
  mkdir -p "$TMP/$(dirname "$file")"
  git --git-dir="$GIT_DIR_PATH" show "HEAD:$TOOL/$file" >"$TMP/$file"
done
npx tsx scripts/conformance/rephone-uploader.ts "$TMP" "$@"
