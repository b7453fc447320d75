"""The Playground picture: the exact partition coloured by the decision (or a sampled map for smooth
activations) with the train/test data on top, one neuron's boundary, and the curves per epoch.

Draws results of :mod:`workbench.papers.pl_geometry.playground`; computes no measure.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from workbench.plots.regions import plot_partition

__all__ = ["plot_playground", "CLASS_COLORS", "NEURON_COLOR"]

CLASS_COLORS = ("#1f77b4", "#ff7f0e")
"""Region / map colours of class 0 and class 1 (tab10's first two, as ``plot_partition(color_by="argmax")``)."""
NEURON_COLOR = "#d6006f"
RASTER_REGIONS = 2_000
"""The map is drawn as an image (``plot_partition(raster=True)``) above this many regions."""
ACTIVATION_NAMES = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "hardtanh": "hardtanh", "relu6": "ReLU6",
                    "tanh": "tanh", "sigmoid": "sigmoid"}


def _data(ax, snap):
    for X, y, marker, what in ((snap.X_train, snap.y_train, "o", "train"), (snap.X_test, snap.y_test, "^", "test")):
        X, y = X.numpy(), y.numpy()
        for c, (face, edge) in enumerate((("black", "white"), ("white", "black"))):
            m = y == c
            ax.scatter(X[m, 0], X[m, 1], s=22 if marker == "o" else 26, marker=marker, c=face, edgecolors=edge,
                       linewidths=0.6, zorder=6, label=f"{what}, class {c}")


