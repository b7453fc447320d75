#!/usr/bin/env bash
# Regenerate the committed paper-profile report (docs/report-full, or the folder given as $1): every notebook this
# machine can run at the papers' sizes, one after another, then one report of them all, every row at this commit
# (unless NOTEBOOKS names some, below).
# Notebooks whose paper profile is estimated over an hour here (on 2 CPU cores without a GPU: 01, 02, 05 and 09; see
# the README's run-time table) are refused by their banner and appear as FAILED with that reason; set
# WORKBENCH_ALLOW_LONG=1 to start them anyway.
# Each cell may run twice the notebook's measured cost (workbench.experiments.profiles.cell_timeout).
# The folder must be empty, or one this script made before (it holds .report-full): nothing else is deleted.
# The long sweeps' finished cells stay in $OUT/stores/ (ignored by git, never deleted here): run again after a
# stop, the script resumes them; delete that folder (or pass --fresh to workbench reproduce) to start over.
# Some notebooks only: NOTEBOOKS="02_esd_real_networks 05_edjm" bash scripts/report_full.sh replaces only their
# rows and figures (the others stay, each row naming its commit). The report is rebuilt from the executed
# notebooks in the folder, which git does not keep: on a fresh clone run them all (the script refuses a subset
# whose other rows lack their notebooks). 05 wants MNIST on disk first (`workbench data fetch mnist`; without it 05
# trains on the bundled digits and its MNIST claims are not run). The new report says what changed against the
# one it replaced.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV=${WORKBENCH_VENV:-.venv}
OUT=${1:-docs/report-full}
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/.report-full" ]; then
  echo "[report_full] $OUT is not empty and was not made by this script (no $OUT/.report-full): choose another folder" >&2
  exit 2
fi
ALL="00_tour 01_spanning_dimension 02_esd_real_networks 03_linear_regions 04_trajectories 05_edjm \
06_layer_algebra 07_pl_training 08_trajectories_more 09_esd_more 10_atlas"
NOTEBOOKS=${NOTEBOOKS:-$ALL}
set -f  # the names below are words, never globs
for nb in $NOTEBOOKS; do
  case " $ALL " in *" $nb "*) ;; *) echo "[report_full] NOTEBOOKS: '$nb' is not one of: $ALL" >&2; exit 2;; esac
done
if [ "$NOTEBOOKS" != "$ALL" ]; then
  # the report is rebuilt from the executed notebooks in $OUT (git does not keep them): every other row needs its own
  for nb in $ALL; do
    case " $NOTEBOOKS " in *" $nb "*) continue;; esac
    if [ -f "$OUT/$nb.lint.json" ] && [ ! -f "$OUT/$nb.ipynb" ]; then
      echo "[report_full] $OUT has $nb's row but not its executed notebook $nb.ipynb (a fresh clone has none: git" \
           "ignores them), so a report of only NOTEBOOKS would drop that row: copy the executed notebooks in from" \
           "the machine that ran them, or run all notebooks (leave NOTEBOOKS unset)" >&2
      exit 2
    fi
  done
fi
set +f
mkdir -p "$OUT"
touch "$OUT/.report-full"
PREV="$OUT/.previous"  # the claims of the report being replaced, kept until the new report is written (a stopped
if [ ! -d "$PREV" ]; then  # run, started again, still compares with the report before it)
  mkdir -p "$PREV"
  cp "$OUT"/*.claims.json "$PREV"/ 2>/dev/null || true
fi
if [ "$NOTEBOOKS" = "$ALL" ]; then
  rm -rf "$OUT"/*.ipynb "$OUT"/*.claims.json "$OUT"/*.lint.json "$OUT"/figures  # never report an earlier run's notebook
else
  for nb in $NOTEBOOKS; do  # only these rows are replaced; the others stay, each naming its own commit
    rm -f "$OUT/$nb.ipynb" "$OUT/$nb.claims.json" "$OUT/$nb.lint.json" "$OUT"/figures/"$nb"_fig*.png
  done
fi
for nb in $NOTEBOOKS; do
  "$VENV/bin/workbench" reproduce --profile paper --out "$OUT" "$nb" || echo "[report_full] $nb FAILED (kept in the report)"
done
if ls "$PREV"/*.claims.json >/dev/null 2>&1; then
  "$VENV/bin/workbench" report "$OUT" --since "$PREV" --since-label "the report in $OUT before this run"
else
  "$VENV/bin/workbench" report "$OUT"
fi
rm -rf "$PREV"
