"""Plots of the layer algebra (Badias & Banerjee, Figs. 6-13).  They draw results; they compute no measure."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib import cm, colors
from matplotlib.axes import Axes

from workbench.plots._base import LAYER_COLORS, apply_style, new_axes, new_figure

__all__ = ["plot_layer_graph", "plot_local_cumulative", "plot_cumulative_curves", "plot_resnet_plainnet",
           "plot_zoo_metrics", "plot_accuracy_fits", "plot_vc_comparison", "plot_activation_variances",
           "plot_filter_variance", "family_styles", "LAYER_VALUES"]

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


_SHORT = {"conv": "conv", "linear": "fc", "relu": "ReLU", "gelu": "GELU", "silu": "SiLU", "sigmoid": "sigm",
          "tanh": "tanh", "hardswish": "hswish", "softmax": "smax", "maxpool": "max", "avgpool": "avg",
          "adaptiveavgpool": "avg", "adaptivemaxpool": "max", "add": "+", "mul": "×", "cat": "cat",
          "input": "in", "convtranspose": "tconv", "einsum": "ein", "multiheadattention": "attn"}


def _short_type(t: str) -> str:
    """A node label of at most 6 characters: 'Conv2d' -> 'conv', '_operator.add' -> '+', 'MaxPool2d' -> 'max'."""
    base = str(t).split(".")[-1].split(" ")[-1].lower().replace("_", "")
    base = base.rstrip("0123456789d") if base.endswith(("1d", "2d", "3d")) else base
    return _SHORT.get(base, base[:6])


_NODE_SHAPES = {"input": (">", 1.0), "convolution": ("s", 1.0), "fully connected": ("D", 0.8),
                "pooling": ("v", 1.0), "activation": ("o", 1.0), "attention / other": ("h", 1.0),
                "merge": ("o", 0.45)}
"""Marker and relative size of each group of operations in :func:`plot_layer_graph`."""


def _node_group(kind: str, typ: str) -> str:
    t = str(typ).lower()
    if kind == "merge":
        return "merge"
    if kind == "input":
        return "input"
    if kind == "activation":
        return "activation"
    if "pool" in t:
        return "pooling"
    if "conv" in t:
        return "convolution"
    if "linear" in t:
        return "fully connected"
    return "attention / other"


def _contract(result) -> tuple[list, list]:
    """Nodes and edges with the neutral operations bypassed (their inputs wired to their consumers)."""
    f = result.frame
    kind = dict(zip(f["name"], f["kind"]))
    preds: dict[str, list[str]] = {}
    for a, b in result.edges:
        if b in kind:
            preds.setdefault(b, []).append(a)
    keep = [nm for nm in f["name"] if kind[nm] != "neutral"]
    source: dict[str, list[str]] = {}  # a node -> the kept nodes that feed it through neutral ones

    def sources(nm):
        if nm not in source:
            out = []
            for p in preds.get(nm, []):
                for s in ([p] if kind.get(p) != "neutral" else sources(p)):
                    if s not in out:
                        out.append(s)
            source[nm] = out
        return source[nm]

    for nm in f["name"]:  # topological order: no deep recursion
        sources(nm)
    edges = [(s, nm) for nm in keep for s in source[nm] if s in kind]
    return keep, edges


def _layers(names, edges) -> dict:
    """Depth of every node: the longest data path from the input."""
    depth: dict[str, int] = {n: 0 for n in names}
    for a, b in edges:  # edges are in topological order of their heads
        if b in depth:
            depth[b] = max(depth[b], depth.get(a, 0) + 1)
    return depth


def _lanes(names, edges) -> dict:
    """A lane (row) per node: a node continues its first input's lane; a branch's later consumers open new lanes."""
    preds: dict[str, list[str]] = {}
    for a, b in edges:
        preds.setdefault(b, []).append(a)
    lane: dict[str, float] = {}
    taken: dict[str, int] = {}  # producer -> consumers placed so far
    for nm in names:
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


def _axes_inches(ax, reserve_w: float = 0.0, reserve_h: float = 0.0) -> tuple[float, float]:
    """The axes' size in inches once laid out (the figure's layout engine runs first), less what its colour bar,
    title and legend will take (``reserve_w``, ``reserve_h``)."""
    fig = ax.get_figure(root=True)
    engine = fig.get_layout_engine()
    if engine is not None:
        try:
            engine.execute(fig)
        except Exception:  # pragma: no cover - a layout that cannot run yet: the subplot parameters
            pass
    pos = ax.get_position()
    w, h = fig.get_size_inches()
    return max(pos.width * w - reserve_w, 0.5), max(pos.height * h - reserve_h, 0.5)


def _snake(depth: dict, lanes: dict, w_in: float, h_in: float, wrap: int | None):
    """Positions on rows read like a snake (left to right, then right to left), sized to fill ``w_in x h_in``.

    Returns ``(pos, columns, rows, cell_w, unit_h)``: the inches between neighbouring depths and lanes.
    """
    n = max(depth.values()) + 1
    lo, hi = min(lanes.values()), max(lanes.values())
    span, gap = hi - lo + 1, 0.8

    def units(c):
        r = math.ceil(n / c)
        return r * span + (r - 1) * gap

    def score(c):  # room for a node and its label: about 1.5 times as wide as high
        return round(min(w_in / c / 1.5, h_in / units(c)), 6), -c

    c = wrap or max(range(1, n + 1), key=score)
    r = math.ceil(n / c)
    pos = {}
    for nm, d in depth.items():
        row, col = divmod(d, c)
        x = col if row % 2 == 0 else c - 1 - col
        pos[nm] = (float(x), -row * (span + gap) - (hi - lanes[nm]))
    return pos, c, r, w_in / c, h_in / units(c)


def plot_layer_graph(result, value: str = "cumulative_power", *, ax=None, cmap: str = "viridis",
                     labels: bool | None = None, node_size: float | None = None, colorbar: bool = True,
                     vertical: bool = False, wrap: int | None = None, legend: bool = True, title: str | None = None,
                     **style) -> Axes:
    """The data-flow graph of a :class:`~workbench.LayerAlgebraResult`, each operation coloured by ``value``.

    ``value``: ``"cumulative_power"`` (default), ``"cumulative_complexity"``,
    ``"local_power"`` or ``"local_complexity"`` (all on a log10 scale).  Neutral
    operations (batch norm, reshapes, ...) are left out, their inputs wired to
    their consumers.  Marker shapes tell the operation (:data:`_NODE_SHAPES`:
    convolution, fully connected, pooling, activation, merge in white, ...), in a
    legend under the axes (``legend=False``: none).  Nodes are placed by their
    depth along the longest path from the input and spread across parallel
    branches (lanes); the depth axis is wrapped into rows read like a snake
    (left to right, then right to left; ``wrap`` columns per row, chosen to fill
    the axes when ``None``), so a long network fills the axes instead of a thin
    strip.  Shortcuts (edges skipping depths) are orange arcs.  ``vertical=True``
    puts the depth on the y axis without wrapping.  Node labels (the operation
    type) show where they fit (``labels=None``).  Uses networkx.
    """
    import networkx as nx

    from workbench.plots.style import LEGIBILITY, _scale

    f = result.frame
    allv = dict(zip(f["name"], _node_values(f, value)))
    kinds = dict(zip(f["name"], f["kind"]))
    types = dict(zip(f["name"], f["type"]))
    names, edges = _contract(result)
    g = nx.DiGraph()
    g.add_nodes_from(names)
    g.add_edges_from(edges)
    depth, lanes = _layers(names, edges), _lanes(names, edges)
    n_levels = max(depth.values()) + 1
    if ax is None:
        span = max(lanes.values()) - min(lanes.values()) + 1
        ax = new_axes(None, figsize=(4.5, 2 + 0.45 * n_levels) if vertical else
                      (12, min(2.5 + 0.9 * span * math.ceil(n_levels / 12), 9)))
    fig = ax.get_figure(root=True)
    w_in, h_in = _axes_inches(ax, reserve_w=1.1 if colorbar else 0.1, reserve_h=0.9)
    if vertical:
        pos = {nm: (lanes[nm], -float(depth[nm])) for nm in names}
        cell_w, unit_h = w_in / (max(lanes.values()) - min(lanes.values()) + 1), h_in / n_levels
        rows = cols = None
    else:
        pos, cols, rows, cell_w, unit_h = _snake(depth, lanes, w_in, h_in, wrap)
    diam = min(0.5 * min(cell_w, unit_h) * 72, 24.0)  # points
    size = node_size or diam ** 2
    font = max(LEGIBILITY["min_px"] * 72.0 / (fig.dpi * _scale(fig, fig.dpi, LEGIBILITY["display_px"])), 8.0)
    vals = np.array([allv[nm] for nm in names])
    finite = vals[np.isfinite(vals)]
    norm = colors.Normalize(vmin=finite.min() if finite.size else 0, vmax=finite.max() if finite.size else 1)
    mapper = cm.ScalarMappable(norm=norm, cmap=cmap)
    short = [(a, b) for a, b in g.edges if depth[b] - depth[a] <= 1]
    long = [(a, b) for a, b in g.edges if depth[b] - depth[a] > 1]
    nx.draw_networkx_edges(g, pos, edgelist=short, ax=ax, arrows=True, arrowsize=8, width=1.0,
                           edge_color="#888888", node_size=size)
    for rad, sel in ((-0.3, [e for e in long if pos[e[1]][0] >= pos[e[0]][0]]),
                     (0.3, [e for e in long if pos[e[1]][0] < pos[e[0]][0]])):  # arcs bend up on either row
        nx.draw_networkx_edges(g, pos, edgelist=sel, ax=ax, arrows=True, arrowsize=8, width=1.4,
                               edge_color="#d08000", node_size=size, connectionstyle=f"arc3,rad={rad}")
    col = {nm: mapper.to_rgba(allv[nm]) if np.isfinite(allv[nm]) else (0.8, 0.1, 0.1, 1) for nm in names}
    group = {nm: _node_group(kinds[nm], types[nm]) for nm in names}
    from matplotlib.lines import Line2D

    handles = []
    for gname, (shape, scale) in _NODE_SHAPES.items():
        sel = [nm for nm in names if group[nm] == gname]
        if not sel:
            continue
        face = "white" if gname == "merge" else [col[m] for m in sel]
        nx.draw_networkx_nodes(g, pos, nodelist=sel, node_color=face, node_size=size * scale, node_shape=shape,
                               ax=ax, edgecolors="black", linewidths=0.7)
        handles.append(Line2D([], [], ls="", marker=shape, ms=10 * math.sqrt(scale), mfc="white" if gname == "merge"
                              else "#bbbbbb", mec="black", label=gname))
    handles += [Line2D([], [], color="#888888", lw=1.5, label="data flow"),
                Line2D([], [], color="#d08000", lw=2, label="shortcut")]
    text = {nm: _short_type(types[nm]) for nm in names}
    from matplotlib.textpath import TextPath

    widest = max(TextPath((0, 0), t, size=font).get_extents().width for t in set(text.values()))
    fits = cell_w * 72 >= widest + 6 and unit_h * 72 >= diam + 1.3 * font
    if labels if labels is not None else fits:
        for nm in names:
            x, y = pos[nm]
            ax.annotate(text[nm], (x, y), xytext=(0, -diam / 2 - 1), textcoords="offset points", ha="center",
                        va="top", fontsize=font, annotation_clip=False)
    if legend:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(handles), 4),
                  frameon=False, handlelength=1.5, columnspacing=1.0)
    if vertical:
        xs = [p[0] for p in pos.values()]
        ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
        ax.set_ylim(-n_levels + 0.4, 0.6)
    else:
        ys = [p[1] for p in pos.values()]
        ax.set_xlim(-0.6, cols - 0.4)
        ax.set_ylim(min(ys) - 0.75, max(ys) + (0.9 if long else 0.45))
    if colorbar:
        cax = ax.inset_axes([1.01, 0.05, 0.018, 0.9])
        fig.colorbar(mapper, cax=cax, label=LAYER_VALUES[value][1])
    ax.set_title(title or f"{result.model_name}: {value.replace('_', ' ')}")
    ax.set_axis_off()
    return apply_style(ax, style)


def _op_label(row) -> str:
    """'Linear 512': the operation type and its output size (for tick labels; never the raw fx name)."""
    shape = row["output_shape"]
    try:
        size = int(np.prod(shape)) if not isinstance(shape[0], tuple) else int(np.prod(shape[0]))
        return f"{str(row['type']).split('.')[-1]} {size}"
    except (TypeError, IndexError, ValueError):
        return str(row["type"]).split(".")[-1]


def plot_local_cumulative(result, *, fig=None, axes=None, title: str | None = None, paper_gcip: float | None = None):
    """Fig. 7: local (bars) and cumulative (lines) power and complexity along the operations.

    Neutral operations are left out; the x axis is the index among the others,
    labelled with the operation type and its output size.  ``paper_gcip``: the
    paper's GCIP, drawn as a star at the last operation (Fig. 7: 1).
    Returns the 2 x 2 array of axes.
    """
    f = result.frame[~result.frame["kind"].isin(["neutral", "merge", "input"])].reset_index(drop=True)
    if axes is None:
        fig, axes = new_figure(2, 2, figsize=(11, 6.5), sharex=True)
    x = np.arange(len(f))
    step = max(1, math.ceil(len(f) / 24))
    for j, (q, name) in enumerate((("power", "intrinsic power"), ("complexity", "complexity"))):
        cum = f[f"log10_cumulative_{q}"].to_numpy(float)
        linear = bool(np.all(np.abs(cum) < 300))
        axes[0, j].plot(x, 10 ** cum if linear else cum, "o-", color=LAYER_COLORS[j], label="ours")
        axes[0, j].set_ylabel(f"cumulative {name}" + ("" if linear else r" ($\log_{10}$)"))
        axes[1, j].bar(x, f[f"local_{q}"], color=LAYER_COLORS[j], alpha=0.8)
        axes[1, j].set_ylabel(f"local {name}")
        axes[1, j].set_xticks(x[::step], [_op_label(r) for _, r in f.iloc[::step].iterrows()], rotation=45,
                              ha="right")
        axes[1, j].set_xlabel("operation (neutral ones left out): type, output size")
        if (f[f"local_{q}"] > 0).all() and f[f"local_{q}"].max() / f[f"local_{q}"].min() > 100:
            axes[1, j].set_yscale("log")
        if linear and np.nanmax(10 ** cum) / max(np.nanmin(10 ** cum), 1e-300) > 100:
            axes[0, j].set_yscale("log")
    if paper_gcip is not None:
        axes[0, 0].plot([x[-1]], [paper_gcip], "*", ms=16, mfc="none", mec="black", mew=1.5,
                        label=f"paper: GCIP = {paper_gcip:g}")
        axes[0, 0].legend(loc="best")
    axes[0, 0].set_title("intrinsic power")
    axes[0, 1].set_title("complexity")
    axes[0, 0].get_figure(root=False).suptitle(
        title or f"{result.model_name}: GCIP = {result.gcip:.4g}, GCC = $10^{{{result.log10_gcc:.2f}}}$")
    return axes


def plot_cumulative_curves(curves: pd.DataFrame, quantity: str = "power", *, ax=None, by=("family", "depth"),
                           legend: bool = True, title: str | None = None, **style) -> Axes:
    """Cumulative log10 power or complexity against the layer index, one line per group (Fig. 8's waves).

    ``curves`` has columns ``layer``, ``log10_cumulative_<quantity>`` and the
    ``by`` columns (e.g. :attr:`ResNetPlainResult.curves`).  With two ``by``
    columns the second is the colour (a sequential palette: depth) and the first
    the line style (family), so paired networks share a colour (seaborn's
    ``lineplot``); the legend sits outside the axes, on the right.
    """
    import seaborn as sns

    if quantity not in ("power", "complexity"):
        raise ValueError(f"quantity must be 'power' or 'complexity', got {quantity!r}")
    by = list(by)
    if not 1 <= len(by) <= 2:
        raise ValueError(f"by: one or two columns, got {by}")
    ax = new_axes(ax, figsize=(8, 4))
    y = f"log10_cumulative_{quantity}"
    hue = by[-1]
    levels = list(dict.fromkeys(curves[hue]))
    numeric = pd.api.types.is_numeric_dtype(curves[hue])
    palette = (dict(zip(levels, sns.color_palette("viridis", len(levels)))) if numeric and len(levels) > 1
               else dict(zip(levels, LAYER_COLORS * (len(levels) // len(LAYER_COLORS) + 1))))
    kw = dict(style=by[0], style_order=list(dict.fromkeys(curves[by[0]]))) if len(by) == 2 else {}
    sns.lineplot(curves, x="layer", y=y, hue=hue, palette=palette, hue_order=levels, ax=ax, lw=1.6,
                 estimator=None, sort=False, legend=legend,
                 units=curves[by].astype(str).agg(" ".join, axis=1) if len(by) == 2 else None, **kw)
    if legend and ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_xlabel("operation index (non-neutral)")
    ax.set_ylabel(r"$\log_{10}$ cumulative " + ("intrinsic power" if quantity == "power" else "complexity"))
    ax.set_title(title or f"cumulative {quantity} along the network")
    return apply_style(ax, style)


def plot_resnet_plainnet(summary: pd.DataFrame, *, fig=None, axes=None):
    """Figs. 8-9: GCIP and GCC against the number of equivalent layers; the GCIP gap per depth."""
    if axes is None:
        fig, axes = new_figure(1, 3, figsize=(13, 4.2))
    for fam, c, m in (("ResNet", LAYER_COLORS[0], "o-"), ("PlainNet", LAYER_COLORS[1], "s--")):
        s = summary[summary["family"] == fam]
        axes[0].plot(s["n_layers"], s["log10_gcip"], m, color=c, label=fam)
        axes[1].plot(s["n_layers"], s["log10_gcc"], m, color=c, label=fam)
        for _, r in s.iterrows():
            axes[0].annotate(str(r["depth"]), (r["n_layers"], r["log10_gcip"]), fontsize=9,
                             textcoords="offset points", xytext=(4, 4 if fam == "ResNet" else -14))
    axes[0].set_ylabel(r"$\log_{10}$ GCIP")
    axes[1].set_ylabel(r"$\log_{10}$ GCC")
    axes[0].margins(x=0.08, y=0.1)
    for a in axes[:2]:
        a.set_xlabel("equivalent local layers")
        a.legend(loc="best")
    piv = summary.pivot(index="depth", columns="family", values="log10_gcip")
    axes[2].bar([str(d) for d in piv.index], piv["ResNet"] - piv["PlainNet"], color=LAYER_COLORS[2])
    axes[2].set_xlabel("depth")
    axes[2].set_ylabel(r"$\log_{10}$ GCIP: ResNet $-$ PlainNet")
    axes[0].set_title("Fig. 8 (left): intrinsic power")
    axes[1].set_title("Fig. 8 (right): complexity")
    axes[2].set_title("Fig. 9 (upper): GCIP gap")
    return axes


_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "<", ">", "p")


def family_styles(families) -> dict:
    """``{family: (colour, marker)}``, the same for every zoo figure (Figs. 10-11): families sorted by name take
    tab20's ten dark colours, then its ten light ones; a family sharing a hue with another gets another marker."""
    import seaborn as sns

    fams = sorted(set(families))
    tab = sns.color_palette("tab20", 20)
    order = tab[0::2] + tab[1::2]
    return {f: (order[i % 20], _MARKERS[(i + (i // 10) * 5) % len(_MARKERS)]) for i, f in enumerate(fams)}


def plot_zoo_metrics(table: pd.DataFrame, *, fig=None, axes=None, annotate_above: float = 0.0):
    """Fig. 10: log10 GCIP (top) and log10 GCC (bottom) of every model, grouped and coloured by family.

    One column per family (x tick labels), its models spread across it in order
    of parameter count (smallest left); colours and markers as in Fig. 11
    (:func:`family_styles`).  Models with ``log10 GCIP > annotate_above`` are
    named (GCIP above 1: the network amplifies instead of compressing).
    """
    if axes is None:
        fig, axes = new_figure(2, 1, figsize=(13, 7.5), sharex=True)
    st = family_styles(table["family"])
    fams = sorted(st)
    t = table.sort_values(["family", "params"]).reset_index(drop=True)
    xs = np.empty(len(t))
    for k, fam in enumerate(fams):
        idx = np.flatnonzero(t["family"].to_numpy() == fam)
        w = min(0.7 / max(len(idx), 1), 0.12)
        xs[idx] = k + (np.arange(len(idx)) - (len(idx) - 1) / 2) * w
    for ax, col, lab in ((axes[0], "log10_gcip", r"$\log_{10}$ GCIP"), (axes[1], "log10_gcc", r"$\log_{10}$ GCC")):
        for fam in fams:
            m = (t["family"] == fam).to_numpy()
            c, mk = st[fam]
            ax.scatter(xs[m], t.loc[m, col], color=c, marker=mk, s=46, edgecolors="black", linewidths=0.4,
                       label=fam, zorder=3)
        ax.set_ylabel(lab)
        ax.grid(axis="y", alpha=0.3)
        for k in range(len(fams) - 1):
            ax.axvline(k + 0.5, color="#dddddd", lw=0.8, zorder=0)
    axes[0].axhline(0, color="black", lw=1, ls=":", zorder=1)
    hi = t[t["log10_gcip"] > annotate_above]
    for _, r in hi.iterrows():
        i = r.name
        axes[0].annotate(f"{r['name']}: GCIP = $10^{{{r['log10_gcip']:.2f}}}$", (xs[i], r["log10_gcip"]),
                         xytext=(8, 6), textcoords="offset points", va="bottom", ha="left" if xs[i] < len(fams) / 2
                         else "right")
    lo, top = t["log10_gcip"].min(), max(t["log10_gcip"].max(), 0)
    axes[0].set_ylim(lo - 0.08 * (top - lo + 1), top + (0.2 if len(hi) else 0.1) * (top - lo + 1))
    axes[0].text(0.995, 0.97, "GCIP = 1 (dotted)", transform=axes[0].transAxes, ha="right", va="top")
    axes[1].set_xticks(range(len(fams)), fams, rotation=40, ha="right", rotation_mode="anchor")
    axes[1].set_xlim(-0.6, len(fams) - 0.4)
    axes[1].set_xlabel("family (models in order of parameter count, left to right)")
    axes[0].set_title(f"Fig. 10: global cumulative intrinsic power (top) and complexity (bottom), "
                      f"{len(t)} models")
    return axes


def plot_accuracy_fits(table: pd.DataFrame, fits: dict | None = None, *, fig=None, axes=None,
                       paper_r2: dict | None = None):
    """Fig. 11: log10 GCC against top-1 / top-5 coloured by log10 GSC (a, b); GWC with power fits (c, d).

    ``fits``: ``{"top1": PowerFit, "top5": PowerFit}`` of accuracy against GWC,
    drawn over the data's range (dashed where the fitted power function passes
    100 %, which a power law does not know); ``paper_r2``: the paper's R^2 per
    accuracy, written beside ours.  (c, d) colour and mark the families as in
    Fig. 10 (seaborn, ``hue`` and ``style``), with one legend under the figure.
    """
    import seaborn as sns

    if axes is None:
        fig, axes = new_figure(2, 2, figsize=(12, 10))
    fig = axes[0, 0].get_figure(root=False)
    st = family_styles(table["family"])
    fams = sorted(st)
    for j, acc in enumerate(("top1", "top5")):
        name = {"top1": "top-1", "top5": "top-5"}[acc]
        ax = axes[0, j]
        sc = ax.scatter(table["log10_gcc"], table[acc], c=table["log10_gsc"], cmap="plasma", s=30,
                        edgecolors="black", linewidths=0.3)
        ax.set_xlabel(r"$\log_{10}$ GCC")
        ax.set_ylabel(f"ImageNet {name} accuracy (%)")
        cax = ax.inset_axes([1.02, 0.0, 0.04, 1.0])
        fig.colorbar(sc, cax=cax, label=r"$\log_{10}$ GSC")
        ax.set_title(f"({'ab'[j]}) GCC vs {name}")
        ax = axes[1, j]
        sns.scatterplot(table, x="log10_gwc", y=acc, hue="family", style="family", hue_order=fams, style_order=fams,
                        palette={f: c for f, (c, _) in st.items()}, markers={f: m for f, (_, m) in st.items()},
                        s=60, edgecolor="black", linewidth=0.3, ax=ax, legend=False)
        handles = []
        if fits and acc in fits:
            fit = fits[acc]
            u = np.linspace(table["log10_gwc"].min(), table["log10_gwc"].max(), 400)
            v = fit.predict(u)
            paper = f" (paper {paper_r2[acc]:.3f})" if paper_r2 and acc in paper_r2 else ""
            form = (rf"$({fit.a:.3g}) (\log_{{10}}\,\mathrm{{GWC}})^{{{fit.b:.3g}}}$" if fit.scale == "log"
                    else rf"${fit.a:.3g}\,\mathrm{{GWC}}^{{{fit.b:.2e}}}$")
            below = np.where(v <= 100, v, np.nan)
            handles += ax.plot(u, below, color="tab:orange", lw=2.5, label=f"ours: {form}, $R^2$ = {fit.r2:.3f}{paper}")
            if np.any(v > 100):
                handles += ax.plot(u, np.where(v >= 100, v, np.nan), color="tab:orange", lw=2, ls="--",
                                   label="the same fit above 100 %")
                handles.append(ax.axhline(100, color="black", lw=1, ls=":", label="100 %"))
        ax.set_xlabel(r"$\log_{10}$ GWC")
        ax.set_ylabel(f"ImageNet {name} accuracy (%)")
        ax.set_title(f"({'cd'[j]}) GWC vs {name} with a power fit")
        if handles:  # under the axes: the points may fill any corner
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), frameon=False)
    from matplotlib.lines import Line2D

    fam_handles = [Line2D([], [], ls="", marker=m, color=c, mec="black", mew=0.3, ms=8, label=f)
                   for f, (c, m) in st.items()]
    fig.legend(handles=fam_handles, loc="outside lower center", ncol=min(len(fams), 7), title="family",
               frameon=False)
    fig.suptitle("Fig. 11: complexity against ImageNet accuracy (torchvision default weights)")
    return axes


def plot_vc_comparison(table: pd.DataFrame, *, fig=None, axes=None):
    """Fig. 6: log10 VC estimate and log10 GCC for each architecture, fully connected and convolutional.

    Colour: depth (paired: the VC estimate and GCC of one depth share it);
    solid circles the VC estimate, dashed squares GCC.  One legend, outside on
    the right.
    """
    from matplotlib.lines import Line2D

    if axes is None:
        fig, axes = new_figure(1, 2, figsize=(12, 4.2))
    fig = axes[0].get_figure(root=False)
    depths = sorted(table["depth"].unique())
    for ax, (fam, g) in zip(axes, table.groupby("family", sort=False)):
        for d, gd in g.groupby("depth"):
            c = LAYER_COLORS[depths.index(d) % len(LAYER_COLORS)]
            ax.plot(gd["width"], np.log10(gd["vc"]), "o-", color=c, lw=2)
            ax.plot(gd["width"], gd["log10_gcc"], "s--", color=c, lw=2)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("width (units / channels)")
        ax.set_ylabel(r"$\log_{10}$ value")
        ax.set_title(f"{'fully connected' if fam == 'fc' else 'convolutional'} ReLU networks")
    handles = [Line2D([], [], color=LAYER_COLORS[k % len(LAYER_COLORS)], lw=6, label=f"depth {d}")
               for k, d in enumerate(depths)]
    handles += [Line2D([], [], color="black", marker="o", ls="-", label="VC estimate"),
                Line2D([], [], color="black", marker="s", ls="--", label="GCC (ours)")]
    fig.legend(handles=handles, loc="outside right center", frameon=False)
    fig.suptitle("Fig. 6: GCC against a VC-dimension estimate")
    return axes


def plot_activation_variances(table: pd.DataFrame, *, fig=None, axes=None, paper: dict | None = None):
    """Fig. 13: output variance against input variance, per activation, normal and uniform inputs.

    ``paper``: family -> the paper's power constant, drawn as ``Var_out = p^2 Var_in``
    (the constants are ratios of standard deviations at unit variance).  Every
    panel has its own y scale and label; one legend, under the figure.
    """
    from matplotlib.ticker import LogLocator

    acts = list(dict.fromkeys(table["activation"]))
    if axes is None:
        fig, axes = new_figure(1, len(acts), figsize=(3.4 * len(acts), 4.2))
    axes = np.atleast_1d(axes)
    fig = axes[0].get_figure(root=False)
    handles = {}
    for ax, a in zip(axes, acts):
        for k, (dist, g) in enumerate(table[table["activation"] == a].groupby("distribution")):
            (ln,) = ax.loglog(g["input_variance"], g["output_variance"], "o-", ms=4, color=LAYER_COLORS[k],
                              label=f"{dist} input")
            handles.setdefault(ln.get_label(), ln)
        if paper and a in paper:
            v = np.sort(table["input_variance"].unique())
            (ln,) = ax.loglog(v, paper[a] ** 2 * v, ":", color="black", lw=2,
                              label=r"paper: $p^2\,\mathrm{Var}_{in}$ ($p$ in the title)")
            handles.setdefault(ln.get_label(), ln)
        ax.set_title(a + (f" (paper $p$ = {paper[a]:.4g})" if paper and a in paper else ""))
        ax.set_xlabel("input variance")
        ax.set_ylabel("output variance")
        ax.yaxis.set_major_locator(LogLocator(numticks=5))
        ax.margins(y=0.12)
    fig.legend(handles=list(handles.values()), loc="outside lower center", ncol=len(handles), frameon=False)
    fig.suptitle("Fig. 13: output against input variance through four activations (App. A.1)")
    return axes


def plot_filter_variance(table: pd.DataFrame, *, ax=None, **style) -> Axes:
    """Fig. 12: variance after a 1/K moving average against eq. 8's power, over the filter size K."""
    ax = new_axes(ax, figsize=(6, 4.2))
    ax.loglog(table["K"], table["variance"], "o", ms=4, color=LAYER_COLORS[0], label="measured variance")
    ax.loglog(table["K"], table["power_eq8"], "-", color=LAYER_COLORS[1], label=r"eq. 8: $S_o / (K S_i)$")
    ax.set_xlabel("filter size $K$")
    ax.set_ylabel("relative variance / intrinsic power")
    ax.set_title("Fig. 12: a 1/K filter on N(0, 1) vectors")
    ax.legend(loc="upper right")
    return apply_style(ax, style)
