"""PlaygroundPanel (issue 30 item 1): the Playground's data sets, every activation, exact regions, play/pause/step."""
from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from matplotlib.collections import PolyCollection

from workbench.measures.partition import partition_2d
from workbench.papers.pl_geometry.playground import (
    PLAYGROUND_ACTIVATIONS,
    PLAYGROUND_BOUNDS,
    PLAYGROUND_DATASETS,
    Playground,
    PlaygroundSetup,
    neuron_edges,
    playground_data,
    playground_net,
)
from workbench.plots import lint_figure
from workbench.widgets import PlaygroundPanel

SMALL = dict(width=4, depth=2, n_points=80)


def small_panel(**kw) -> PlaygroundPanel:
    return PlaygroundPanel(**{**SMALL, **kw})


@pytest.mark.parametrize("name", PLAYGROUND_DATASETS)
def test_datasets_shapes_labels_and_square(name):
    X, y = playground_data(name, 101, noise=0.1, seed=3)
    assert X.shape == (101, 2) and X.dtype == torch.float32
    assert y.shape == (101,) and y.dtype == torch.int64
    assert set(y.tolist()) == {0, 1}
    lo, hi, _, _ = PLAYGROUND_BOUNDS
    assert float(X.min()) >= lo and float(X.max()) <= hi
    X2, y2 = playground_data(name, 101, noise=0.1, seed=3)
    assert torch.equal(X, X2) and torch.equal(y, y2)


def test_noise_free_circle_and_xor_follow_their_rule():
    X, y = playground_data("circle", 200, noise=0.0, seed=1)
    r = X.norm(dim=1) * 6  # the Playground's units
    assert torch.equal(y, (r < 2.5).long())
    X, y = playground_data("xor", 200, noise=0.0, seed=1)
    assert torch.equal(y, (X[:, 0] * X[:, 1] >= 0).long())


def test_data_errors():
    with pytest.raises(ValueError, match="unknown data set 'moons'"):
        playground_data("moons")
    with pytest.raises(ValueError, match="noise"):
        playground_data("circle", noise=0.8)
    with pytest.raises(ValueError, match="n must be an int"):
        playground_data("circle", 2)


def test_controls_list_the_five_datasets_and_six_activations():
    p = small_panel(auto=False)
    assert list(p.controls["dataset"].options) == ["circle", "xor", "gauss", "spiral", "two moons"]
    assert [v for _, v in p.controls["activation"].options] == list(PLAYGROUND_ACTIVATIONS)
    assert p.controls["width"].max == 128 and p.controls["depth"].max == 8


@pytest.mark.parametrize("act", list(PLAYGROUND_ACTIVATIONS))
def test_each_activation_draws_a_lint_clean_picture(act):
    p = small_panel(activation=act, epoch=2, neuron=(1, 0))
    assert p.last_error is None, p.last_error
    f = p.result
    assert f.epoch == 2
    if act in ("tanh", "sigmoid"):
        assert f.partition is None and f.decision is not None
        assert "exact regions need a piecewise-linear activation" in f.note
    else:
        assert f.partition is not None and f.decision is None and f.note is None
    assert lint_figure(p.figure) == []


def test_drawn_regions_are_the_engine_regions():
    p = small_panel(width=8, depth=3, epoch=3, dataset="xor")
    part = p.result.partition
    ref = partition_2d(p.result.snapshot.net, bounds=PLAYGROUND_BOUNDS, engine="reference", progress=False)
    assert len(part) == len(ref)
    polys = [c for c in p.figure.axes[0].collections if isinstance(c, PolyCollection)]
    assert len(polys) == 1 and len(polys[0].get_paths()) == len(ref)
    h = p.playground.history
    assert h.loc[h["epoch"] == 3, "regions"].item() == len(ref)
    assert f"<b>{len(ref):,}</b> exact regions" in p.status.value


def test_neuron_boundary_lies_on_its_zero_set():
    net = playground_net(6, 2, "relu", seed=2)
    part = partition_2d(net, bounds=PLAYGROUND_BOUNDS, progress=False)
    for layer, j in ((1, 0), (2, 4)):
        seg = neuron_edges(part, net, layer, j)
        mid = torch.tensor(seg.mean(1), dtype=torch.float32)
        z = net[: 2 * (layer - 1) + 1](mid)[:, j]
        assert len(seg) > 0 or layer == 2
        assert torch.allclose(z, torch.zeros_like(z), atol=1e-4)
    with pytest.raises(ValueError, match="neuron must be an int in"):
        neuron_edges(part, net, 1, 6)


def test_headless_update_trains_to_the_epoch_and_continues():
    p = small_panel()
    assert p.result.epoch == 0
    p.update(epoch=4)
    assert p.result.epoch == 4 and p.playground.epoch == 4
    h = p.playground.history
    assert h["epoch"].tolist() == [0, 1, 2, 3, 4]
    assert np.isfinite(h["slope_mean"]).all()
    p.update(lr=0.3, epoch=6)  # hyperparameters go on from epoch 4
    h = p.playground.history
    assert h["lr"].tolist()[1:] == [0.1] * 4 + [0.3] * 2


