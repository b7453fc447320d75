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
from test_lab import SHOWN, errors_on, exercise_controls, new_page, open_notebook, panel_state, run_all

pytestmark = pytest.mark.browser

CELL = """from workbench.widgets import PlaygroundPanel
panel = PlaygroundPanel(dataset="xor", width=4, depth=2, n_points=120, epoch=2, max_epochs=8)
panel"""


def _open_one_cell(chromium, url, root, name: str, cell: str):
    """A one-cell notebook ``name`` with the repository's kernel metadata (without it JupyterLab asks which
    kernel), opened and run in JupyterLab; returns the page and Run All's seconds."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = nbformat.read(REPO / "notebooks" / "07_pl_training.ipynb", as_version=4).metadata
    nb.cells = [nbformat.v4.new_code_cell(cell)]
    nbformat.write(nb, root / f"{name}.ipynb")
    page = new_page(chromium)
    open_notebook(page, url, name)
    return page, run_all(page, timeout=300)


def test_playground_panel_in_jupyterlab(chromium, lab_server):
    url, root = lab_server
    t_test = time.perf_counter()
    page, run_s = _open_one_cell(chromium, url, root, "playground_browser", CELL)
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


CLICK_CELL = """from workbench.widgets import PlaygroundPanel
panel = PlaygroundPanel(dataset="xor", width=6, depth=2, n_points=120, epoch=2, max_epochs=8, interactive=True)
panel"""


def _neuron_choice(panel) -> str:
    """The neuron menu's choice: the select whose options name layers (the regularization menu has a 'none' too)."""
    return panel.evaluate("""p => { for (const s of p.querySelectorAll('select')) {
        if ([...s.options].some(o => o.text.startsWith('layer'))) return s.options[s.selectedIndex].text; }
        return null; }""")


def test_playground_map_click_in_jupyterlab(chromium, lab_server):
    """interactive=True: the map is an ipympl canvas; a click on it selects a neuron (the menu shows it) and the
    status says the picture was redrawn with that neuron's boundary."""
    url, root = lab_server
    page, run_s = _open_one_cell(chromium, url, root, "playground_click", CLICK_CELL)
    panel = page.locator(".wb-panel").first
    canvas = panel.locator("canvas")
    t0 = time.perf_counter()
    while not canvas.count() and time.perf_counter() - t0 < 60:
        time.sleep(0.2)
    assert canvas.count(), f"the interactive Playground shows no ipympl canvas: {panel.inner_text()[:300]}"
    assert _neuron_choice(panel) == "none"
    box = canvas.last.bounding_box()
    width = page.locator(f"{SHOWN} .jp-OutputArea-output").last.bounding_box()["width"]
    assert box["width"] <= width + 1, f"the canvas ({box['width']} px) is wider than the output area ({width} px)"
    canvas.last.scroll_into_view_if_needed()
    box = canvas.last.bounding_box()
    picked = None
    clicks = []
    # points of the map (its axes fill about x 7-43 %, y 7-78 % of the canvas); a point where no neuron bends
    # leaves the menu at "none", so a few are tried
    for fx, fy in ((0.25, 0.42), (0.15, 0.25), (0.35, 0.6), (0.2, 0.7)):
        t0 = time.perf_counter()
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        while time.perf_counter() - t0 < 30 and (_neuron_choice(panel) or "none") == "none":
            time.sleep(0.1)
        picked = _neuron_choice(panel)
        clicks.append({"at": (fx, fy), "picked": picked, "s": round(time.perf_counter() - t0, 2)})
        if picked and picked != "none":
            break
    if not (picked and picked.startswith("layer")):
        page.screenshot(path="/tmp/click_fail.png")
    assert picked and picked.startswith("layer"), f"no click on the map selected a neuron: {clicks} {box} " \
        f"{panel.inner_text()[-600:]}"
    t0 = time.perf_counter()  # the redraw with the neuron's boundary finishes, without an error
    text = panel.inner_text()
    while time.perf_counter() - t0 < 60 and ("computing" in text or "refining" in text):
        time.sleep(0.1)
        text = panel.inner_text()
    assert "computing" not in text and "refining" not in text and "error" not in text.lower(), text[-600:]
    TIMES.append({"notebook": "playground map click (one cell)", "run_all_s": round(run_s, 1), "clicks": clicks})
    assert errors_on(page) == []
    assert page.external == [], f"requests left the machine: {page.external[:5]}"
    page.context.close()
