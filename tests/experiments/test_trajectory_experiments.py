"""Experiments, plots and the widget of the trajectories notebook (Raghu et al. 2017)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from matplotlib.axes import Axes

import workbench as wb
from workbench.nets import TrajectoryRegularization, small_convnet
from workbench.papers.raghu.trajectories import (
    DichotomyConfig,
    GrowthConfig,
    TrainConfig,
    TransitionsConfig,
    circle_through_layers,
    dichotomy_sweep,
    growth_rates,
    layer_noise,
    length_during_training,
    length_growth,
    train_one_layer,
    trajreg_vs_batchnorm,
    transitions_vs_length,
)
from workbench.plots import trajectories as P

TINY_TRAIN = TrainConfig(depth=2, width=16, epochs=1, n_seeds=1, noise_levels=(0.0, 1.0), checkpoints=(0, 5),
                         n_points=50)


def test_growth_bounds_closed_forms():
    b = wb.growth_rate_bounds("relu", 3, 4.0)
    assert b["lower"] == pytest.approx(2 * math.sqrt(3 / 4)) and b["upper"] == 2.0
    assert b["mean_field"] == pytest.approx(2 / math.sqrt(2))
    h = wb.growth_rate_bounds("hardtanh", 100, 8.0, 1.0)
    assert h["lower"] == pytest.approx(math.sqrt(8) * 10 / math.sqrt(9 + 100 * 3))
    assert math.isnan(wb.growth_rate_bounds("tanh", 10, 2.0)["lower"])


def test_length_growth_table_and_rates():
    cfg = GrowthConfig(depth=3, widths=(8,), sigma_w2s=(1.0, 9.0), activations=("relu", "identity"), input_dim=5,
                       n_seeds=2, n_points=64)
    df = length_growth(cfg, progress=False, device="cpu")
    assert len(df) == 2 * 2 * 2 * 4
    assert {"activation", "width", "sigma_w2", "sigma_b2", "seed", "layer", "length", "ratio",
            "lower_bound", "upper_bound"} <= set(df.columns)
    assert np.allclose(df[df.layer == 0]["ratio"], 1.0, rtol=1e-5)
    r = growth_rates(df)
    big = r[(r.activation == "relu") & (r.sigma_w2 == 9.0)]["rate"].mean()
    small = r[(r.activation == "relu") & (r.sigma_w2 == 1.0)]["rate"].mean()
    assert big > small
    # every measured rate respects the upper bound sigma_w (up to sampling)
    assert (r["rate"] <= r["upper_rate"] * 1.2).all()


def test_transitions_vs_length_uses_exact_counts():
    cfg = TransitionsConfig(depth=2, widths=(6,), sigma_w2s=(4.0,), input_dim=4, n_seeds=2, n_points=100)
    df = transitions_vs_length(cfg, progress=False, device="cpu")
    assert len(df) == 2 * 2 and (df["transitions"] >= 0).all()
    net = wb.mlp([4, 6, 6, 1], "hardtanh", init="gaussian", sigma_w2=4.0, sigma_b2=0.0, seed=7)
    from workbench.papers.raghu.trajectories import _plane

    x0, x1 = _plane(4, 0)
    exact = wb.circle_transitions(net, x0, x1, device="cpu")
    assert df[df.seed == 7].sort_values("layer")["transitions"].tolist() == exact.per_layer.tolist()


def test_dichotomy_sweep_rows():
    cfg = DichotomyConfig(depths=(1, 2), widths=(6,), n_inputs=5, input_dim=4, n_steps=100, n_seeds=1)
    df = dichotomy_sweep(cfg, progress=False, device="cpu")
    assert len(df) == (2 + 3)
    assert (df["n_dichotomies"] <= 2 ** 5).all() and (df["max_dichotomies"] == 32).all()
    assert set(df["remaining_depth"]) == {0, 1, 2}


@pytest.mark.slow
def test_trained_network_experiments_run():
    one = train_one_layer(TINY_TRAIN, progress=False, device="cpu")
    assert list(one["layer"]) == [0, 1, 2] and one["test_acc"].between(0, 1).all()
    noise = layer_noise(TINY_TRAIN, progress=False, device="cpu")
    assert len(noise) == 3 * 2
    # zero noise leaves every layer's accuracy equal
    assert noise[noise.noise == 0.0]["test_acc"].nunique() == 1
    during = length_during_training(TINY_TRAIN, progress=False, device="cpu")
    assert set(during["step"]) == {0, 5} and np.allclose(during[during.layer == 0]["ratio"], 1.0)


def test_trajectory_regularization_layer():
    layer = TrajectoryRegularization().train()
    a = torch.randn(5, 3, 2, 2)
    out = layer(a)
    flat = a.reshape(5, -1)
    assert float(layer.length) == pytest.approx(float((flat[1:] - flat[:-1]).norm(dim=1).sum()), rel=1e-6)
    assert torch.allclose(out, a)
    layer.eval()
    assert torch.allclose(layer(a), a) and layer.length is None
    with pytest.raises(ValueError, match="norm must be"):
        small_convnet("layernorm")
    net = small_convnet("trajreg")
    assert net(torch.randn(4, 1, 8, 8)).shape == (4, 10)


@pytest.mark.slow
def test_trajreg_vs_batchnorm_runs():
    df = trajreg_vs_batchnorm(TrainConfig(epochs=1, n_seeds=1, batch_size=512), progress=False, device="cpu")
    assert set(df["variant"]) == {"none", "batchnorm", "trajreg"}


def test_circle_through_layers_projection_is_stable():
    tr = circle_through_layers((6, 10, 10, 2), "tanh", sigma_w2=4.0, n_points=80, seed=1)
    assert tr.n_layers == 4 and len(tr.projected) == 4
    tr2 = circle_through_layers((6, 10, 10, 2), "tanh", sigma_w2=4.0, n_points=80, seed=1)
    for a, b in zip(tr.projected, tr2.projected):
        assert np.allclose(a, b)
        assert a[0, 0] >= 0 and a[0, 1] >= -1e-12  # sign convention
    assert "PCA" in tr.projection


@pytest.mark.slow
def test_plots_return_axes_and_animation_exports(tmp_path):
    cfg = GrowthConfig(depth=2, widths=(6,), sigma_w2s=(2.0,), activations=("relu",), input_dim=4, n_seeds=2,
                       n_points=40)
    df = length_growth(cfg, progress=False, device="cpu")
    assert isinstance(P.plot_length_growth(df), Axes)
    assert isinstance(P.plot_growth_rates(growth_rates(df)), Axes)
    tv = transitions_vs_length(TransitionsConfig(depth=2, widths=(6,), sigma_w2s=(4.0,), input_dim=4, n_seeds=1,
                                                 n_points=40), progress=False, device="cpu")
    assert isinstance(P.plot_transitions_vs_length(tv), Axes)
    dd = dichotomy_sweep(DichotomyConfig(depths=(1,), widths=(4,), n_inputs=4, input_dim=3, n_steps=50, n_seeds=1),
                         progress=False, device="cpu")
    assert isinstance(P.plot_dichotomies(dd), Axes)
    tr = circle_through_layers((4, 6, 6, 2), "relu", n_points=40)
    anim = P.animate_layers(tr)
    html = anim.to_jshtml()
    assert "<script" in html and "Animation" in html
    gif = P.save_gif(anim, str(tmp_path / "a.gif"))
    assert (tmp_path / "a.gif").read_bytes()[:3] == b"GIF" and gif.endswith("a.gif")


@pytest.mark.slow
def test_trajectory_panel_is_driven_by_controls():
    from workbench.widgets import TrajectoryPanel

    p = TrajectoryPanel(depth=2, width=8, n_seeds=2, n_points=40, input_dim=4)
    assert p.last_error is None and p.figure is not None
    assert p.play.max == p.layer_slider.max == 3
    assert p.link.source == (p.play, "value") and p.link.target == (p.layer_slider, "value")
    fig = p.figure
    p.layer_slider.value = 2
    assert p.figure is not fig and "hidden layer 2" in p.figure.axes[1].get_title()
    p.controls["depth"].value = 3
    assert p.layer_slider.max == 4 and p.result["growth"]["layer"].max() == 3
    p.controls["activation"].value = "hardtanh"
    assert p.last_error is None and "grows" in p.status.value
    assert "<script" in p.animation_html()


def test_circle_through_layers_takes_a_network_like_its_neighbours():
    """issue 26: the same trajectory from a network as from its widths and seed."""
    import math

    import workbench as wb

    net = wb.mlp([6, 10, 10, 2], "tanh", init="gaussian", sigma_w2=4.0, seed=1)
    a = circle_through_layers(net, n_points=60, seed=1)
    b = circle_through_layers((6, 10, 10, 2), "tanh", sigma_w2=4.0, n_points=60, seed=1)
    assert a.widths == b.widths and a.activation == "tanh" and math.isnan(a.sigma_w2)
    assert all(np.array_equal(x, y) for x, y in zip(a.images, b.images))
    with pytest.raises(TypeError, match="workbench.mlp network or a list of widths"):
        circle_through_layers(torch.nn.Linear(6, 2))
