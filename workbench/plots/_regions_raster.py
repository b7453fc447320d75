"""The raster route of :func:`workbench.plots.regions.plot_partition`: regions painted as one image.

:func:`raster_region_ids` finds the region under every pixel centre,
:func:`raster_boundary_layers` the layer of the boundary a pixel lies on, and
:class:`RegionImage` paints both at draw time, one pixel per screen pixel.
Each has a compiled (numba) kernel and a numpy route giving the same image;
``workbench.plots.regions.COMPILED_RASTER`` (read there at call time) picks the
kernel.  Moved out of ``workbench/plots/regions.py`` (issue 24); import these
names from :mod:`workbench.plots.regions`.
"""
from __future__ import annotations

import numpy as np
from matplotlib.image import AxesImage


def _compiled_raster() -> bool:
    """``workbench.plots.regions.COMPILED_RASTER`` now (tests patch it there to check the numpy route)."""
    from workbench.plots import regions

    return regions.COMPILED_RASTER


def _padded_polygons(V: np.ndarray, nv: np.ndarray) -> np.ndarray:
    """``(R, K, 2)`` polygons with the NaN padding after ``nv[r]`` replaced by the last real vertex."""
    K = V.shape[1]
    idx = np.minimum(np.arange(K)[None, :], np.maximum(nv, 1)[:, None] - 1)
    return np.take_along_axis(V, idx[..., None], axis=1)


try:  # numba is optional: the numpy route below gives the same image
    from numba import njit
except ImportError:  # pragma: no cover - exercised where numba is missing
    njit = None


if njit is not None:
    @njit(cache=True)
    def _raster_kernel(P, nv, u0, u1, v0, v1, ids):  # pragma: no cover - compiled
        R = P.shape[0]
        H, Wd = ids.shape
        dx, dy = (u1 - u0) / Wd, (v1 - v0) / H
        tol = 1e-9 * max(u1 - u0, v1 - v0)
        for r in range(R):  # in order: a later polygon paints the pixel centres on a shared edge
            K = nv[r]
            if K < 1:
                continue
            lx, hx, ly, hy = P[r, 0, 0], P[r, 0, 0], P[r, 0, 1], P[r, 0, 1]
            for k in range(1, K):
                lx, hx = min(lx, P[r, k, 0]), max(hx, P[r, k, 0])
                ly, hy = min(ly, P[r, k, 1]), max(hy, P[r, k, 1])
            j0 = max(int(np.ceil((lx - u0) / dx - 0.5)), 0)
            j1 = min(int(np.floor((hx - u0) / dx - 0.5)), Wd - 1)
            i0 = max(int(np.ceil((ly - v0) / dy - 0.5)), 0)
            i1 = min(int(np.floor((hy - v0) / dy - 0.5)), H - 1)
            for i in range(i0, i1 + 1):
                py = v0 + (i + 0.5) * dy
                for j in range(j0, j1 + 1):
                    px = u0 + (j + 0.5) * dx
                    ok = True
                    for k in range(K):
                        k2 = k + 1 if k + 1 < K else 0
                        ex, ey = P[r, k2, 0] - P[r, k, 0], P[r, k2, 1] - P[r, k, 1]
                        cr = ex * (py - P[r, k, 1]) - ey * (px - P[r, k, 0])
                        if cr < -tol * np.sqrt(ex * ex + ey * ey):
                            ok = False
                            break
                    if ok:
                        ids[i, j] = r

    @njit(cache=True)
    def _boundary_kernel(ids, pat, col_layer, out):  # pragma: no cover - compiled
        H, Wd = ids.shape
        C = pat.shape[1]
        for i in range(H):
            for j in range(Wd):
                a = ids[i, j]
                if a < 0:
                    continue
                best = 0
                for side in range(2):  # the right and the upper neighbour
                    ni, nj = (i, j + 1) if side == 0 else (i + 1, j)
                    if ni >= H or nj >= Wd:
                        continue
                    b = ids[ni, nj]
                    if b < 0 or b == a:
                        continue
                    for c in range(C - 1, -1, -1):  # the last (deepest) column that differs
                        if pat[a, c] != pat[b, c]:
                            best = max(best, col_layer[c])
                            break
                out[i, j] = best
