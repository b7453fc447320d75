"""The layer-algebra figures (Badias & Banerjee Figs. 6-13, notebook 06) pass the figure linter (issue 27).

Each plot function draws a result of the size the notebook shows (the zoo figures at the
paper profile's 80 models and 20 families, from a synthetic table) and must give
``lint_figure(fig) == []``; a few tests check what the linter cannot see (the graph fills
its axes, the fit above 100 % is dashed, the model with GCIP > 1 is named).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.measures.layer_algebra.rules import PAPER_ACTIVATION_CONSTANTS
from workbench.papers.layer_algebra import (
    PAPER_FIT_R2,
    ActivationStudyConfig,
    PowerFit,
    activation_study,
    resnet_vs_plainnet,
    vc_comparison,
)
from workbench.plots import (
    lint_figure,
    new_figure,
    plot_accuracy_fits,
    plot_activation_variances,
    plot_cumulative_curves,
    plot_filter_variance,
    plot_layer_graph,
    plot_local_cumulative,
    plot_resnet_plainnet,
    plot_vc_comparison,
    plot_zoo_metrics,
)


def _fig(obj):
    return obj if hasattr(obj, "savefig") else np.asarray(obj).flat[0].get_figure(root=True)


def _clean(obj):
    found = lint_figure(_fig(obj))
    assert found == [], "\n".join(map(str, found))


@pytest.fixture(scope="module")
def zoo_table():
    """80 models in 20 families (the paper profile's shape), one with GCIP > 1, accuracies near 100 %."""
    rng = np.random.default_rng(0)
    fams = [f"family{chr(97 + k)}" for k in range(20)]
    rows = []
    for k in range(80):
        fam = fams[k % 20] if k < 60 else fams[k % 5]  # uneven groups: 1 to 7 models
        gcc = rng.uniform(20, 1600)
        rows.append(dict(name=f"model{k}", family=fam, params=int(rng.integers(10**6, 10**8)),
                         log10_gcip=rng.uniform(-25, -2), log10_gcc=gcc, log10_gsc=rng.uniform(4, 9),
                         log10_gwc=gcc + rng.uniform(4, 9), top1=min(55 + gcc / 40 + rng.normal(0, 3), 90)))
    t = pd.DataFrame(rows)
    t.loc[7, "log10_gcip"] = 0.47
    t["top5"] = np.minimum(t["top1"] + 15, 99)
    return t


def test_fig10_by_family_is_lint_clean_and_names_the_model_above_gcip_1(zoo_table):
    axes = plot_zoo_metrics(zoo_table)
    _clean(axes)
    assert [t.get_text() for t in axes[1].get_xticklabels()] == sorted(set(zoo_table["family"]))
    named = [t.get_text() for t in axes[0].texts if t.get_text().startswith("model")]
    assert named == ["model7: GCIP = $10^{0.47}$"]
    assert "Fig. 10" in axes[0].get_title()


def test_fig11_attached_colourbars_family_legend_outside_and_fit_dashed_above_100(zoo_table):
    fits = {acc: PowerFit(a=60.0 if acc == "top1" else 80.0, b=2e-4, r2=0.3, n=80, x="gwc", y=acc)
            for acc in ("top1", "top5")}
    assert fits["top5"].predict(zoo_table["log10_gwc"].max()) > 100  # the case the figure must show honestly
    axes = plot_accuracy_fits(zoo_table, fits, paper_r2=PAPER_FIT_R2)
    _clean(axes)
    fig = _fig(axes)
    assert "Fig. 11" in fig._suptitle.get_text()
    (legend,) = fig.legends  # one family legend for (c) and (d), under the figure
    assert len(legend.get_texts()) == 20
    assert "(paper 0.755)" in axes[1, 1].get_legend().get_texts()[0].get_text()
    solid, dashed = axes[1, 1].lines[:2]
    assert np.nanmax(solid.get_ydata()) <= 100 < np.nanmax(dashed.get_ydata())
    assert dashed.get_linestyle() == "--"


def test_layer_graph_fills_its_axes_and_is_lint_clean():
    r18 = wb.layer_algebra(wb.zoo_meta_model("resnet18"), (3, 224, 224))
    fig, axes = new_figure(1, 2, figsize=(14, 6.5))
    plot_layer_graph(r18, "cumulative_power", ax=axes[0], title="ResNet-18: cumulative intrinsic power")
    plot_layer_graph(r18, "local_complexity", ax=axes[1], title="ResNet-18: local complexity")
    _clean(fig)
    fig.draw_without_rendering()
    ax = axes[0]
    nodes = np.concatenate([c.get_offsets() for c in ax.collections])
    assert len(nodes) == (r18.frame["kind"] != "neutral").sum()  # neutral operations left out, the rest drawn
    px = ax.transData.transform(nodes)
    box = ax.get_window_extent()
    assert np.ptp(px[:, 0]) > 0.8 * box.width and np.ptp(px[:, 1]) > 0.7 * box.height  # no thin strip
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"convolution", "activation", "merge", "shortcut"} <= set(labels)


def test_small_figures_of_the_notebook_are_lint_clean():
    ae = wb.layer_algebra(wb.linear_autoencoder(), (784,))
    axes = plot_local_cumulative(ae, title="Fig. 7: symmetric linear autoencoder", paper_gcip=1.0)
    _clean(axes)
    assert not any("_" in t.get_text() for t in axes[1, 0].get_xticklabels())  # no raw fx names
    _clean(plot_vc_comparison(vc_comparison(fc_widths=(16, 64, 256), fc_depths=(1, 2, 3), cnn_widths=(4, 16),
                                            cnn_depths=(1, 2, 3), cnn_input=(1, 12, 12))))
    rp = resnet_vs_plainnet((18, 34), input_shape=(3, 32, 32))
    _clean(plot_resnet_plainnet(rp.summary))
    fig, axes = new_figure(1, 2, figsize=(13, 4.2))
    plot_cumulative_curves(rp.curves, "power", ax=axes[0], legend=False, title="Fig. 8 (left), along the networks")
    ax = plot_cumulative_curves(rp.curves, "complexity", ax=axes[1], title="Fig. 8 (right), along the networks")
    _clean(fig)
    colours = {}
    drawn = [ln for ln in ax.lines if len(ln.get_xdata())]  # seaborn's legend proxies are empty lines
    assert len(drawn) == 4
    for line in drawn:  # ResNet-18, -34, PlainNet-18, -34: paired networks share a colour
        colours.setdefault(tuple(np.round(line.get_color(), 3)), []).append(line.get_linestyle())
    assert len(colours) == 2 and all(sorted(v) == ["-", "--"] for v in colours.values())
    st = activation_study(ActivationStudyConfig.smoke(n_vectors=4, length=500), seed=0)
    axes = plot_activation_variances(st["activations"], paper={k: v[0] for k, v in PAPER_ACTIVATION_CONSTANTS.items()})
    _clean(axes)
    assert all(a.get_ylabel() for a in axes)
    _clean(plot_filter_variance(st["filters"]))
