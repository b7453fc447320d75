"""Experiments, plots and the panel of piecewise-linear geometry during training (issue 12)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import workbench as wb
from workbench.papers.pl_geometry import toy
from workbench.papers.pl_geometry import training as pt
from workbench.plots import pl_training as pp


def test_rank_during_training_smoke_and_corollary_1_at_init():
    cfg = pt.RankTrainingConfig(epochs=2, n_samples=300, n_rank_points=40, hidden=(30, 30), probe_lrs=(0.5,))
    r = pt.rank_during_training(cfg, progress=False)
    h = r.to_frame()
    assert r.dataset in ("fashion_mnist", "digits")
    assert sorted(h["lr"].unique()) == [0.01, 0.1, 0.5]  # the thesis' rates, then the probes
    assert {"rank_mean", "identity_rank_mean", "agree", "diverged", "test_acc"} <= set(h.columns)
    init = h[h["epoch"] == 0]
    assert (init["agree"] == 1.0).all()  # Corollary 1: exact rank = eq. 2.3 at initialisation
    assert (h["rank_max"] <= 10).all()
    ax = pp.plot_rank_training(r)
    assert ax.shape == (3, 3)
    assert pp.plot_rank_training(r, lrs=(0.01, 0.5)).shape == (2, 3)
    with pytest.raises(ValueError, match=r"not in this run"):
        pp.plot_rank_training(r, lrs=(0.3,))
    assert len(pt.rank_claims(r)) == 4  # two thesis rates, the failing-rate row, eq. 2.3


def _history(runs):
    """A RankTraining from {lr: [(test_acc, rank_mean), ...]} (one tuple per epoch from 0)."""
    import pandas as pd

    rows = [dict(lr=lr, epoch=e, test_acc=a, rank_mean=r, rank_max=10, agree=1.0, diverged=False)
            for lr, seq in runs.items() for e, (a, r) in enumerate(seq)]
    cfg = pt.RankTrainingConfig(lrs=(0.01, 0.1), probe_lrs=tuple(x for x in runs if x not in (0.01, 0.1)))
    return pt.RankTraining(pd.DataFrame(rows), "toy", cfg)


def test_failing_rate_reads_the_accuracy_and_the_claim_compares_the_epochs():
    ok = [(0.1, 10), (0.8, 10), (0.9, 10), (0.95, 10)]
    early = [(0.1, 10), (0.7, 10), (0.8, 6), (0.85, 4), (0.5, 3), (0.4, 2)]  # rank drops at 2, accuracy at 4
    late = [(0.1, 10), (0.6, 10), (0.2, 10), (0.1, 2), (0.1, 1)]  # accuracy collapses at 2, rank at 3
    r = _history({0.01: ok, 0.1: ok, 0.3: ok, 0.5: early, 1.0: late})
    out = pt.rate_outcomes(r).set_index("lr")
    assert out.loc[0.3, "fails"] == False and out.loc[0.5, "fails"] == True  # noqa: E712
    assert out.loc[0.5, "best_epoch"] == 3 and out.loc[0.5, "collapse_epoch"] == 4
    assert out.loc[0.5, "rank_drop_epoch"] == 2 and math.isnan(out.loc[0.3, "rank_drop_epoch"])
    assert pt.failing_rate(r) == 0.5  # the smallest failing rate, not the worst one
    t = pt.rank_claims(r).set_index("claim")
    row = t.loc["the rank shows non-convergence before the accuracy"]
    assert row.verdict == "holds" and "lr=0.5" in row.group
    assert t.loc["rank decreases immediately at the large rate"].verdict == "does not hold"  # 0.1, not 1.0
    r = _history({0.01: ok, 0.1: ok, 0.5: late})
    assert pt.rank_claims(r).set_index("claim").loc["the rank shows non-convergence before the accuracy",
                                                     "verdict"] == "does not hold"
    r = _history({0.01: ok, 0.1: ok, 0.5: ok})
    assert pt.failing_rate(r) is None
    assert pt.rank_claims(r).set_index("claim").loc["the rank shows non-convergence before the accuracy",
                                                     "verdict"] == "not comparable"


def test_rank_training_records_a_diverged_run_without_raising():
    cfg = pt.RankTrainingConfig(lrs=(1e12,), probe_lrs=(), epochs=3, n_samples=200, n_rank_points=20,
                                hidden=(20, 20))
    r = pt.rank_during_training(cfg, progress=False)
    h = r.history
    assert bool(h["diverged"].iloc[-1]) and not bool(h["diverged"].iloc[0])
    assert math.isnan(h["rank_mean"].iloc[-1])  # on_epoch is not called on the diverged row
    assert any("diverged" in n for n in r.notes())
    pp.plot_rank_training(r)  # draws with the divergence marked


def test_ratio_breakpoint_cdf_against_monte_carlo():
    g = np.random.default_rng(0)
    w, b = g.uniform(-1, 1, 400_000), g.uniform(-1, 1, 400_000)
    t = -b / w
    for x in (-3.0, -1.0, -0.2, 0.0, 0.7, 1.0, 2.5):
        assert abs((t <= x).mean() - pt.ratio_breakpoint_cdf(x)) < 3e-3
    assert pt.ratio_breakpoint_cdf(-1e9) < 1e-8 and pt.ratio_breakpoint_cdf(1e9) > 1 - 1e-8


def test_segment_regions_counts_and_slopes():
    cfg = pt.SegmentConfig(widths=(3, 40), n_nets=4, n_intervals=6)
    t = pt.segment_regions(cfg, progress=False)
    assert len(t) == 2 * 4 * 6 and (t["regions"] >= 1).all() and (t["regions"] <= t["width"] + 1).all()
    # the 1x1 local map's singular value is |W_R| (brute force by local_affine)
    net = wb.mlp([1, 3, 1], "relu", seed=0 + 1009 * 0 + 17 * 3)
    row = t[(t.width == 3) & (t.net == 0)].iloc[0]
    W, _ = wb.local_affine(net, torch.tensor([[row.a]]))
    assert abs(abs(float(W[0, 0, 0])) - row.sigma_a) < 1e-12
    assert (t["other_region"] == (t["regions"] > 1)).all()
    s = pt.segment_summary(t)
    assert list(s["width"]) == [3, 40]
    np.testing.assert_allclose(s["bound_2_18"], 2 / 9 - 2 / 9 / np.array([3, 40]))
    pp.plot_segment_regions(s)
    pp.plot_segment_sv(s)


def test_expected_regions_closed_form_matches_measurement():
    cfg = pt.SegmentConfig(widths=(30,), n_nets=25, n_intervals=8)
    t = pt.segment_regions(cfg, progress=False)
    diff = t["regions"] - t["expected_regions"]
    assert abs(diff.mean()) < 4 * diff.std() / math.sqrt(len(diff)) + 0.05


def test_power_iteration_convergence_table():
    net = wb.mlp([8, 30, 30, 5], seed=0)
    tab = pt.power_iteration_convergence(net, torch.randn(10, 8), iters=8)
    assert len(tab) == 80
    assert (tab["rel_error"] >= -1e-12).all()
    med = tab.groupby("iteration")["rel_error"].median().to_numpy()
    assert med[-1] < med[0]
    pp.plot_power_iteration(tab)


def test_slope_generalisation_and_claims():
    cfg = pt.SlopeGenConfig(widths=(8, 16), depths=(1, 2), epochs=3, n_samples=200, n_slope_points=20, eval_every=1)
    r = pt.slope_generalisation(cfg, progress=False)
    h = r.to_frame()
    assert len(h) == 4 * 4
    assert (h["slope_test_q10"] <= h["slope_test_q50"]).all() and (h["slope_test_q50"] <= h["slope_test_q90"]).all()
    es = r.early_stopping()
    assert len(es) == 4 and es["es_epoch"].between(0, 3).all()
    c = pt.slope_claims(r)
    assert set(c["claim"]) == {"slope grows through training", "stable in width (at early stopping)",
                               "weak dependence on depth (at early stopping)"}
    assert set(c["verdict"]) <= {"holds", "does not hold"}
    pp.plot_slope_training(r)


@pytest.mark.parametrize("arch", ["mlp", "conv"])
def test_slope_regularisation_smoke(arch):
    cfg = pt.RegularisationConfig(arch=arch, hidden=(16,), epochs=2, n_samples=200, eps=(0.0, 0.1), pgd_steps=2,
                                  n_attack=30, n_slope_points=10)
    r = pt.slope_regularisation(cfg, progress=False)
    rob = r.robustness
    assert set(rob["method"]) == {"none", "slope", "spectral"}
    clean = rob[rob.eps == 0].pivot(index="method", columns="attack", values="accuracy")
    assert (clean["FGSM"] == clean["PGD"]).all()
    assert (r.slopes["slope_q50"] <= r.slopes["product_bound"] * (1 + 1e-3)).all()
    assert len(r.to_frame()) == len(rob)
    pp.plot_robustness(r)


def test_regularisation_config_errors():
    with pytest.raises(ValueError, match="methods"):
        pt.RegularisationConfig(methods=("none", "dropout"))
    with pytest.raises(ValueError, match="arch"):
        pt.RegularisationConfig(arch="resnet")
    with pytest.raises(ValueError, match="unknown preset"):
        pt.SlopeGenConfig.preset("huge")


def test_toy_run_snapshots_partition_and_divergence():
    run = toy.toy_run(toy.ToyConfig(width=6, depth=1, epochs=3, n_points=60))
    assert run.epochs == [0, 1, 2, 3] and not run.diverged
    part = run.partition_at(2)
    X = torch.tensor([[0.1, 0.2], [1.0, -0.3], [-1.2, 1.1]], dtype=torch.float64)
    region = part.locate(X)
    net = run.net_at(2)
    torch.testing.assert_close(part.evaluate(X, region), net.double()(X), rtol=1e-8, atol=1e-8)
    torch.testing.assert_close(part.slope()[region], wb.slope(net, X), rtol=1e-8, atol=1e-10)
    assert run.history.loc[run.history.epoch == 2, "slope_q50"].item() > 0
    bad = toy.toy_run(toy.ToyConfig(width=6, depth=1, epochs=3, n_points=60, lr=1e30))
    assert bad.diverged and bad.epochs == [0] and bad.nearest_epoch(3) == 0
    pp.plot_toy_run(bad, 3)
    for bad in (math.nan, 0.0, 1e40):
        with pytest.raises(ValueError, match="lr"):
            toy.ToyConfig(lr=bad)
    with pytest.raises(ValueError, match="penalty"):
        toy.ToyConfig(penalty=-1.0)


def test_panel_retrains_caches_scrubs_and_reports_divergence():
    from workbench.widgets import PLTrainingPanel

    p = PLTrainingPanel(width=6, depth=1, epochs=4, n_points=60)
    assert p.last_error is None and p.figure is not None and len(p.cache) == 1
    p.controls["epoch"].value = 1  # scrubbing does not retrain
    assert len(p.cache) == 1 and p.result[1] == 1 and "epoch <b>1</b>" in p.status.value
    p.controls["penalty"].value = 0.5
    assert len(p.cache) == 2 and p.last_error is None
    p.update(lr=100.0, penalty=0.0)
    assert p.last_error is None
    p.controls["lr"].max = 30
    p.update(lr=1e30)  # a NaN run
    assert p.last_error is None
    assert "diverged" in p.status.value
