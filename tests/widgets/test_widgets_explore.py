"""Click-to-inspect partitions and hover-to-follow trajectories, checked against brute force."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch

import workbench as wb
from workbench.widgets import PartitionExplorer, TrajectoryExplorer, inspect_point


@pytest.fixture(scope="module")
def net():
    return wb.mlp([2, 7, 7, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=3)


def test_inspect_point_matches_the_partition_and_brute_force(net):
    part = wb.partition_2d(net)
    rng = np.random.default_rng(0)
    for x, y in rng.uniform(-0.9, 0.9, size=(6, 2)):
        info = inspect_point(net, part, x, y)
        r = info["region"]
        assert r >= 0
        np.testing.assert_allclose(info["W"], part.W[r].numpy(), atol=1e-5)
        assert info["pattern"].replace(" | ", "") == "".join("1" if v else "0" for v in part.patterns[r].tolist())
        np.testing.assert_allclose(info["singular_values"], torch.linalg.svdvals(part.W[r]).numpy(), atol=1e-5)
        assert info["slope"] == pytest.approx(float(part.slope()[r]), rel=1e-5)
        # the polygon's border is the nearer of the neuron boundary and the domain's edge
        to_domain = min(1 - abs(x), 1 - abs(y))
        assert info["border_distance"] == pytest.approx(min(info["distance"], to_domain), abs=1e-6)
        # brute force: every point strictly inside the circle of radius d* has the same activation pattern
        ang = np.linspace(0, 2 * np.pi, 64, endpoint=False)
        ring = np.c_[x + 0.999 * info["distance"] * np.cos(ang), y + 0.999 * info["distance"] * np.sin(ang)]
        pats = wb.activation_pattern(net, torch.tensor(ring, dtype=torch.float32), device="cpu")
        assert (pats == part.patterns[r]).all()


def test_partition_explorer_static_fallback(net):
    e = PartitionExplorer(net, x=0.2, y=-0.3, interactive=False)
    assert e.last_error is None and e.canvas is None and e.figure is not None
    assert "lies in region" in e.info.value and "exact distance to the nearest region edge" in e.info.value
    r0 = e.result["region"]
    e.controls["x"].value = -0.8
    assert e.result["x"] == pytest.approx(-0.8) and e.result["region"] != r0 or e.result["x"] != 0.2
    assert e.out.outputs[0]["data"]["image/png"]
    with pytest.raises(ValueError, match="outside the partition's domain"):
        PartitionExplorer(net, x=3.0, interactive=False)


def test_partition_explorer_interactive_canvas(net):
    pytest.importorskip("ipympl")
    e = PartitionExplorer(net, interactive=True)
    assert e.canvas is not None and e.last_error is None
    data = e.out.outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert data["model_id"] == e.canvas.model_id


def test_trajectory_explorer_marks_the_point_in_every_layer():
    from workbench.papers.raghu.trajectories import circle_through_layers

    traj = circle_through_layers((6, 12, 12, 2), "tanh", n_points=50, seed=1)
    t = TrajectoryExplorer(traj, point=5, interactive=False)
    assert t.last_error is None and len(t.result["coords"]) == traj.n_layers
    for P, c in zip(traj.projected, t.result["coords"]):
        np.testing.assert_allclose(c, P[5])
    t.controls["point"].value = 20
    assert t.result["point"] == 20 and "t = " in t.status.value
    u, v = traj.projected[0][33]
    assert t.nearest(u, v) == 33
    with pytest.raises(ValueError, match="point must be in"):
        TrajectoryExplorer(traj, point=50, interactive=False)


def test_panels_open_their_explorers():
    from workbench.widgets import RegionsPanel, TrajectoryPanel

    rp = RegionsPanel(width=4, depth=2, layers=2)
    e = rp.explorer(interactive=False)
    assert len(e.partition) == len(rp.result)
    tp = TrajectoryPanel(depth=2, width=8, n_seeds=1, n_points=40, input_dim=4)
    assert tp.explorer(interactive=False).traj is tp.result["traj"]
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", tp.animation_html())
    assert "http" not in page and "<img" in page
    assert tp.player().play.max == tp.result["traj"].n_layers - 1
