"""Geometry in display pixels for the rules of :mod:`workbench.plots.lint`.

Overlap of rotated text boxes (separating axes), and the data artists of an
axes as display points (lines interpolated every ``_LINE_STEP_PX``) or boxes
(areas), with the share of them a legend box covers.  Moved out of
``workbench/plots/lint.py`` (issue 24).
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, QuadMesh
from matplotlib.container import BarContainer
from matplotlib.transforms import Bbox

from workbench.plots._lint_drawn import _quote

_LINE_STEP_PX = 2.0
_MAX_POINTS = 200_000  # per artist, after interpolation


def _sat_depth(a: np.ndarray, b: np.ndarray) -> float:
    """Penetration depth of two convex quadrilaterals (separating-axis theorem); <= 0 when apart."""
    depth = math.inf
    for poly in (a, b):
        for k in range(2):
            e = poly[k + 1] - poly[k]
            n = np.array([-e[1], e[0]])
            n /= np.hypot(*n) or 1.0
            pa, pb = a @ n, b @ n
            depth = min(depth, min(pa.max(), pb.max()) - max(pa.min(), pb.min()))
    return depth


def _box_corners(bb: Bbox) -> np.ndarray:
    return np.array([[bb.x0, bb.y0], [bb.x1, bb.y0], [bb.x1, bb.y1], [bb.x0, bb.y1]])


def _densify(P: np.ndarray, step: float) -> np.ndarray:
    """The points of a polyline (NaN breaks it) with long segments interpolated every ``step`` px."""
    ok = np.isfinite(P).all(axis=1)
    if len(P) < 2:
        return P[ok]
    seg = ok[:-1] & ok[1:]
    a, d = P[:-1][seg], (P[1:] - P[:-1])[seg]
    L = np.hypot(d[:, 0], d[:, 1])
    n = np.maximum(1, np.ceil(L / step)).astype(np.int64)
    if n.sum() > _MAX_POINTS:
        n = np.maximum(1, np.ceil(L / (step * n.sum() / _MAX_POINTS))).astype(np.int64)
    idx = np.repeat(np.arange(len(a)), n)
    start = np.cumsum(n) - n
    t = (np.arange(idx.size) - start[idx]) / n[idx]
    return np.concatenate([a[idx] + t[:, None] * d[idx], P[ok]])


def _inside(P: np.ndarray, bb: Bbox, pad: float = 0.0) -> np.ndarray:
    return (P[:, 0] >= bb.x0 - pad) & (P[:, 0] <= bb.x1 + pad) & (P[:, 1] >= bb.y0 - pad) & (P[:, 1] <= bb.y1 + pad)


def _area(bb: Bbox | None) -> float:
    return 0.0 if bb is None else max(0.0, bb.width) * max(0.0, bb.height)


def _label(artist, kind: str, k: int) -> str:
    lab = artist.get_label() or ""
    return f"{kind} {_quote(lab)}" if lab and not lab.startswith("_") else f"{kind} {k}"


def _data_shapes(ax: Axes, renderer):
    """``(data, what, unit)`` for each data artist of ``ax``: display points, or boxes (px) for areas."""
    for k, line in enumerate(ax.lines):
        if not line.get_visible():
            continue
        P = line.get_transform().transform(np.asarray(line.get_xydata(), float))
        has_line = line.get_linestyle() not in ("None", "none", "", " ")
        pts = _densify(P, _LINE_STEP_PX) if has_line else P[np.isfinite(P).all(axis=1)]
        yield pts, _label(line, "line", k), "points along it, every 2 px" if has_line else "markers"
    for k, coll in enumerate(ax.collections):
        if not coll.get_visible():
            continue
        if isinstance(coll, PathCollection):
            off = np.ma.filled(np.ma.asarray(coll.get_offsets(), float), np.nan)
            P = coll.get_offset_transform().transform(off)
            yield P[np.isfinite(P).all(axis=1)], _label(coll, "scatter", k), "markers"
        elif isinstance(coll, LineCollection):
            tr = coll.get_transform()
            segs = [_densify(tr.transform(np.asarray(s, float)), _LINE_STEP_PX) for s in coll.get_segments() if len(s)]
            if segs:
                yield np.concatenate(segs), _label(coll, "line collection", k), "points along it, every 2 px"
        elif isinstance(coll, QuadMesh):
            yield coll.get_window_extent(renderer), _label(coll, "mesh", k), "area"
    for k, im in enumerate(ax.images):
        if im.get_visible():
            yield im.get_window_extent(renderer), _label(im, "image", k), "area"
    for k, cont in enumerate(ax.containers):
        if isinstance(cont, BarContainer):
            bars = [p for p in cont.patches if p.get_visible() and p.get_width() and p.get_height()]  # drawn
            if bars:
                yield [p.get_window_extent(renderer) for p in bars], _label(cont, "bars", k), "bar area"
                # the value end of each bar (its top, or right end for barh): hiding it hides the number
                v = np.array([p.get_verts()[:4] for p in bars])
                ends = (v[:, 1] + v[:, 2]) / 2 if getattr(cont, "orientation", None) == "horizontal" \
                    else (v[:, 2] + v[:, 3]) / 2
                yield ends, _label(cont, "bars", k), "bar ends, where the values show"


def _share(data, box: Bbox, clip: Bbox) -> float | None:
    if isinstance(data, np.ndarray):  # points
        drawn = data[_inside(data, clip, 0.5)]
        return None if len(drawn) == 0 else float(_inside(drawn, box).mean())
    rects = data if isinstance(data, list) else [data]
    shown = [Bbox.intersection(r, clip) for r in rects]
    total = sum(_area(r) for r in shown)
    if total <= 0:
        return None
    return sum(_area(Bbox.intersection(r, box)) for r in shown if r is not None) / total
