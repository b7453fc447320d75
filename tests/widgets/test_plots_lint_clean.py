"""Issue 27: the plot functions of notebooks 03, 04, 05, 07 and 08 draw figures that the figure linter passes.

Each test draws a plot function on a small result of the shape its recipe returns and asserts
``lint_figure(fig) == []`` (legends off the data, no raw identifiers, legible text, labelled axes).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

import workbench as wb
from workbench.plots import lint_figure, new_figure
from workbench.plots import regions as rp


def _clean(obj):
    findings = lint_figure(obj)
    assert findings == [], "\n".join(map(str, findings))


# ------------------------------------------------------------------ regions (notebook 03)


def _part(widths=(2, 6, 6, 1), seed=0):
    return wb.partition_2d(wb.mlp(list(widths), "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=seed))


def test_partition_legends_sit_outside_the_regions():
    part = _part()
    for kw in ({}, {"color_by": "output"}, {"color_by": "argmax"}):
        ax = rp.plot_partition(_part((2, 6, 6, 3)) if kw.get("color_by") == "argmax" else part, **kw)
        leg = ax.get_legend()
        assert leg is not None and leg.get_bbox_to_anchor().x0 >= ax.bbox.x1  # right of the axes box
        _clean(ax)


def test_partition_layers_and_surface():
    net = wb.mlp([2, 4, 4, 4, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=3)
    parts = [wb.partition_2d(net, layers=k) for k in (1, 2, 3)]
    axes = rp.plot_partition_layers(parts)
    assert axes[-1].get_legend() is not None and all(a.get_legend() is None for a in axes[:-1])
    assert max(c.get_linewidth()[0] for c in axes[-1].collections[1:]) >= 2.0  # boundaries thick enough to tell
    _clean(axes)
    fig, axs = new_figure(1, 2, figsize=(12, 4.8))
    axs[0].remove()
    ax3 = fig.add_subplot(1, 2, 1, projection="3d")
    rp.plot_partition_surface(parts[-1], ax=ax3)
    assert len(ax3.get_xticks()) == 3 and len(ax3.get_yticks()) == 3
    rp.plot_partition(parts[-1], ax=axs[1], color_by="output")
    _clean(fig)


def test_region_counts_line_density_sv_differences_edge_distances():
    rows = [dict(depth=d, width=w, seed=s, regions=(w ** d) * (1 + 0.1 * s), raghu_bound=float(2 * w) ** (2 * d),
                 neurons=d * w, per_length=0.3 * d * w + s) for d in (1, 2, 3) for w in (4, 8, 16) for s in range(3)]
    counts = pd.DataFrame(rows)
    fig, axes = new_figure(1, 3, figsize=(16, 4.2))
    rp.plot_region_counts(counts, x="depth", ax=axes[0], title="regions vs depth")
    rp.plot_region_counts(counts, x="width", ax=axes[1], title="regions vs width")
    rp.plot_line_density(counts, ax=axes[2], title="regions per unit length")
    _clean(fig)
    widths = np.array([10, 30, 100, 300])
    sv = pd.DataFrame(dict(width=widths, sq_diff_mean=1 / widths, sq_diff_sem=0.1 / widths, frob2_mean=2 / widths,
                           bound=3 / widths))
    _clean(rp.plot_sv_differences(sv, title="adjacent regions"))
    rng = np.random.default_rng(0)
    dist = pd.DataFrame(dict(distance=np.r_[rng.exponential(2e-3, 500), rng.exponential(1e-3, 100)],
                             mislabeled=np.r_[np.zeros(500, bool), np.ones(100, bool)]))
    ax = rp.plot_edge_distances(dist, title="distance to the nearest edge")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["correctly labeled (n = 500)",
                                                                    "mislabeled (n = 100)"]
    _clean(ax)


# ------------------------------------------------------------------ trajectories (notebooks 04 and 08)


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_length_growth_names_sigma_and_only_the_bounds_drawn():
    from workbench.plots import trajectories as tp

    rows = []
    for act, has_lower in (("relu", True), ("tanh", False)):
        for sw2 in (2.0, 8.0):
            for seed in range(2):
                for layer in range(5):
                    rows.append(dict(activation=act, sigma_w2=sw2, seed=seed, layer=layer,
                                     ratio=(1 + 0.1 * sw2) ** layer * (1 + 0.01 * seed),
                                     lower_bound=(1 + 0.05 * sw2) ** layer if has_lower else np.nan,
                                     upper_bound=np.sqrt(sw2) ** layer))
    df = pd.DataFrame(rows)
    fig, axes = new_figure(1, 2, figsize=(12, 4.2))
    for ax, act in zip(axes, ("relu", "tanh")):
        tp.plot_length_growth(df[df.activation == act], ax, title=act)
    assert "σ_w² = 2" in _legend_texts(axes[0]) and not any("sigma_w2" in t for t in _legend_texts(axes[0]))
    assert any("lower" in t for t in _legend_texts(axes[0]))
    assert not any("lower" in t for t in _legend_texts(axes[1]))  # tanh: no lower bound drawn, none listed
    _clean(fig)
    rates = pd.DataFrame([dict(activation=a, sigma_w2=s, seed=k, rate=1 + 0.1 * s + 0.01 * k,
                               lower_rate=(1 + 0.12 * s) if a == "relu" else np.nan, upper_rate=np.sqrt(s))
                          for a in ("relu", "tanh") for s in (2.0, 8.0) for k in range(2)])
    ax = tp.plot_growth_rates(rates, title="k = 100")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "8"]
    _clean(ax)


def test_transitions_dichotomies_and_layer_images():
    from workbench.papers.raghu import circle_through_layers
    from workbench.plots import trajectories as tp

    rng = np.random.default_rng(0)
    tv = pd.DataFrame(dict(sigma_w2=np.repeat([2.0, 8.0], 10), length_in=rng.uniform(1, 50, 20)))
    tv["transitions"] = (3 * tv.length_in + rng.normal(0, 2, 20)).round()
    dd = pd.DataFrame([dict(depth=d, remaining_depth=r, seed=s, n_dichotomies=2 ** r + s, max_dichotomies=2 ** 15)
                       for d in (2, 4) for r in range(1, d + 1) for s in range(2)])
    fig, axes = new_figure(1, 2, figsize=(12, 4.2))
    tp.plot_transitions_vs_length(tv, axes[0], title="Fig. 5")
    tp.plot_dichotomies(dd, axes[1], x="remaining_depth", hue="depth", title="Fig. 15")
    assert "depth = 2" in _legend_texts(axes[1])
    _clean(fig)
    traj = circle_through_layers((8, 16, 16, 16, 2), "tanh", sigma_w2=16.0, n_points=100, seed=0)
    fig, axes = new_figure(2, 3, figsize=(3.4 * 3, 7.2))
    for i, ax in enumerate(axes.flat[: traj.n_layers]):
        tp.plot_layer_image(traj, i, ax)
    for ax in axes.flat[traj.n_layers:]:
        ax.set_axis_off()
    assert axes.flat[0].get_ylabel()
    _clean(fig)


def test_raghu_paper_plots():
    from workbench.papers.raghu import plots as pe

    grid = pd.DataFrame([dict(depth=d, width=w, sigma_w2=s, seed=k, exact_total=10 * d * w * s,
                              sampled_total=9 * d * w * s, dataset="digits", activation="hardtanh", n_samples=400)
                         for d in (1, 3) for w in (8, 16) for s in (1.0, 8.0) for k in range(2)])
    fig, axes = pe.plot_transition_grid(grid)
    assert fig.get_suptitle().startswith("Raghu et al. Fig. 2")
    _clean(fig)
    base = pd.DataFrame([dict(width=w, sigma_w2=s, measured_base=0.8 + 0.05 * s, theory_base=np.sqrt(w))
                         for w in (8, 16) for s in (1.0, 8.0)])
    _clean(pe.plot_growth_base(base))
    mods = pd.DataFrame([dict(index=i, kind=k, ratio=1.5 ** i * (1 + 0.01 * seed), sigma_w2=s, seed=seed)
                         for s in (1.0, 4.0) for seed in range(2)
                         for i, k in enumerate(["Conv2d", "ReLU", "AvgPool2d", "Conv2d", "ReLU"])])
    ax = pe.plot_module_lengths(mods, hue="sigma_w2")
    assert "σ_w² = 1" in _legend_texts(ax)
    _clean(ax)


# ------------------------------------------------------------------ EDJM (notebook 05) and PL training (notebook 07)


def _study():
    from types import SimpleNamespace

    models = pd.DataFrame(dict(panel=["48 hidden units"] * 2 + ["~8,000 parameters"] * 2,
                               label=["1 x 48", "2 x 24", "1 x 107", "2 x 59 (lambda=0.001)"],
                               val_acc=[0.9, 0.8, 0.92, 0.86], score=[1.28, 1.31, 1.24, 2.23], depth=[1, 2, 1, 2]))
    models["score_fraction"] = models.score / 6.0
    spectra = pd.concat([pd.DataFrame(dict(panel=r.panel, label=r.label, component=np.arange(1, 65),
                                           normalized=np.exp(-np.arange(64) / (2 + i))))
                         for i, r in enumerate(models.itertuples())], ignore_index=True)
    return SimpleNamespace(models=models, spectra=spectra, figure="Fig. 1")


def test_edjm_study_scores_clear_of_the_legend_and_paper_beside_ours():
    from workbench.plots import edjm as ep

    study = _study()
    fig, axes = ep.plot_edjm_study(study)
    bars = axes[-1]
    assert bars.get_ylim()[1] >= 1.1 * study.models.score.max()  # the tallest bar's value fits
    assert bars.get_legend().get_bbox_to_anchor().y0 >= bars.bbox.y1 - 1  # above the axes, not on a bar
    assert "λ = 0.001" in bars.get_xticklabels()[-1].get_text()
    _clean(fig)
    fig, axes = ep.plot_edjm_study(study, log_x=True, ylim=None, scores=False)
    assert len(axes) == 2  # the spectra only: the scores are not repeated
    _clean(fig)
    fig, axes = ep.plot_edjm_study(study, value="score_fraction", paper=[0.1, 0.2, 0.3, 0.4])
    assert "paper (Wang et al. 2016)" in _legend_texts(axes[-1])
    _clean(fig)


def test_score_vs_accuracy_marks_groups_and_fits():
    from workbench.plots import edjm as ep

    a, b = _study(), _study()
    b.models = b.models.assign(val_acc=b.models.val_acc - 0.3)
    a.figure, b.figure = "Fig. 1", "Fig. 2"
    a.models = a.models.assign(figure="Fig. 1")
    b.models = b.models.assign(figure="Fig. 2")
    ax = ep.plot_score_vs_accuracy([a, b], value="score_fraction", annotate=False)
    texts = _legend_texts(ax)
    assert "Fig. 1" in texts and any("Spearman" in t for t in texts)
    _clean(ax)


def test_toy_run_figure_is_legible():
    from workbench.papers.pl_geometry.toy import ToyConfig, toy_run
    from workbench.plots.pl_training import plot_toy_run

    run = toy_run(ToyConfig(width=6, depth=2, epochs=3, n_points=60))
    axes = plot_toy_run(run, 3)
    _clean(axes[0].figure)


def test_toy_run_slope_axis_is_log_when_it_spans_decades():
    """A slope that grows by decades (a diverging run reaches 1e29) is drawn on a log axis (symlog: a median of
    exactly 0 stays visible), else linear."""
    from workbench.papers.pl_geometry.toy import ToyConfig, toy_run
    from workbench.plots.pl_training import plot_toy_run

    run = toy_run(ToyConfig(width=6, depth=2, epochs=3, n_points=60))
    axes = plot_toy_run(run, 3)
    h = run.history
    spread = max(h["slope_q90"].max(), h["slope_q50"].max()) / min(h["slope_q90"].min(), h["slope_q50"].min())
    assert axes[3].get_yscale() == ("symlog" if spread > 100 else "linear")
    run.history = h.assign(slope_q90=h["slope_q90"] * 10.0 ** (4 * h["epoch"]))  # decades apart per epoch
    axes = plot_toy_run(run, 3, axes=axes)
    assert axes[3].get_yscale() == "symlog"
    _clean(axes[0].figure)
