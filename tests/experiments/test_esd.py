"""ESD experiments (Algorithm 1: experiments.esd; §3-5 recipes: experiments.esd_figures), plots, ESDPanel."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from matplotlib.axes import Axes

import workbench as wb
import workbench.plots  # noqa: F401  (wb.plots)
from workbench.measures.spanning.dimension import spanning_dimension
from workbench.papers.esd.figures import (
    NoiseFitConfig,
    RandomFitConfig,
    Table1Config,
    esd_grid,
    fit_correlations,
    noise_fit,
    random_mlp_fit,
    table1,
)
from workbench.papers.esd.sampling import INPUT_SEED_OFFSET, ESDResult, draw_inputs, esd, esd_of


@pytest.mark.parametrize("reduce", ["pick_first", "sum_squares", "mean"])
def test_seed_contract_each_sample_reproducible_alone(reduce):
    widths = [2, 4, 3, 2]
    r = esd(widths, "tanh", samples=5, seed=11, reduce=reduce, device="cpu", dtype=torch.float64)
    assert isinstance(r, ESDResult) and r.values.shape == (5,)
    for i in (0, 3):
        net = wb.mlp(widths, "tanh", seed=11 + i).double()
        X = draw_inputs(r.n_params, 2, seed=11 + i + INPUT_SEED_OFFSET, dtype=torch.float64)
        assert r.values[i] == pytest.approx(spanning_dimension(net, X, reduce=reduce, device="cpu"), abs=1e-9)


def test_deterministic_and_chunk_invariant():
    def f(s):
        return wb.mlp([1, 3, 3, 1], "relu", seed=s)

    a = esd_of(f, 1, samples=7, seed=2, device="cpu", dtype=torch.float64)
    b = esd_of(f, 1, samples=7, seed=2, device="cpu", dtype=torch.float64, chunk_samples=3)
    assert np.allclose(a.values, b.values, atol=1e-12)
    c = esd([1, 3, 3, 1], "relu", samples=7, seed=2, device="cpu", dtype=torch.float64)
    assert np.array_equal(a.values, c.values)
    assert not np.array_equal(c.values, esd([1, 3, 3, 1], "relu", samples=7, seed=3, device="cpu",
                                            dtype=torch.float64).values)


def test_result_summary_and_table():
    r = esd([1, 4, 1], "sigmoid", samples=6, n_points=10, device="cpu")
    assert r.config["n_points"] == 10 and r.n_params == 13
    assert r.mean == pytest.approx(np.mean(r.values)) and r.std == pytest.approx(np.std(r.values, ddof=1))
    t = r.table
    assert isinstance(t, pd.DataFrame) and len(t) == 6
    assert {"sample", "seed", "sd", "widths", "activation", "inputs", "reduce", "n_params"} <= set(t.columns)
    assert list(t.seed) == list(range(6))
    assert "ESD" in repr(r)
    # n_points defaults to the number of parameters
    assert esd([1, 4, 1], samples=2, device="cpu").config["n_points"] == 13
    # bounded: 1 <= SD <= min(n_points, n_params) for a first-output Jacobian with a bias
    assert (r.values >= 1 - 1e-9).all() and (r.values <= 10 + 1e-9).all()


def test_input_distributions():
    X = draw_inputs(200, 3, "sign", seed=0)
    assert set(X.unique().tolist()) == {-1.0, 1.0}
    U = draw_inputs(200, 3, "uniform", seed=0)
    assert U.min() >= -1 and U.max() <= 1
    assert torch.equal(draw_inputs(5, 2, "normal", seed=4), draw_inputs(5, 2, "normal", seed=4))
    # a one-input network sees two distinct sign points, so its SD is at most 2
    r = esd([1, 8, 8, 1], "relu", samples=5, inputs="sign", device="cpu", dtype=torch.float64)
    assert (r.values <= 2 + 1e-9).all()


def test_shortcuts_raise_esd_fig5():
    kw = dict(samples=20, device="cpu")
    plain = esd([3, 3, 3, 1], "sigmoid", **kw).mean
    sc = esd([3, 3, 3, 1], "sigmoid", shortcuts="add-shortcuts", **kw).mean
    inp = esd([3, 3, 3, 1], "sigmoid", shortcuts="add-inputs", **kw).mean
    assert plain < sc < inp  # the paper's ordering (2.76 < 4.28 < 4.69)


def test_esd_grid_and_heatmap():
    g = esd_grid([1, 2], [1, 3], ("relu", "tanh"), samples=2, device="cpu", progress=False)
    assert len(g) == 8 and set(g.columns) >= {"activation", "n1", "n2", "n_params", "esd", "std"}
    assert g.query("n1 == 2 and n2 == 3").n_params.iloc[0] == 2 * 2 + 2 * 3 + 3 + 4
    assert g.seed.is_unique  # every cell draws its own weights and inputs
    row = g.iloc[5]
    again = esd([1, int(row.n1), int(row.n2), 1], row.activation, samples=2, seed=int(row.seed), device="cpu",
                dtype=torch.float64, method="lowrank")
    assert again.mean == pytest.approx(row.esd, abs=1e-12)
    axes = wb.plots.plot_esd_heatmaps(g)
    assert len(axes) == 2 and all(isinstance(a, Axes) for a in axes)
    with pytest.raises(ValueError, match="no rows"):
        wb.plots.plot_esd_heatmap(g, "sigmoid")


def test_random_mlp_fit_and_correlations():
    cfg = RandomFitConfig(n_networks=5, layers=(1, 2), nodes=(2, 4), restarts=2, steps=30, esd_samples=2,
                          esd_max_points=20)
    t = random_mlp_fit(cfg, device="cpu", progress=False)
    assert len(t) == 5 and (t.n_points <= 20).all() and np.isfinite(t.esd).all()
    c = fit_correlations(t, log_y=True)
    assert list(c.x) == ["esd", "n_params"] and ((c.p_value >= 0) & (c.p_value <= 1)).all()
    ax = wb.plots.plot_fit_scatter(t, "esd", correlations=c)
    assert isinstance(ax, Axes)
    net = wb.mixed_mlp([1, 3, 2, 1], ["relu", "sigmoid"], seed=0)
    assert isinstance(net.acts[1], torch.nn.Sigmoid)


def test_random_mlp_fit_resumes_from_its_store_network_by_network(tmp_path, monkeypatch):
    import workbench.papers.esd.figures as figs

    cfg = RandomFitConfig(n_networks=4, layers=(1, 2), nodes=(2, 4), restarts=2, steps=20, esd_samples=2,
                          esd_max_points=12, seed=3)
    plain = random_mlp_fit(cfg, device="cpu", progress=False)
    store = tmp_path / "fig3"
    stored = random_mlp_fit(cfg, device="cpu", progress=False, store=store)
    pd.testing.assert_frame_equal(stored, plain, check_exact=True)
    parts = sorted(store.glob("part-*.parquet"))
    assert len(parts) == 4  # one file per network
    parts[-1].unlink()  # one network (which one does not matter) as if it had not finished
    fitted = []
    real = figs.fit_restarts
    monkeypatch.setattr(figs, "fit_restarts",
                        lambda models, *a, **k: fitted.append(len(models)) or real(models, *a, **k))
    resumed = random_mlp_fit(cfg, device="cpu", progress=False, store=store)
    assert fitted == [cfg.restarts]  # one network trained, three read back
    assert resumed.attrs["sweep"]["n_resumed"] == 3
    pd.testing.assert_frame_equal(resumed, plain, check_exact=True)
    with pytest.raises(ValueError, match="holds the sweep"):
        random_mlp_fit(RandomFitConfig(**{**cfg.__dict__, "steps": 21}), device="cpu", progress=False, store=store)


@pytest.mark.parametrize("acts", [["relu", "sigmoid"], ["tanh", "relu", "tanh"]])
def test_stacked_restart_training_equals_sgd_per_model(acts):
    from workbench.training import fit_restarts

    widths = [1, 4, 3, 5, 1][: len(acts) + 2]
    g = torch.Generator().manual_seed(0)
    X = torch.rand(8, 1, generator=g, dtype=torch.float64) * 2 - 1
    Y = torch.rand(8, 1, generator=g, dtype=torch.float64) * 2 - 1
    models = [wb.mixed_mlp(widths, acts, seed=s).double() for s in range(3)]
    got = fit_restarts(models, X, Y, steps=40, lr=0.05, momentum=0.9)
    want = []
    for m in models:  # the reference: torch.optim.SGD on each model alone
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
        for _ in range(40):
            opt.zero_grad()
            ((m(X) - Y) ** 2).mean().backward()
            opt.step()
        with torch.no_grad():
            want.append(float(((m(X) - Y) ** 2).mean()))
    assert np.allclose(got, want, rtol=1e-10, atol=1e-14)
    assert got.max() < float((Y ** 2).mean())  # every restart trained: below the MSE of predicting zero


def test_noise_fit_and_table1_small():
    nf = noise_fit(NoiseFitConfig(n=40, shape=(3, 3), epochs=2, batch_size=20), device="cpu", progress=False)
    assert set(nf.model) == {"MLP", "add-shortcuts", "add-inputs"} and len(nf) == 6
    assert isinstance(wb.plots.plot_training_curves(nf), Axes)
    t1 = table1(Table1Config(dataset="digits", n_train=120, n_test=60, hidden_layers=1, epochs=(1, 2), runs=1),
                device="cpu", progress=False)
    assert len(t1) == 6 and (t1.dataset == "digits").all()
    assert t1.test_acc.between(0, 1).all()


def test_plots_draw_results():
    r = esd([1, 1, 1, 1], "square", samples=30, device="cpu")
    ax = wb.plots.plot_sd_distribution(r, paper=1.59)
    assert isinstance(ax, Axes) and len(ax.lines) == 2
    ax = wb.plots.plot_esd_comparison({"a": r, "b": r.values + 1}, paper={"a": 1.59})
    assert isinstance(ax, Axes)
    with pytest.raises(ValueError, match="kind"):
        wb.plots.plot_esd_comparison({"a": r}, kind="pie")
    with pytest.raises(ValueError, match="no spanning"):
        wb.plots.plot_sd_distribution(np.array([]))
    from workbench.papers.esd.figures import psd_over_depths

    assert isinstance(wb.plots.plot_psd_depths(psd_over_depths(range(1, 3))), Axes)


def test_panel_recomputes_on_control_change():
    from workbench.widgets import ESDPanel

    p = ESDPanel(width=3, depth=2, samples=4, device="cpu")
    assert p.last_error is None and p.result.n_params == 3 * 2 + 3 * 4 + 4
    p.controls["shortcuts"].value = "add-inputs"
    assert p.result.config["shortcuts"] == "add-inputs" and "ESD =" in p.status.value
    p.update(activation="sigmoid", samples=3)
    assert len(p.result.values) == 3 and p.result.config["activation"] == "sigmoid"
    p.controls["width"].value = 2
    assert p.result.config["widths"] == (1, 2, 2, 1)
    assert p.figure is not None


class _Log(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(1))

    def forward(self, x):
        return self.w * torch.log(x)


def test_nonfinite_gradient_names_the_sample():
    # inputs uniform on [-1, 1]: log of a negative point is NaN, so its gradient d/dw = log(x) is NaN
    with pytest.raises(FloatingPointError, match=r"sample 0 \(network seed 5\) at its point \d+"):
        esd_of(lambda s: _Log(), 1, samples=3, n_points=4, seed=5, device="cpu")
    ok = esd_of(lambda s: torch.nn.Linear(1, 1), 1, samples=2, n_points=3, device="cpu")
    assert np.isfinite(ok.values).all()


def test_errors():
    with pytest.raises(ValueError, match="unknown inputs"):
        esd([1, 2, 1], inputs="cauchy")
    with pytest.raises(ValueError, match="samples"):
        esd([1, 2, 1], samples=0)
    with pytest.raises(ValueError, match="n_points"):
        esd([1, 2, 1], n_points=0, device="cpu")
    with pytest.raises(ValueError, match="unknown activation"):
        esd([1, 2, 1], "swish")
    with pytest.raises(ValueError, match="unknown reduce"):
        esd([1, 2, 1], reduce="max")
    with pytest.raises(ValueError, match="no parameters"):
        esd_of(lambda s: torch.nn.Identity(), 1, samples=2, device="cpu")
    with pytest.raises(ValueError, match="positive"):
        draw_inputs(0, 1)


def test_esd_grid_store_resumes_and_refuses_other_library_versions(tmp_path, monkeypatch):
    """Fig. 4's store (notebook 01's paper run) resumes the same sweep and refuses one computed by other library
    versions (and records the device type), as Fig. 3's does: the resume note says 'the same library versions'."""
    import workbench.experiments.distributed as dist

    kw = dict(n1=[1, 2], n2=[1, 3], activations=("relu",), samples=2, device="cpu", progress=False)
    first = esd_grid(**kw, store=tmp_path / "grid")
    again = esd_grid(**kw, store=tmp_path / "grid")
    assert again.attrs["sweep"]["n_resumed"] == len(first) == 4
    pd.testing.assert_frame_equal(first.drop(columns="seconds"), again.drop(columns="seconds"))
    real = dist.sweep_versions()
    monkeypatch.setattr(dist, "sweep_versions", lambda: {**real, "torch": "0.0.1"})
    with pytest.raises(ValueError, match="holds the sweep"):
        esd_grid(**kw, store=tmp_path / "grid")
    monkeypatch.setattr(dist, "sweep_versions", lambda: real)
    assert '"device": "cpu"' in (tmp_path / "grid" / "_sweep.json").read_text()  # no GPU here to try another type
