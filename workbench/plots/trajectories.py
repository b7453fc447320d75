"""Plots for Raghu et al. (2017): length growth with bounds, transitions vs length, dichotomies, animations.

Every function takes a tidy result from :mod:`workbench.papers.raghu.trajectories`
and ``ax=None``; none computes a measure (projections and lengths come with the
result).  Figures are made without pyplot's global state.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from workbench.plots._base import LAYER_COLORS, apply_style, new_axes, new_figure

__all__ = [
    "plot_length_growth", "plot_growth_rates", "plot_transitions_vs_length", "plot_dichotomies",
    "plot_layer_training", "plot_layer_noise", "plot_length_during_training", "plot_trajreg_vs_batchnorm",
    "plot_layer_image", "plot_length_per_layer", "animate_layers", "save_gif",
]


_NAMES = {"sigma_w2": "σ_w²", "sigma_b2": "σ_b²", "width": "k", "depth": "depth", "remaining_depth": "remaining depth",
          "activation": "", "variant": "", "layer": "layer"}


def _label(hue: str, val) -> str:
    """A legend entry in words and symbols: ``σ_w² = 2``, ``k = 100``, ``relu`` (never ``sigma_w2=2``)."""
    name = _NAMES.get(hue, hue.replace("_", " "))
    v = f"{val:g}" if isinstance(val, (float, np.floating)) else str(val)
    return f"{name} = {v}" if name else v


def _legend_below(ax: Axes, ncol: int = 2, **kw):
    """A legend under the axes' x label (constrained layout makes room): inside it would hide curves or bounds."""
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), borderaxespad=0.0, fontsize=9, frameon=False,
                     ncol=ncol, **kw)


def _band(ax, x, lo, mid, hi, color, label, **style):
    ax.fill_between(x, lo, hi, color=color, alpha=0.18, lw=0)
    ax.plot(x, mid, color=color, label=label, marker="o", ms=3, **style)


def plot_length_growth(df: pd.DataFrame, ax: Axes | None = None, *, hue: str = "sigma_w2", bounds: bool = True,
                       title: str | None = None, **style) -> Axes:
    """Trajectory length ratio (to the input) per layer on a log axis, median and seed min-max band.

    One curve per value of ``hue`` (the other sweep axes should be fixed by
    filtering ``df`` first).  With ``bounds``, the paper's Theorem 3 lower
    bound ``lower_rate^d`` (dashed) and the linear-network upper bound
    ``upper_rate^d`` (dotted) are drawn in the same colour; the constant hidden
    by the theorem's ``O(.)`` is set to 1.
    """
    ax = new_axes(ax, figsize=(6, 4))
    drawn = set()
    for i, (val, g) in enumerate(sorted(df.groupby(hue), key=lambda kv: kv[0])):
        col = LAYER_COLORS[i % len(LAYER_COLORS)]
        q = g.groupby("layer")["ratio"].agg(["min", "median", "max"])
        _band(ax, q.index.to_numpy(), q["min"], q["median"], q["max"], col, _label(hue, val), **style)
        if bounds:
            b = g.groupby("layer")[["lower_bound", "upper_bound"]].first()
            if np.isfinite(b["lower_bound"]).all():
                ax.plot(b.index, b["lower_bound"], ls="--", color=col, lw=1.2)
                drawn.add("lower")
            if np.isfinite(b["upper_bound"]).all():
                ax.plot(b.index, b["upper_bound"], ls=":", color=col, lw=1.2)
                drawn.add("upper")
    ax.set_yscale("log")
    ax.set_xlabel("layer d")
    ax.set_ylabel("length $l(z^{(d)})\\,/\\,l(x)$")
    if "lower" in drawn:  # the legend names only the bounds drawn (tanh has none stated)
        ax.plot([], [], ls="--", color="k", lw=1.2, label="Thm 3 lower bound (constant 1)")
    if "upper" in drawn:
        ax.plot([], [], ls=":", color="k", lw=1.2, label="upper bound $\\sigma_w^d$ (linear net)")
    _legend_below(ax)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    return ax


