"""Drawings of exact linear regions (Raghu et al. 2017 regions figure; Johansson 2022 Fig. 1.1, 2.1, 2.3).

Regions are drawn with one ``PolyCollection`` and the boundaries with one
``LineCollection`` per layer, so partitions with tens of thousands of regions
draw quickly.  Colours are deterministic.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from workbench._runtime import SeedLike, int_seed
from workbench.plots._base import LAYER_COLORS, apply_style, distinct_colors, new_axes, new_figure
from workbench.plots._regions_raster import (  # the raster route (moved there, issue 24)
    RegionImage,
    _padded_polygons,
    raster_boundary_layers,  # noqa: F401 - public here as before
    raster_region_ids,  # noqa: F401 - public here as before
)

__all__ = [
    "plot_partition",
    "plot_partition_layers",
    "plot_partition_surface",
    "plot_region_counts",
    "plot_line_density",
    "plot_edge_distances",
    "plot_sv_differences",
    "layer_color",
]


def layer_color(layer: int) -> str:
    """Colour of the boundaries made by activation layer ``layer`` (1-based)."""
    return LAYER_COLORS[(layer - 1) % len(LAYER_COLORS)]


def _legend_below(ax: Axes, **kw):
    """A legend under the axes' x label (constrained layout makes room for it): inside it would hide data."""
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), borderaxespad=0.0, fontsize=9,
                     frameon=False, **kw)


def _region_values(part, color_by, output: int):
    import torch

    if isinstance(color_by, str):
        if color_by == "output":
            rp = part.representative_points()
            return part.evaluate(rp, torch.arange(len(part)))[:, output].cpu().numpy(), f"output {output}"
        if color_by == "slope":
            return part.slope().cpu().numpy(), "local slope ||W_R||₂"
        if color_by == "active":
            return part.active.sum(1).cpu().numpy(), "active neurons"
        if color_by == "argmax":
            rp = part.representative_points()
            return part.evaluate(rp, torch.arange(len(part))).argmax(1).cpu().numpy(), "predicted class"
        raise ValueError(
            f"color_by must be 'pattern', 'output', 'slope', 'active', 'argmax' or an array of one value per "
            f"region, got {color_by!r}"
        )
    vals = np.asarray(color_by, dtype=float)
    if vals.shape != (len(part),):
        raise ValueError(f"color_by array must have one value per region ({len(part)}), got shape {vals.shape}")
    return vals, ""


COMPILED_RASTER = True
"""Use the compiled raster kernel when numba is installed (tests set it False to check the numpy route)."""

RASTER_REGIONS = 20_000
"""``plot_partition(raster="auto")`` paints the regions as an image above this many regions."""


def boundary_polylines(part) -> dict[int, np.ndarray]:
    """The region boundaries as one NaN-separated polyline ``(3E, 2)`` per layer (0: the domain's border).

    Each interior edge is drawn once: from the region on the side where the edge's pattern column is
    ``True`` (crossing a boundary flips its column, so the union of those edges covers the boundary).
    """
    V, Vn, valid = (t.detach().cpu() for t in part.vertex_pairs())
    eb = part.edge_boundary.cpu()
    interior = eb >= 0
    keep = valid & ~interior
    if part.patterns.shape[1]:  # no pattern columns (identity network): no interior edges either
        on_true_side = part.patterns.cpu().gather(1, torch.where(interior, eb, torch.zeros_like(eb)).long())
        keep |= valid & interior & on_true_side
    lay = part.edge_layers().cpu()
    out = {}
    for l in sorted(set(lay[keep].tolist())):
        m = keep & (lay == l)
        a, b = V[m].numpy(), Vn[m].numpy()
        line = np.full((len(a), 3, 2), np.nan)
        line[:, 0], line[:, 1] = a, b
        out[int(l)] = line.reshape(-1, 2)
    return out


