"""The exact partition of a 2-D domain into activation regions: the result and its geometry.

:class:`Partition` holds the convex polygons, activation patterns and local
affine maps that :func:`workbench.partition_2d` / :func:`workbench.partition_plane`
compute (the clipping engine is :mod:`workbench.measures.partition.clipping`), and answers
geometric questions about them: areas, edges, point location, the regions a
line crosses.  Shapely appears only when geometry leaves the engine
(:attr:`Partition.polygons`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from workbench.nets.piecewise import DTYPE
from workbench.validation import check_real

__all__ = ["Partition", "PackedPatterns", "RegionLimitError", "DEFAULT_MAX_REGIONS", "regions_on_line", "clip_polygons"]

DEFAULT_MAX_REGIONS = 2_000_000
"""Region count at which the engine stops when ``max_regions=None``."""

SNAP = 1e-10
"""The engines' one tolerance: a vertex value ``|s| <= SNAP * max|s|`` of its region counts as on the line."""


def vertex_side(V: torch.Tensor, g: torch.Tensor, z: torch.Tensor):
    """Where the vertices ``V (M, K, 2)`` lie with respect to the lines ``V.g + z = 0`` (``g (M, 2)``, ``z (M,)``).

    Returns ``s, tol, pos, neg``: the values ``s (M, K)`` at the vertices, the per-row
    tolerance ``SNAP * max|s|``, and whether some vertex is above ``tol`` / below
    ``-tol`` (``pos & neg``: the line cuts the polygon).  Both partition engines use it.
    """
    s = torch.einsum("mkd,md->mk", V, g) + z.unsqueeze(1)
    smax, smin = s.amax(1), s.amin(1)
    tol = SNAP * torch.maximum(smax.abs(), smin.abs())
    return s, tol, smax > tol, smin < -tol


def clip_polygons(V: torch.Tensor, nv: torch.Tensor, s: torch.Tensor, L: torch.Tensor, labels):
    """Split convex polygons by a line each: one vectorised Sutherland-Hodgman step, the engines' only one.

    Parameters
    ----------
    V : Tensor (M, K, 2)
        Convex polygons, counter-clockwise, vertex slots past ``nv`` ignored.
    nv : Tensor (M,) int
        Vertex counts.
    s : Tensor (M, K)
        The line's value at every vertex, snapped (``|s| <= tol`` set to 0, see
        :func:`vertex_side`); every row must have vertices strictly on both sides.
    L : Tensor (M, K) int
        Edge labels (the edge from vertex ``k`` to ``k + 1``).
    labels : int or Tensor (M,)
        Label of the new edge along the line (one for all rows, or one per row).

    Returns
    -------
    ``[(V, nv, L) of the positive pieces, (V, nv, L) of the negative pieces]``, each with
    ``K + 1`` vertex slots; unused slots repeat vertex 0 (so bounding boxes and
    min/max over the slots stay right) and their labels are -1.
    """
    M, K, _ = V.shape
    dev = V.device
    ar = torch.arange(K, device=dev)[None]
    valid = ar < nv[:, None]
    kn = torch.where(ar + 1 < nv[:, None], ar + 1, torch.zeros_like(ar))
    Vn = V.gather(1, kn.unsqueeze(-1).expand(-1, -1, 2))
    sn = s.gather(1, kn)
    cross = valid & (((s > 0) & (sn < 0)) | ((s < 0) & (sn > 0)))
    t = torch.where(cross, s / torch.where(cross, s - sn, torch.ones_like(s)), torch.zeros_like(s))
    P = V + t.unsqueeze(-1) * (Vn - V)
    lab = torch.as_tensor(labels, dtype=L.dtype, device=dev)
    newL = lab.expand(M, K) if lab.dim() == 0 else lab[:, None].expand(M, K)
    cV = torch.stack([V, P], 2).reshape(M, 2 * K, 2)
    Ko = K + 1
    rows = torch.arange(M, device=dev)[:, None]
    out = []
    for sign in (1.0, -1.0):
        ss, ssn = s * sign, sn * sign
        keep = valid & (ss >= 0)
        lab_v = torch.where((ss > 0) | (ssn > 0), L, newL)
        lab_p = torch.where(ss > 0, newL, L)
        cm = torch.stack([keep, cross], 2).reshape(M, 2 * K)
        cL = torch.stack([lab_v, lab_p], 2).reshape(M, 2 * K)
        pos = cm.cumsum(1) - 1
        cnt = cm.sum(1)
        flat = (rows * Ko + pos)[cm]
        oV = torch.empty((M, Ko, 2), dtype=V.dtype, device=dev)
        oL = torch.full((M, Ko), -1, dtype=L.dtype, device=dev)
        oV.view(-1, 2)[flat] = cV[cm]
        oL.view(-1)[flat] = cL[cm]
        unused = torch.arange(Ko, device=dev)[None] >= cnt[:, None]
        oV = torch.where(unused.unsqueeze(-1), oV[:, :1], oV)
        out.append((oV, cnt, oL))
    return out


