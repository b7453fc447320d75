"""Plots of piecewise-linear geometry during training (Johansson 2022 §2.2, Papers II and IV).

Each function takes a result of :mod:`workbench.papers.pl_geometry.training` (or its table)
and draws it; none computes a measure.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from workbench.plots._base import LAYER_COLORS, apply_style, new_axes, new_figure
from workbench.plots.regions import plot_partition

__all__ = [
    "plot_rank_training",
    "plot_power_iteration",
    "plot_segment_regions",
    "plot_segment_sv",
    "plot_slope_training",
    "plot_robustness",
    "plot_toy_run",
]


def _plain_log_ticks(ax, y: bool = True):
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    for axis in (ax.xaxis, ax.yaxis) if y else (ax.xaxis,):
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(NullFormatter())


def _mark_diverged(ax, h):
    if "diverged" in h and bool(h["diverged"].any()):
        ep = h.loc[h["diverged"], "epoch"].iloc[0]
        ax.axvline(ep, color="#b00", ls=":", lw=1.2)
        ax.text(ep, ax.get_ylim()[1], " diverged", color="#b00", va="top", fontsize=8)


def plot_rank_training(result, axes=None, *, lrs=None, title: str | None = None):
    """Fig. 2.2: per learning rate (rows) loss, accuracy, and the rank of ``W_R`` (exact and eq. 2.3).

    ``result`` is a :class:`~workbench.papers.pl_geometry.training.RankTraining` or its history;
    ``lrs``: the rates to draw, one row each (default: every rate of the run).
    Returns the axes array ``(n_lr, 3)``.
    """
    h = result.history if hasattr(result, "history") else result
    have = sorted(h["lr"].unique())
    if lrs is None:
        lrs = have
    else:
        lrs = [float(x) for x in lrs]
        missing = [x for x in lrs if x not in have]
        if missing:
            raise ValueError(f"lrs {missing} are not in this run; it has {have}")
    if axes is None:
        _, axes = new_figure(len(lrs), 3, figsize=(12, 3.0 * len(lrs)), squeeze=False)
    axes = np.asarray(axes).reshape(len(lrs), 3)
    for row, lr in zip(axes, lrs):
        g = h[h["lr"] == lr]
        row[0].plot(g["epoch"], g["loss"], label="train")
        if "test_loss" in g:
            row[0].plot(g["epoch"], g["test_loss"], label="test")
        probe = lr in tuple(getattr(getattr(result, "config", None), "probe_lrs", ()) or ())
        row[0].set_ylabel(f"λ = {lr:g}" + (" (probe rate)" if probe else "") + "\nloss")
        row[1].plot(g["epoch"], g["train_acc"], label="train")
        if "test_acc" in g:
            row[1].plot(g["epoch"], g["test_acc"], label="test")
        row[1].set_ylabel("accuracy")
        row[1].set_ylim(0, 1.02)
        row[2].plot(g["epoch"], g["rank_mean"], "k-", lw=2, label="rank(W_R), exact (mean)")
        row[2].plot(g["epoch"], g["identity_rank_mean"], "--", color="#d62728", label="eq. 2.3 (mean)")
        row[2].fill_between(g["epoch"], g["rank_min"], g["rank_max"], color="0.8", label="exact, min-max")
        row[2].set_ylabel("rank")
        for ax in row:
            ax.set_xlabel("epoch")
            _mark_diverged(ax, g)
    axes[0, 0].legend(fontsize=9)  # the same in every row: once, where the rank is flat in the first row
    axes[0, 2].legend(fontsize=9, loc="best")
    axes[0, 0].figure.suptitle(title or "Rank of the local map during training (thesis Fig. 2.2)")
    return axes


def plot_power_iteration(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Relative error of the forward-backward estimate per iteration: median and 10-90 % band."""
    ax = new_axes(ax)
    g = table.groupby("iteration")["rel_error"]
    it = np.array(sorted(table["iteration"].unique()))
    floor = 1e-17
    med, lo, hi = (np.maximum(g.quantile(q).to_numpy(), floor) for q in (0.5, 0.1, 0.9))
    ax.fill_between(it, lo, hi, alpha=0.3, label="10-90 % of points")
    ax.plot(it, med, "o-", label="median")
    ax.set_yscale("log")
    ax.set_xlabel("power iterations (forward + backward)")
    ax.set_ylabel("(exact − estimate) / exact")
    ax.legend()
    ax.set_title(title or "Power iteration against the exact slope")
    return apply_style(ax, style)