def test_paused_stepped_run_equals_a_straight_run():
    a = Playground(PlaygroundSetup(dataset="gauss", width=5, depth=2, n_points=60))
    b = Playground(PlaygroundSetup(dataset="gauss", width=5, depth=2, n_points=60))
    a.train(4, lr=0.1, batch_size=7)
    for _ in range(4):
        b.train(1, lr=0.1, batch_size=7)
    for pa, pb in zip(a.net.parameters(), b.net.parameters()):
        assert torch.equal(pa, pb)


def test_lower_epoch_retrains_from_the_start():
    p = small_panel(epoch=3)
    w3 = [t.clone() for t in p.result.snapshot.net.parameters()]
    p.update(epoch=1)
    assert p.result.epoch == 1 and p.playground.epoch == 1
    p.update(epoch=3)
    for a, b in zip(w3, p.result.snapshot.net.parameters()):
        assert torch.equal(a, b)


def _wait_for(cond, timeout=60.0):
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            return False
        time.sleep(0.05)
    return True


def test_play_pause_step_state_machine():
    p = small_panel(max_epochs=10_000)
    assert p.state == "paused" and p.pause_button.disabled and not p.play_button.disabled
    p.play()
    assert p.state == "playing" and p.play_button.disabled and not p.pause_button.disabled
    p.play()  # a second play changes nothing
    assert _wait_for(lambda: p.playground is not None and p.playground.epoch >= 3)
    p.pause()
    assert p.state == "paused" and not p.play_button.disabled
    e = p.playground.epoch
    assert p.controls["epoch"].value == e and p.result.epoch == e
    time.sleep(0.3)
    assert p.playground.epoch == e  # paused: no training goes on
    p.step()
    assert p.playground.epoch == e + 1 and p.result.epoch == e + 1
    p.pause()  # pausing a paused panel is a no-op
    p.reset()
    assert p.playground.epoch == 0 and p.result.epoch == 0
    assert p.background is False


def test_play_stops_by_itself_at_max_epochs():
    p = small_panel(max_epochs=3)
    p.play()
    assert _wait_for(lambda: p.state == "paused")
    p.wait()
    assert p.playground.epoch == 3 and p.controls["epoch"].value == 3


def test_a_change_while_playing_applies_and_playing_goes_on():
    p = small_panel(max_epochs=10_000)
    p.play()
    assert _wait_for(lambda: p.playground.epoch >= 2)
    p.controls["dataset"].value = "xor"
    assert _wait_for(lambda: p.playground.setup.dataset == "xor" and p.playground.epoch >= 2)
    assert p.state == "playing"
    p.pause()
    assert p.result.snapshot.setup.dataset == "xor"


def test_burst_of_changes_ends_showing_the_last():
    p = small_panel(background=True)
    p.wait()
    for ds, w in (("xor", 3), ("gauss", 5), ("spiral", 6), ("two moons", 7)):
        p.controls["dataset"].value = ds
        p.controls["width"].value = w
    p.controls["epoch"].value = 2
    p.wait()
    assert p.last_error is None
    s = p.result.snapshot.setup
    assert (s.dataset, s.width, p.result.epoch) == ("two moons", 7, 2)
    assert "two moons, ReLU, 7×2: epoch 2" in p.figure._suptitle.get_text()


def test_neuron_menu_follows_width_and_depth():
    p = small_panel(auto=False)
    p.update(width=3, depth=3, neuron=(3, 2))
    assert p.controls["neuron"].value == (3, 2)
    assert len(p.controls["neuron"].options) == 1 + 9
    p.update(width=2)  # (3, 2) is gone: back to none
    assert p.controls["neuron"].value == "none"
    p.update(neuron=None)
    assert p.controls["neuron"].value == "none"


@pytest.mark.parametrize("params, match", [
    (dict(dataset="moons"), "control 'dataset'.*not one of its options"),
    (dict(activation="gelu"), "control 'activation'.*not one of its options"),
    (dict(lr=0.05), "control 'lr'.*not one of its options"),
    (dict(width=129), "control 'width'.*outside its range"),
    (dict(depth=0), "control 'depth'.*outside its range"),
    (dict(noise=0.9), "control 'noise'.*outside its range"),
    (dict(epoch=-1), "control 'epoch'.*outside its range"),
    (dict(batch_size=2.5), "control 'batch_size'.*needs an int"),
    (dict(neuron=(9, 0)), r"control 'neuron': \(9, 0\) is not one of its options"),
    (dict(width=2, neuron=(1, 3)), "control 'neuron'.*not a neuron of width 2, depth 2"),
    (dict(speed=3), "unknown control"),
])
def test_bad_control_values_name_the_control_and_change_nothing(params, match):
    p = small_panel(auto=False)
    before = dict(p.params)
    with pytest.raises(ValueError, match=match):
        p.update(**params)
    assert p.params == before


