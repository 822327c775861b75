#!/usr/bin/env bash
# Makes sure headless Chromium is available for ReportChromiumIT: installs the Debian package
# `chromium` when /usr/bin/chromium is missing. Needs root (or passwordless sudo) and the Debian
# package mirror. Safe to run repeatedly; prints what it did on stderr.
set -euo pipefail
CHROMIUM="${HANDOFF_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $CHROMIUM present" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure-chromium: $CHROMIUM is missing and installing it needs root" >&2
    exit 1
  fi
fi
echo "ensure-chromium: installing the Debian package chromium" >&2
export DEBIAN_FRONTEND=noninteractive
# Bounded: a hung mirror must not hang the build.
timeout 600 $SUDO apt-get install -y --no-install-recommends chromium >&2 \
  || { timeout 300 $SUDO apt-get update >&2 && timeout 600 $SUDO apt-get install -y --no-install-recommends chromium >&2; }
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2; exit 1; }
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
