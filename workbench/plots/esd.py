"""Plots of the expected spanning dimension (ESD paper §3-5, Figs. 1-6).

They draw results of :mod:`workbench.papers.esd.sampling`; they compute no measure.
"""
from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from workbench.plots._base import LAYER_COLORS, apply_style, new_axes

__all__ = [
    "plot_sd_distribution",
    "plot_esd_heatmap",
    "plot_esd_heatmaps",
    "plot_fit_scatter",
    "plot_training_curves",
    "plot_esd_comparison",
    "plot_psd_depths",
]


def _values(result) -> np.ndarray:
    if hasattr(result, "values") and not isinstance(result, pd.DataFrame):
        return np.asarray(result.values, dtype=float)
    if isinstance(result, pd.DataFrame):
        return result["sd"].to_numpy(float)
    return np.asarray(result, dtype=float)


def plot_sd_distribution(
    result,
    *,
    ax: Axes | None = None,
    bins: int | str = 30,
    color: str = LAYER_COLORS[0],
    label: str | None = None,
    paper: float | None = None,
    title: str | None = None,
    **style,
) -> Axes:
    """Histogram of the spanning dimensions (seaborn) with the ESD (their mean) marked (Figs. 1-2).

    The legend sits above the axes, outside the data.

    Parameters
    ----------
    result
        An :class:`workbench.papers.esd.sampling.ESDResult`, its ``.table`` or an
        array of spanning dimensions.
    paper
        The paper's ESD, drawn as a dashed grey line marked "paper" for comparison.
    """
    import seaborn as sns
    from matplotlib.ticker import MaxNLocator

    ax = new_axes(ax, figsize=(5.5, 3.6))
    v = _values(result)
    if len(v) == 0:
        raise ValueError("no spanning dimensions to plot")
    span = float(v.max() - v.min())
    b = bins if span > 1e-9 else 1
    sns.histplot(x=v, bins=b, color=color, alpha=0.75, edgecolor="white", ax=ax,
                 label=label or f"samples ({len(v)})")
    m = float(v.mean())
    ax.axvline(m, color="k", lw=2, label=f"ESD (ours) = {m:.2f}")
    if paper is not None:
        ax.axvline(paper, color="0.45", lw=2, ls="--", label=f"ESD (paper) = {paper:.2f}")
    ax.set_xlabel("spanning dimension (effective rank of J)")
    ax.set_ylabel("samples")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # two columns: three entries in one row ran past a half-width panel at the paper's 1,000 samples (issue 27)
    n_entries = 2 + (paper is not None)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False, borderaxespad=0.2,
              handlelength=1.5, columnspacing=1.0)
    if title:
        ax.set_title(title, pad=26 if n_entries <= 2 else 48)  # above the legend's one or two rows
    return apply_style(ax, style)


def plot_esd_heatmap(
    table: pd.DataFrame,
    activation: str | None = None,
    *,
    ax: Axes | None = None,
    value: str = "esd",
    vmin: float | None = None,
    vmax: float | None = None,
    cmap: str = "viridis",
    colorbar: bool = True,
    title: str | None = None,
    **style,
) -> Axes:
    """ESD of two-hidden-layer MLPs as a heat map: ``n1`` (first hidden layer) down, ``n2`` across (Fig. 4).

    ``table`` is the output of :func:`workbench.papers.esd.figures.esd_grid`;
    ``activation`` selects one activation when the table holds several.
    """
    ax = new_axes(ax, figsize=(4.6, 4.0))
    df = table if activation is None else table[table["activation"] == activation]
    if df.empty:
        raise ValueError(f"no rows for activation {activation!r} in the table")
    grid = df.pivot_table(index="n1", columns="n2", values=value)
    n1, n2 = grid.index.to_numpy(), grid.columns.to_numpy()
    im = ax.imshow(grid.to_numpy(), origin="lower", cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto",
                   extent=(n2.min() - 0.5, n2.max() + 0.5, n1.min() - 0.5, n1.max() + 0.5))
    ax.set_xlabel("nodes in hidden layer 2")
    ax.set_ylabel("nodes in hidden layer 1")
    ax.set_title(title if title is not None else (activation or ""))
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label="ESD" if value == "esd" else value, shrink=0.85)
    return apply_style(ax, style)


