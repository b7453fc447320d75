"""The Playground panel in a real JupyterLab (issue 30 item 4): every control, play / pause / step / reset.

A one-cell notebook builds a small :class:`workbench.widgets.PlaygroundPanel` (so the test does not wait for
notebook 07's other sections); :func:`test_lab.exercise_controls` changes every enabled control as a person
would (sliders by the keyboard, dropdowns, the epoch field, the buttons) and times each redraw.
"""
from __future__ import annotations

import time

import nbformat
import pytest
from labtools import REPO, TIMES
from test_lab import errors_on, exercise_controls, new_page, open_notebook, panel_state, run_all

pytestmark = pytest.mark.browser

CELL = """from workbench.widgets import PlaygroundPanel
panel = PlaygroundPanel(dataset="xor", width=4, depth=2, n_points=120, epoch=2, max_epochs=8)
panel"""


def test_playground_panel_in_jupyterlab(chromium, lab_server):
    url, root = lab_server
    t_test = time.perf_counter()
    nb = nbformat.v4.new_notebook()  # the repository's kernel metadata: without it JupyterLab asks which kernel
    nb.metadata = nbformat.read(REPO / "notebooks" / "07_pl_training.ipynb", as_version=4).metadata
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    nbformat.write(nb, root / "playground_browser.ipynb")
    page = new_page(chromium)
    open_notebook(page, url, "playground_browser")
    run_s = run_all(page, timeout=300)
    assert page.locator(".wb-panel").count() == 1
    st = panel_state(page, 0)
    assert st["src"] and "epoch 2" in st["status"].replace("\n", " "), st["status"]
    controls = exercise_controls(page, 0, "playground")
    done = [c for c in controls if "skipped" not in c]
    names = {c["control"] for c in done}
    for want in ("data", "activation", "width", "depth", "epoch", "neuron", "play", "step", "reset"):
        assert any(want in n for n in names), f"control {want!r} was not exercised: {sorted(names)}"
    TIMES.append({"notebook": "playground (one cell)", "run_all_s": round(run_s, 1),
                  "panels": [{"panel": "PlaygroundPanel", "controls": controls}],
                  "test_s": round(time.perf_counter() - t_test, 1)})
    assert errors_on(page) == []
    assert page.external == [], f"requests left the machine: {page.external[:5]}"
    page.context.close()