else:  # pragma: no cover
    _raster_kernel = _boundary_kernel = None


def raster_region_ids(V: np.ndarray, nv: np.ndarray, bounds, shape: tuple[int, int], *,
                      chunk: int = 1 << 20) -> np.ndarray:
    """The region under every pixel centre of an ``(H, W)`` grid over ``bounds`` (``-1``: none), row 0 at the bottom.

    ``V (R, K, 2)``: convex counter-clockwise polygons padded after ``nv[r]``
    vertices.  A pixel centre belongs to a polygon when it lies on the inner side
    of every edge (with a tolerance of ``1e-9`` of the domain's size, so pixel
    centres on a shared edge are never left out; the later polygon paints them).
    Candidates are the pixel centres inside each polygon's bounding box, tested
    in chunks of at most ``chunk`` (pixel, polygon) pairs.
    """
    H, Wd = int(shape[0]), int(shape[1])
    u0, u1, v0, v1 = (float(b) for b in bounds)
    ids = np.full((H, Wd), -1, dtype=np.int64)
    R = len(nv)
    if R == 0 or H <= 0 or Wd <= 0:
        return ids
    if _raster_kernel is not None and _compiled_raster():
        _raster_kernel(np.ascontiguousarray(V, dtype=np.float64), np.ascontiguousarray(nv, dtype=np.int64),
                       u0, u1, v0, v1, ids)
        return ids
    P = _padded_polygons(V, nv)  # (R, K, 2): the closing edge is P[K-1] -> P[0]
    dx, dy = (u1 - u0) / Wd, (v1 - v0) / H
    lo, hi = np.nanmin(P, axis=1), np.nanmax(P, axis=1)
    j0 = np.clip(np.ceil((lo[:, 0] - u0) / dx - 0.5), 0, Wd).astype(np.int64)
    j1 = np.clip(np.floor((hi[:, 0] - u0) / dx - 0.5), -1, Wd - 1).astype(np.int64)
    i0 = np.clip(np.ceil((lo[:, 1] - v0) / dy - 0.5), 0, H).astype(np.int64)
    i1 = np.clip(np.floor((hi[:, 1] - v0) / dy - 0.5), -1, H - 1).astype(np.int64)
    nw, nh = np.maximum(j1 - j0 + 1, 0), np.maximum(i1 - i0 + 1, 0)
    cnt = nw * nh
    tol = 1e-9 * max(u1 - u0, v1 - v0)
    E = np.roll(P, -1, axis=1) - P  # (R, K, 2) edge vectors (zero for the padding)
    ends = np.cumsum(cnt)
    start = 0
    first = ends - cnt  # each polygon's first candidate, counted over all polygons
    while start < R:  # chunks of polygons with at most `chunk` candidate pixels (at least one polygon)
        stop = max(int(np.searchsorted(ends, first[start] + chunk, side="right")), start + 1)
        r = np.repeat(np.arange(start, stop), cnt[start:stop])
        if len(r):
            k = np.arange(len(r)) - np.repeat(first[start:stop] - first[start], cnt[start:stop])  # within polygon
            jj, ii = j0[r] + k % nw[r], i0[r] + k // nw[r]
            px, py = u0 + (jj + 0.5) * dx, v0 + (ii + 0.5) * dy
            cross = E[r, :, 0] * (py[:, None] - P[r, :, 1]) - E[r, :, 1] * (px[:, None] - P[r, :, 0])
            inside = (cross >= -tol * np.hypot(E[r, :, 0], E[r, :, 1])).all(1)
            ids[ii[inside], jj[inside]] = r[inside]
        start = stop
    return ids


