#!/usr/bin/env bash
# Make the real-browser tests (tests/browser, marker "browser") runnable: the Debian Chromium package.
# playwright itself comes with the test extra (scripts/setup.sh) and drives /usr/bin/chromium through
# executable_path: no `playwright install`, no browser download.
# Installs with apt-get when chromium is missing and we are root (CI); otherwise says what to run.
set -euo pipefail
if [ -n "${WORKBENCH_CHROMIUM:-}" ] && [ -x "$WORKBENCH_CHROMIUM" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[browser_setup] installing the Debian chromium package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "[browser_setup] $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
else
  echo "[browser_setup] chromium not found; the browser tests will be skipped." >&2
  echo "[browser_setup] install it with: sudo apt-get install chromium  (or set WORKBENCH_CHROMIUM=/path/to/chrome)" >&2
fi