class PackedPatterns:
    """Activation patterns as packed bits (issue 29): one block of bytes per activation layer, bit ``j % 8`` of
    byte ``j // 8`` of a block for the layer's column ``j`` (little-endian), each block starting on a byte.

    The fast engine carries patterns so (1/8 of a bool per column: at 2-512x3 192 bytes per region instead of
    1,536) and :attr:`Partition.patterns` unpacks them on first access.  ``bits (R, B)`` uint8, ``widths``: the
    columns of every layer's block.
    """

    __slots__ = ("bits", "widths")

    def __init__(self, bits: torch.Tensor, widths: tuple[int, ...]):
        self.bits, self.widths = bits, tuple(int(w) for w in widths)

    @staticmethod
    def pack(block: torch.Tensor) -> torch.Tensor:
        """``(R, C)`` bool -> ``(R, ceil(C / 8))`` uint8, little-endian bits (numpy's ``packbits`` on the CPU)."""
        if block.device.type == "cpu":
            return torch.from_numpy(np.packbits(block.numpy(), axis=1, bitorder="little"))
        R, C = block.shape
        pad = (-C) % 8
        x = torch.nn.functional.pad(block.to(torch.uint8), (0, pad)).view(R, -1, 8)
        w = torch.tensor([1, 2, 4, 8, 16, 32, 64, 128], dtype=torch.uint8, device=block.device)
        return (x * w).sum(-1, dtype=torch.uint8)

    def unpack(self) -> torch.Tensor:
        """The patterns as ``(R, sum(widths))`` bool."""
        R = self.bits.shape[0]
        out, off = [], 0
        for w in self.widths:
            nb = (w + 7) // 8
            blk = self.bits[:, off:off + nb]
            if blk.device.type == "cpu":
                u = torch.from_numpy(np.unpackbits(blk.contiguous().numpy(), axis=1, count=w, bitorder="little"))
            else:
                sh = torch.arange(8, dtype=torch.uint8, device=blk.device)
                u = ((blk.unsqueeze(-1) >> sh) & 1).reshape(R, nb * 8)[:, :w]
            out.append(u.view(torch.bool) if u.dtype == torch.uint8 else u.bool())
            off += nb
        if not out:
            return torch.zeros((R, 0), dtype=torch.bool, device=self.bits.device)
        return torch.cat(out, 1) if len(out) > 1 else out[0].contiguous()


class RegionLimitError(RuntimeError):
    """The partition would have more regions than ``max_regions`` allows."""