def raster_boundary_layers(ids: np.ndarray, patterns: np.ndarray, column_layer: np.ndarray) -> np.ndarray:
    """Per pixel of :func:`raster_region_ids`' image, the layer of the boundary it lies on (0: none).

    A pixel is on a boundary when its right or upper neighbour shows another
    region; the boundary's layer is that of the deepest pattern column in which
    the two regions differ (neighbouring regions differ in the one neuron whose
    line separates them; where a pixel skips a region too small to show, the
    deepest layer wins, as the vector drawing paints deeper layers on top).
    """
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    pat = np.ascontiguousarray(patterns, dtype=np.uint8)
    col = np.ascontiguousarray(column_layer, dtype=np.int64)
    out = np.zeros(ids.shape, dtype=np.int64)
    if pat.shape[1] == 0 or ids.size == 0:
        return out
    if _boundary_kernel is not None and _compiled_raster():
        _boundary_kernel(ids, pat, col, out)
        return out
    for a, b, o in ((ids[:, :-1], ids[:, 1:], out[:, :-1]), (ids[:-1], ids[1:], out[:-1])):
        m = (a >= 0) & (b >= 0) & (a != b)
        diff = pat[a[m]] != pat[b[m]]
        last = pat.shape[1] - 1 - np.argmax(diff[:, ::-1], axis=1)
        o[m] = np.maximum(o[m], np.where(diff.any(1), col[last], 0))
    return out


class RegionImage(AxesImage):
    """The regions and their boundaries as one image, painted at draw time with one pixel per screen pixel.

    Each pixel has the colour of the region under its centre
    (:func:`raster_region_ids`); with ``edges``, boundary pixels
    (:func:`raster_boundary_layers`) have their layer's colour.  The image is
    repainted whenever the axes' size in pixels changes (constrained layout, a
    print at another dpi), so it is never resampled; ``raster_px`` fixes the size
    instead.  ``ids`` and ``boundary``: the region and boundary layer per pixel
    of the last painting (row 0 at the bottom; ``None`` until first drawn).
    """

    def __init__(self, ax, V, nv, bounds, colors, *, patterns=None, column_layer=None, raster_px=None, **kw):
        u0, u1, v0, v1 = (float(b) for b in bounds)
        super().__init__(ax, extent=(u0, u1, v0, v1), origin="lower", interpolation="nearest", **kw)
        self._src = (V, nv, (u0, u1, v0, v1), np.asarray(colors, dtype=float), patterns, column_layer)
        self._fixed = raster_px is not None
        self.ids = self.boundary = self._shape = None
        if raster_px is None:  # painted when first drawn, at the size the layout gives the axes
            self.set_data(np.zeros((1, 1, 4), dtype=np.uint8))
            return
        side = max(u1 - u0, v1 - v0)
        px = max(int(raster_px), 8)
        self._paint((max(round(px * (v1 - v0) / side), 1), max(round(px * (u1 - u0) / side), 1)))

    def _paint(self, shape):
        V, nv, bounds, colors, patterns, column_layer = self._src
        self.ids = raster_region_ids(V, nv, bounds, shape)
        rgba = np.zeros((*shape, 4), dtype=np.uint8)
        inside = self.ids >= 0
        table = np.round(np.clip(colors, 0, 1) * 255).astype(np.uint8)
        rgba[inside] = table[self.ids[inside]]
        self.boundary = None
        if patterns is not None:
            self.boundary = raster_boundary_layers(self.ids, patterns, column_layer)
            on = self.boundary > 0
            if on.any():
                from matplotlib.colors import to_rgba_array

                from workbench.plots.regions import layer_color

                tab = to_rgba_array([layer_color(v) for v in range(1, int(self.boundary.max()) + 1)])
                rgba[on] = np.round(tab[self.boundary[on] - 1] * 255).astype(np.uint8)
        self._shape = tuple(shape)
        self.set_data(rgba)

    def draw(self, renderer):
        if not self._fixed and self.axes is not None:
            bb = self.axes.bbox  # display pixels at the renderer's dpi
            shape = (max(round(bb.height), 1), max(round(bb.width), 1))
            if shape != self._shape:
                self._paint(shape)
        return super().draw(renderer)