def plot_esd_heatmaps(table: pd.DataFrame, axes: Sequence[Axes] | None = None, *, shared_scale: bool = True,
                      **kw) -> np.ndarray:
    """One :func:`plot_esd_heatmap` per activation in ``table`` (Fig. 4), on a shared colour scale."""
    from workbench.plots._base import new_figure

    acts = list(dict.fromkeys(table["activation"]))
    if axes is None:
        _, axes = new_figure(1, len(acts), figsize=(4.4 * len(acts), 3.9))
    axes = np.atleast_1d(axes)
    if len(axes) < len(acts):
        raise ValueError(f"need {len(acts)} axes, got {len(axes)}")
    lim = dict(vmin=float(table["esd"].min()), vmax=float(table["esd"].max())) if shared_scale else {}
    for ax, a in zip(axes, acts):
        plot_esd_heatmap(table, a, ax=ax, **lim, **kw)
    return axes


def plot_fit_scatter(
    table: pd.DataFrame,
    x: str = "esd",
    y: str = "train_error",
    *,
    ax: Axes | None = None,
    log_y: bool = True,
    correlations: pd.DataFrame | None = None,
    paper_r: float | None = None,
    color: str = LAYER_COLORS[0],
    xlabel: str | None = None,
    title: str | None = None,
    **style,
) -> Axes:
    """Scatter of ``y`` against ``x`` with the least-squares line and Pearson r / p (Fig. 3).

    ``correlations`` is the output of
    :func:`workbench.papers.esd.figures.fit_correlations` computed with the same
    ``log_y``; its row for ``x`` gives the line and the legend's r and p.
    ``paper_r``: the paper's correlation for this panel (§4: |r| = 0.91 for the ESD, 0.35 for the parameters),
    listed in the legend marked as the paper's.
    """
    ax = new_axes(ax, figsize=(5.0, 3.8))
    xx = table[x].to_numpy(float)
    yy = table[y].to_numpy(float)
    ax.scatter(xx, yy, s=18, color=color, alpha=0.75, edgecolor="none", label=f"networks ({len(xx)})")
    if log_y:
        ax.set_yscale("log")
    if correlations is not None:
        row = correlations[correlations["x"] == x]
        if len(row):
            r = row.iloc[0]
            xs = np.linspace(np.nanmin(xx), np.nanmax(xx), 50)
            ys = r.slope * xs + r.intercept
            ax.plot(xs, 10**ys if log_y else ys, color="k", lw=1.5,
                    label=f"least squares (ours): r = {r.r:.2f}, p = {r.p_value:.1e}")
    if paper_r is not None:
        ax.plot([], [], ls="none", label=f"paper: |r| = {paper_r:.2f}")
    if correlations is not None or paper_r is not None:
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, borderaxespad=0.2)
    ax.set_xlabel(xlabel or {"esd": "ESD", "n_params": "trainable parameters"}.get(x, x))
    ax.set_ylabel({"train_error": "training error (MSE)"}.get(y, y))
    if title:
        leg = ax.get_legend()
        ax.set_title(title, pad=8 + 21 * len(leg.get_texts()) if leg else None)  # above the legend
    return apply_style(ax, style)


def plot_training_curves(table: pd.DataFrame, y: str = "train_acc", *, ax: Axes | None = None,
                         title: str | None = None, **style) -> Axes:
    """Training curves per model (Fig. 6): ``y`` against ``epoch``, one line per ``model``.

    A ``title`` longer than the figure's width (about 50 characters) is wrapped onto more lines."""
    ax = new_axes(ax, figsize=(5.5, 3.6))
    for i, (name, df) in enumerate(table.groupby("model", sort=False)):
        ax.plot(df["epoch"], df[y], label=name, color=LAYER_COLORS[i % len(LAYER_COLORS)], lw=2)
    ax.set_xlabel("epoch")
    ax.set_ylabel({"train_acc": "training accuracy", "loss": "training loss", "test_acc": "test accuracy"}.get(y, y))
    if y.endswith("acc"):
        ax.set_ylim(0, 1.02)
    ax.legend(frameon=False)
    if title:  # the paper profile's sizes make notebook 01's Fig. 6 title 62 characters: wrap it, not clip it
        ax.set_title("\n".join(textwrap.fill(line, 50) for line in str(title).splitlines()))
    return apply_style(ax, style)