@dataclass
class Partition:
    """Exact activation regions of a piecewise-linear network on a 2-D domain.

    Attributes
    ----------
    vertices : Tensor (R, K, 2) float64
        Convex polygons, counter-clockwise, padded with NaN after ``n_vertices``.
    n_vertices : Tensor (R,) int
    edge_boundary : Tensor (R, K) int
        For the edge from vertex k to vertex k+1: the boundary column (index into
        :attr:`boundaries`) of the neuron whose line made it, or -1 for the domain's border.
    patterns : Tensor (R, P) bool
        (The fast engine keeps them as packed bits, :class:`PackedPatterns`, and unpacks them on first access;
        the unpacked tensor is kept from then on.)  Activation pattern: one column per (neuron, breakpoint) of
        every hidden activation layer, ``True`` where the pre-activation is above the
        breakpoint (ReLU/LeakyReLU: one column per neuron, "active"; HardTanh: two,
        ``z > min_val`` and ``z > max_val``; identity: none).  See :attr:`boundaries`.
    active : Tensor (R, L) int
        Per region and activation layer, the number of neurons on a piece with
        non-zero slope (ReLU: active neurons), the ``trace(Z_i)`` of thesis eq. 2.3.
    W, b : Tensor (R, n_out, 2), (R, n_out)
        Local affine map ``f(u) = W_R u + b_R`` of every output on each region, in
        domain coordinates ``u`` (for :func:`partition_plane` the plane
        coordinates). When computed with ``layers=l`` these are the maps of the
        (flattened) output of hidden activation layer ``l``.
    boundaries : pandas.DataFrame
        One row per pattern column: ``layer`` (1-based activation layer),
        ``neuron``, ``breakpoint`` value and the module ``name``.
    bounds : (u_min, u_max, v_min, v_max)
    layers : number of activation layers included.
    origin, basis : for plane slices, the input point ``x(u, v) = origin + u*basis[0] + v*basis[1]``.
    anchors : (3, 2) plane coordinates of the three points of :func:`partition_plane` (else None).
    """

    vertices: torch.Tensor
    n_vertices: torch.Tensor
    edge_boundary: torch.Tensor
    patterns: torch.Tensor
    active: torch.Tensor
    W: torch.Tensor
    b: torch.Tensor
    boundaries: Any
    bounds: tuple[float, float, float, float]
    layers: int
    origin: torch.Tensor | None = None
    basis: torch.Tensor | None = None
    anchors: np.ndarray | None = None
    counts_per_layer: tuple[int, ...] = ()
    _polygons: list | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return int(self.vertices.shape[0])

    def __repr__(self) -> str:
        return (f"Partition({len(self)} regions, {self.layers} activation layer(s), "
                f"bounds={self.bounds}, outputs={self.W.shape[1]})")

    # -- geometry ------------------------------------------------------------
    def vertex_pairs(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``(V, Vn, valid)``: padded vertices (NaN -> 0), each vertex's successor
        around its polygon (edge k runs from ``V[:, k]`` to ``Vn[:, k]``), and the mask of
        real (non-padding) vertices."""
        return self._vertex_pairs()

    def _vertex_pairs(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """See :meth:`vertex_pairs`."""
        V = torch.nan_to_num(self.vertices, nan=0.0)
        ar = torch.arange(V.shape[1], device=V.device)
        nv = self.n_vertices[:, None]
        kn = torch.where(ar[None] + 1 < nv, ar[None] + 1, torch.zeros_like(ar[None]))
        Vn = V.gather(1, kn.unsqueeze(-1).expand(-1, -1, 2))
        return V, Vn, ar[None] < nv

    def area(self) -> torch.Tensor:
        """Area of every region (shoelace formula), shape ``(R,)``.

        The vertices are centred on their mean first: the uncentred formula sums
        products of the size of the coordinates, which cancel to the area, so a
        ``1e-6`` box at ``(1e8, 1e8)`` lost every digit (area 0) before.
        """
        V, Vn, valid = self._vertex_pairs()
        w = valid.to(V.dtype).unsqueeze(-1)
        centre = (V * w).sum(1, keepdim=True) / w.sum(1, keepdim=True).clamp_min(1)
        V, Vn = V - centre, Vn - centre
        cross = (V[..., 0] * Vn[..., 1] - V[..., 1] * Vn[..., 0]) * valid
        return 0.5 * cross.sum(1)

    @property
    def domain_area(self) -> float:
        u0, u1, v0, v1 = self.bounds
        return (u1 - u0) * (v1 - v0)

    def representative_points(self) -> torch.Tensor:
        """A point strictly inside every region (the mean of its vertices), shape ``(R, 2)``."""
        V = torch.nan_to_num(self.vertices, nan=0.0)
        return V.sum(1) / self.n_vertices[:, None].to(V.dtype)

    def to_input(self, uv: torch.Tensor) -> torch.Tensor:
        """Map domain coordinates ``(n, 2)`` to network inputs (the plane's embedding for slices)."""
        uv = torch.as_tensor(uv, dtype=DTYPE, device=self.vertices.device)
        if self.origin is None:
            return uv
        B = self.basis.reshape(2, -1)
        x = self.origin.reshape(1, -1) + uv @ B
        return x.reshape(uv.shape[0], *self.origin.shape)

    @property
    def polygons(self) -> list:
        """The regions as shapely Polygons (built on first access)."""
        if self._polygons is None:
            import shapely

            V = self.vertices.detach().cpu().numpy()
            nv = self.n_vertices.cpu().numpy()
            self._polygons = [shapely.Polygon(V[i, : nv[i]]) for i in range(len(nv))]
        return self._polygons

    def edge_layers(self) -> torch.Tensor:
        """Per region edge, the 1-based activation layer that made it (0 for the domain border)."""
        lay = torch.tensor(self.boundaries["layer"].to_numpy(), device=self.edge_boundary.device)
        eb = self.edge_boundary
        out = torch.zeros_like(eb)
        m = eb >= 0
        out[m] = lay[eb[m]].to(eb.dtype)
        return out

    def edges(self, layer: int | None = None) -> np.ndarray:
        """Edge segments ``(E, 2, 2)`` (numpy), optionally only those made by one layer (0 = border).

        Interior edges appear once per neighbouring region.
        """
        V = self.vertices.detach().cpu()
        nv = self.n_vertices.cpu()
        K = V.shape[1]
        ar = torch.arange(K)
        kn = torch.where(ar[None] + 1 < nv[:, None], ar[None] + 1, torch.zeros_like(ar[None]))
        Vn = torch.nan_to_num(V, nan=0.0).gather(1, kn.unsqueeze(-1).expand(-1, -1, 2))
        m = ar[None] < nv[:, None]
        if layer is not None:
            m = m & (self.edge_layers().cpu() == layer)
        seg = torch.stack([V[m], Vn[m]], 1)
        return seg.numpy()

    # -- function ------------------------------------------------------------
    def evaluate(self, uv: torch.Tensor, region: torch.Tensor) -> torch.Tensor:
        """``W_R u + b_R`` for points ``uv (n, 2)`` in regions ``region (n,)``."""
        uv = torch.as_tensor(uv, dtype=DTYPE, device=self.W.device)
        return torch.einsum("noi,ni->no", self.W[region], uv) + self.b[region]

    def slope(self) -> torch.Tensor:
        """Spectral norm ``||W_R||_2`` of every region's local map, shape ``(R,)``."""
        return torch.linalg.matrix_norm(self.W, ord=2)

    def table(self):
        """One row per region: geometry, activity and the local map (tidy ``pandas.DataFrame``)."""
        import pandas as pd

        rp = self.representative_points()
        out = self.evaluate(rp, torch.arange(len(self), device=rp.device))
        df = pd.DataFrame({
            "region": np.arange(len(self)),
            "area": self.area().cpu().numpy(),
            "n_vertices": self.n_vertices.cpu().numpy(),
            "u": rp[:, 0].cpu().numpy(),
            "v": rp[:, 1].cpu().numpy(),
            "n_active": self.active.sum(1).cpu().numpy() if self.active.numel() else 0,
            "slope": self.slope().cpu().numpy(),
            "rank": torch.linalg.matrix_rank(self.W).cpu().numpy(),
        })
        for j in range(min(out.shape[1], 10)):
            df[f"out{j}"] = out[:, j].cpu().numpy()
        return df

    def to_frame(self):
        """The result contract's name for :meth:`table`: one row per region with ``region, area,
        n_vertices, u, v`` (a point inside), ``n_active``, ``slope`` (``||W_R||_2``), ``rank`` and the
        outputs ``out0 ..`` (at most 10) at that point."""
        return self.table()

    def locate(self, uv: torch.Tensor) -> torch.Tensor:
        """Index of the region containing each point ``uv (n, 2)`` (-1 if outside the domain).

        Exact point-in-convex-polygon tests, batched over points and regions in chunks.
        """
        uv = torch.as_tensor(uv, dtype=DTYPE, device=self.vertices.device)
        V, Vn, valid = self._vertex_pairs()
        K = V.shape[1]
        E = Vn - V
        res = torch.full((uv.shape[0],), -1, dtype=torch.long, device=V.device)
        chunk = max(1, 4_000_000 // max(1, len(self) * K))
        for s in range(0, uv.shape[0], chunk):
            p = uv[s:s + chunk]
            d = p[:, None, None, :] - V[None]
            cr = E[None, ..., 0] * d[..., 1] - E[None, ..., 1] * d[..., 0]
            inside = ((cr >= -1e-12) | ~valid[None]).all(-1)
            has = inside.any(1)
            idx = inside.float().argmax(1)
            res[s:s + chunk] = torch.where(has, idx, torch.full_like(idx, -1))
        return res



def _get_patterns(self) -> torch.Tensor:
    t = self.__dict__.get("_patterns_t")
    if t is None:
        t = self.__dict__["_patterns_packed"].unpack()
        self.__dict__["_patterns_t"] = t
    return t


def _set_patterns(self, value) -> None:
    if isinstance(value, PackedPatterns):
        self.__dict__["_patterns_packed"], self.__dict__["_patterns_t"] = value, None
    else:
        self.__dict__["_patterns_packed"], self.__dict__["_patterns_t"] = None, value


# ``patterns`` stays a dataclass field (the constructor, ``dataclasses.replace`` and ``fields`` see a bool tensor)
# that may be stored packed: the generated ``__init__`` assigns through this property
Partition.patterns = property(_get_patterns, _set_patterns, doc="Activation patterns ``(R, P)`` bool (see the class).")


def regions_on_line(part: Partition, v: float = 0.0) -> int:
    """Number of regions that the horizontal line ``y = v`` crosses inside the domain.

    A convex region meets a line in one segment, so this is the exact count of
    linear pieces of the network along that segment (the quantity of Hanin &
    Rolnick 2019: about one region per neuron per unit length at initialisation).
    """
    if not isinstance(part, Partition):
        raise TypeError(f"part must be a Partition (from workbench.partition_2d), got {type(part).__name__}")
    v = check_real("v", v)
    y = part.vertices[..., 1]
    lo = torch.nan_to_num(y, nan=math.inf).amin(1)
    hi = torch.nan_to_num(y, nan=-math.inf).amax(1)
    return int(((lo < v) & (hi > v)).sum())
