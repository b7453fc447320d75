"""EDJM experiments, plots and panels (Wang et al. 2016) at tiny sizes."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import torch
from matplotlib.axes import Axes

import workbench as wb
from workbench.papers.edjm import recipes as ex
from workbench.plots import edjm as ep

TINY = replace(ex.EDJMConfig.smoke(), epochs=1, depths=(1, 2), hidden_total=16, param_budget=2000,
               dropout_structures=((16, 16),))


@pytest.fixture(scope="module")
def data():
    torch.set_num_threads(1)
    return ex.edjm_data("digits", n_val=120, seed=0)


def test_data_fallback_is_said(data, data_root):
    d = ex.edjm_data("mnist", n_val=100)
    assert d.fallback and "not in the local data folder" in d.note and d.train.X.shape[1:] == (1, 8, 8)
    assert not data.fallback and len(data.val) == 120
    with pytest.raises(ValueError, match="name must be"):
        ex.edjm_data("imagenet")
    with pytest.raises(ValueError, match="leaves no training data"):
        ex.edjm_data("digits", n_val=5000)


def test_width_for_params_hits_the_budget():
    for depth in (1, 2, 3, 4):
        w = ex.width_for_params(64, 10, depth, 50_000)
        n = wb.count_parameters(wb.nets.dense_net(64, [w] * depth, 10))
        n_next = wb.count_parameters(wb.nets.dense_net(64, [w + 1] * depth, 10))
        assert abs(n - 50_000) <= abs(n_next - n)


def test_max_score_counts_distinct_values_above_the_90th_percentile():
    for k in (1, 2, 3, 10, 11, 64, 784, 3072):
        s = np.linspace(1.0, 2.0, k)
        assert wb.measures.max_score(k) == int((s > np.quantile(s, 0.9)).sum())
    assert (wb.measures.max_score(64), wb.measures.max_score(784), wb.measures.max_score(3072)) == (7, 79, 308)


def test_train_model_uses_cache_and_fit(data):
    ex.clear_model_cache()
    spec = ex.ModelSpec("t", hidden=(8,))
    cfg = TINY.fit_config()
    a = ex.train_model(spec, data, cfg, device="cpu")
    b = ex.train_model(spec, data, cfg, device="cpu")
    assert not a.cached and b.cached and b.net is a.net
    assert list(a.history["epoch"]) == [0, 1] and 0 <= a.val_acc <= 1
    c = ex.train_model(spec, data, cfg, seed=1, device="cpu")
    assert not c.cached
    assert ex.clear_model_cache() == 2


def test_student_regresses_teacher_logits(data):
    cfg = TINY.fit_config()
    teacher = ex.train_model(ex.ModelSpec("teacher", hidden=(16,)), data, cfg, device="cpu")
    student = ex.train_model(ex.ModelSpec("s", hidden=(8,)), data, cfg, teacher=teacher, device="cpu")
    assert "train_acc" not in student.history.columns  # mse on logits: fit records no accuracy
    assert student.history["loss"].iloc[-1] < student.history["loss"].iloc[0]


def test_model_spec_errors():
    with pytest.raises(ValueError, match="kind must be one of"):
        ex.ModelSpec("x", kind="rnn")
    with pytest.raises(ValueError, match="needs channels"):
        ex.ModelSpec("x", kind="conv")


def test_figure_recipes_return_tidy_studies_and_claims(data):
    f1 = ex.fig1_depth(data, TINY, device="cpu", progress=False)
    assert set(f1.models["panel"]) == {"16 hidden units", "~2,000 parameters"}
    assert (f1.models["hidden_units"].iloc[:2] == 16).all() and f1.models["exact"].all()
    assert set(f1.spectra.columns) >= {"label", "component", "normalized", "panel"}
    assert np.allclose(f1.spectra.groupby(["panel", "label"])["normalized"].max(), 1.0)
    f2 = ex.fig2_conv_vs_fc(data, TINY, device="cpu", progress=False)
    assert f2.models["hidden_units"].iloc[1] > f2.models["hidden_units"].iloc[0]
    f5 = ex.fig5_ensemble(data, TINY, device="cpu", progress=False)
    assert list(f5.models["label"])[-1] == "ensemble" and f5.models["exact"].all()
    f6 = ex.fig6_spectral_regularization(data, TINY, device="cpu", progress=False)
    cmp = ex.paper_comparison(f6, "mnist")
    assert list(cmp["paper_acc"]) == [98.48, 98.70, 98.66]
    cmp5 = ex.paper_comparison(f5, "cifar10")
    assert list(cmp5["paper_score"]) == [13.94, 16.58, 21.40, 8.75] and "same_score_order" in cmp5
    claims = ex.edjm_claims(fig1=f1, fig2=f2, fig5=f5, fig6=f6)
    assert set(claims["verdict"]) <= {"reproduced", "not reproduced"} and len(claims) == 2 + 1 + 2 + 3
    assert isinstance(f1.to_frame(), pd.DataFrame)


def test_paper_table_fractions():
    p = ex.PAPER_EDJM.set_index(["figure", "dataset", "label"])
    assert p.loc[("Fig. 2", "mnist", "conv"), "paper_score_fraction"] == pytest.approx(21.55 / 79)
    assert p.loc[("Fig. 3", "cifar10", "conv teacher"), "paper_score_fraction"] == pytest.approx(172.7 / 308)


def test_toy_regions_counts_agree_with_partition():
    t = ex.toy_regions(4, 1, epochs=2, n=100, seed=0, device="cpu")
    c = t.count
    assert c.distinct_patterns <= len(t.partition)  # the data visit some of the regions
    loc = t.partition.locate(t.data.X.double())
    assert c.distinct_patterns == len(set(loc.tolist()))
    assert t.edjm.singular_values.shape == (2, 2)
    assert len(t.to_frame()) == 1
    with pytest.raises(ValueError, match="n must be an int"):
        ex.toy_2d(1)


# ---------------------------------------------------------------- plots
def test_plots_draw_every_model(data):
    f4 = ex.fig4_dropout(data, TINY, device="cpu", progress=False)
    ax = ep.plot_edjm_spectra(f4, log_x=True)
    assert isinstance(ax, Axes) and len(ax.lines) == 2 and ax.get_xscale() == "log" and ax.get_ylim()[1] == 0.25
    assert "%" in ax.get_legend().get_texts()[0].get_text()
    ax = ep.plot_edjm_spectra(f4, ylim=None)
    assert ax.get_ylim()[1] > 1
    ax = ep.plot_edjm_scores(f4, paper=[1.0, 2.0])
    assert len(ax.patches) == 4
    ax = ep.plot_score_vs_accuracy([f4, f4], value="score_fraction")
    assert len(ax.collections) == 1 and len(ax.collections[0].get_offsets()) == 4
    fig, axes = ep.plot_edjm_study(f4)
    assert len(axes) == 2
    r = f4.results[f4.models["label"].iloc[0]]
    ax = ep.plot_edjm_per_output(r)
    assert len(ax.lines) == 11
    ax = ep.plot_edjm_spectra({"a": r, "b": r})
    assert len(ax.lines) == 2
    with pytest.raises(TypeError, match="cannot plot spectra"):
        ep.plot_edjm_spectra(42)


# ---------------------------------------------------------------- widgets
def test_edjm_panel_overlays_and_caches(data):
    from workbench.widgets import EDJMPanel

    p = EDJMPanel(data, config=TINY, width=8, depth=1, epochs=1)
    assert p.last_error is None and len(p.curves) == 1 and "score" in p.status.value
    p.controls["depth"].value = 2
    assert len(p.curves) == 2 and len(p.figure.axes[0].lines) == 2
    p.controls["depth"].value = 1  # back: from the cache
    assert "from the cache" in p.status.value and len(p.curves) == 2
    p.controls["activation"].value = "tanh"
    assert "(Jacobian)" in list(p.curves)[-1]
    p.controls["overlay"].value = False
    assert len(p.curves) == 1
    p.clear_button.click()
    assert len(p.curves) == 1
    bad = wb.data.Dataset(torch.full((3, 1, 8, 8), float("nan")), torch.zeros(3, dtype=torch.int64), "bad", "test", 10)
    p.data = replace(data, val=bad)
    p.update(width=12)  # edjm refuses NaN inputs: the error is shown, not raised
    assert isinstance(p.last_error, ValueError) and "NaN" in p.status.value


def test_edjm_regions_panel():
    from workbench.widgets import EDJMRegionsPanel

    p = EDJMRegionsPanel(width=4, depth=1, epochs=2, n=80)
    assert p.last_error is None and len(p.figure.axes) == 2
    assert "distinct DJMs" in p.status.value
    p.controls["width"].value = 5
    assert p.last_error is None and len(p.cache) == 2
