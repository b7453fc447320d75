"""Plots of Raghu et al. (2017): Fig. 2 transition grid, Theorem 4's growth base, dichotomies vs the
random walk, the Sauer-Shelah bound, per-module lengths of conv nets.

Each takes the tidy table of the matching recipe in :mod:`workbench.papers.raghu.figures`.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from workbench.plots._base import LAYER_COLORS, new_axes, new_figure

__all__ = [
    "plot_transition_grid", "plot_growth_base", "plot_dichotomies_vs_flips", "plot_sauer_shelah",
    "plot_module_lengths",
]


def _col(i: int) -> str:
    return LAYER_COLORS[i % len(LAYER_COLORS)]


def _legend_below(ax: Axes, ncol: int = 2, **kw):
    """A legend under the axes' x label (constrained layout makes room): inside it would hide curves or bounds."""
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), borderaxespad=0.0, fontsize=9, frameon=False,
                     ncol=ncol, **kw)


def _plain_log_x(ax: Axes, values) -> None:
    """Ticks at the swept values of a log x-axis, written plainly (2, 8 rather than 2×10⁰)."""
    xs = sorted({float(v) for v in values})
    ax.set_xticks(xs, [f"{v:g}" for v in xs])
    ax.xaxis.set_minor_formatter("")


_HUES = {"sigma_w2": "σ_w²", "sigma_b2": "σ_b²", "width": "k", "step": "step", "depth": "depth"}


def plot_transition_grid(df: pd.DataFrame, *, fig=None, axes=None, title: str | None = None):
    """Fig. 2: total transitions against depth (one curve per width) and against sigma_w^2 (one per depth).

    Solid: exact; dashed: sampled (``n_samples`` points on the circle).  Left:
    at the largest sigma_w^2; right: at the largest width.  Returns ``(fig, axes)``.
    """
    if axes is None:
        fig, axes = new_figure(1, 2, figsize=(11, 4.2)) if fig is None else (fig, fig.subplots(1, 2))
    fig = axes[0].figure
    tot = df.groupby(["depth", "width", "sigma_w2", "seed"], as_index=False)[["exact_total", "sampled_total"]].first()
    s_max, w_max = tot.sigma_w2.max(), tot.width.max()
    a = tot[tot.sigma_w2 == s_max].groupby(["width", "depth"])[["exact_total", "sampled_total"]].mean().reset_index()
    for i, (w, g) in enumerate(a.groupby("width")):
        axes[0].plot(g.depth, g.exact_total, "-o", color=_col(i), label=f"width {w} exact")
        axes[0].plot(g.depth, g.sampled_total, "--", color=_col(i), label=f"width {w} sampled")
    axes[0].set(yscale="log", xlabel="depth (hidden layers)", ylabel="transitions (all neurons)",
                title=f"σ_w² = {s_max:g}")
    b = tot[tot.width == w_max].groupby(["depth", "sigma_w2"])[["exact_total", "sampled_total"]].mean().reset_index()
    for i, (d, g) in enumerate(b.groupby("depth")):
        axes[1].plot(g.sigma_w2, g.exact_total, "-o", color=_col(i), label=f"depth {d} exact")
        axes[1].plot(g.sigma_w2, g.sampled_total, "--", color=_col(i), label=f"depth {d} sampled")
    axes[1].set(xscale="log", yscale="log", xlabel="σ_w²", ylabel="transitions (all neurons)", title=f"width {w_max}")
    _plain_log_x(axes[1], b.sigma_w2)
    axes[0].set_xticks(sorted(a.depth.unique()))
    for ax in axes:
        ax.grid(alpha=0.3, which="both")
        _legend_below(ax, ncol=2)
    fig.suptitle(title or f"Raghu et al. Fig. 2: transitions on a circle through two points of {df.dataset.iloc[0]} "
                 f"({df.activation.iloc[0]}; solid exact, dashed {df.n_samples.iloc[0]} samples)")
    return fig, axes


