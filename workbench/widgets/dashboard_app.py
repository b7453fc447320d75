"""Dashboard mode: the panels of a notebook without its code (served by Voilà: ``scripts/dashboard.sh``)."""
from __future__ import annotations

import os
from urllib.parse import parse_qs

import ipywidgets as W

__all__ = ["DASHBOARDS", "dashboard", "dashboard_name"]

DASHBOARDS = {
    "00_tour": "A random network's function: width, depth, activation, init scale",
    "01_spanning_dimension": "Expected spanning dimension of an MLP (Berthiaume et al. 2020)",
    "03_linear_regions": "Exact linear regions; click a region (Raghu et al. 2017; Johansson 2022)",
    "04_trajectories": "Trajectory length through the layers; hover the circle (Raghu et al. 2017)",
    "07_pl_training": "The Playground, exact: train on 2-D data and watch the linear regions move (Johansson 2022)",
    "10_atlas": "An atlas of the five measures on one network",
}
"""Notebooks with panels and what their dashboard shows (02 has no interactive panel)."""


def dashboard_name(default: str = "all") -> str:
    """The dashboard asked for: ``?nb=NAME`` in Voilà's URL (``QUERY_STRING``), else ``$WORKBENCH_DASHBOARD``."""
    q = parse_qs(os.environ.get("QUERY_STRING", ""))
    if q.get("nb"):
        return q["nb"][0]
    return os.environ.get("WORKBENCH_DASHBOARD", default) or default


def _panels(name: str) -> list:
    from workbench.widgets.esd_panel import ESDPanel
    from workbench.widgets.function_panel import FunctionPanel
    from workbench.widgets.regions_panel import RegionsPanel
    from workbench.widgets.trajectory_panel import TrajectoryPanel

    if name == "00_tour":
        return [FunctionPanel(width=16, depth=3, n_points=801)]
    if name == "01_spanning_dimension":
        return [ESDPanel(width=8, depth=3, samples=50)]
    if name == "03_linear_regions":
        rp = RegionsPanel(width=8, depth=3)
        rp.wait()
        return [rp, rp.explorer()]
    if name == "04_trajectories":
        tp = TrajectoryPanel(depth=6, width=100, sigma_w2=4.0, activation="tanh", n_points=300, n_seeds=4)
        tp.wait()
        return [tp, tp.explorer(), tp.player()]
    if name == "07_pl_training":
        from workbench.widgets.playground_panel import PlaygroundPanel

        return [PlaygroundPanel(dataset="spiral", width=8, depth=3)]
    if name == "10_atlas":
        from workbench.widgets.atlas_panel import AtlasPanel

        return [AtlasPanel()]
    raise ValueError(f"no dashboard named {name!r}; choose one of {sorted(DASHBOARDS)} or 'all'")


def dashboard(name: str | None = None) -> W.Widget:
    """The panels of notebook ``name`` (a key of :data:`DASHBOARDS`, or ``"all"`` for tabs of all of them).

    ``None`` reads :func:`dashboard_name`.  Each panel shows its controls,
    picture, status and errors; no code.
    """
    name = dashboard_name() if name is None else name
    names = list(DASHBOARDS) if name == "all" else [name]
    boxes = []
    for n in names:
        parts = [W.HTML(f"<h3>{DASHBOARDS.get(n, n)}</h3>")] if n in DASHBOARDS else []
        for p in _panels(n):
            parts.append(p.widget)
        boxes.append(W.VBox(parts))
    if len(boxes) == 1:
        return boxes[0]
    tabs = W.Tab(children=boxes)
    for i, n in enumerate(names):
        tabs.set_title(i, n)
    return tabs
