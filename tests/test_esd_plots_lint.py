"""The ESD plots (notebooks 01, 02, 09) pass the figure linter (issue 27), the paper's values drawn beside ours."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.plots import new_figure
from workbench.plots.lint import lint_figure


def _clean(obj):
    found = lint_figure(obj)
    assert found == [], "\n".join(map(str, found))


def test_sd_distribution_comparison_and_fit_scatter_are_clean():
    from workbench.plots import plot_esd_comparison, plot_fit_scatter, plot_sd_distribution

    rng = np.random.default_rng(0)
    for n in (60, 1000, 20000):  # the smoke, paper and larger sample counts: the legend's first label grows
        fig, axes = new_figure(1, 2, figsize=(11, 3.6))  # as notebook 01 draws Figs. 1 and 2
        plot_sd_distribution(1.5 + rng.gamma(2, 0.5, n), ax=axes[0], paper=2.81,
                             title="Fig. 1: MLP 1-8-8-10-1, relu (first seed)")
        plot_sd_distribution(1.016 + 0.023 * rng.random(n), ax=axes[1], paper=1.07,
                             title="Fig. 1: MLP 1-8-8-10-1, sigmoid (first seed)")
        _clean(fig)
        assert any("paper" in t.get_text() for t in axes[0].get_legend().get_texts())
        _clean(plot_sd_distribution(0.9 + 2.5 * rng.random(2 * n), paper=1.29, bins=40,
                                    title=f"Fig. 2: toy network, f(z) = z², {2 * n} samples (first seed)"))
    ax = plot_esd_comparison({"MLP": 1.2 + 0.05 * rng.standard_normal(50),
                              "add-inputs": 3.6 + 0.1 * rng.standard_normal(50)},
                             paper={"MLP": 2.75, "add-inputs": 4.7}, title="Fig. 5")
    _clean(ax)
    t = pd.DataFrame({"esd": 1 + 2 * rng.random(20), "n_params": rng.integers(10, 180, 20)})
    t["train_error"] = 0.15 - 0.03 * t.esd + 0.01 * rng.random(20)
    corr = pd.DataFrame([dict(x="esd", slope=-0.03, intercept=0.15, r=-0.9, p_value=1e-6)])
    ax = plot_fit_scatter(t, "esd", correlations=corr, log_y=False, paper_r=0.91, title="Fig. 3B")
    _clean(ax)
    assert "paper: |r| = 0.91" in [x.get_text() for x in ax.get_legend().get_texts()]


@pytest.fixture(scope="module")
def eighteen():
    from workbench.nets.torchvision_zoo import ESD_PAPER_MODELS
    from workbench.papers.esd.real_networks import accuracy_metadata, esd_real_fits

    rng = np.random.default_rng(0)
    rows = []
    for _, m in accuracy_metadata(ESD_PAPER_MODELS).iterrows():
        base = rng.uniform(5, 45)
        for r in range(3):
            for red in ("pick_first", "sum_squares"):
                rows.append(dict(model=m.model, family=m.family, reduce=red, repeat=r,
                                 esd=max(0.0, base + rng.normal(0, 3)), params=int(10 ** rng.uniform(6, 8)),
                                 top1_error=m.top1_error, top5_error=m.top5_error))
    t = pd.DataFrame(rows)
    return t, esd_real_fits(t, n_boot=30)


def test_esd_real_with_18_models_is_clean_names_thinned_families_in_a_legend(eighteen):
    from workbench.plots import plot_esd_real, plot_esd_real_grid
    from workbench.plots.esd_real import thin_model_labels

    t, fits = eighteen
    fig, axes = new_figure(1, 2, figsize=(15.6, 5.4), sharey=True)
    for ax, fam in zip(axes, (False, True)):
        plot_esd_real(t, fits, reduce="pick_first", ax=ax, family_legend=fam, title="Fig. 9", paper="p < 0.05")
    thin_model_labels(fig)
    _clean(fig)
    names = [x for x in axes[0].texts if x.get_gid() == "workbench-model-label"]
    assert len(names) == 18 and 0 < sum(x.get_visible() for x in names) < 18  # some names left out, not all
    assert len(axes[1].get_legend().get_texts()) == t.family.nunique()  # the family legend
    _clean(plot_esd_real_grid(t, fits, params=False))
    grid = plot_esd_real_grid(t, fits)  # Figs. 9, 10 and 13: three columns, drawn as three rows of two
    assert grid.shape == (2, 3) and grid[0, 2].get_title().startswith("Fig. 13: top-1")
    assert grid[1, 0].get_position().x0 > grid[0, 0].get_position().x1  # top-5 to the right of top-1
    _clean(grid)
    ax = plot_esd_real(t, fits, x="params", title="Fig. 13", paper="p = 0.553")
    _clean(ax)


def test_show_refuses_none_and_says_why():
    """A panel's .figure is None until its first picture is drawn in the background; show(None) once printed
    "None" in 07's paper run where the panel's figure was due (issue 27)."""
    from workbench.plots._base import show

    with pytest.raises(TypeError, match=r"panel\.wait\(\) before show\(panel\.figure\)"):
        show(None)
    fig, _ = new_figure(1, 1)
    assert show(fig) is None  # outside IPython: a no-op


def test_training_curves_keep_the_paper_profiles_long_title_inside_the_figure():
    """Notebook 01's Fig. 6 at paper size: its title ran 15.2 px past the 550 px figure before it was wrapped."""
    from workbench.plots import plot_training_curves

    rng = np.random.default_rng(0)
    rows = [dict(model=m, epoch=e, train_acc=min(1.0, 0.1 + k * e / 60 + 0.01 * rng.random()))
            for k, m in enumerate(("MLP", "add-shortcuts", "add-inputs")) for e in range(1, 51)]
    for n, shape, epochs in ((80, (8, 8), 40), (1000, (28, 28), 50)):  # the quick and the paper profile
        title = f"Fig. 6: {n} noise images {shape}, 3 hidden layers, {epochs} epochs"
        ax = plot_training_curves(pd.DataFrame(rows), title=title)
        _clean(ax)
        assert ax.get_title().replace("\n", " ") == title
