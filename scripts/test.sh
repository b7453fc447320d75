#!/usr/bin/env bash
# Install (if needed) and run the whole test suite, notebooks in the smoke profile included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser_setup.sh  # the Debian chromium for the real-browser tests (tests/browser)
VENV=${WORKBENCH_VENV:-.venv}
export WORKBENCH_DEVICE=${WORKBENCH_DEVICE:-}
"$VENV/bin/ruff" check workbench tests  # lint first: configured in pyproject.toml [tool.ruff]
exec "$VENV/bin/python" -m pytest "$@"
