#!/usr/bin/env bash
# Serve the panels of one notebook as a Voila app (controls and pictures, no code):
#   bash scripts/dashboard.sh 03_linear_regions          # or 00_tour, 01_spanning_dimension, 04_trajectories,
#                                                        #    07_pl_training (the Playground), 10_atlas, all
#   bash scripts/dashboard.sh 04_trajectories --port 8867 --no-browser
# Further arguments go to voila. Several dashboards in one server: open /voila/render/dashboard.ipynb?nb=NAME
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${WORKBENCH_VENV:-.venv}
if [ ! -x "$VENV/bin/voila" ]; then bash scripts/setup.sh; fi
NAME=${1:-all}
shift || true
export WORKBENCH_DASHBOARD="$NAME"
# the "workbench" template: Voila's lab template without its internet (CDN) stylesheet links
export JUPYTER_PATH="$PWD/notebooks/dashboards/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
exec "$VENV/bin/voila" notebooks/dashboards/dashboard.ipynb --template=workbench --strip_sources=True --theme=light "$@"
