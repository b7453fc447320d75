"""Layer-algebra experiments, plots and panel (Badias & Banerjee §7)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

import workbench as wb
from workbench.papers.layer_algebra import (
    LayerAlgebraZooConfig,
    PowerFit,
    layer_algebra_zoo,
    power_fit,
    resnet_vs_plainnet,
    vc_comparison,
    vc_estimate,
)
from workbench.papers.layer_algebra.recipes import compare_readings


def test_plainnet_drops_exactly_the_shortcuts():
    res, plain = wb.resnet_family(18, device="meta"), wb.resnet_family(18, shortcuts=False, device="meta")
    convs = lambda m: [(c.in_channels, c.out_channels, c.kernel_size, c.stride) for c in m.modules()  # noqa: E731
                       if isinstance(c, nn.Conv2d)]
    downsample = [c for n, c in res.named_modules() if "downsample.0" in n]
    assert len(convs(res)) == len(convs(plain)) + len(downsample) == 20
    r = wb.layer_algebra(plain, (3, 64, 64))
    assert "merge" not in set(r.frame["kind"])
    x = torch.randn(2, 3, 64, 64)
    cpu = wb.resnet_family(18, shortcuts=False, device="cpu")
    assert cpu(x).shape == (2, 1000)  # a real forward works too
    with pytest.raises(ValueError, match=r"depth must be one of \[18, 34, 50, 101, 152\], got 20"):
        wb.resnet_family(20)


def test_resnet_vs_plainnet_claims_of_fig8():
    out = resnet_vs_plainnet((18, 50), input_shape=(3, 64, 64))
    s = out.summary.pivot(index="depth", columns="family")
    assert (s["log10_gcip"]["ResNet"] > s["log10_gcip"]["PlainNet"]).all()
    gap = (s["log10_gcc"]["ResNet"] - s["log10_gcc"]["PlainNet"]).abs() / s["log10_gcc"]["ResNet"]
    assert (gap < 1e-3).all()
    assert (s["n_layers"]["ResNet"] > s["n_layers"]["PlainNet"]).all()
    assert set(out.curves["family"]) == {"ResNet", "PlainNet"}
    assert out.to_frame().shape[0] == 4
    with pytest.raises(ValueError, match="depths: 19 is not one of"):
        resnet_vs_plainnet((19,))


def test_vc_comparison_table():
    t = vc_comparison(fc_widths=(8, 16), fc_depths=(1,), cnn_widths=(2, 4), cnn_depths=(1,), cnn_input=(1, 8, 8))
    assert len(t) == 4 and set(t["family"]) == {"fc", "cnn"}
    fc = t[t["family"] == "fc"].iloc[0]
    w = 784 * 8 + 8 + 8 * 10 + 10
    assert fc["params"] == w and fc["vc"] == pytest.approx(w * 2 * math.log2(w))
    assert fc["gcc"] == pytest.approx(math.log2(784 * 8) * 1.713 * math.log2(80))
    assert vc_estimate(1024, 3) == 1024 * 3 * 10
    with pytest.raises(ValueError, match="need n_params >= 2 and n_layers >= 1"):
        vc_estimate(1, 1)


def test_power_fit_recovers_a_power_law_beyond_float64():
    lx = np.linspace(50, 1500, 30)  # x = 10^50 ... 10^1500
    y = 3.0 * np.power(10.0, 0.001 * lx)
    t = pd.DataFrame(dict(log10_gwc=lx, top1=y))
    f = power_fit(t, "gwc", "top1")
    assert f.a == pytest.approx(3.0, rel=1e-6) and f.b == pytest.approx(0.001, rel=1e-6) and f.r2 == pytest.approx(1)
    g = power_fit(pd.DataFrame(dict(log10_gwc=lx, top1=2.0 * lx ** 0.3)), "gwc", "top1", scale="log")
    assert g.b == pytest.approx(0.3, rel=1e-6) and g.predict([100.0])[0] == pytest.approx(2.0 * 100 ** 0.3)
    assert isinstance(f, PowerFit) and list(f.to_frame()["r2"]) == [pytest.approx(1.0)]
    with pytest.raises(ValueError, match="table has no column 'log10_gcc'"):
        power_fit(t, "gcc", "top1")
    with pytest.raises(ValueError, match="scale must be 'linear' or 'log'"):
        power_fit(t, scale="ln")
    with pytest.raises(ValueError, match="at least 3 finite rows"):
        power_fit(t.iloc[:2])


def test_zoo_experiment_smoke_rows():
    t = layer_algebra_zoo(LayerAlgebraZooConfig(models=("resnet18", "squeezenet1_1")), progress=False)
    assert list(t["name"]) == ["squeezenet1_1", "resnet18"] or set(t["name"]) == {"squeezenet1_1", "resnet18"}
    r = t.set_index("name").loc["resnet18"]
    direct = wb.layer_algebra(wb.zoo_meta_model("resnet18"), (3, 224, 224))
    assert r["log10_gcc"] == pytest.approx(direct.log10_gcc) and r["top1"] > 60
    assert r["gwc"] == pytest.approx(direct.gcc * direct.gsc, rel=1e-9)
    with pytest.raises(ValueError, match=r"models: \['resnet17'\] are not in workbench.zoo\(\)"):
        layer_algebra_zoo(LayerAlgebraZooConfig(models=("resnet17",)), progress=False)
    with pytest.raises(ValueError, match=r"unknown preset 'cpu' for LayerAlgebraZooConfig; use one of \['smoke'"):
        LayerAlgebraZooConfig.preset("cpu")


def test_small_builders_validate():
    with pytest.raises(ValueError, match="kernel must be odd"):
        wb.small_cnn(kernel=2)
    with pytest.raises(ValueError, match="width must be an int >= 1, got 0"):
        wb.small_cnn(width=0)
    with pytest.raises(ValueError, match="widths must be a list of at least 2 positive ints"):
        wb.linear_autoencoder([5])
    assert wb.small_cnn(1, 4, device="cpu")(torch.randn(1, 3, 9, 9)).shape == (1, 10)


def test_plots_draw_and_reject_bad_values():
    from workbench.plots import (
        plot_accuracy_fits,
        plot_cumulative_curves,
        plot_layer_graph,
        plot_local_cumulative,
        plot_resnet_plainnet,
        plot_vc_comparison,
        plot_zoo_metrics,
    )

    r = wb.layer_algebra(wb.small_cnn(2, 4, shortcuts=True), (3, 16, 16))
    ax = plot_layer_graph(r, "local_complexity")
    assert ax.get_title().endswith("local complexity")
    drawn = (r.frame["kind"] != "neutral").sum()  # neutral operations are left out, the others drawn once
    assert sum(len(c.get_offsets()) for c in ax.collections) == drawn
    assert len(ax.patches) >= drawn - 1  # one arrow per edge between drawn nodes: a connected graph
    with pytest.raises(ValueError, match="value must be one of"):
        plot_layer_graph(r, "power")
    assert plot_local_cumulative(r).shape == (2, 2)
    out = resnet_vs_plainnet((18,), input_shape=(3, 32, 32))
    assert len(plot_resnet_plainnet(out.summary)) == 3
    drawn = [ln for ln in plot_cumulative_curves(out.curves, "complexity").lines if len(ln.get_xdata())]
    assert len(drawn) == 2  # one line per network (seaborn's legend proxies are empty lines)
    with pytest.raises(ValueError, match="quantity must be 'power' or 'complexity'"):
        plot_cumulative_curves(out.curves, "gcc")
    assert len(plot_vc_comparison(vc_comparison(fc_widths=(8,), fc_depths=(1,), cnn_widths=(2,), cnn_depths=(1,),
                                                cnn_input=(1, 8, 8)))) == 2
    t = layer_algebra_zoo(LayerAlgebraZooConfig(models=("resnet18", "resnet34", "alexnet", "vgg11")), progress=False)
    assert plot_zoo_metrics(t).shape == (2,)
    fits = {a: power_fit(t, "gwc", a, scale="log") for a in ("top1", "top5")}
    axes = plot_accuracy_fits(t, fits, paper_r2={"top1": 0.751, "top5": 0.755})
    assert "paper 0.751" in axes[1, 0].get_legend().get_texts()[0].get_text()


def test_panel_drives_model_and_sliders():
    from workbench.widgets import LayerAlgebraPanel

    p = LayerAlgebraPanel(depth=1, width=4)
    assert p.last_error is None and "GCIP" in p.status.value
    with_sc = p.result.log10_gcip
    p.controls["shortcuts"].value = False
    assert p.result.log10_gcip < with_sc  # without shortcuts the power falls
    p.update(kernel=5, stride=2)
    assert p.result.frame["note"].str.contains("K=25").any()
    p.update(model="squeezenet1_1")
    assert p.last_error is None and p.result.input_shape == (3, 224, 224)
    with pytest.raises(ValueError, match="unknown control"):
        p.update(depthh=3)


def test_fig6_10_11_recipes_take_accumulate():
    kw = dict(fc_widths=(8, 16), fc_depths=(1,), cnn_widths=(2, 4), cnn_depths=(1,), cnn_input=(1, 8, 8))
    prod, summ = vc_comparison(**kw), vc_comparison(**kw, accumulate="sum")
    pd.testing.assert_frame_equal(prod, vc_comparison(**kw, accumulate="product"))
    fc = summ[summ["family"] == "fc"].iloc[0]  # Linear(784, 8), ReLU, Linear(8, 10): the sum of the local values
    assert fc["gcc"] == pytest.approx(math.log2(784 * 8) + 1.713 + math.log2(80))
    assert np.allclose(summ["gcc"], summ["gsc"], rtol=1e-12)  # chains without branches: GCC = GSC under the sum
    with pytest.raises(ValueError, match="accumulate must be one of"):
        vc_comparison(**kw, accumulate="integral")
    cfg = LayerAlgebraZooConfig(models=("resnet18", "vgg11", "alexnet"))
    za, zb = layer_algebra_zoo(cfg, progress=False), layer_algebra_zoo(cfg, accumulate="sum", progress=False)
    cmp = compare_readings({"product": prod, "sum": summ}, {"product": za, "sum": zb})
    assert list(cmp.table.columns) == ["product (§6, eq. 18)", "sum (eq. 2)", "paper"]
    assert cmp.r2["sum"][("gwc", "top1")] == pytest.approx(power_fit(zb, "gwc", "top1").r2)
    fc = prod[prod["family"] == "fc"]
    assert cmp.slopes["product"]["fc"] == pytest.approx(np.polyfit(np.log10(fc["vc"]), fc["log10_gcc"], 1)[0])
    assert cmp.table.loc["Fig. 11: R² of top1 = a GWC^b", "paper"] == "0.751"
    assert "under the product (§6, eq. 18)" in cmp.sentence and "under the sum (eq. 2)" in cmp.sentence
    with pytest.raises(ValueError, match="need the same readings"):
        compare_readings({"product": prod}, {"sum": zb})
    a, b = za.set_index("name"), zb.set_index("name")
    c = layer_algebra_zoo(LayerAlgebraZooConfig(models=("resnet18", "vgg11", "alexnet"),
                                                options={"accumulate": "sum"}), progress=False).set_index("name")
    assert (b["log10_gcc"] == c["log10_gcc"]).all() and (a["gsc"] == b["gsc"]).all()
    assert b.loc["vgg11", "gcc"] == pytest.approx(b.loc["vgg11", "gsc"])  # VGG is a chain
    assert (b["log10_gcc"] < a["log10_gcc"]).all()
    with pytest.raises(ValueError, match="accumulate must be one of"):
        layer_algebra_zoo(cfg, accumulate="max", progress=False)
