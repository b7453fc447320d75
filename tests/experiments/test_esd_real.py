"""ESD of real-world networks (ESD paper §6): sampled Jacobian rows, Gram route, experiment, fits, plots."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.measures.spanning.sampled import (
    count_parameters,
    gram_singular_values,
    sample_coordinates,
    sampled_gradient_rows,
    sampled_spanning_dimension,
    sampled_spectrum,
)
from workbench.papers.esd.real_networks import (
    ESDRealConfig,
    accuracy_metadata,
    esd_real_fits,
    esd_real_networks,
    esd_real_summary,
    fit_line_bootstrap,
    real_inputs,
)


def brute_force_rows(net: nn.Module, X: torch.Tensor, coords: torch.Tensor, reduce: str, softmax=False):
    """One full gradient per input (parameters_to_vector order), then indexed."""
    rows = []
    for x in X:
        net.zero_grad()
        out = net(x.unsqueeze(0))[0]
        if softmax:
            out = out.softmax(0)
        g = out[0] if reduce == "pick_first" else (out ** 2).sum()
        g.backward()
        full = torch.cat([p.grad.reshape(-1) for p in net.parameters()])
        rows.append(full[coords])
    return torch.stack(rows)


# --------------------------------------------------------------------------- sampled rows

@pytest.mark.parametrize("reduce", ["pick_first", "sum_squares"])
@pytest.mark.parametrize("chunk_size", [1, 3])
@pytest.mark.parametrize("softmax", [False, True])
def test_sampled_rows_equal_entries_of_full_per_input_gradients(make_convnet, reduce, chunk_size, softmax):
    net = make_convnet()
    P = count_parameters(net)
    X = torch.randn(7, 3, 8, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    coords = sample_coordinates(net, 60, seed=3)
    J = sampled_gradient_rows(net, X, coords, reduce=reduce, softmax=softmax, chunk_size=chunk_size, device="cpu")
    ref = brute_force_rows(net, X, coords, reduce, softmax)
    assert J.shape == (7, 60) and P > 60
    torch.testing.assert_close(J, ref, rtol=1e-10, atol=1e-12)
    assert J.abs().max() > 0


def test_all_coordinates_give_the_full_jacobian(make_convnet):
    net = make_convnet(seed=2)
    X = torch.randn(4, 3, 6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    coords = sample_coordinates(net, count_parameters(net), seed=0)
    assert torch.equal(coords, torch.arange(count_parameters(net)))
    J = sampled_gradient_rows(net, X, coords, reduce="sum_squares", device="cpu")
    torch.testing.assert_close(J, brute_force_rows(net, X, coords, "sum_squares"), rtol=1e-10, atol=1e-12)


def test_first_is_refused_with_its_new_name(make_convnet):
    net = make_convnet()
    X = torch.randn(3, 3, 6, 6, dtype=torch.float64)
    c = sample_coordinates(net, 30, seed=0)
    with pytest.raises(ValueError, match="reduce='first' was renamed reduce='pick_first' in workbench 0.2.0"):
        sampled_gradient_rows(net, X, c, reduce="first", device="cpu")


def test_chunked_vmap_matches_per_input_on_a_torchvision_model():
    net = wb.zoo_model("squeezenet1_1", seed=0)
    X = real_inputs(5, (3, 32, 32), seed=1)
    c = sample_coordinates(net, 2000, seed=2)
    a = sampled_gradient_rows(net, X, c, reduce="sum_squares", chunk_size=1, device="cpu")
    b = sampled_gradient_rows(net, X, c, reduce="sum_squares", chunk_size=5, device="cpu")
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5 * float(a.abs().max()))


# --------------------------------------------------------------------------- coordinates

@given(n=st.integers(1, 5000), frac=st.floats(0.0, 1.0), seed=st.integers(0, 2**31))
def test_sample_coordinates_are_sorted_distinct_in_range_and_seeded(n, frac, seed):
    k = max(1, int(round(frac * n)))
    c = sample_coordinates(n, k, seed=seed)
    assert c.dtype == torch.int64 and c.shape == (k,)
    assert int(c.min()) >= 0 and int(c.max()) < n
    assert bool((c[1:] > c[:-1]).all())
    assert torch.equal(c, sample_coordinates(n, k, seed=seed))


def test_sample_coordinates_are_uniform_not_the_smallest():
    c = sample_coordinates(10**8, 10_000, seed=0)
    assert 0.45e8 < float(c.double().mean()) < 0.55e8
    assert not torch.equal(c, sample_coordinates(10**8, 10_000, seed=1))


# --------------------------------------------------------------------------- Gram route

@given(n=st.integers(1, 12), K=st.integers(1, 40), rank=st.integers(1, 12), seed=st.integers(0, 10**6))
def test_gram_singular_values_equal_svdvals(n, K, rank, seed):
    g = torch.Generator().manual_seed(seed)
    r = min(rank, n, K)
    J = torch.randn(n, r, generator=g, dtype=torch.float64) @ torch.randn(r, K, generator=g, dtype=torch.float64)
    sv = gram_singular_values(J, block=7)
    ref = torch.linalg.svdvals(J)
    assert sv.shape == ref.shape and sv.dtype == torch.float64
    smax = float(ref[0])
    # the Gram route resolves singular values down to ~sqrt(eps) * s_max
    torch.testing.assert_close(sv, ref, rtol=1e-9, atol=1e-7 * smax)
    assert bool((sv[:-1] >= sv[1:]).all())


def test_gram_route_of_float32_rows_is_tight():
    J = torch.randn(50, 3000, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(gram_singular_values(J), torch.linalg.svdvals(J.double()), rtol=1e-10, atol=1e-9)
    assert gram_singular_values(J, block=1000).sub(gram_singular_values(J)).abs().max() < 1e-9


def test_spanning_dimension_is_effective_rank_of_the_sampled_jacobian(make_convnet):
    net = make_convnet()
    X = torch.randn(6, 3, 6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    sd = sampled_spanning_dimension(net, X, 50, reduce="sum_squares", seed=9, device="cpu")
    J = brute_force_rows(net, X, sample_coordinates(net, 50, seed=9), "sum_squares")
    assert sd == pytest.approx(wb.effective_rank(J), rel=1e-9)
    assert 1.0 <= sd <= 6.0
    assert sd == sampled_spanning_dimension(net, X, 50, reduce="sum_squares", seed=9, device="cpu")


def test_all_zero_jacobian_has_effective_rank_zero_with_a_warning():
    net = nn.Sequential(nn.Flatten(), nn.Linear(12, 3), nn.ReLU()).eval()
    with torch.no_grad():
        net[1].weight.zero_()
        net[1].bias.fill_(-1.0)  # every output is 0 through a dead ReLU: no coordinate moves g
    X = torch.randn(4, 3, 2, 2)
    with pytest.warns(RuntimeWarning, match="all zeros"):
        spec = sampled_spectrum(net, X, 10, seed=0, device="cpu")
    assert spec.effective_rank == 0.0


# --------------------------------------------------------------------------- error paths

def test_more_coordinates_than_parameters_is_refused(make_convnet):
    net = make_convnet()
    P = count_parameters(net)
    with pytest.raises(ValueError, match=f"only {P} parameters"):
        sample_coordinates(net, P + 1)
    with pytest.raises(ValueError, match="exceeds"):
        esd_real_networks(ESDRealConfig(models=("squeezenet1_1",), input_shape=(3, 32, 32), n_inputs=2,
                                        n_coords=10**8, repeats=1), progress=False)


def test_bad_k_and_parameterless_network():
    with pytest.raises(ValueError, match="positive int"):
        sample_coordinates(10, 0)
    with pytest.raises(ValueError, match="no trainable parameters"):
        sample_coordinates(nn.ReLU(), 1)


def test_unknown_model_name():
    with pytest.raises(ValueError, match="unknown model name"):
        ESDRealConfig.smoke(models=("resnet18", "resnet9000")).validate()
    with pytest.raises(ValueError, match="unknown model"):
        accuracy_metadata(["not_a_net"])
    with pytest.raises(ValueError, match="unknown preset"):
        ESDRealConfig.preset("huge")


def test_unknown_reduce(make_convnet):
    net = make_convnet()
    X = torch.randn(2, 3, 6, 6, dtype=torch.float64)
    with pytest.raises(ValueError, match="unknown reduce 'mean_abs'"):
        sampled_gradient_rows(net, X, sample_coordinates(net, 5, seed=0), reduce="mean_abs")
    with pytest.raises(ValueError, match="unknown reduce"):
        ESDRealConfig.smoke(reduces=("pick_first", "max")).validate()


def test_empty_inputs(make_convnet):
    net = make_convnet()
    c = sample_coordinates(net, 5, seed=0)
    with pytest.raises(ValueError, match="no inputs"):
        sampled_gradient_rows(net, torch.empty(0, 3, 6, 6, dtype=torch.float64), c)
    with pytest.raises(ValueError, match="shape"):
        sampled_gradient_rows(net, torch.ones(5), c)
    with pytest.raises(ValueError, match="empty"):
        gram_singular_values(torch.empty(0, 4))
    with pytest.raises(ValueError, match="positive int"):
        ESDRealConfig.smoke(n_inputs=0).validate()


def test_nan_input_and_nan_gradient_name_the_sample(make_convnet):
    net = make_convnet()
    c = sample_coordinates(net, 5, seed=0)
    X = torch.randn(4, 3, 6, 6, dtype=torch.float64)
    X[2, 0, 1, 1] = float("nan")
    with pytest.raises(ValueError, match="input 2 contains NaN"):
        sampled_gradient_rows(net, X, c)

    class SqrtHead(nn.Module):  # finite input, NaN gradient at negative x[0] only
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 3)

        def forward(self, x):
            return self.lin(x) * torch.sqrt(x[:, :1])

    m = SqrtHead().double().eval()
    X = torch.tensor([[1.0, 2.0], [4.0, 1.0], [-1.0, 3.0]], dtype=torch.float64)
    for chunk in (1, 3):
        with pytest.raises(ValueError, match="gradient at input 2 has NaN"):
            sampled_gradient_rows(m, X, torch.arange(9), reduce="sum_squares", chunk_size=chunk, device="cpu")
    J = torch.ones(3, 4)
    J[1, 2] = float("inf")
    with pytest.raises(ValueError, match="row 1 of J"):
        gram_singular_values(J)


def test_training_mode_and_bad_coordinates_are_refused(make_convnet):
    net = make_convnet().train()
    X = torch.randn(2, 3, 6, 6, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"net\.eval\(\)"):
        sampled_gradient_rows(net, X, torch.tensor([0, 1]))
    net.eval()
    with pytest.raises(ValueError, match="strictly increasing"):
        sampled_gradient_rows(net, X, torch.tensor([3, 1]))
    with pytest.raises(ValueError, match="must lie in"):
        sampled_gradient_rows(net, X, torch.tensor([0, 10**9]))
    with pytest.raises(ValueError, match="chunk_size"):
        sampled_gradient_rows(net, X, torch.tensor([0, 1]), chunk_size=0)


# --------------------------------------------------------------------------- experiment

TINY = ESDRealConfig(models=("squeezenet1_1", "shufflenet_v2_x0_5", "resnet18"), input_shape=(3, 32, 32),
                     n_inputs=4, n_coords=400, repeats=2)


@pytest.fixture(scope="module")
def tiny_table():
    return esd_real_networks(TINY, progress=False)


def test_experiment_table_is_tidy_and_seeded(tiny_table):
    df = tiny_table
    assert len(df) == 3 * 2 * 2
    assert {"model", "reduce", "repeat", "esd", "params", "top1_error", "top5_error"} <= set(df.columns)
    assert set(df["reduce"]) == {"pick_first", "sum_squares"}
    assert ((df["esd"] >= 0) & (df["esd"] <= 4 + 1e-9)).all()
    meta = accuracy_metadata(TINY.models).set_index("model")
    for m, sub in df.groupby("model"):
        assert (sub["params"] == meta.loc[m, "params"]).all()  # trainable count == torchvision's metadata
    again = esd_real_networks(replace_models(TINY, ("shufflenet_v2_x0_5",)), progress=False)
    ref = df[df["model"] == "shufflenet_v2_x0_5"].reset_index(drop=True)
    np.testing.assert_array_equal(again["esd"].to_numpy(), ref["esd"].to_numpy())


def replace_models(cfg, models):
    from dataclasses import replace

    return replace(cfg, models=models)


def test_v1_metadata_is_the_paper_era_accuracy():
    v1 = accuracy_metadata(["resnet50"]).iloc[0]
    now = accuracy_metadata(["resnet50"], "DEFAULT").iloc[0]
    assert v1.top1_error == pytest.approx(100 - 76.13)
    assert now.top1_error < v1.top1_error


def test_presets():
    full = ESDRealConfig.full()
    assert full.models == wb.nets.ESD_PAPER_MODELS and full.n_inputs == 500 and full.n_coords == 10**6
    assert full.repeats == 10 and full.input_shape == (3, 224, 224) and full.inputs == "sign"
    assert ESDRealConfig.smoke().validate().n_coords < 10**5
    cpu = ESDRealConfig.preset("cpu").validate()
    assert cpu.models == wb.nets.ESD_PAPER_MODELS and cpu.input_shape == (3, 64, 64) and cpu.n_inputs == 64
    x = real_inputs(3, (3, 4, 4), "sign", seed=0)
    assert set(x.unique().tolist()) == {-1.0, 1.0}


def test_summary_and_fits(tiny_table):
    summ = esd_real_summary(tiny_table)
    assert len(summ) == 6
    assert (summ["esd_min"] <= summ["esd"]).all() and (summ["esd"] <= summ["esd_max"]).all()
    fits = esd_real_fits(tiny_table, n_boot=200, seed=0)
    from scipy import stats as sst

    row = fits.stats.query("reduce == 'sum_squares' and predictor == 'esd' and target == 'top5_error'").iloc[0]
    sub = summ[summ["reduce"] == "sum_squares"]
    r, p = sst.pearsonr(sub["esd"], sub["top5_error"])
    assert row.pearson_r == pytest.approx(r) and row.pearson_p == pytest.approx(p)
    assert set(fits.stats["predictor"]) == {"esd", "params", "log10_params"}
    band = fits.bands
    assert (band["lo"] <= band["fit"] + 1e-12).all() and (band["fit"] <= band["hi"] + 1e-12).all()


def test_fits_reject_bad_tables():
    with pytest.raises(ValueError, match="empty"):
        esd_real_summary(pd.DataFrame(columns=["model", "reduce", "esd", "params", "top1_error", "top5_error"]))
    bad = pd.DataFrame(dict(model=["a", "b", "c"], reduce="pick_first", esd=[1.0, np.nan, 2.0], params=1,
                            top1_error=1.0, top5_error=1.0))
    with pytest.raises(ValueError, match="NaN"):
        esd_real_fits(bad)


# --------------------------------------------------------------------------- bootstrap

def test_bootstrap_band_contains_the_fit_and_matches_the_standard_error():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, 300)
    y = 3.0 - 0.5 * x + rng.normal(0, 1.0, x.size)
    fit = fit_line_bootstrap(x, y, n_boot=1000, seed=1)
    assert np.all(fit["lo"] <= fit["fit"]) and np.all(fit["fit"] <= fit["hi"])
    b, a = np.polyfit(x, y, 1)
    assert fit["slope"] == pytest.approx(b) and fit["intercept"] == pytest.approx(a)
    resid = y - (a + b * x)
    se = np.sqrt(resid.var(ddof=2) / ((x - x.mean()) ** 2).sum())
    assert fit["slope_sd"] == pytest.approx(se, rel=0.15)
    # the band is narrowest near the mean of x
    width = fit["hi"] - fit["lo"]
    assert width[np.argmin(np.abs(fit["grid"] - x.mean()))] < min(width[0], width[-1])
    again = fit_line_bootstrap(x, y, n_boot=1000, seed=1)
    np.testing.assert_array_equal(again["hi"], fit["hi"])


def test_bootstrap_of_an_exact_line_has_zero_width():
    x = np.arange(6.0)
    fit = fit_line_bootstrap(x, 2 * x + 1, n_boot=100, seed=0)
    assert fit["slope"] == pytest.approx(2) and np.allclose(fit["hi"] - fit["lo"], 0, atol=1e-9)


def test_bootstrap_error_paths():
    with pytest.raises(ValueError, match="at least 3"):
        fit_line_bootstrap([1, 2], [1, 2])
    with pytest.raises(ValueError, match="all x values are equal"):
        fit_line_bootstrap([1, 1, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        fit_line_bootstrap([1, 2, np.nan], [1, 2, 3])


# --------------------------------------------------------------------------- plots

def test_plots_draw_the_fit_band_and_points(tiny_table):
    from workbench.plots import plot_esd_real, plot_esd_real_grid

    fits = esd_real_fits(tiny_table, n_boot=50)
    ax = plot_esd_real(tiny_table, fits, x="esd", target="top1_error", reduce="pick_first")
    assert ax.get_xlabel().startswith("ESD") and len(ax.collections) >= 1 and ax.lines
    ax = plot_esd_real(tiny_table, fits, x="params", target="top5_error")
    assert ax.get_xscale() == "log"
    axes = plot_esd_real_grid(tiny_table, fits)
    assert axes.shape == (2, 3)
    with pytest.raises(ValueError, match="x must be"):
        plot_esd_real(tiny_table, fits, x="flops")
    with pytest.raises(ValueError, match="no rows with reduce"):
        plot_esd_real(tiny_table, fits, reduce="mean")


def test_a_stopped_run_resumes_from_its_store_with_the_same_rows(tiny_table, tmp_path, monkeypatch):
    import workbench.papers.esd.real_networks as rn

    store = tmp_path / "real"
    first = esd_real_networks(TINY, progress=False, store=store)
    cols = [c for c in first.columns if c != "seconds"]  # wall times differ, every number else is the same
    pd.testing.assert_frame_equal(first[cols], tiny_table[cols], check_exact=True)
    assert first.attrs["sweep"]["n_resumed"] == 0
    parts = sorted(store.glob("part-*.parquet"))
    assert len(parts) == 3 * 2  # one file per (model, repeat): a stop loses at most the cell in progress
    for p in parts[2:]:  # four of the six cells as if the run had stopped before them
        p.unlink()
    calls = []
    real = rn.sampled_spectrum

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(rn, "sampled_spectrum", counted)
    resumed = esd_real_networks(TINY, progress=False, store=store)
    assert len(calls) == 4 * 2  # the four missing (model, repeat) cells, both reduces each
    assert resumed.attrs["sweep"]["n_resumed"] == 2
    pd.testing.assert_frame_equal(resumed[cols], tiny_table[cols], check_exact=True)
    with pytest.raises(ValueError, match="holds the sweep"):  # another configuration never reads these cells
        esd_real_networks(replace_models(TINY, TINY.models[:2]), progress=False, store=store)