def test_bad_constructor_values():
    with pytest.raises(ValueError, match="lr"):
        PlaygroundPanel(lr=0.05, auto=False)
    with pytest.raises(ValueError, match="max_epochs"):
        PlaygroundPanel(max_epochs=0, auto=False)


def test_diverged_run_stops_and_says_so():
    # L2 at rate 10 with learning rate 10 multiplies every weight by 1 - 100 per step: inf within an epoch or two
    p = small_panel(lr=10.0, regularization="L2", rate=10.0, epoch=20)
    assert p.last_error is None, p.last_error
    h = p.playground.history
    assert p.playground.diverged and bool(h["diverged"].iloc[-1])
    assert p.result.epoch < 20 and p.result.epoch == p.playground.epoch
    assert all(bool(torch.isfinite(t).all()) for t in p.result.snapshot.net.parameters())
    assert "diverged" in p.status.value
    assert lint_figure(p.figure) == []


def test_pick_neuron_selects_the_neuron_whose_line_passes_through_the_point():
    """A point on layer 1 neuron j's line picks (1, j); the picture then draws that neuron's boundary."""
    from workbench.widgets import PlaygroundPanel

    p = PlaygroundPanel(width=8, depth=2, auto=False, background=False, n_points=60)
    with pytest.raises(RuntimeError, match="nothing is drawn yet"):
        p.pick_neuron(0.0, 0.0)
    p.refresh()
    net = p.result.snapshot.net
    W, b = net[0].weight.detach().double(), net[0].bias.detach().double()
    picked = []
    for j in range(8):
        w = W[j]
        foot = -b[j] * w / (w @ w)  # the point of neuron j's line nearest the origin
        if foot.abs().max() > 0.9:
            continue  # its line misses the square's middle: not a click a person could make here
        picked.append((j, p.pick_neuron(float(foot[0]), float(foot[1]))))
        assert p.controls["neuron"].value == (1, j) and p.result.neuron == (1, j)
    assert picked and all(got == (1, j) for j, got in picked)
    with pytest.raises(TypeError, match="x must be a real number"):
        p.pick_neuron("left", 0.0)
    t = PlaygroundPanel(activation="tanh", auto=False, background=False, n_points=60)
    t.refresh()
    with pytest.raises(ValueError, match="needs a piecewise-linear activation"):
        t.pick_neuron(0.1, 0.1)


def _click(panel, x: float, y: float, button=1):
    """A real matplotlib button press on the panel's canvas at the map point ``(x, y)`` (what ipympl sends)."""
    from matplotlib.backend_bases import MouseEvent

    panel.canvas.draw()  # the layout (and so the map's pixel position) is known once drawn
    px, py = panel._map_ax.transData.transform((x, y))
    MouseEvent("button_press_event", panel.canvas, px, py, button=button)._process()


def test_interactive_map_click_picks_the_neuron_and_keeps_one_canvas():
    """interactive=True: one ipympl canvas for every frame; a click on the map selects the neuron whose line
    passes there (as pick_neuron), a click beside the map does nothing, a smooth activation says why."""
    pytest.importorskip("ipympl")
    from workbench.widgets import PlaygroundPanel

    p = PlaygroundPanel(width=8, depth=2, auto=False, background=False, n_points=60, interactive=True)
    p.refresh()
    canvas, fig = p.canvas, p.figure
    assert canvas is not None and p.last_error is None
    view = p.out.outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == canvas.model_id
    net = p.result.snapshot.net
    W, b = net[0].weight.detach().double(), net[0].bias.detach().double()
    clicked = 0
    for j in range(8):
        foot = -b[j] * W[j] / (W[j] @ W[j])
        if foot.abs().max() > 0.9:
            continue
        _click(p, float(foot[0]), float(foot[1]))
        assert p.controls["neuron"].value == (1, j) and p.result.neuron == (1, j)
        clicked += 1
    assert clicked
    assert p.canvas is canvas and p.figure is fig  # the same canvas and figure, drawn into again
    assert len(fig.axes) == 4 and "boundary of layer 1" in " ".join(
        t.get_text() for t in fig.axes[0].get_legend().get_texts())
    before = p.controls["neuron"].value
    px, py = p.figure.axes[1].transAxes.transform((0.5, 0.5))  # the loss curve, not the map
    from matplotlib.backend_bases import MouseEvent

    MouseEvent("button_press_event", canvas, px, py, button=1)._process()
    assert p.controls["neuron"].value == before
    p.update(epoch=2)
    assert p.canvas is canvas and p.figure is fig and p.result.snapshot.epoch == 2
    t = PlaygroundPanel(activation="tanh", auto=False, background=False, n_points=60, interactive=True)
    t.refresh()
    _click(t, 0.1, 0.1)
    assert "needs a piecewise-linear activation" in t.status.value and t.controls["neuron"].value == "none"


def test_interactive_needs_ipympl(monkeypatch):
    import workbench.widgets.playground_panel as pp

    monkeypatch.setattr(pp, "has_ipympl", lambda: False)
    with pytest.raises(ImportError, match="needs ipympl"):
        pp.PlaygroundPanel(interactive=True, auto=False)