def plot_partition(
    part,
    ax: Axes | None = None,
    *,
    color_by="pattern",
    output: int = 0,
    cmap: str = "viridis",
    edges: bool = True,
    edge_width: float = 1.2,
    seed: SeedLike = 0,
    colorbar: bool = True,
    legend: bool = True,
    anchor_labels: Sequence[str] | None = None,
    title: str | None = None,
    alpha: float = 1.0,
    raster="auto",
    raster_px: int | None = None,
    **style,
) -> Axes:
    """Draw a :class:`workbench.Partition`.

    Parameters
    ----------
    part
        From :func:`workbench.partition_2d` or :func:`workbench.partition_plane`.
    color_by
        ``"pattern"`` (a distinct colour per region, deterministic for ``seed``),
        ``"output"`` (value of output ``output``), ``"slope"`` (``||W_R||_2``),
        ``"active"`` (number of active neurons), ``"argmax"`` (predicted class), or
        an array with one value per region.
    edges
        Draw the region boundaries coloured by the layer of the neuron that made
        them (``LAYER_COLORS``; the domain border in grey), ``edge_width`` points
        wide (deeper layers on top).
    legend
        Name the boundary colours (or the classes, for ``"argmax"``) in a legend
        outside the axes, on its right (above the colour bar when there is one):
        inside, any corner hides regions and boundaries.
    anchor_labels
        For plane slices, labels of the three anchor points (drawn as markers).
    raster
        ``True``: paint the regions as one image, each pixel the colour of the
        region under its centre (:func:`raster_region_ids`); ``False``: one
        polygon per region (vector output); ``"auto"`` (default): the image above
        :data:`RASTER_REGIONS` regions, where polygons are a few pixels wide and
        drawing them as paths costs more than computing the partition (46k regions:
        0.3 s against 0.03 s).  In the image the boundaries are pixels too: those
        whose right or upper neighbour lies in another region, coloured by the
        layer that separates them (:func:`raster_boundary_layers`); the axes frame
        is the domain's border.
    raster_px
        Pixels of the image along the longer side of the domain (default: the
        axes' size in pixels whenever it is drawn, one image pixel per output
        pixel at any dpi; :class:`RegionImage`).
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    ax = new_axes(ax, figsize=(5.2, 5.0))
    V = part.vertices.detach().cpu().numpy()
    nv = part.n_vertices.cpu().numpy()
    n_regions = len(nv)
    if raster not in (True, False, "auto"):
        raise ValueError(f"raster must be True, False or 'auto', got {raster!r}")
    as_image = raster is True or (raster == "auto" and n_regions > RASTER_REGIONS)
    face = vals = None  # one RGBA row per region, or one value per region for the colour map
    handles = []
    if isinstance(color_by, str) and color_by == "pattern":
        cols = distinct_colors(min(n_regions, 4096), seed=seed)
        face = cols[np.arange(n_regions) % len(cols)]
    else:
        vals, label = _region_values(part, color_by, output)
        if isinstance(color_by, str) and color_by == "argmax":
            from matplotlib import colormaps
            from matplotlib.patches import Patch

            classes = vals.astype(int)
            pal = colormaps["tab10" if classes.max() < 10 else "tab20"]
            face, vals = pal(classes % pal.N), None
            handles = [Patch(color=pal(c % pal.N), label=f"class {c}") for c in sorted(set(classes.tolist()))]
    if as_image:
        if face is not None:
            from matplotlib.colors import to_rgba_array

            colors, norm = to_rgba_array(face), None
        else:
            from matplotlib import colormaps
            from matplotlib.colors import Normalize

            norm = Normalize(float(np.min(vals)), float(np.max(vals)))
            colors = colormaps[cmap](norm(np.asarray(vals, dtype=float)))
        pat = col = None
        if edges and part.patterns.shape[1]:
            pat, col = part.patterns.cpu().numpy(), part.boundaries["layer"].to_numpy()
        mappable = RegionImage(ax, V, nv, part.bounds, colors, patterns=pat, column_layer=col,
                               raster_px=raster_px, alpha=alpha, cmap=cmap, norm=norm)
        ax.add_image(mappable)
        if pat is not None:
            eb = part.edge_boundary.cpu()
            for v in sorted(set(np.unique(col[eb[eb >= 0].numpy()]).tolist())):
                handles.append(Line2D([], [], color=layer_color(int(v)), lw=2.5, label=f"layer {int(v)}"))
    else:
        # One (R, K, 2) array: the NaN padding repeats each polygon's last vertex (zero-length edges), so that
        # matplotlib takes its array fast path instead of one Python list item per region.
        mappable = PolyCollection(_padded_polygons(V, nv), linewidths=0, antialiaseds=False, alpha=alpha)
        if face is not None:
            mappable.set_facecolor(face)
        else:
            mappable.set_array(vals)
            mappable.set_cmap(cmap)
        ax.add_collection(mappable, autolim=False)  # the limits are the domain's bounds, set below
    if edges and not as_image:  # (in the image the boundaries are its pixels)
        for lay, line in boundary_polylines(part).items():
            color = "0.35" if lay == 0 else layer_color(lay)
            lw = edge_width * (1.5 if lay == 0 else 1.0)
            ax.add_collection(LineCollection([line], colors=color, linewidths=lw, zorder=2 + 0.01 * lay), autolim=False)
            if lay > 0:
                handles.append(Line2D([], [], color=color, lw=2.5, label=f"layer {lay}"))
    if vals is not None and colorbar:  # an inset beside the (equal-aspect) axes box: never over the title
        # with a legend the bar takes the lower part of the right side, the legend the top
        h = max(0.35, 1.0 - 0.1 * (len(handles) + 1.5)) if legend and handles else 1.0
        cax = ax.inset_axes([1.03, 0.0, 0.045, h])
        ax.figure.colorbar(mappable, cax=cax, label=label)
    if part.anchors is not None:
        a = np.asarray(part.anchors)
        ax.scatter(a[:, 0], a[:, 1], marker="*", s=160, c="white", edgecolors="black", zorder=5)
        for j, (x, y) in enumerate(a):
            lab = anchor_labels[j] if anchor_labels is not None else f"x{j}"
            ax.annotate(lab, (x, y), xytext=(5, 5), textcoords="offset points", fontsize=10, weight="bold",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", alpha=0.8))
    u0, u1, v0, v1 = part.bounds
    ax.set_xlim(u0, u1)
    ax.set_ylim(v0, v1)
    ax.set_aspect("equal")
    for axis in (ax.xaxis, ax.yaxis):  # five ticks (-1, -0.5, 0, 0.5, 1): legible, and each label costs ~10 ms
        axis.set_major_locator(MaxNLocator(nbins=4))
    ax.set_xlabel("u" if part.anchors is not None else "x₁")
    ax.set_ylabel("v" if part.anchors is not None else "x₂")
    if legend and handles:  # outside, on the right: inside, every corner covers regions and boundaries
        lines_only = all(isinstance(h, Line2D) for h in handles)
        for h in handles:
            if isinstance(h, Line2D) and not lines_only:
                h.set_label(f"{h.get_label()} boundary")
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=9,
                  handlelength=1.5, frameon=False, title="boundary of" if lines_only else None,
                  title_fontsize=9, alignment="left")
    ax.set_title(title if title is not None else f"{len(part):,} linear regions")
    return apply_style(ax, style)


def plot_partition_layers(parts: Sequence, axes=None, *, color_by="pattern", seed: SeedLike = 0, alpha: float = 0.45,
                          edge_width: float = 2.0, **kw):
    """Raghu et al.'s figure: the partition after layer 1, layers 1-2, layers 1-3, ... side by side.

    ``parts[i]`` is ``partition_2d(net, layers=i + 1)``.  Returns the array of Axes.
    """
    if axes is None:
        _, axes = new_figure(1, len(parts), figsize=(4.2 * len(parts), 4.3))
    axes = np.atleast_1d(axes)
    for j, (ax, p) in enumerate(zip(axes, parts)):
        upto = "layer 1" if p.layers == 1 else f"layers 1-{p.layers}"
        plot_partition(p, ax=ax, color_by=color_by, seed=seed, legend=(j == len(parts) - 1), alpha=alpha,
                       edge_width=edge_width, title=f"{upto}: {len(p):,} regions", colorbar=False, **kw)
    return axes


def plot_partition_surface(part, ax: Axes | None = None, *, output: int = 0, cmap: str = "viridis",
                           edge_color: str = "k", edge_width: float = 0.2, title: str | None = None,
                           elev: float = 28, azim: float = -60, **style) -> Axes:
    """The network's function as a surface of planar pieces over its regions (Johansson 2022, Fig. 1.1)."""
    import torch
    from matplotlib import cm, colors
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    ax = new_axes(ax, figsize=(6.4, 5.2), projection="3d")
    V = torch.nan_to_num(part.vertices, nan=0.0)
    z = (torch.einsum("rki,ri->rk", V, part.W[:, output, :]) + part.b[:, output, None]).cpu().numpy()
    Vn = V.cpu().numpy()
    nv = part.n_vertices.cpu().numpy()
    polys = [np.column_stack([Vn[i, : nv[i]], z[i, : nv[i]]]) for i in range(len(nv))]
    zmean = np.array([p[:, 2].mean() for p in polys])
    norm = colors.Normalize(zmean.min(), zmean.max() if zmean.max() > zmean.min() else zmean.min() + 1)
    fc = cm.get_cmap(cmap)(norm(zmean)) if hasattr(cm, "get_cmap") else None
    if fc is None:  # pragma: no cover - matplotlib >= 3.9
        from matplotlib import colormaps
        fc = colormaps[cmap](norm(zmean))
    coll = Poly3DCollection(polys, facecolors=fc, edgecolors=edge_color, linewidths=edge_width)
    ax.add_collection3d(coll)
    u0, u1, v0, v1 = part.bounds
    ax.set_xlim(u0, u1)
    ax.set_ylim(v0, v1)
    zs = np.concatenate([p[:, 2] for p in polys])
    ax.set_zlim(zs.min(), zs.max() if zs.max() > zs.min() else zs.min() + 1)
    ax.view_init(elev=elev, azim=azim)
    # few ticks: a 3-D axis' default nine labels run into each other
    ax.set_xticks([u0, (u0 + u1) / 2, u1])
    ax.set_yticks([v0, (v0 + v1) / 2, v1])
    ax.zaxis.set_major_locator(MaxNLocator(nbins=3))
    ax.tick_params(axis="both", pad=1)
    ax.set_xlabel("x₁", labelpad=4)
    ax.set_ylabel("x₂", labelpad=4)
    ax.set_zlabel("f(x)" if part.W.shape[1] == 1 else f"f(x)[{output}]", labelpad=8)
    ax.set_title(title if title is not None else f"f over its {len(part):,} linear pieces")
    return apply_style(ax, style)


