"""Plots of network functions."""
from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from workbench.plots._base import new_axes

__all__ = ["plot_function_1d"]


def plot_function_1d(table, ax: Axes | None = None, *, title: str | None = None, alpha: float = 0.9, **style) -> Axes:
    """Plot a 1-D function table (``workbench.experiments.function_1d``): ``y`` against ``x``, one line per ``seed``.

    ``table`` has columns ``x``, ``y`` and optionally ``seed``.
    """
    ax = new_axes(ax, figsize=(6.0, 3.6))
    groups = table.groupby("seed") if "seed" in table.columns else [(None, table)]
    for _, g in groups:
        ax.plot(np.asarray(g["x"]), np.asarray(g["y"]), lw=1.4, alpha=alpha, **style)
    ax.set_xlabel("input x")
    ax.set_ylabel("network output f(x)")
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    return ax