def plot_growth_rates(rates: pd.DataFrame, ax: Axes | None = None, *, x: str = "sigma_w2", hue: str = "activation",
                      title: str | None = None, **style) -> Axes:
    """Measured per-layer growth factor (mean over seeds, min-max bars) vs ``x`` beside the bounds' rates."""
    ax = new_axes(ax, figsize=(6, 4))
    for i, (val, g) in enumerate(rates.groupby(hue)):
        col = LAYER_COLORS[i % len(LAYER_COLORS)]
        q = g.groupby(x).agg(rate=("rate", "mean"), lo=("rate", "min"), hi=("rate", "max"),
                             lower=("lower_rate", "first"), upper=("upper_rate", "first"))
        xs = q.index.to_numpy(float)
        name = _label(hue, val)
        ax.errorbar(xs, q["rate"], yerr=[q["rate"] - q["lo"], q["hi"] - q["rate"]], color=col, marker="o",
                    capsize=3, label=f"{name}: measured")
        if np.isfinite(q["lower"]).all():
            ax.plot(xs, q["lower"], ls="--", color=col, label=f"{name}: Thm 3 lower rate")
    q = rates.groupby(x)["upper_rate"].first()
    ax.plot(q.index.to_numpy(float), q.to_numpy(), ls=":", color="k", lw=1.5, label="$\\sigma_w$: upper rate")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xscale("log")
    xs = np.sort(rates[x].unique().astype(float))
    ax.set_xticks(xs, [f"{v:g}" for v in xs])  # the swept values, not 2×10⁰
    ax.minorticks_off()
    ax.set_xlabel(_NAMES.get(x, x.replace("_", " ")) or x)
    ax.set_ylabel("growth factor per layer")
    _legend_below(ax)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_transitions_vs_length(df: pd.DataFrame, ax: Axes | None = None, *, hue: str = "sigma_w2",
                               title: str | None = None, **style) -> Axes:
    """Exact transitions of a layer against the length of the trajectory entering it (Theorem 4)."""
    ax = new_axes(ax, figsize=(5.5, 4))
    for i, (val, g) in enumerate(df.groupby(hue)):
        ax.scatter(g["length_in"], g["transitions"], s=14, color=LAYER_COLORS[i % len(LAYER_COLORS)],
                   label=_label(hue, val), alpha=0.8)
    x, y = df["length_in"].to_numpy(float), df["transitions"].to_numpy(float)
    if len(x) > 1 and x.max() > x.min():
        slope = float((x * y).sum() / (x * x).sum())
        r = float(np.corrcoef(x, y)[0, 1])
        xs = np.linspace(0, x.max(), 10)
        ax.plot(xs, slope * xs, color="k", lw=1, ls="--", label=f"fit through 0: slope {slope:.2f}, r = {r:.2f}")
    ax.set_xlabel("trajectory length entering the layer")
    ax.set_ylabel("exact transitions in the layer")
    _legend_below(ax)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_dichotomies(df: pd.DataFrame, ax: Axes | None = None, *, x: str = "remaining_depth", hue: str = "depth",
                     title: str | None = None, **style) -> Axes:
    """Distinct labellings (mean, min-max over seeds) vs ``x`` (remaining depth, depth or width), log y."""
    ax = new_axes(ax, figsize=(5.5, 4))
    for i, (val, g) in enumerate(df.groupby(hue)):
        q = g.groupby(x)["n_dichotomies"].agg(["min", "mean", "max"])
        _band(ax, q.index.to_numpy(), q["min"], q["mean"], q["max"], LAYER_COLORS[i % len(LAYER_COLORS)],
              _label(hue, val))
    if "max_dichotomies" in df:
        ax.axhline(float(df["max_dichotomies"].iloc[0]), color="b", ls="--", lw=1, label="$2^n$ (all labellings)")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel("distinct dichotomies")
    _legend_below(ax, ncol=3)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_layer_training(df: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Train / test accuracy after training only one layer, against that layer's remaining depth (Figs. 7, 17)."""
    ax = new_axes(ax, figsize=(5.5, 4))
    for col, key in (("#1f77b4", "train_acc"), ("#d62728", "test_acc")):
        q = df.groupby("layer")[key].agg(["min", "mean", "max"])
        _band(ax, q.index.to_numpy(), q["min"], q["mean"], q["max"], col, key.replace("_acc", ""))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("trained layer (0 = first; the others stay at their random init)")
    ax.set_ylabel("accuracy")
    _legend_below(ax, ncol=3)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_layer_noise(df: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Test accuracy against the noise added to one layer's weights, one curve per layer."""
    ax = new_axes(ax, figsize=(5.5, 4))
    for layer, g in df.groupby("layer"):
        q = g.groupby("noise")["test_acc"].mean()
        ax.plot(q.index, q.to_numpy(), marker="o", ms=3, color=LAYER_COLORS[layer % len(LAYER_COLORS)],
                label=f"layer {layer}")
    ax.set_xlabel("noise ε (weights + ε·rms(W)·N(0,1))")
    ax.set_ylabel("test accuracy")
    _legend_below(ax, ncol=3)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_length_during_training(df: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Length ratio per layer at each checkpoint (lighter = earlier), log y (Figs. 8, 18)."""
    import matplotlib as mpl

    ax = new_axes(ax, figsize=(5.5, 4))
    steps = sorted(df["step"].unique())
    cmap = mpl.colormaps["viridis"]
    for i, s in enumerate(steps):
        q = df[df["step"] == s].groupby("layer")["ratio"].mean()
        ax.plot(q.index, q.to_numpy(), marker="o", ms=3, color=cmap(i / max(1, len(steps) - 1)), label=f"step {s}")
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel("length / input length")
    _legend_below(ax, ncol=3)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_trajreg_vs_batchnorm(df: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Test accuracy per epoch for no normalisation, batch norm and trajectory regularisation."""
    ax = new_axes(ax, figsize=(5.5, 4))
    for i, (v, g) in enumerate(df.groupby("variant")):
        q = g.groupby("epoch")["test_acc"].agg(["min", "mean", "max"])
        _band(ax, q.index.to_numpy(), q["min"], q["mean"], q["max"], LAYER_COLORS[i % len(LAYER_COLORS)], v)
    ax.set_xlabel("epoch")
    ax.set_ylabel("test accuracy")
    _legend_below(ax, ncol=3)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


# --------------------------------------------------------------------------------------
# layer views and the animation
# --------------------------------------------------------------------------------------
def plot_layer_image(traj, layer: int, ax: Axes | None = None, *, cmap: str = "twilight", **style) -> Axes:
    """One layer's image of the circle in its own stable 2-D projection, coloured by t."""
    ax = new_axes(ax, figsize=(4, 4))
    P = traj.projected[layer]
    ax.scatter(P[:, 0], P[:, 1], c=traj.t, cmap=cmap, s=4, vmin=0, vmax=2 * np.pi)
    ax.plot(np.r_[P[:, 0], P[:1, 0]], np.r_[P[:, 1], P[:1, 1]], color="k", lw=0.4, alpha=0.5)
    ax.set_title(f"{traj.layer_name(layer)}: length {traj.lengths[layer]:.3g}", fontsize=9)
    # two short lines: one long line ran into the neighbouring panels of a grid
    ax.set_xlabel(f"PC1 of this layer\n(2-D keeps {100 * traj.explained[layer]:.0f}% of var.)", fontsize=9)
    ax.set_ylabel("PC2 of this layer", fontsize=9)
    ax.set_aspect("equal", adjustable="datalim")
    for axis in (ax.xaxis, ax.yaxis):  # three ticks: more ran into the neighbouring panels
        axis.set_major_locator(MaxNLocator(nbins=2, symmetric=True))
    return apply_style(ax, style)


def plot_length_per_layer(traj, current: int | None = None, ax: Axes | None = None, **style) -> Axes:
    """Trajectory length per layer (log y) with the ``current`` layer highlighted."""
    ax = new_axes(ax, figsize=(4, 3))
    x = np.arange(traj.n_layers)
    ax.plot(x, traj.lengths, color="#555", marker="o", ms=3)
    if current is not None:
        ax.plot([current], [traj.lengths[current]], marker="o", ms=10, color="#d62728", zorder=3)
    ax.set_yscale("log")
    ax.set_xticks(x, ["in"] + [str(i) for i in x[1:-1]] + ["out"], fontsize=7)
    ax.set_xlabel("layer")
    ax.set_ylabel("trajectory length")
    return apply_style(ax, style)


def animate_layers(traj, *, interval: int = 600, figsize=(8.5, 4), fig=None):
    """The circle's image layer by layer as a matplotlib ``FuncAnimation``.

    Left: frame ``i`` shows layer ``i``'s image in that layer's own projection
    (PCA of the layer's image, sign fixed: stable from frame to frame, stated on
    the figure); right: the length per layer with the current layer
    highlighted.  Export with ``anim.to_jshtml()`` (plays in JupyterLab without
    a kernel) or :func:`save_gif`.  ``fig``: a figure to draw into (cleared
    first); by default a new one.
    """
    from matplotlib.animation import FuncAnimation

    if fig is None:
        fig, (a1, a2) = new_figure(1, 2, figsize=figsize, width_ratios=[1.1, 1])
    else:  # draw into the caller's figure (cleared)
        fig.clear()
        a1, a2 = fig.subplots(1, 2, width_ratios=[1.1, 1])
    fig.suptitle(f"{traj.activation}, widths {list(traj.widths)}, σ_w²={traj.sigma_w2:g}, σ_b²={traj.sigma_b2:g}\n"
                 f"projection: {traj.projection}", fontsize=8)

    def frame(i):
        a1.clear()
        a2.clear()
        plot_layer_image(traj, i, a1)
        plot_length_per_layer(traj, i, a2)
        return []

    frame(0)
    anim = FuncAnimation(fig, frame, frames=traj.n_layers, interval=interval, blit=False)
    anim._fig_ref = fig  # keep the figure alive with the animation
    return anim


def save_gif(anim, path: str, *, fps: int = 2) -> str:
    """Write a ``FuncAnimation`` as an animated GIF (Pillow) for slides; returns the path."""
    from matplotlib.animation import PillowWriter

    anim.save(path, writer=PillowWriter(fps=fps))
    return str(path)