def plot_esd_comparison(results: Mapping[str, object], *, ax: Axes | None = None, kind: str = "violin",
                        paper: Mapping[str, float] | None = None, title: str | None = None, **style) -> Axes:
    """SD distributions of several architectures side by side, ESD marked (Fig. 5).

    ``results`` maps a name to an ``ESDResult`` (or an array of SDs);
    ``kind`` is ``"violin"`` or ``"bar"`` (mean with one-std error bars);
    ``paper`` maps names to the paper's ESDs, drawn as grey diamonds.
    """
    import seaborn as sns

    if kind not in ("violin", "bar"):
        raise ValueError(f"kind must be 'violin' or 'bar', got {kind!r}")
    ax = new_axes(ax, figsize=(5.5, 3.8))
    names = list(results)
    vals = [_values(results[n]) for n in names]
    long = pd.DataFrame({"architecture": np.repeat(names, [len(v) for v in vals]),
                         "sd": np.concatenate(vals) if vals else []})
    palette = {n: LAYER_COLORS[i % len(LAYER_COLORS)] for i, n in enumerate(names)}
    if kind == "violin":
        sns.violinplot(long, x="architecture", y="sd", hue="architecture", palette=palette, order=names,
                       inner=None, cut=0, density_norm="width", linewidth=0, alpha=0.55, legend=False, ax=ax)
    else:
        sns.barplot(long, x="architecture", y="sd", hue="architecture", palette=palette, order=names,
                    errorbar="sd", capsize=0.2, alpha=0.7, legend=False, ax=ax)
    pos = np.arange(len(names))
    means = [float(v.mean()) for v in vals]
    ax.scatter(pos, means, color="k", zorder=3, label="ESD (ours)")
    for p_, m in zip(pos, means):
        ax.annotate(f"{m:.2f}", (p_, m), xytext=(8, 0), textcoords="offset points", va="center")
    if paper:
        pp = [(i, paper[n]) for i, n in enumerate(names) if n in paper]
        if pp:
            ax.scatter([p[0] for p in pp], [p[1] for p in pp], marker="D", color="0.45", zorder=3,
                       label="ESD (paper)")
            for i, v in pp:
                ax.annotate(f"{v:.2f}", (i, v), xytext=(8, 0), textcoords="offset points", va="center",
                            color="0.35")
    ax.set_xlabel("architecture")
    ax.set_ylabel("spanning dimension")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False, borderaxespad=0.2)
    if title:
        ax.set_title(title, pad=28)
    return apply_style(ax, style)


def plot_psd_depths(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None, **style) -> Axes:
    """Polynomial spanning dimension against the number of hidden layers with Theorem 2.1's bound ``l + 2``.

    ``table`` has columns ``hidden_layers``, ``psd`` and optionally ``n_params``
    and ``degree`` (:func:`workbench.papers.esd.figures.psd_over_depths`).
    """
    ax = new_axes(ax, figsize=(5.0, 3.6))
    l = table["hidden_layers"].to_numpy()
    ax.plot(l, l + 2, color="0.6", lw=7, alpha=0.45, solid_capstyle="round", label="Theorem 2.1 bound l + 2")
    if "n_params" in table:
        ax.plot(l, table["n_params"], color=LAYER_COLORS[1], ls=":", label="parameters 2l + 2")
    ax.plot(l, table["psd"], "o-", color=LAYER_COLORS[0], lw=2, label="PSD (exact)")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("hidden layers l (one node each)")
    ax.set_ylabel("dimension")
    ax.legend(frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)
