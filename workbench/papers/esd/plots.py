"""Plots of the ESD paper's §5.3 (Fig. 8: ResNet vs add-inputs) and Table 4 under subsets.

Each takes the tidy table of the matching recipe in :mod:`workbench.papers.esd.image_inputs`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from workbench.plots._base import LAYER_COLORS, new_axes

__all__ = ["plot_resnet_vs_add_inputs", "plot_correlation_robustness"]


def _col(i: int) -> str:
    return LAYER_COLORS[i % len(LAYER_COLORS)]


def plot_resnet_vs_add_inputs(df: pd.DataFrame, ax: Axes | None = None, **style) -> Axes:
    """Fig. 8: training (solid) and test (dashed) accuracy per epoch, mean over runs."""
    ax = new_axes(ax, figsize=(6, 4.2))
    m = df.groupby(["model", "epoch"])[["train_acc", "test_acc"]].mean().reset_index()
    for i, (k, g) in enumerate(m.groupby("model", sort=False)):
        ax.plot(g.epoch, g.train_acc, "-o", ms=3, color=_col(i), label=f"{k} train", **style)
        ax.plot(g.epoch, g.test_acc, "--", color=_col(i), label=f"{k} test")
    ax.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02))
    ax.set_title(f"Fig. 8: ResNet vs add-inputs on {df.n_train.iloc[0]} {df.dataset.iloc[0]} images")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, borderaxespad=0.0)
    return ax


def plot_correlation_robustness(df: pd.DataFrame, ax: Axes | None = None, **style) -> Axes:
    """Table 4 under subsets: histogram of r over random halves, leave-one-out r as ticks, all networks as a line."""
    ax = new_axes(ax, figsize=(6, 4.2))
    half = df[df.subset == "half"].r.to_numpy(float)
    ax.hist(half[np.isfinite(half)], bins=30, color="0.7", label="random halves", **style)
    for r in df[df.subset == "leave-one-out"].r:
        ax.axvline(r, color="tab:orange", lw=0.8, alpha=0.7)
    ax.axvline(df[df.subset == "all"].r.iloc[0], color="k", lw=2, label="all networks")
    ax.plot([], [], color="tab:orange", label="leave one out")
    ax.set(xlabel="Pearson r", ylabel="random halves", xlim=(-1, 1))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, borderaxespad=0.0)
    return ax
