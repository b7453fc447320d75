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
