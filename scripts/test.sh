#!/usr/bin/env bash
# Install (if needed) and run the whole test suite: lint, unit and property tests, every notebook in the smoke
# profile, the real-browser tests. Arguments go to pytest (e.g. -m "not browser" skips the browser and the
# chromium install; -m "not notebook and not browser" runs the library's tests alone).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
case " $* " in
  *"not browser"*) ;;  # no browser tests selected: no chromium needed
  *) bash scripts/browser_setup.sh ;;  # the Debian chromium for the real-browser tests (tests/browser)
esac
VENV=${WORKBENCH_VENV:-.venv}
export WORKBENCH_DEVICE=${WORKBENCH_DEVICE:-}
"$VENV/bin/ruff" check workbench tests notebooks/src benchmarks scripts  # lint first: pyproject.toml [tool.ruff]
exec "$VENV/bin/python" -m pytest "$@"
