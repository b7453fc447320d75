"""Issue 13's figures: Raghu et al. Fig. 2 / Thm 4 / dichotomies / Sauer-Shelah / module lengths; ESD §5.3, Table 4."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.nets.input_shortcut_resnet import input_shortcut_resnet
from workbench.papers.esd import image_inputs as em
from workbench.papers.raghu import figures as rf


def test_transition_grid_sampled_never_exceeds_exact():
    cfg = rf.TransitionGridConfig(depths=(1, 2), widths=(4, 6), sigma_w2s=(2.0, 8.0), n_seeds=2, n_samples=300,
                                  dataset="digits")
    df = rf.transition_grid(cfg, progress=False, device="cpu")
    assert len(df) == 2 * 2 * 2 * 2 * 1.5  # (1 + 2 layers) x widths x sigmas x seeds
    assert (df.sampled <= df.exact).all() and (df.exact > 0).any()
    assert (df.groupby(["depth", "width", "sigma_w2", "seed"]).exact.sum().values ==
            df.groupby(["depth", "width", "sigma_w2", "seed"]).exact_total.first().values).all()
    assert set(df.dataset) == {"digits"}


def test_transition_grid_sampled_converges_on_a_shallow_net():
    cfg = rf.TransitionGridConfig(depths=(1,), widths=(5,), sigma_w2s=(2.0,), n_seeds=1, n_samples=200_000,
                                  dataset="digits")
    df = rf.transition_grid(cfg, progress=False, device="cpu")
    assert (df.sampled == df.exact).all()


def test_growth_base_recovers_a_geometric_sequence():
    rows = [dict(depth=4, width=9, sigma_w2=4.0, sigma_b2=1.0, seed=0, layer=l, exact=5 * 3.0**l) for l in range(1, 5)]
    out = rf.transition_growth_base(pd.DataFrame(rows))
    assert out.measured_base.iloc[0] == pytest.approx(3.0)
    assert out.theory_base.iloc[0] == pytest.approx(3 / math.sqrt(1.25))
    with pytest.raises(ValueError, match="columns"):
        rf.transition_growth_base(pd.DataFrame({"x": [1]}))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=12), min_size=1, max_size=6).filter(
    lambda rows: len({len(r) for r in rows}) == 1))
def test_distinct_prefix_counts_matches_sets(rows):
    keys = np.array(rows)
    got = rf.distinct_prefix_counts(keys)
    want = np.array([[len(set(r[:t + 1])) for t in range(len(r))] for r in rows])
    np.testing.assert_array_equal(got, want)


def test_random_walk_properties():
    w = rf.random_walk_dichotomies(10, 300, n_walks=50, seed=1)
    assert w["mean"].iloc[0] == 1 and w["mean"].iloc[1] == 2  # one flip always gives a new labelling
    assert (np.diff(w["mean"]) >= 0).all() and (np.diff(w["mean"]) <= 1).all()
    assert (w.hi <= np.minimum(w.flips + 1, 2**10)).all()
    one = rf.random_walk_dichotomies(1, 20, n_walks=5)
    assert one["mean"].max() == 2
    assert rf.random_walk_dichotomies(10, 30, seed=3).equals(rf.random_walk_dichotomies(10, 30, seed=3))
    for bad in (dict(n_inputs=0, n_flips=3), dict(n_inputs=63, n_flips=3), dict(n_inputs=3, n_flips=True)):
        with pytest.raises(ValueError):
            rf.random_walk_dichotomies(**bad)
    with pytest.raises(ValueError, match="too large"):
        rf.random_walk_dichotomies(5, 10**6, n_walks=100)


def test_sauer_shelah():
    assert rf.sauer_shelah_bound(10, 0) == 1 and rf.sauer_shelah_bound(10, 1) == 11
    assert rf.sauer_shelah_bound(10, 10) == 1024 == rf.sauer_shelah_bound(10, 50)
    assert rf.min_vc_dimension(10, 11) == 1 and rf.min_vc_dimension(10, 12) == 2 and rf.min_vc_dimension(10, 1) == 0
    with pytest.raises(ValueError, match="exceed"):
        rf.min_vc_dimension(3, 9)
    with pytest.raises(ValueError):
        rf.sauer_shelah_bound(-1, 2)


def test_lengths_through_modules_scales_and_errors():
    lin = nn.Linear(3, 3, bias=True)
    with torch.no_grad():
        lin.weight.copy_(2 * torch.eye(3))
        lin.bias.fill_(5.0)
    net = nn.Sequential(lin, nn.Sequential(nn.Identity(), nn.ReLU()))
    X = wb.circle(torch.tensor([1.0, 0, 0]), torch.tensor([0.0, 1, 0]), 64) + 1  # 2x + 6 > 0: ReLU is the identity
    df = rf.lengths_through_modules(net, X, device="cpu")
    assert list(df.module) == ["input", "0", "1.0", "1.1"]
    np.testing.assert_allclose(df.ratio, [1, 2, 2, 2], rtol=1e-6)
    with pytest.raises(TypeError, match="Sequential"):
        rf.lengths_through_modules(lin, X)
    with pytest.raises(ValueError, match="NaN"):
        rf.lengths_through_modules(net, X * float("nan"))
    with pytest.raises(ValueError, match="two samples"):
        rf.lengths_through_modules(net, X[:1])


def test_conv_growth_and_batchnorm_tables():
    c = rf.conv_length_growth(rf.ConvGrowthConfig.smoke(sigma_w2s=(1.0,)), progress=False, device="cpu")
    assert c["module"].iloc[0] == "input" and np.isfinite(c.length).all()
    assert (c[c.kind == "AvgPool2d"].ratio.values < c.shift(1)[c.kind == "AvgPool2d"].ratio.values).all()
    b = rf.batchnorm_length_during_training(rf.BatchNormLengthConfig.smoke(epochs=1, checkpoints=(0, 3)),
                                            progress=False, device="cpu")
    assert set(b.step) == {0, 3} and set(b.batchnorm) == {False, True}
    assert "BatchNorm2d" in set(b[b.batchnorm].kind) and "BatchNorm2d" not in set(b[~b.batchnorm].kind)


def test_input_shortcut_resnet_shapes_and_counts():
    a = input_shortcut_resnet("resnet", in_channels=3, channels=8, stages=3, seed=0)
    b = input_shortcut_resnet("add-inputs", in_channels=3, channels=8, stages=3, seed=0)
    x = torch.randn(2, 3, 16, 16)
    assert a(x).shape == b(x).shape == (2, 10)
    assert [m.stride for m in b.shortcuts] == [(2, 2), (4, 4)] and [m.stride for m in a.shortcuts] == [(2, 2), (2, 2)]
    na, nb = (sum(p.numel() for p in m.parameters()) for m in (a, b))
    assert na - nb == 2 * (8 * 8 - 3 * 8)  # two 1x1 shortcuts: channels x channels vs in_channels x channels
    state = torch.random.get_rng_state()
    c = input_shortcut_resnet("resnet", in_channels=3, channels=8, stages=3, seed=0)
    assert torch.equal(state, torch.random.get_rng_state())
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))
    with pytest.raises(ValueError, match="kind"):
        input_shortcut_resnet("densenet")
    with pytest.raises(ValueError, match="stages"):
        input_shortcut_resnet(stages=0)


def test_resnet_vs_add_inputs_smoke():
    df = em.resnet_vs_add_inputs(em.ResNetInputsConfig.smoke(n_train=120, n_test=60, epochs=(1,)), progress=False,
                                 device="cpu")
    assert set(df.model) == {"resnet", "add-inputs"} and (df.epoch == 1).all()
    assert df.test_acc.between(0, 1).all() and df.dataset.iloc[0] == "digits"
    with pytest.raises(ValueError, match="halved"):
        em.resnet_vs_add_inputs(em.ResNetInputsConfig.smoke(stages=5), progress=False, device="cpu")


def test_digit_images():
    X = em.digit_images(6, (3, 16, 12), seed=0)
    assert X.shape == (6, 3, 16, 12) and torch.equal(X[:, 0], X[:, 2])
    assert abs(float(X.mean())) < 1e-5 and float(X.std()) == pytest.approx(1, rel=1e-4)
    assert torch.equal(X, em.digit_images(6, (3, 16, 12), seed=0))
    with pytest.raises(ValueError, match="shape"):
        em.digit_images(2, (16, 16))
    with pytest.raises(ValueError, match="n must"):
        em.digit_images(0, (1, 8, 8))


def test_correlation_robustness():
    t = pd.DataFrame(dict(model=list("abcdefgh"), esd=np.arange(8.0), top1_error=3 * np.arange(8.0) + 1))
    out = em.correlation_robustness(t, n_halves=20, seed=0)
    assert (out.groupby("subset").size() == pd.Series({"all": 1, "half": 20, "leave-one-out": 8})).all()
    np.testing.assert_allclose(out.r, 1.0)
    noisy = t.assign(top1_error=[1, 5, 2, 8, 3, 9, 4, 7])
    o2 = em.correlation_robustness(noisy, n_halves=50, seed=1)
    assert o2[o2.subset == "half"].r.std() > 0
    with pytest.raises(ValueError, match="columns"):
        em.correlation_robustness(t.drop(columns="esd"))
    with pytest.raises(ValueError, match="at least 4"):
        em.correlation_robustness(t.head(3))
    two = pd.concat([t.assign(reduce="a"), t.assign(reduce="b")])
    with pytest.raises(ValueError, match="reduce="):
        em.correlation_robustness(two)
    assert len(em.correlation_robustness(two, reduce="a", n_halves=3)) == 12
    four = em.correlation_robustness(t.head(4).assign(top1_error=[1, 5, 2, 8]), n_halves=20, seed=0)
    assert (four[four.subset == "half"].n == 3).all() and (four[four.subset == "half"].r.abs() < 1).any()


def test_breast_cancer_loader_and_train_one_layer_on_it():
    d = wb.data.breast_cancer()
    assert d.X.shape == (569, 30) and d.n_classes == 2 and set(d.y.tolist()) == {0, 1}
    assert torch.allclose(d.X.mean(0), torch.zeros(30), atol=1e-5)
    assert wb.data.load("breast_cancer", n=100).X.shape == (100, 30)
    raghu = wb.papers.raghu
    df = raghu.train_one_layer(raghu.TrainConfig.smoke(depth=2, width=8, epochs=1), data=d, seed=0, progress=False,
                               device="cpu")
    assert list(df.layer) == [0, 1, 2] and set(df.dataset) == {"breast cancer"}
    assert df.n_trained.tolist() == [30 * 8 + 8, 8 * 8 + 8, 8 * 2 + 2]
    assert df.test_acc.between(0, 1).all()