def plot_growth_base(table: pd.DataFrame, ax: Axes | None = None, **style) -> Axes:
    """Theorem 4's scaling: measured growth base of per-layer transitions against sqrt(k)/sqrt(1 + σ_b²/σ_w²)."""
    ax = new_axes(ax, figsize=(6, 4.2))
    for i, (w, g) in enumerate(table.groupby("width")):
        ax.plot(g.sigma_w2, g.measured_base, "-o", color=_col(i), label=f"k = {w}: measured", **style)
        ax.plot(g.sigma_w2, g.theory_base, ":", color=_col(i), lw=2, label=f"k = {w}: Thm 4 base")
    ax.set(xscale="log", xlabel="σ_w²", ylabel="growth base per layer")
    _plain_log_x(ax, table.sigma_w2)
    ax.set_title("Theorem 4: transitions per layer grow as $\\mathrm{base}^{\\,\\mathrm{layer}}$")
    ax.grid(alpha=0.3, which="both")
    _legend_below(ax, ncol=2, title="Thm 4 base: $\\sqrt{k}\\,/\\sqrt{1 + \\sigma_b^2/\\sigma_w^2}$ (dotted)",
                  title_fontsize=9)
    return ax


def plot_dichotomies_vs_flips(sweep: pd.DataFrame, walk: pd.DataFrame, ax: Axes | None = None, **style) -> Axes:
    """Distinct dichotomies against label flips of weight sweeps, beside the random-walk model (median band 5-95 %)."""
    ax = new_axes(ax, figsize=(6, 4.2))
    ax.fill_between(walk.flips, walk.lo, walk.hi, color="0.6", alpha=0.35, lw=0, label="random walk 5-95 %")
    ax.plot(walk.flips, walk["mean"], color="0.3", lw=1.5, label="random walk mean")
    for i, (d, g) in enumerate(sweep.groupby("depth")):
        ax.scatter(g.n_label_flips, g.n_dichotomies, color=_col(i), s=22, label=f"depth {d}", **style)
    ax.axhline(walk.max_dichotomies.iloc[0], ls="--", color="tab:blue", lw=1, label="$2^n$ (all dichotomies)")
    ax.set_xscale("symlog", linthresh=1)
    ax.set(yscale="log", xlim=(0, None), xlabel="label flips along the sweep", ylabel="distinct dichotomies")
    ax.set_title("Fig. 16: dichotomies vs label flips")
    ax.grid(alpha=0.3, which="both")
    _legend_below(ax, ncol=2)
    return ax


def plot_sauer_shelah(n: int, bounds: pd.DataFrame, observed: pd.DataFrame, ax: Axes | None = None, **style) -> Axes:
    """Observed dichotomies per depth against the Sauer-Shelah bound ``sum_{i<=d} C(n, i)`` for VC dimension ``d``.

    ``bounds``: ``d, bound``; ``observed``: ``depth, n_dichotomies`` (one row per network).
    """
    ax = new_axes(ax, figsize=(6, 4.2))
    ax.step(bounds.d, bounds.bound, where="post", color="k", label="Sauer-Shelah bound")
    ax.axhline(2 ** n, ls="--", color="tab:blue", lw=1, label=f"$2^{{{n}}}$")
    for i, (d, g) in enumerate(observed.groupby("depth")):
        ax.axhline(g.n_dichotomies.max(), color=_col(i), lw=1.5, label=f"depth {d}: most seen", **style)
    ax.set(yscale="log", xlabel="VC dimension d", ylabel=f"labellings of n = {n} points")
    ax.set_title("Dichotomies are capped by Sauer-Shelah")
    ax.grid(alpha=0.3, which="both")
    _legend_below(ax, ncol=2)
    return ax


def plot_module_lengths(df: pd.DataFrame, ax: Axes | None = None, *, hue: str = "sigma_w2", **style) -> Axes:
    """Trajectory length ratio after every module (x: module index, labelled by kind), one curve per ``hue``."""
    ax = new_axes(ax, figsize=(8, 4.2))
    for i, (v, g) in enumerate(df.groupby(hue)):
        q = g.groupby("index")["ratio"].agg(["min", "median", "max"])
        ax.fill_between(q.index, q["min"], q["max"], color=_col(i), alpha=0.15, lw=0)
        vs = f"{v:g}" if isinstance(v, float) else str(v)
        ax.plot(q.index, q["median"], "-o", ms=3, color=_col(i), label=f"{_HUES.get(hue, hue)} = {vs}", **style)
    first = df.drop_duplicates("index").sort_values("index")
    ax.set_xticks(first["index"], [k.replace("2d", "").replace("Conv", "conv").replace("BatchNorm", "BN")
                                   for k in first["kind"]], rotation=60, fontsize=8)
    ax.set(yscale="log", xlabel="module (input to output)", ylabel="length / input length")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=9, frameon=False)
    return ax
