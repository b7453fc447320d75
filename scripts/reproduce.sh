#!/usr/bin/env bash
# The main job: install (if needed) and execute every notebook headless in the quick profile (about 2 minutes
# each on 2 CPU cores); executed notebooks, every figure (PNG) and report.html / report.md go to ./results.
# Extra arguments go to `workbench reproduce`, e.g. `--profile paper`, `--out DIR` or notebook names.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV=${WORKBENCH_VENV:-.venv}
exec "$VENV/bin/workbench" reproduce "$@"
