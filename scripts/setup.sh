#!/usr/bin/env bash
# The one install command: create ./.venv (if needed) and install the workbench with what the notebooks need.
#   bash scripts/setup.sh          # core + notebooks + Dask sweeps + compiled kernels
#   bash scripts/setup.sh --test   # ... and the test tools (scripts/test.sh calls this)
# Needs only python3 (>= 3.10) and access to the package registry.
# PyTorch: on a machine without an NVIDIA driver, the CPU-only build from PyTorch's CPU wheel index when it answers
# (about 2.1 GB in the venv); otherwise the default build (CUDA-capable; about 6.7 GB, 3.2 GB of it NVIDIA
# libraries). TORCH_SPEC="..." chooses the builds yourself (torch and torchvision must be the same kind of build:
# a CPU torch beside a CUDA torchvision fails to import); WORKBENCH_TORCH_CPU_INDEX names another CPU index.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${WORKBENCH_VENV:-.venv}
EXTRAS="notebooks,dask,fast"
[ "${1:-}" = "--test" ] && EXTRAS="$EXTRAS,test"
CPU_INDEX=${WORKBENCH_TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}
if [ -z "${TORCH_SPEC:-}" ]; then
  TORCH_SPEC="torch==2.14.1 torchvision==0.29.1"
  # No NVIDIA driver here: PyTorch's CPU-only wheels keep the venv at about 2 GB instead of 6.7 GB, when their
  # index answers within 5 s (otherwise the default build, which runs on the CPU too).
  if [ ! -e /proc/driver/nvidia ] && ! command -v nvidia-smi >/dev/null 2>&1; then
    if command -v curl >/dev/null 2>&1 && curl -fsS --max-time 5 -o /dev/null "$CPU_INDEX/torch/" 2>/dev/null; then
      TORCH_SPEC="torch==2.14.1+cpu torchvision==0.29.1+cpu"
      export PIP_EXTRA_INDEX_URL="${PIP_EXTRA_INDEX_URL:+$PIP_EXTRA_INDEX_URL }$CPU_INDEX"
      echo "[setup] no NVIDIA GPU: PyTorch's CPU-only build from $CPU_INDEX"
    else
      echo "[setup] no NVIDIA GPU, but $CPU_INDEX did not answer: PyTorch's default build (it runs on the CPU too)"
    fi
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
"$VENV/bin/python" -m pip install --quiet $TORCH_SPEC
"$VENV/bin/python" -c "import torch, torchvision" || {
  echo "[setup] torch and torchvision do not import together ($TORCH_SPEC): use builds of the same kind" >&2; exit 1; }
"$VENV/bin/python" -m pip install --quiet -e ".[$EXTRAS]"
"$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbench)" >/dev/null
echo "$want" > "$stamp"
echo "[setup] done: $(du -sh "$VENV" 2>/dev/null | cut -f1) in $VENV"