def plot_region_counts(table, ax: Axes | None = None, *, x: str = "depth", hue: str | None = None,
                       bound: bool = True, logy: bool = True, title: str | None = None, **style) -> Axes:
    """Region counts against depth or width (mean and range over seeds) with Raghu et al.'s upper bound.

    ``table``: :func:`workbench.experiments.region_count_sweep` output (columns
    ``depth, width, seed, regions, raghu_bound``).
    """
    ax = new_axes(ax, figsize=(6.0, 4.0))
    hue = hue or ("width" if x == "depth" else "depth")
    keys = sorted(table[hue].unique())
    for j, key in enumerate(keys):
        sub = table[table[hue] == key]
        g = sub.groupby(x)["regions"]
        m, lo, hi = g.mean(), g.min(), g.max()
        col = LAYER_COLORS[j % len(LAYER_COLORS)]
        ax.plot(m.index, m.values, "o-", color=col, label=f"{hue} {key}")
        ax.fill_between(m.index, lo.values, hi.values, color=col, alpha=0.2)
        ax.set_xticks(sorted(table[x].unique()))
        if bound:
            bd = sub.groupby(x)["raghu_bound"].first()
            ax.plot(bd.index, bd.values.astype(float), "--", color=col, alpha=0.8, lw=1)
    if bound:
        ax.plot([], [], "k--", lw=1, label="upper bound (Raghu et al. Thm 1)")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(x)
    ax.set_ylabel("linear regions in the square")
    _legend_below(ax, ncol=2)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_line_density(table, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Regions per unit length along a line against the number of neurons (Hanin & Rolnick 2019: about equal)."""
    ax = new_axes(ax, figsize=(5.5, 4.0))
    for j, (d, sub) in enumerate(table.groupby("depth")):
        g = sub.groupby("neurons")["per_length"]
        ax.plot(g.mean().index, g.mean().values, "o", color=LAYER_COLORS[j % len(LAYER_COLORS)], label=f"depth {d}")
    n = np.array([table["neurons"].min(), table["neurons"].max()])
    ax.plot(n, n, "k--", lw=1, label="#neurons (Hanin & Rolnick)")
    ax.set_xlabel("number of neurons")
    ax.set_ylabel("regions per unit length")
    _legend_below(ax, ncol=2)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_edge_distances(table, ax: Axes | None = None, *, bins: int = 30, title: str | None = None, **style) -> Axes:
    """Histograms of the distance to the nearest region edge, mislabeled vs correct (thesis Fig. 2.1 right).

    One seaborn histogram per group (densities, each normalised on its own) and
    its median as a dashed line.
    """
    import seaborn as sns

    ax = new_axes(ax, figsize=(6.0, 3.8))
    d = table["distance"].to_numpy()
    edges_ = np.histogram_bin_edges(d[np.isfinite(d)], bins=bins)
    names = {False: "correctly labeled", True: "mislabeled"}
    df = pd.DataFrame({"distance": table["distance"].to_numpy(),
                       "group": [names[bool(v)] for v in table["mislabeled"]]})
    counts = df["group"].value_counts()
    order = [names[False], names[True]]
    df["group"] = df["group"].map({k: f"{k} (n = {counts.get(k, 0)})" for k in order})
    labels = [f"{k} (n = {counts.get(k, 0)})" for k in order]
    palette = dict(zip(labels, LAYER_COLORS[:2]))
    sns.histplot(df, x="distance", hue="group", hue_order=labels, palette=palette, bins=edges_, stat="density",
                 common_norm=False, alpha=0.55, ax=ax)
    for lab in labels:
        sub = df.loc[df["group"] == lab, "distance"]
        if len(sub):
            ax.axvline(float(np.median(sub)), color=palette[lab], lw=1.5, ls="--")
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper right", title="dashed: medians", fontsize=9, title_fontsize=9, frameon=False)
    ax.set_xlabel("distance to the nearest region edge")
    ax.set_ylabel("density")
    if title:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_sv_differences(table, ax: Axes | None = None, *, title: str | None = None, **style) -> Axes:
    """Mean squared singular-value difference of adjacent regions vs width, with eq. 2.13 (thesis Fig. 2.3 left)."""
    ax = new_axes(ax, figsize=(5.8, 4.0))
    ax.plot(table["width"], table["sq_diff_mean"], "o-", color=LAYER_COLORS[0], label="Σ(σᵢ − σ̃ᵢ)² (measured)")
    if "sq_diff_sem" in table:
        ax.fill_between(table["width"], table["sq_diff_mean"] - 2 * table["sq_diff_sem"],
                        table["sq_diff_mean"] + 2 * table["sq_diff_sem"], color=LAYER_COLORS[0], alpha=0.2)
    if "frob2_mean" in table:
        ax.plot(table["width"], table["frob2_mean"], "s:", color=LAYER_COLORS[2], label="‖E‖²_F (measured, eq. 2.7)")
    ax.plot(table["width"], table["bound"], "k--", label="$C^2 n_c / n_1$ (eq. 2.13)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("hidden width n₁")
    ax.set_ylabel("squared difference")
    _legend_below(ax, ncol=2)
    ax.grid(alpha=0.3, which="both")
    if title:
        ax.set_title(title)
    return apply_style(ax, style)
