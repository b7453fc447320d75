#!/usr/bin/env bash
# Create ./.venv (if needed) and install the workbench with its notebook and test extras.
# Needs only python3 (>= 3.10) and access to the package registry.
# Override the torch install with TORCH_SPEC, e.g. TORCH_SPEC="torch torchvision" for the newest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${WORKBENCH_VENV:-.venv}
TORCH_SPEC=${TORCH_SPEC:-"torch==2.14.1 torchvision==0.29.1"}
if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup] creating virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.workbench-installed"
want="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1) $TORCH_SPEC"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "[setup] $VENV is up to date"
  exit 0
fi
echo "[setup] installing torch ($TORCH_SPEC) and the workbench into $VENV (first time: several minutes)"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2086
"$VENV/bin/python" -m pip install --quiet $TORCH_SPEC
"$VENV/bin/python" -m pip install --quiet -e ".[notebooks,test]"
"$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbench)" >/dev/null
echo "$want" > "$stamp"
echo "[setup] done"
