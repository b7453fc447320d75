"""Plots of the layer algebra (Badias & Banerjee, Figs. 6-13).  They draw results; they compute no measure."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib import cm, colors
from matplotlib.axes import Axes

from workbench.plots._base import LAYER_COLORS, apply_style, distinct_colors, new_axes, new_figure

__all__ = ["plot_layer_graph", "plot_local_cumulative", "plot_cumulative_curves", "plot_resnet_plainnet",
           "plot_zoo_metrics", "plot_accuracy_fits", "plot_vc_comparison", "plot_activation_variances",
           "plot_filter_variance", "LAYER_VALUES"]

LAYER_VALUES = {
    "cumulative_power": ("log10_cumulative_power", "log10 cumulative intrinsic power"),
    "cumulative_complexity": ("log10_cumulative_complexity", "log10 cumulative complexity"),
    "local_power": ("local_power", "log10 local intrinsic power"),
    "local_complexity": ("local_complexity", "log10 local complexity"),
}
"""What a node of :func:`plot_layer_graph` can be coloured by."""


def _node_values(frame: pd.DataFrame, value: str) -> np.ndarray:
    if value not in LAYER_VALUES:
        raise ValueError(f"value must be one of {sorted(LAYER_VALUES)}, got {value!r}")
    col = LAYER_VALUES[value][0]
    v = frame[col].to_numpy(float)
    if not col.startswith("log10"):
        with np.errstate(divide="ignore"):
            v = np.log10(v)
    return v


def _layers(result) -> dict:
    """Depth of every node: the longest data path from the input."""
    depth: dict[str, int] = {n: 0 for n in result.frame["name"]}
    for a, b in result.edges:  # edges are in topological order of their heads
        if b in depth:
            depth[b] = max(depth[b], depth.get(a, 0) + 1)
    return depth


def _lanes(result) -> dict:
    """A lane (row) per node: a node continues its first input's lane; a branch's later consumers open new lanes."""
    preds: dict[str, list[str]] = {}
    for a, b in result.edges:
        preds.setdefault(b, []).append(a)
    lane: dict[str, float] = {}
    taken: dict[str, int] = {}  # producer -> consumers placed so far
    for nm in result.frame["name"]:
        ps = [p for p in preds.get(nm, []) if p in lane]
        if not ps:
            lane[nm] = 0.0
            continue
        base = min((lane[p] for p in ps), key=abs)
        first = ps[0]
        k = taken.get(first, 0)
        taken[first] = k + 1
        if k == 0 or len(ps) > 1:
            lane[nm] = base
        else:  # consumers 2, 3, 4, ... of one producer: lanes +1, -1, +2, ...
            lane[nm] = base + (1 if k % 2 else -1) * ((k + 1) // 2)
    return lane


def plot_layer_graph(result, value: str = "cumulative_power", *, ax=None, cmap: str = "viridis",
                     labels: bool | None = None, node_size: float | None = None, colorbar: bool = True,
                     vertical: bool = False, title: str | None = None, **style) -> Axes:
    """The data-flow graph of a :class:`~workbench.LayerAlgebraResult`, each node coloured by ``value``.

    ``value``: ``"cumulative_power"`` (default), ``"cumulative_complexity"``,
    ``"local_power"`` or ``"local_complexity"`` (all on a log10 scale).  Nodes
    are placed by their depth along the longest path from the input (x) and
    spread across parallel branches (y), so shortcuts and branches are visible
    edges; neutral operations are drawn small and grey.  Uses networkx.
    """
    import networkx as nx

    f = result.frame
    vals = _node_values(f, value)
    g = nx.DiGraph()
    g.add_nodes_from(f["name"])
    g.add_edges_from((a, b) for a, b in result.edges if b in g)
    depth = _layers(result)
    lanes = _lanes(result)
    pos = {nm: ((lanes[nm], -depth[nm]) if vertical else (depth[nm], lanes[nm])) for nm in f["name"]}
    by_depth = {d: None for d in depth.values()}
    n = len(f)
    ax = new_axes(ax, figsize=(min(4 + 0.12 * max(by_depth) , 18), 3.5) if not vertical else (4, 8))
    finite = vals[np.isfinite(vals)]
    norm = colors.Normalize(vmin=finite.min() if finite.size else 0, vmax=finite.max() if finite.size else 1)
    mapper = cm.ScalarMappable(norm=norm, cmap=cmap)
    neutral = f["kind"].isin(["neutral", "merge"]).to_numpy()
    size = node_size or max(12.0, 400.0 / math.sqrt(max(n, 1)))
    short = [(a, b) for a, b in g.edges if depth[b] - depth[a] <= 1]
    long = [(a, b) for a, b in g.edges if depth[b] - depth[a] > 1]
    nx.draw_networkx_edges(g, pos, edgelist=short, ax=ax, arrows=True, arrowsize=5, width=0.6,
                           edge_color="#999999", node_size=size)
    nx.draw_networkx_edges(g, pos, edgelist=long, ax=ax, arrows=True, arrowsize=5, width=0.8,
                           edge_color="#d08000", node_size=size, connectionstyle="arc3,rad=-0.25")
    main = [nm for nm, neu in zip(f["name"], neutral) if not neu]
    col = {nm: mapper.to_rgba(v) if np.isfinite(v) else (0.8, 0.1, 0.1, 1) for nm, v in zip(f["name"], vals)}
    nx.draw_networkx_nodes(g, pos, nodelist=main, node_color=[col[m] for m in main], node_size=size, ax=ax,
                           edgecolors="black", linewidths=0.3)
    rest = [nm for nm, neu in zip(f["name"], neutral) if neu]
    nx.draw_networkx_nodes(g, pos, nodelist=rest, node_color="#dddddd", node_size=size * 0.35, ax=ax)
    if labels if labels is not None else n <= 16:
        nx.draw_networkx_labels(g, pos, labels={m: m for m in main}, font_size=6, ax=ax,
                                verticalalignment="bottom")
    if colorbar:
        ax.figure.colorbar(mapper, ax=ax, label=LAYER_VALUES[value][1], shrink=0.8)
    ax.set_title(title or f"{result.model_name}: data-flow graph coloured by {value.replace('_', ' ')}")
    ax.set_axis_off()
    return apply_style(ax, style)


def plot_local_cumulative(result, *, fig=None, axes=None, title: str | None = None):
    """Fig. 7: local (bars) and cumulative (lines) power and complexity along the operations.

    Neutral operations are left out; the x axis is the index among the others.
    Returns the 2 x 2 array of axes.
    """
    f = result.frame[~result.frame["kind"].isin(["neutral", "merge"])].reset_index(drop=True)
    if axes is None:
        fig, axes = new_figure(2, 2, figsize=(10, 5.5), sharex=True)
    x = np.arange(len(f))
    for j, (q, name) in enumerate((("power", "intrinsic power"), ("complexity", "complexity"))):
        cum = f[f"log10_cumulative_{q}"].to_numpy(float)
        axes[0, j].plot(x, 10 ** cum if np.all(np.abs(cum) < 300) else cum, "o-", color=LAYER_COLORS[j])
        axes[0, j].set_ylabel(f"cumulative {name}" + ("" if np.all(np.abs(cum) < 300) else " (log10)"))
        axes[1, j].bar(x, f[f"local_{q}"], color=LAYER_COLORS[j], alpha=0.7)
        axes[1, j].set_ylabel(f"local {name}")
        axes[1, j].set_xticks(x, f["name"], rotation=60, fontsize=7, ha="right")
        if (f[f"local_{q}"] > 0).all() and f[f"local_{q}"].max() / f[f"local_{q}"].min() > 100:
            axes[1, j].set_yscale("log")
        if np.all(np.abs(cum) < 300) and np.nanmax(10 ** cum) / max(np.nanmin(10 ** cum), 1e-300) > 100:
            axes[0, j].set_yscale("log")
    axes[0, 0].set_title("intrinsic power")
    axes[0, 1].set_title("complexity")
    axes[0, 0].figure.suptitle(title or f"{result.model_name}: GCIP = {result.gcip:.4g}, "
                                        f"GCC = 10^{result.log10_gcc:.2f}")
    return axes


def plot_cumulative_curves(curves: pd.DataFrame, quantity: str = "power", *, ax=None, by=("family", "depth"),
                           title: str | None = None, **style) -> Axes:
    """Cumulative log10 power or complexity against the layer index, one line per group (Fig. 8's waves).

    ``curves`` has columns ``layer``, ``log10_cumulative_<quantity>`` and the
    ``by`` columns (e.g. :attr:`ResNetPlainResult.curves`).
    """
    if quantity not in ("power", "complexity"):
        raise ValueError(f"quantity must be 'power' or 'complexity', got {quantity!r}")
    ax = new_axes(ax, figsize=(7, 4))
    groups = list(curves.groupby(list(by), sort=False))
    cols = distinct_colors(len(groups), seed=1)
    for (key, g), c in zip(groups, cols):
        ls = "--" if isinstance(key, tuple) and "Plain" in str(key[0]) else "-"
        ax.plot(g["layer"], g[f"log10_cumulative_{quantity}"], ls, color=c, lw=1.2,
                label=" ".join(str(k) for k in (key if isinstance(key, tuple) else (key,))))
    ax.set_xlabel("operation index (non-neutral)")
    ax.set_ylabel(f"log10 cumulative {'intrinsic power' if quantity == 'power' else 'complexity'}")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title(title or f"cumulative {quantity} along the network")
    return apply_style(ax, style)


def plot_resnet_plainnet(summary: pd.DataFrame, *, fig=None, axes=None):
    """Figs. 8-9: GCIP and GCC against the number of equivalent layers; the GCIP gap per depth."""
    if axes is None:
        fig, axes = new_figure(1, 3, figsize=(13, 3.8))
    for fam, c, m in (("ResNet", LAYER_COLORS[0], "o-"), ("PlainNet", LAYER_COLORS[1], "s--")):
        s = summary[summary["family"] == fam]
        axes[0].plot(s["n_layers"], s["log10_gcip"], m, color=c, label=fam)
        axes[1].plot(s["n_layers"], s["log10_gcc"], m, color=c, label=fam)
        for _, r in s.iterrows():
            axes[0].annotate(str(r["depth"]), (r["n_layers"], r["log10_gcip"]), fontsize=7,
                             textcoords="offset points", xytext=(3, 3))
    axes[0].set_ylabel("log10 GCIP")
    axes[1].set_ylabel("log10 GCC")
    for a in axes[:2]:
        a.set_xlabel("equivalent local layers")
        a.legend()
    piv = summary.pivot(index="depth", columns="family", values="log10_gcip")
    axes[2].bar([str(d) for d in piv.index], piv["ResNet"] - piv["PlainNet"], color=LAYER_COLORS[2])
    axes[2].set_xlabel("depth")
    axes[2].set_ylabel("log10 GCIP(ResNet) - log10 GCIP(PlainNet)")
    axes[0].set_title("Fig. 8 (left): intrinsic power")
    axes[1].set_title("Fig. 8 (right): complexity")
    axes[2].set_title("Fig. 9 (top): GCIP gap")
    return axes


def _family_colors(families) -> dict:
    fams = sorted(set(families))
    return dict(zip(fams, distinct_colors(len(fams), seed=3)))


def plot_zoo_metrics(table: pd.DataFrame, *, fig=None, axes=None):
    """Fig. 10: log10 GCIP (top) and log10 GCC (bottom) per model, grouped and coloured by family."""
    if axes is None:
        fig, axes = new_figure(2, 1, figsize=(14, 7), sharex=True)
    t = table.sort_values(["family", "params"]).reset_index(drop=True)
    fc = _family_colors(t["family"])
    c = [fc[f] for f in t["family"]]
    axes[0].bar(t.index, t["log10_gcip"], color=c)
    axes[0].set_ylabel("log10 GCIP")
    axes[1].bar(t.index, t["log10_gcc"], color=c)
    axes[1].set_ylabel("log10 GCC")
    axes[1].set_xticks(t.index, t["name"], rotation=90, fontsize=6)
    axes[0].set_title("Fig. 10: global cumulative intrinsic power and complexity, by family")
    return axes


def plot_accuracy_fits(table: pd.DataFrame, fits: dict | None = None, *, fig=None, axes=None,
                       paper_r2: dict | None = None):
    """Fig. 11: log10 GCC against top-1 / top-5 coloured by log10 GSC (a, b); GWC with power fits (c, d).

    ``fits``: ``{"top1": PowerFit, "top5": PowerFit}`` of accuracy against GWC.
    """
    if axes is None:
        fig, axes = new_figure(2, 2, figsize=(11, 8))
    fc = _family_colors(table["family"])
    for j, acc in enumerate(("top1", "top5")):
        sc = axes[0, j].scatter(table["log10_gcc"], table[acc], c=table["log10_gsc"], cmap="plasma", s=18)
        axes[0, j].set_xlabel("log10 GCC")
        axes[0, j].set_ylabel(f"ImageNet {acc} accuracy (%)")
        axes[0, j].figure.colorbar(sc, ax=axes[0, j], label="log10 GSC")
        axes[0, j].set_title(f"({'ab'[j]}) GCC vs {acc}")
        ax = axes[1, j]
        for fam, g in table.groupby("family"):
            ax.scatter(g["log10_gwc"], g[acc], color=fc[fam], s=18, label=fam)
        if fits and acc in fits:
            fit = fits[acc]
            u = np.linspace(table["log10_gwc"].min(), table["log10_gwc"].max(), 200)
            paper = f"; paper {paper_r2[acc]:.3f}" if paper_r2 and acc in paper_r2 else ""
            form = f"(log10 GWC)^{fit.b:.3g}" if fit.scale == "log" else f"GWC^{fit.b:.2e}"
            ax.plot(u, fit.predict(u), color="tab:orange", lw=2,
                    label=f"{fit.a:.3g} {form}, R^2 = {fit.r2:.3f}{paper}")
        ax.set_xlabel("log10 GWC")
        ax.set_ylabel(f"ImageNet {acc} accuracy (%)")
        ax.set_title(f"({'cd'[j]}) GWC vs {acc} with a power fit")
    h, lab = axes[1, 1].get_legend_handles_labels()
    axes[1, 0].legend(*axes[1, 0].get_legend_handles_labels(), fontsize=6, ncol=2)
    axes[1, 1].legend(h, lab, fontsize=6, ncol=2)
    return axes


def plot_vc_comparison(table: pd.DataFrame, *, fig=None, axes=None):
    """Fig. 6: log10 VC estimate and log10 GCC for each architecture, fully connected and convolutional."""
    if axes is None:
        fig, axes = new_figure(1, 2, figsize=(11, 4))
    for ax, (fam, g) in zip(axes, table.groupby("family", sort=False)):
        for k, (d, gd) in enumerate(g.groupby("depth")):
            c = LAYER_COLORS[k % len(LAYER_COLORS)]
            ax.plot(gd["width"], np.log10(gd["vc"]), "o-", color=c, label=f"VC estimate, depth {d}")
            ax.plot(gd["width"], gd["log10_gcc"], "s--", color=c, label=f"GCC, depth {d}")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("width (units / channels)")
        ax.set_ylabel("log10 value")
        ax.set_title(f"{'fully connected' if fam == 'fc' else 'convolutional'} ReLU networks")
        ax.legend(fontsize=7, ncol=2)
    return axes


def plot_activation_variances(table: pd.DataFrame, *, fig=None, axes=None, paper: dict | None = None):
    """Fig. 13: output variance against input variance, per activation, normal and uniform inputs.

    ``paper``: family -> the paper's power constant, drawn as ``Var_out = p^2 Var_in``
    (the constants are ratios of standard deviations at unit variance).
    """
    acts = list(dict.fromkeys(table["activation"]))
    if axes is None:
        fig, axes = new_figure(1, len(acts), figsize=(3.3 * len(acts), 3.3))
    axes = np.atleast_1d(axes)
    for ax, a in zip(axes, acts):
        for k, (dist, g) in enumerate(table[table["activation"] == a].groupby("distribution")):
            ax.loglog(g["input_variance"], g["output_variance"], "o-", ms=3, color=LAYER_COLORS[k], label=dist)
        if paper and a in paper:
            v = np.sort(table["input_variance"].unique())
            ax.loglog(v, paper[a] ** 2 * v, ":", color="black", label=f"paper p={paper[a]:.3g}: p^2 Var_in")
        ax.set_title(a)
        ax.set_xlabel("input variance")
        ax.legend(fontsize=7)
    axes[0].set_ylabel("output variance")
    return axes


def plot_filter_variance(table: pd.DataFrame, *, ax=None, **style) -> Axes:
    """Fig. 12: variance after a 1/K moving average against eq. 8's power, over the filter size K."""
    ax = new_axes(ax, figsize=(5.5, 3.8))
    ax.loglog(table["K"], table["variance"], "o", ms=3, color=LAYER_COLORS[0], label="measured variance")
    ax.loglog(table["K"], table["power_eq8"], "-", color=LAYER_COLORS[1], label="eq. 8: S_o / (K S_i)")
    ax.set_xlabel("filter size K")
    ax.set_ylabel("relative variance / intrinsic power")
    ax.set_title("Fig. 12: a 1/K filter on N(0, 1) vectors")
    ax.legend()
    return apply_style(ax, style)
