#!/usr/bin/env bash
# Regenerate the committed full-profile report (docs/report-full, or the folder given as $1):
# every notebook this machine can run in the full profile, one after another, then one report of them all.
# 02_esd_real_networks at full size is a GPU job (PROFILE_COSTS: about 33 h on 2 CPU cores); it is included
# only when CUDA is available. A notebook that fails is kept in the report as FAILED, with its error.
# Cells may run up to 2 h (papermill's default 30 min is too short for 01's Fig. 3 and 09's ESD cells here).
# Time on the project's 2-core CPU: about 2.5 h (PROFILE_COSTS has the per-notebook measurements).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV=${WORKBENCH_VENV:-.venv}
OUT=${1:-docs/report-full}
mkdir -p "$OUT"
rm -rf "$OUT"/*.ipynb "$OUT"/*.claims.json "$OUT"/figures  # never report an earlier run's notebook
nbs=(00_tour 01_spanning_dimension 03_linear_regions 04_trajectories 05_edjm 06_layer_algebra 07_pl_training
     08_trajectories_more 09_esd_more)
if "$VENV/bin/python" -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)"; then
  nbs+=(02_esd_real_networks)
fi
for nb in "${nbs[@]}"; do
  "$VENV/bin/workbench" reproduce --profile full --cell-timeout 7200 --out "$OUT" "$nb" || echo "[report_full] $nb FAILED (kept in the report)"
done
"$VENV/bin/workbench" report "$OUT"
