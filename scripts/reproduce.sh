#!/usr/bin/env bash
# Install (if needed) and execute every notebook headless in the smoke profile;
# executed notebooks and every figure (PNG) go to ./results (pass --out DIR to change).
# Extra arguments go to `workbench reproduce`, e.g. `--profile full` or notebook names.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV=${WORKBENCH_VENV:-.venv}
exec "$VENV/bin/workbench" reproduce "$@"
