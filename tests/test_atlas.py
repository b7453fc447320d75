"""wb.atlas(net, X): six measures of one network side by side, equal to calling each measure (issue 30)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

import workbench as wb
from workbench.measure_atlas import MEASURES, atlas_example, reinitialised
from workbench.measures.paths import circle
from workbench.plots import lint_figure
from workbench.plots.atlas import readable

KW = dict(inits=2, sd_points=16, n_points=24, circle_points=200, seed=3, device="cpu", progress=False)


@pytest.fixture(scope="module")
def mlp_case():
    net = wb.mlp([2, 8, 8, 1], "relu", seed=0)
    X = torch.randn(32, 2, generator=torch.Generator().manual_seed(1))
    return net, X, wb.atlas(net, X, **KW)


def test_rows_frame_and_statuses(mlp_case):
    net, X, a = mlp_case
    f = a.to_frame()
    assert isinstance(f, pd.DataFrame)
    assert list(f["measure"]) == list(MEASURES)
    assert {"measure", "quantity", "value", "values", "summary", "status", "why", "seconds"} <= set(f.columns)
    assert (f["status"] == "ok").all(), f[["measure", "why"]]
    assert (f["why"] == "").all() and np.isfinite(f["value"].astype(float)).all()
    assert a["slope"].measure == "slope" and repr(a) == "Atlas(MLP 2-8-8-1 relu: 6 of 6 measures ok)"
    assert wb.atlas(net, X, measures=("layer algebra",), name="mine", progress=False).config["network"] == "mine"
    with pytest.raises(KeyError, match="no measure 'nope'"):
        a["nope"]


def test_values_equal_each_measure_called_directly(mlp_case):
    net, X, a = mlp_case
    sd = a["spanning dimension"].values
    assert sd[0] == wb.spanning_dimension(net, X[:16], device="cpu")
    assert sd[1] == wb.spanning_dimension(reinitialised(net, wb.sub_seed(3, 1, 1)), X[:16], device="cpu")
    assert a["spanning dimension"].value == pytest.approx(sd.mean())

    lo, hi = X.min(0).values.double(), X.max(0).values.double()
    m = 0.1 * (hi - lo).max()
    part = wb.partition_2d(net, (float(lo[0] - m), float(hi[0] + m), float(lo[1] - m), float(hi[1] + m)),
                           device="cpu", progress=False)
    assert a["exact regions"].value == len(part)
    assert a.results["exact regions"].area().sum().item() == pytest.approx(part.domain_area)

    flat = X.double()
    cos = (flat @ flat[0]).abs() / (flat.norm(dim=1) * flat[0].norm())
    cos[0] = np.inf
    i1 = int(cos.argmin())
    tr = wb.circle_transitions(net, X[0], X[i1], device="cpu")
    assert a["trajectory"].value == int(tr.total)
    L = wb.layer_lengths(net, circle(X[0], X[i1], 200), device="cpu").numpy()
    np.testing.assert_array_equal(a["trajectory"].values, L)

    e = wb.edjm(net, X[:24], device="cpu")
    assert a["EDJM"].value == e.score
    np.testing.assert_array_equal(a["EDJM"].values, e.mean_normalized.double().numpy())

    la = wb.layer_algebra(net, (2,))
    assert a["layer algebra"].value == la.log10_gcip
    np.testing.assert_array_equal(a["layer algebra"].values, [la.log10_gcip, la.log10_gcc])

    s = wb.slope(net, X[:24], device="cpu").numpy()
    np.testing.assert_array_equal(a["slope"].values, s)
    assert a["slope"].value == np.median(s)


def test_same_seed_same_atlas_and_the_network_is_left_as_it_was(mlp_case):
    net, X, a = mlp_case
    before = {k: v.clone() for k, v in net.state_dict().items()}
    net.train()
    b = wb.atlas(net, X, **KW)
    assert net.training  # its mode is restored
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    for r, s in zip(a.rows, b.rows):
        np.testing.assert_array_equal(r.values, s.values)
    c = wb.atlas(net, X, **{**KW, "seed": 4})
    assert not np.array_equal(c["spanning dimension"].values[1:], a["spanning dimension"].values[1:])


def test_a_smooth_activation_gives_refusal_rows_not_an_exception():
    net = wb.mlp([2, 8, 8, 1], "tanh", seed=0)
    X = torch.randn(20, 2, generator=torch.Generator().manual_seed(0))
    a = wb.atlas(net, X, **KW)
    st = dict(zip(a.to_frame()["measure"], a.to_frame()["status"]))
    assert st["spanning dimension"] == st["EDJM"] == st["layer algebra"] == "ok"
    assert st["exact regions"] == st["slope"] == "refused"
    assert st["trajectory"] == "partial"  # lengths yes, exact transitions no
    assert "tanh" in a["exact regions"].why.lower() or "smooth" in a["exact regions"].why.lower()
    assert a["exact regions"].why.startswith("TypeError")
    assert np.isnan(a["exact regions"].value) and a.results["exact regions"] is None
    assert "exact transitions" in a["trajectory"].why and np.isnan(a["trajectory"].value)


def test_resnet_style_stack_refuses_the_exact_measures_and_says_why():
    net, X = atlas_example("ResNet-style block stack", width=6, depth=2, n=24)
    a = wb.atlas(net, X, **KW)
    f = a.to_frame().set_index("measure")
    assert f.loc["exact regions", "status"] == "refused" and "ResidualBlock" in f.loc["exact regions", "why"]
    assert f.loc["slope", "status"] == "refused"
    assert f.loc["trajectory", "status"] == "partial"
    assert len(a["trajectory"].values) == 1 + 2 + 1  # lengths at the input, after each of the 2 blocks, output
    assert f.loc["layer algebra", "status"] == "ok" and f.loc["EDJM", "status"] == "ok"
    assert a["EDJM"].value == wb.edjm(net, X[:24], device="cpu").score  # EDJM takes any module (autograd)


def test_conv_net_runs_every_measure_on_a_plane_through_the_data():
    net, X = atlas_example("small conv net", width=2, depth=2, n=24)
    a = wb.atlas(net, X, **KW)
    f = a.to_frame()
    assert (f["status"] == "ok").all(), f[["measure", "why"]]
    part = a.results["exact regions"]
    assert part.anchors is not None  # a plane slice, not the input square
    i0, i1 = a.results["trajectory"]["points"]
    i2 = next(i for i in range(len(X)) if i not in (i0, i1))
    direct = wb.partition_plane(net, X[i0], X[i1], X[i2], device="cpu", progress=False)
    assert a["exact regions"].value == len(direct)
    assert a["layer algebra"].value == wb.layer_algebra(net, (1, 8, 8)).log10_gcip
    assert a["EDJM"].values.shape == (24,)  # min(n, d_in) = min(24, 64) singular values


def test_budget_refusal_is_a_row():
    net = wb.mlp([2, 16, 16, 1], "relu", seed=0)
    X = torch.randn(20, 2, generator=torch.Generator().manual_seed(0))
    a = wb.atlas(net, X, max_regions=5, measures=("exact regions",), progress=False, device="cpu")
    assert [r.measure for r in a.rows] == ["exact regions"]
    assert a["exact regions"].status == "refused" and "RegionLimitError" in a["exact regions"].why


def test_bad_inputs_raise():
    net = wb.mlp([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match="NaN or inf"):
        wb.atlas(net, torch.full((4, 2), float("nan")))
    with pytest.raises(ValueError, match="unknown measure"):
        wb.atlas(net, torch.randn(4, 2), measures=("regions",))
    with pytest.raises(ValueError, match="n >= 3"):
        wb.atlas(net, torch.randn(2, 2))
    with pytest.raises(ValueError, match="inits must be >= 1, got 0"):
        wb.atlas(net, torch.randn(4, 2), inits=0)
    with pytest.raises(TypeError, match="nn.Module"):
        wb.atlas("net", torch.randn(4, 2))
    with pytest.raises(ValueError, match="unknown architecture"):
        atlas_example("transformer")


def test_plot_lints_clean_with_and_without_refusals(mlp_case):
    _, _, a = mlp_case
    fig = a.plot()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 6
    lint_figure(fig)
    net, X = atlas_example("ResNet-style block stack", width=6, depth=1, n=24)
    r = wb.atlas(net, X, **KW)
    fig = r.plot()
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "exact regions: refused" in texts and "ResidualBlock" in texts
    lint_figure(fig)
    net, X = atlas_example("add-shortcuts MLP", width=6, depth=2, n=24)
    s = wb.atlas(net, X, measures=("layer algebra",), progress=False)
    why = s["layer algebra"].why
    assert s["layer algebra"].status == "refused" and why.startswith("LayerAlgebraError")
    assert readable(why) != why  # the message names fx nodes (snake_case), which the figure writes as words
    lint_figure(s.plot())  # the refusal's identifiers are written as words in the figure


def test_panel_updates_headless():
    from workbench.widgets import AtlasPanel

    p = AtlasPanel(width=6, depth=1, n=24, inits=2)
    assert p.last_error is None, p.last_error
    assert [r.measure for r in p.result.rows] == list(MEASURES)
    assert all(r.status == "ok" for r in p.result.rows)
    assert p.controls["architecture"].options == ("plain MLP", "add-shortcuts MLP", "ResNet-style block stack",
                                                  "small conv net")
    p.update(activation="tanh")
    assert p.last_error is None and p.result["exact regions"].status == "refused"
    assert "refused" in p.status.value
    p.update(architecture="small conv net", activation="relu", width=2)
    assert p.last_error is None and all(r.status == "ok" for r in p.result.rows)
    assert p.result["exact regions"].value == wb.atlas(*p.network(**p.params), measures=("exact regions",),
                                                       progress=False, seed=0)["exact regions"].value
    lint_figure(p.figure)
    with pytest.raises(ValueError, match="not one of its options"):
        p.update(architecture="transformer")
