#!/usr/bin/env bash
# The one install command: create ./.venv (if needed) and install the workbench with what the notebooks need.
#   bash scripts/setup.sh          # core + notebooks + Dask sweeps + compiled kernels
#   bash scripts/setup.sh --test   # ... and the test tools (scripts/test.sh calls this)
# Needs only python3 (>= 3.10) and access to the package registry.
# PyTorch: the default build (CUDA-capable; about 6.7 GB in the venv, 3.2 GB of it NVIDIA libraries). For a lean
# CPU-only venv, give both CPU builds from an index that has them, e.g. with PyTorch's CPU wheel index in
# PIP_EXTRA_INDEX_URL: TORCH_SPEC="torch==2.14.1+cpu torchvision==0.29.1+cpu" bash scripts/setup.sh
# (torch and torchvision must be the same kind of build: a CPU torch beside a CUDA torchvision fails to import).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${WORKBENCH_VENV:-.venv}
EXTRAS="notebooks,dask,fast"
[ "${1:-}" = "--test" ] && EXTRAS="$EXTRAS,test"
TORCH_SPEC=${TORCH_SPEC:-"torch==2.14.1 torchvision==0.29.1"}
if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup] creating virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.workbench-installed"
want="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1) $TORCH_SPEC $EXTRAS"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "[setup] $VENV is up to date"
  exit 0
fi
echo "[setup] installing torch ($TORCH_SPEC) and the workbench [$EXTRAS] into $VENV (first time: several minutes)"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2086
"$VENV/bin/python" -m pip install --quiet $TORCH_SPEC
"$VENV/bin/python" -c "import torch, torchvision" || {
  echo "[setup] torch and torchvision do not import together ($TORCH_SPEC): use builds of the same kind" >&2; exit 1; }
"$VENV/bin/python" -m pip install --quiet -e ".[$EXTRAS]"
"$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbench)" >/dev/null
echo "$want" > "$stamp"
echo "[setup] done: $(du -sh "$VENV" 2>/dev/null | cut -f1) in $VENV"