def plot_playground(snap, *, partition=None, decision=None, neuron=None, neuron_segments=None,
                    neuron_map=None, note: str | None = None, bounds=(-1.0, 1.0, -1.0, 1.0), title: str | None = None,
                    fig=None):
    """One figure: the map (left) and train/test loss, region count and mean slope per epoch (right).

    ``snap`` is a :class:`~workbench.papers.pl_geometry.playground.PlaygroundSnapshot`.  Give ``partition``
    (exact regions, coloured by the predicted class) or ``decision`` (a sampled ``P(class 1)`` grid, row 0 at
    the bottom) and optionally ``neuron = (layer, index)`` with its boundary: ``neuron_segments`` (``(E, 2, 2)``
    edges of the exact partition) or ``neuron_map`` (its sampled pre-activation, drawn as the zero contour).
    ``note`` is a line under the map (e.g. why it is sampled).  ``fig``: a figure of this function's to clear
    and draw into again (an interactive canvas keeps its figure); by default a new one.  Returns the axes
    ``[map, loss, regions, slope]``.
    """
    from workbench.plots.style import LegibleFigure

    if (partition is None) == (decision is None):
        raise ValueError("give exactly one of partition (exact regions) and decision (a sampled map)")
    if fig is None:
        fig = LegibleFigure(figsize=(13, 6.2), layout="constrained")  # text enlarged to projector size when drawn
    else:
        fig.clear()
    gs = fig.add_gridspec(3, 2, width_ratios=[1.45, 1.0])
    a_map = fig.add_subplot(gs[:, 0])
    a_slope = fig.add_subplot(gs[2, 1])
    a_loss, a_reg = (fig.add_subplot(gs[i, 1], sharex=a_slope) for i in range(2))
    handles = []
    if partition is not None:
        # above RASTER_REGIONS regions one image (the exact region under each pixel's centre), not polygons:
        # 2-64x4 (about 8,000 regions) draws in a third of the time, so play keeps up
        plot_partition(partition, a_map, color_by="argmax", edge_width=0.5, legend=False, alpha=0.85,
                       raster=len(partition) > RASTER_REGIONS, title=f"{len(partition):,} exact linear regions")
    else:
        cmap = LinearSegmentedColormap.from_list("decision", [CLASS_COLORS[0], "white", CLASS_COLORS[1]])
        u0, u1, v0, v1 = bounds
        a_map.imshow(decision, origin="lower", extent=(u0, u1, v0, v1), cmap=cmap, vmin=0, vmax=1,
                     interpolation="nearest", alpha=0.85)
        n = decision.shape[0]
        xs = u0 + (u1 - u0) * (np.arange(n) + 0.5) / n
        ys = v0 + (v1 - v0) * (np.arange(n) + 0.5) / n
        if 0 < decision.min() < 0.5 < decision.max():
            a_map.contour(xs, ys, decision, levels=[0.5], colors="0.15", linewidths=1.2)
        a_map.set_xlim(u0, u1)
        a_map.set_ylim(v0, v1)
        a_map.set_aspect("equal")
        for axis in (a_map.xaxis, a_map.yaxis):
            axis.set_major_locator(MaxNLocator(nbins=4))
        a_map.set_xlabel("x₁")
        a_map.set_ylabel("x₂")
        a_map.set_title(f"decision map sampled on a {n}×{n} grid")
    if note:  # a second title line: below the axes it would fight the legend and the tick labels
        a_map.set_title(a_map.get_title() + "\n" + note, color="#8a3b00", fontsize=10, pad=12)
    _data(a_map, snap)
    if neuron is not None:
        lab = f"boundary of layer {neuron[0]}, neuron {neuron[1]}"
        if neuron_segments is not None:
            a_map.add_collection(LineCollection(neuron_segments, colors=NEURON_COLOR, linewidths=2.6, zorder=7),
                                 autolim=False)
            if len(neuron_segments) == 0:
                lab += " (outside the square)"
        elif neuron_map is not None:
            n = neuron_map.shape[0]
            u0, u1, v0, v1 = bounds
            xs = u0 + (u1 - u0) * (np.arange(n) + 0.5) / n
            ys = v0 + (v1 - v0) * (np.arange(n) + 0.5) / n
            if neuron_map.min() < 0 < neuron_map.max():
                a_map.contour(xs, ys, neuron_map, levels=[0.0], colors=NEURON_COLOR, linewidths=2.6, zorder=7)
            else:
                lab += " (outside the square)"
            lab += ", sampled zero set"
        handles.append(Line2D([], [], color=NEURON_COLOR, lw=2.6, label=lab))
    for c in (0, 1):
        handles.append(Line2D([], [], ls="", marker="s", ms=10, color=CLASS_COLORS[c], label=f"predicted {c}"))
    handles += [Line2D([], [], ls="", marker="o", mfc="black", mec="white", label="train, class 0"),
                Line2D([], [], ls="", marker="o", mfc="white", mec="black", label="train, class 1"),
                Line2D([], [], ls="", marker="^", mfc="0.5", mec="black", label="test")]
    a_map.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), borderaxespad=0.0, fontsize=9,
                 frameon=False, ncols=3)
    h = snap.history
    a_loss.plot(h["epoch"], h["loss"], color="C0", label="train")
    a_loss.plot(h["epoch"], h["test_loss"], color="C3", label="test")
    a_loss.set_ylabel("loss")
    a_loss.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)
    r = h[h["regions"].notna()]
    if len(r):
        a_reg.plot(r["epoch"], r["regions"], "o:", color="C2", ms=5, lw=1)
    else:
        a_reg.text(0.5, 0.5, "sampled map: no exact regions" if partition is None else "not computed yet",
                   transform=a_reg.transAxes, ha="center", va="center", fontsize=10, color="0.4")
    a_reg.set_ylabel("regions\n(drawn epochs)")
    a_reg.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))  # a count: no 7.8 or 8.1 ticks
    a_slope.plot(h["epoch"], h["slope_mean"], color="C4")
    a_slope.set_ylabel("mean 2-slope")
    a_slope.set_xlabel("epoch")
    for ax in (a_loss, a_reg, a_slope):
        ax.axvline(snap.epoch, color="0.4", lw=1)
        ax.set_xlim(0, max(1, int(h["epoch"].max())))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        if ax is not a_reg:
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
    for ax in (a_loss, a_reg):  # the epoch axis is labelled once, under the slope
        ax.tick_params(labelbottom=False)
    row = h.iloc[-1]
    s = snap.setup
    act = ACTIVATION_NAMES.get(s.activation, s.activation)
    fig.suptitle(title or (f"{s.dataset}, {act}, {s.width}×{s.depth}: epoch {snap.epoch}, "
                           f"train loss {row['loss']:.3f}, test loss {row['test_loss']:.3f}"
                           + ("  —  DIVERGED" if snap.diverged else "")))
    return [a_map, a_loss, a_reg, a_slope]
