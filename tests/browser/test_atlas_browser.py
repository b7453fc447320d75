"""Notebook 10 (the atlas) in JupyterLab in Chromium: Run All in the smoke profile, then every control of its
AtlasPanel as a person changes it, every architecture, and tanh (whose exact measures the panel shows refused)
(issue 30); the saved notebook gets the headless smoke run's checks (tests/nbchecks.py). Uses the fixtures of
``conftest.py`` and the helpers of ``test_lab.py``; nothing leaves the machine.
"""
from __future__ import annotations

import time

import pytest
from labtools import TIMES
from test_lab import (
    _wait_redraw,
    check_smoke_run,
    errors_on,
    exercise_controls,
    new_page,
    open_notebook,
    panel_state,
    run_all,
    smoke_copy,
)

pytestmark = pytest.mark.browser

NAME = "10_atlas"
ARCHITECTURES = ["plain MLP", "add-shortcuts MLP", "ResNet-style block stack", "small conv net"]


def _select(page, i: int, nth: int, label: str, value: str, timeout: float = 120.0) -> dict:
    panel = page.locator(".wb-panel").nth(i)
    sel = panel.locator(".widget-dropdown select").nth(nth)
    if sel.evaluate("s => s.options[s.selectedIndex].text") == value:
        return {"control": value, "unchanged": True}
    before = panel_state(page, i)
    sel.select_option(label=value)
    return {"control": value, **_wait_redraw(page, i, before, f"{label} -> {value}", timeout)}


@pytest.mark.smoke_run(NAME)
def test_atlas_notebook_and_every_control_of_its_panel(chromium, lab_server):
    url, root = lab_server
    t_test = time.perf_counter()
    smoke_copy(NAME, root)
    page = new_page(chromium)
    open_notebook(page, url, NAME)
    run_s = run_all(page, timeout=400)
    figures = check_smoke_run(page, root, NAME)  # the checks of the headless smoke run, which is skipped
    assert page.locator(".wb-panel").count() == 1, "notebook 10 shows one panel (the AtlasPanel)"
    label = "AtlasPanel"
    first = panel_state(page, 0)
    assert first["src"], "the panel shows no picture after Run All"
    assert "6 of 6 measures done" in first["status"], first["status"][-400:]

    controls = exercise_controls(page, 0, label)
    done = [c for c in controls if "skipped" not in c]
    assert {c["kind"] for c in done} == {"slider", "dropdown"} and len(done) == 4, controls

    picks = []
    for arch in ARCHITECTURES:  # every architecture draws all six panels (refusals included) without an error
        picks.append(_select(page, 0, 0, label, arch))
        status = panel_state(page, 0)["status"]
        assert "6 of 6 measures done" in status and "error:" not in status, status[-400:]
    picks.append(_select(page, 0, 0, label, "plain MLP"))
    picks.append(_select(page, 0, 1, label, "tanh"))
    status = panel_state(page, 0)["status"]
    assert "refused" in status and "6 of 6 measures done" in status, status[-400:]  # the exact rows say why

    TIMES.append({"notebook": NAME, "run_all_s": round(run_s, 1), "figures_linted": figures,
                  "panels": [{"panel": label, "controls": controls, "choices": picks}],
                  "test_s": round(time.perf_counter() - t_test, 1)})
    assert errors_on(page) == []
    assert page.external == [], f"requests left the machine: {page.external[:5]}"
    page.context.close()