def plot_segment_regions(summary: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Regions in a unit interval vs neurons: measured, the exact closed form, and Hanin & Rolnick's ``#neurons``."""
    ax = new_axes(ax)
    n = summary["neurons"].to_numpy()
    ax.errorbar(n, summary["regions_mean"], yerr=summary["regions_sem"], fmt="o", label="measured (exact counter)")
    if summary["expected_regions"].notna().all():
        ax.plot(n, summary["expected_regions"], "s--", mfc="none", label="closed form, default init")
    ax.plot(n, n, "k:", label="#neurons (Hanin & Rolnick)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("neurons")
    ax.set_ylabel("regions in [a, a+1]")
    _plain_log_ticks(ax)
    ax.legend(fontsize=9)
    ax.set_title(title or "Regions in a unit interval (eq. 2.14)")
    return apply_style(ax, style)


def plot_segment_sv(summary: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Fig. 2.3 right: ``E[(sigma - sigma~)^2]`` a unit distance apart against the bound 2C² − 2C²/n₁."""
    ax = new_axes(ax)
    n = summary["width"].to_numpy()
    ax.plot(n, summary["sq_diff_other_mean"], "o-", label="measured, end point in another region")
    ax.plot(n, summary["sq_diff_mean"], "^-", mfc="none", label="measured, all intervals")
    ax.plot(n, summary["bound_2_18"], "k--", label="bound 2C² − 2C²/n₁ (eq. 2.18)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("hidden neurons n₁")
    ax.set_ylabel("E[(σ − σ̃)²]")
    _plain_log_ticks(ax, y=False)
    ax.legend(fontsize=9)
    ax.set_title(title or "Slope change a unit distance apart (Fig. 2.3 right)")
    return apply_style(ax, style)


def plot_slope_training(result, axes=None, *, title: str | None = None):
    """Paper II: median slope on train (dashed) and test (solid, 25-75 % band) per epoch; one panel per depth,
    one colour per width, early stopping (lowest test loss) marked with a star."""
    h = result.history
    es = result.early_stopping()
    depths = sorted(h["depth"].unique())
    widths = sorted(h["width"].unique())
    if axes is None:
        _, axes = new_figure(1, len(depths), figsize=(4.3 * len(depths), 3.6), squeeze=False, sharey=True)
    axes = np.asarray(axes).ravel()
    for ax, d in zip(axes, depths):
        for j, w in enumerate(widths):
            g = h[(h["depth"] == d) & (h["width"] == w) & ~h["diverged"]]
            c = LAYER_COLORS[j % len(LAYER_COLORS)]
            ax.plot(g["epoch"], g["slope_test_q50"], "-", color=c, label=f"width {w}")
            ax.fill_between(g["epoch"], g["slope_test_q25"], g["slope_test_q75"], color=c, alpha=0.15)
            ax.plot(g["epoch"], g["slope_train_q50"], "--", color=c, lw=1)
            e = es[(es["depth"] == d) & (es["width"] == w)].iloc[0]
            ax.plot([e["es_epoch"]], [e["es_slope"]], "*", color=c, ms=13, mec="k")
        ax.set_title(f"depth {d}")
        ax.set_xlabel("epoch")
        ax.set_yscale("log")
    axes[0].set_ylabel("2-slope ||W_R||₂ (median)")
    axes[0].legend(fontsize=9, title="solid test, dashed train, ★ early stop", title_fontsize=9)
    axes[0].figure.suptitle(title or "Slope through training (Paper II)")
    return axes


def plot_robustness(result, axes=None, *, title: str | None = None):
    """Paper IV: accuracy under FGSM and PGD against the L-inf radius, one line per method."""
    r = result.robustness
    attacks = ["FGSM", "PGD"]
    if axes is None:
        _, axes = new_figure(1, 2, figsize=(10, 3.6), sharey=True)
    axes = np.asarray(axes).ravel()
    for ax, att in zip(axes, attacks):
        for j, (m, g) in enumerate(r[r["attack"] == att].groupby("method", sort=False)):
            ax.plot(g["eps"], g["accuracy"], "o-", color=LAYER_COLORS[j % len(LAYER_COLORS)], label=m)
        ax.set_title(att)
        ax.set_xlabel("L∞ radius ε")
        ax.set_ylim(0, 1.02)
    axes[0].set_ylabel("test accuracy under attack")
    axes[0].legend(fontsize=9)
    axes[0].figure.suptitle(title or "Robustness: none vs slope penalty vs spectral norm (Paper IV)")
    return axes


def plot_toy_run(run, epoch: int, *, axes=None, partition=None, title: str | None = None):
    """The toy run at ``epoch``: loss/accuracy, rank and slope curves with the epoch marked, and the
    exact partition at that epoch (``partition``: pass a precomputed one) with the data on top."""
    h = run.history
    if axes is None:
        from workbench.plots.style import LegibleFigure

        fig = LegibleFigure(figsize=(13, 4.6), layout="constrained")  # text enlarged to projector size when drawn
        gs = fig.add_gridspec(2, 3, width_ratios=[1.1, 1.1, 1.3])
        axes = [fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[0, 1]),
                fig.add_subplot(gs[1, 1]), fig.add_subplot(gs[:, 2])]
    a_loss, a_acc, a_rank, a_slope, a_part = axes
    e = run.nearest_epoch(epoch)
    a_loss.plot(h["epoch"], h["loss"], color="C0")
    a_loss.set_ylabel("loss")
    a_acc.plot(h["epoch"], h["train_acc"], color="C1")
    a_acc.set_ylabel("train accuracy")
    a_acc.set_ylim(0, 1.02)
    a_rank.plot(h["epoch"], h["rank_mean"], "k-", label="exact")
    a_rank.plot(h["epoch"], h["identity_rank_mean"], "--", color="#d62728", label="eq. 2.3")
    a_rank.set_ylabel("mean rank W_R")
    a_rank.set_ylim(-0.05, 2.1)
    a_rank.legend(fontsize=9)
    a_slope.plot(h["epoch"], h["slope_q50"], color="C2", label="median")
    a_slope.plot(h["epoch"], h["slope_q90"], ":", color="C2", label="90 %")
    a_slope.set_ylabel("2-slope")
    pos = np.concatenate([h["slope_q50"].to_numpy(float), h["slope_q90"].to_numpy(float)])
    pos = pos[np.isfinite(pos) & (pos > 0)]
    if len(pos) and pos.max() > 100 * pos.min():  # spans decades (a diverging run reaches 1e29): a log axis,
        # linear near 0 so that a median of exactly 0 (dead regions) stays on the picture
        from matplotlib.ticker import FixedLocator, NullLocator

        lin = float(pos.min())
        a_slope.set_yscale("symlog", linthresh=lin)
        lo, hi = np.log10(lin), np.log10(pos.max())
        # 0 and three decades spread over the axis (thirty labelled decades would overlap)
        decades = sorted({int(round(hi - i * (hi - lo) / 3)) for i in range(3)})
        a_slope.yaxis.set_major_locator(FixedLocator([0.0] + [10.0 ** d for d in decades if d > lo + (hi - lo) / 6]))
        a_slope.yaxis.set_minor_locator(NullLocator())
        a_slope.set_ylim(bottom=0)
    else:  # axes drawn into again (a panel) start linear
        a_slope.set_yscale("linear")
    a_slope.legend(fontsize=9)
    for ax in (a_loss, a_acc, a_rank, a_slope):
        ax.axvline(e, color="0.4", lw=1)
        ax.set_xlabel("epoch")
        _mark_diverged(ax, h)
    part = partition if partition is not None else run.partition_at(e)
    plot_partition(part, a_part, color_by="argmax", edge_width=0.6, legend=False,
                   title=f"epoch {e}: {len(part):,} regions")
    X, y = run.X.numpy(), run.y.numpy()
    a_part.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "white", "black"), s=8, edgecolors="0.3", linewidths=0.3)
    c = run.config
    a_part.figure.suptitle(title or f"width {c.width}, depth {c.depth}, lr {c.lr:g}, slope penalty {c.penalty:g}"
                           + ("  —  DIVERGED" if run.diverged else ""))
    return axes
