#!/usr/bin/env bash
# The one install command: create ./.venv (if needed) and install the workbench with what the notebooks need.
#   bash scripts/setup.sh          # core + notebooks + Dask sweeps + compiled kernels
#   bash scripts/setup.sh --test   # ... and the test tools (scripts/test.sh calls this)
# Needs only python3 (>= 3.10) and access to the package registry.
# PyTorch: on a machine without an NVIDIA GPU the CPU-only build (about 1 GB in the venv instead of about 6.7 GB);
# with one, the CUDA build. Override with TORCH_SPEC, e.g. TORCH_SPEC="torch torchvision" for the newest; pip finds
# CPU-only wheels where its index has them (set PIP_EXTRA_INDEX_URL to PyTorch's CPU wheel index otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${WORKBENCH_VENV:-.venv}
EXTRAS="notebooks,dask,fast"
[ "${1:-}" = "--test" ] && EXTRAS="$EXTRAS,test"
GPU_SPEC="torch==2.14.1 torchvision==0.29.1"
CPU_SPEC="torch==2.13.0+cpu torchvision==0.28.0"
if [ -z "${TORCH_SPEC:-}" ]; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    TORCH_SPEC=$GPU_SPEC
  else
    TORCH_SPEC=$CPU_SPEC
  fi
fi
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
if ! "$VENV/bin/python" -m pip install --quiet $TORCH_SPEC; then
  if [ "$TORCH_SPEC" = "$CPU_SPEC" ]; then
    echo "[setup] the CPU-only build is not on this package index; installing the default build ($GPU_SPEC)"
    TORCH_SPEC=$GPU_SPEC
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install --quiet $TORCH_SPEC
  else
    exit 1
  fi
fi
"$VENV/bin/python" -m pip install --quiet -e ".[$EXTRAS]"
"$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbench)" >/dev/null
echo "$want" > "$stamp"
echo "[setup] done: $(du -sh "$VENV" 2>/dev/null | cut -f1) in $VENV"
