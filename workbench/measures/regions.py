"""Exact linear regions of piecewise-linear networks on a 2-D domain.

A network made of affine layers (Linear, Conv2d, BatchNorm in eval mode,
average pooling, Flatten) and piecewise-linear activations (ReLU, LeakyReLU,
HardTanh / ReLU6, identity) is a continuous piecewise-linear function; restricted
to a plane its *activation regions* are convex polygons (Raghu et al. 2017,
Theorem "regions in input space"; Johansson 2022, ch. 1 eq. 1.4-1.5).

The engine here computes them exactly, in batched tensor code:

* every current region is a convex polygon in a padded vertex array
  ``(R, K, 2)`` (float64) with its vertex count;
* each region carries the local affine map of the current representation,
  ``h = A u + c`` (``A``: ``(R, *shape, 2)``), where ``u`` are the 2-D domain
  coordinates;
* at an activation layer every neuron's pre-activation is affine inside each
  region; for each neuron (and each breakpoint of the activation: one for ReLU,
  two for HardTanh) *all* regions are evaluated at their vertices at once and
  the ones the boundary line crosses are clipped into two pieces by a
  vectorised Sutherland-Hodgman step on the padded arrays;
* after the layer, each region's activation pattern gives the slopes and
  offsets of the activation, and the affine maps are updated.

Shapely appears only when geometry leaves the engine (:attr:`Partition.polygons`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from .._runtime import DeviceLike, resolve_device

__all__ = [
    "Partition",
    "RegionLimitError",
    "partition_2d",
    "partition_plane",
    "DEFAULT_MAX_REGIONS",
    "region_upper_bound",
    "regions_on_line",
]

DEFAULT_MAX_REGIONS = 2_000_000
"""Region count at which the engine stops when ``max_regions=None``."""

_DTYPE = torch.float64
_SNAP = 1e-10  # vertex values below _SNAP * max|value| of the region count as on the line


class RegionLimitError(RuntimeError):
    """The partition would have more regions than ``max_regions`` allows."""


# ---------------------------------------------------------------------------
# The network as a list of operations on affine maps
# ---------------------------------------------------------------------------
@dataclass
class _Affine:
    """``h -> lin(h) + bias`` acting on batches ``(B, *in_shape)``."""

    lin: Callable[[torch.Tensor], torch.Tensor]
    bias: torch.Tensor | None
    name: str


@dataclass
class _Act:
    """A piecewise-linear activation: ``f(z) = slopes[j] z + offsets[j]`` on piece ``j``.

    Piece ``j`` is ``breakpoints[j-1] < z <= breakpoints[j]`` (piece index = the
    number of breakpoints strictly below ``z``).
    """

    breakpoints: tuple[float, ...]
    slopes: tuple[float, ...]
    offsets: tuple[float, ...]
    name: str
    shortcut: str | None = None  # None, "prev" (add-shortcuts) or "input" (add-inputs)


@dataclass
class _Save:
    """Remember the current map (source of an add-shortcuts term)."""


_SMOOTH = (nn.Tanh, nn.Sigmoid, nn.Softplus, nn.GELU, nn.SiLU, nn.ELU, nn.SELU, nn.CELU, nn.Mish,
           nn.Softsign, nn.Tanhshrink, nn.LogSigmoid, nn.Softmax, nn.LogSoftmax, nn.Hardswish, nn.Hardsigmoid)


def _act_from_module(mod: nn.Module, name: str) -> _Act:
    if isinstance(mod, nn.ReLU):
        return _Act((0.0,), (0.0, 1.0), (0.0, 0.0), name)
    if isinstance(mod, nn.LeakyReLU):
        a = float(mod.negative_slope)
        return _Act((0.0,), (a, 1.0), (0.0, 0.0), name)
    if isinstance(mod, nn.Hardtanh):  # nn.ReLU6 is a Hardtanh(0, 6)
        lo, hi = float(mod.min_val), float(mod.max_val)
        if not hi > lo:
            raise ValueError(f"layer {name!r}: Hardtanh needs min_val < max_val, got {lo}, {hi}")
        return _Act((lo, hi), (0.0, 1.0, 0.0), (lo, 0.0, hi), name)
    if isinstance(mod, nn.Identity):
        return _Act((), (1.0,), (0.0,), name)
    raise _smooth_error(mod, name)


def _smooth_error(mod: nn.Module, name: str) -> TypeError:
    kind = type(mod).__name__
    return TypeError(
        f"layer {name!r} uses the activation {kind}, which is not piecewise linear: a network with it has no "
        "exact linear regions. Use a piecewise-linear activation instead: 'relu', 'leaky_relu', 'hardtanh' or "
        "'identity' (e.g. workbench.mlp(widths, 'relu'))."
    )


def _check_finite(net: nn.Module) -> None:
    for pname, p in list(net.named_parameters()) + list(net.named_buffers()):
        if p.is_floating_point() and not torch.isfinite(p).all():
            raise ValueError(
                f"parameter {pname!r} contains NaN or infinite values; the network's regions are undefined. "
                "Re-initialise or fix the weights (e.g. check the training run that produced them)."
            )


def _linear_op(mod: nn.Linear, name: str, dev) -> _Affine:
    W = mod.weight.detach().to(dev, _DTYPE)
    b = None if mod.bias is None else mod.bias.detach().to(dev, _DTYPE)
    return _Affine(lambda t, W=W: t @ W.T, b, name)


def _bn_op(mod: nn.modules.batchnorm._BatchNorm, name: str, dev) -> _Affine:
    if mod.training and mod.track_running_stats:
        raise ValueError(
            f"layer {name!r} ({type(mod).__name__}) is in training mode, where it normalises by batch statistics "
            "and is not a fixed affine map; call net.eval() first."
        )
    if mod.running_mean is None:
        raise ValueError(
            f"layer {name!r} ({type(mod).__name__}) has no running statistics (track_running_stats=False), so it "
            "is not a fixed affine map; the exact engine needs BatchNorm with running statistics in eval mode."
        )
    var = mod.running_var.detach().to(dev, _DTYPE)
    mean = mod.running_mean.detach().to(dev, _DTYPE)
    scale = 1.0 / torch.sqrt(var + mod.eps)
    shift = -mean * scale
    if mod.affine:
        w = mod.weight.detach().to(dev, _DTYPE)
        b = mod.bias.detach().to(dev, _DTYPE)
        scale, shift = scale * w, shift * w + b

    def lin(t, scale=scale):  # the channel dim is 1 for (B, C), (B, C, L) and (B, C, H, W)
        return t * scale.view(1, -1, *([1] * (t.dim() - 2)))

    op = _Affine(lin, shift, name)
    op.bias_channel = True  # type: ignore[attr-defined]
    return op


def _conv_op(mod: nn.Conv2d, name: str, dev) -> _Affine:
    if mod.padding_mode != "zeros":
        raise ValueError(f"layer {name!r}: only padding_mode='zeros' is supported, got {mod.padding_mode!r}")
    w = mod.weight.detach().to(dev, _DTYPE)
    b = None if mod.bias is None else mod.bias.detach().to(dev, _DTYPE)
    kw = dict(stride=mod.stride, padding=mod.padding, dilation=mod.dilation, groups=mod.groups)
    op = _Affine(lambda t, w=w, kw=kw: F.conv2d(t, w, None, **kw), b, name)
    op.bias_channel = True  # type: ignore[attr-defined]
    return op


def _flatten_sequential(mod: nn.Module, prefix: str = "") -> list[tuple[str, nn.Module]]:
    out = []
    for n, m in mod.named_children():
        full = f"{prefix}{n}"
        if isinstance(m, nn.Sequential):
            out.extend(_flatten_sequential(m, full + "."))
        else:
            out.append((full, m))
    return out


def _build_ops(net: nn.Module, dev) -> tuple[list, tuple[int, ...] | None]:
    """Translate ``net`` into a list of operations; also return its input shape when known."""
    from ..nets.mlp import MLP

    _check_finite(net)
    if isinstance(net, MLP):
        act_mod = net.act
        ops: list = []
        for l in range(net.n_hidden):
            name = f"layers.{l}"
            if not isinstance(act_mod, (nn.ReLU, nn.LeakyReLU, nn.Hardtanh, nn.Identity)):
                raise _smooth_error(act_mod, f"{name} ({net.activation})")
            if net.shortcuts == "add-shortcuts":
                ops.append(_Save())
            ops.append(_linear_op(net.layers[l], name, dev))
            act = _act_from_module(act_mod, f"{name}.act")
            act.shortcut = {"add-shortcuts": "prev", "add-inputs": "input", None: None}[net.shortcuts]
            ops.append(act)
        ops.append(_linear_op(net.layers[-1], f"layers.{net.n_hidden}", dev))
        return ops, (net.widths[0],)
    if isinstance(net, nn.Sequential):
        mods = _flatten_sequential(net)
    elif isinstance(net, (nn.Linear, nn.Conv2d)):
        mods = [("0", net)]
    else:
        raise TypeError(
            f"unsupported network type {type(net).__name__}; the exact engine takes workbench.mlp(...) networks "
            "or nn.Sequential stacks of Linear / Conv2d / BatchNorm (eval) / AvgPool2d / Flatten and "
            "piecewise-linear activations"
        )
    ops = []
    in_shape = None
    for name, m in mods:
        if isinstance(m, nn.Linear):
            if in_shape is None and not ops:
                in_shape = (m.in_features,)
            ops.append(_linear_op(m, name, dev))
        elif isinstance(m, nn.Conv2d):
            ops.append(_conv_op(m, name, dev))
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            ops.append(_bn_op(m, name, dev))
        elif isinstance(m, (nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.Flatten, nn.Unflatten, nn.AvgPool1d)):
            ops.append(_Affine(lambda t, m=m: m(t), None, name))
        elif isinstance(m, nn.Dropout):
            if m.training and m.p > 0:
                raise ValueError(f"layer {name!r} (Dropout) is in training mode and random; call net.eval() first")
        elif isinstance(m, (nn.MaxPool2d, nn.MaxPool1d, nn.AdaptiveMaxPool2d)):
            raise NotImplementedError(
                f"layer {name!r} ({type(m).__name__}): max pooling is piecewise linear, but the engine does not "
                "split regions by its argmax boundaries yet; replace it with nn.AvgPool2d (exact) to partition "
                "this network"
            )
        elif isinstance(m, (nn.ReLU, nn.LeakyReLU, nn.Hardtanh, nn.Identity)):
            ops.append(_act_from_module(m, name))
        elif isinstance(m, _SMOOTH):
            raise _smooth_error(m, name)
        else:
            raise TypeError(
                f"layer {name!r} has the unsupported type {type(m).__name__}; supported: Linear, Conv2d, "
                "BatchNorm1d/2d (eval), AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout (eval), ReLU, LeakyReLU, "
                "Hardtanh, ReLU6, Identity"
            )
    return ops, in_shape


def _n_act(ops) -> int:
    return sum(isinstance(o, _Act) for o in ops)


# -- applying operations to batched affine maps --------------------------------
def _apply_affine(op: _Affine, A: torch.Tensor, c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Apply an affine op to maps ``A (R, *shape, m)``, ``c (R, *shape)``."""
    R, m = A.shape[0], A.shape[-1]
    At = A.movedim(-1, 1).reshape(R * m, *A.shape[1:-1])
    At = op.lin(At)
    A2 = At.reshape(R, m, *At.shape[1:]).movedim(1, -1)
    c2 = op.lin(c)
    if op.bias is not None:
        if getattr(op, "bias_channel", False):
            c2 = c2 + op.bias.view(1, -1, *([1] * (c2.dim() - 2)))
        else:
            c2 = c2 + op.bias
    return A2.contiguous(), c2


def _match_rows(t: torch.Tensor, width: int, dim: int) -> torch.Tensor:
    """Row-aligned shortcut along ``dim`` (truncate or zero-pad), like ``workbench.nets.mlp._match_width``."""
    n = t.shape[dim]
    if n == width:
        return t
    if n > width:
        return t.narrow(dim, 0, width)
    pad_shape = list(t.shape)
    pad_shape[dim] = width - n
    return torch.cat([t, t.new_zeros(pad_shape)], dim=dim)


def _act_apply(act: _Act, G: torch.Tensor, z0: torch.Tensor, piece: torch.Tensor, shape, saved, inp):
    """Maps after the activation.  ``G (R, N, m)``, ``z0 (R, N)``: pre-activation maps; ``piece (R, N)``."""
    slopes = torch.tensor(act.slopes, dtype=G.dtype, device=G.device)
    offs = torch.tensor(act.offsets, dtype=G.dtype, device=G.device)
    a, e = slopes[piece], offs[piece]
    A = a.unsqueeze(-1) * G
    c = a * z0 + e
    if act.shortcut is not None:
        src = saved if act.shortcut == "prev" else inp
        As, cs = src
        As = As.reshape(As.shape[0], -1, As.shape[-1])
        cs = cs.reshape(cs.shape[0], -1)
        N = G.shape[1]
        A = A + _match_rows(As, N, 1)
        c = c + _match_rows(cs, N, 1)
    return A.reshape(A.shape[0], *shape, A.shape[-1]), c.reshape(c.shape[0], *shape)


def _pieces(z: torch.Tensor, act: _Act) -> torch.Tensor:
    piece = torch.zeros(z.shape, dtype=torch.long, device=z.device)
    for bp in act.breakpoints:
        piece += (z > bp).long()
    return piece


def _pointwise_maps(ops, x: torch.Tensor, A0: torch.Tensor, c0: torch.Tensor, *, upto: int | None = None,
                    flip: tuple[torch.Tensor, torch.Tensor] | None = None, want_pre: bool = False):
    """Run the ops on points: maps are exact local affine maps at each point (no region splitting).

    ``A0 (B, *in_shape, m)`` and ``c0 (B, *in_shape)`` are the maps of the input (identity for
    ``local_affine``).  ``flip=(layer_index, neuron_index)`` per point forces the neighbouring piece
    of one neuron (the region across that neuron's boundary).  Returns ``(A, c, pre, pieces)`` where
    ``pre`` lists ``(G, z0, act)`` per activation layer when ``want_pre``.
    """
    A, c = A0, c0
    saved = None
    inp = (A0, c0)
    pre, pieces = [], []
    k = 0
    for op in ops:
        if upto is not None and k >= upto:
            break
        if isinstance(op, _Save):
            saved = (A, c)
        elif isinstance(op, _Affine):
            A, c = _apply_affine(op, A, c)
        else:
            shape = c.shape[1:]
            G = A.reshape(A.shape[0], -1, A.shape[-1])
            z0 = c.reshape(c.shape[0], -1)
            piece = _pieces(z0, op)
            if flip is not None:
                lay, neu = flip
                sel = (lay == k).nonzero().squeeze(1)
                if len(sel):
                    zz = z0[sel, neu[sel]]
                    # nearest breakpoint decides the direction of the crossing
                    bps = torch.tensor(op.breakpoints, dtype=z0.dtype, device=z0.device)
                    j = (zz[:, None] - bps[None]).abs().argmin(1)
                    cur = piece[sel, neu[sel]]
                    new = torch.where(cur > j, j, j + 1)
                    piece[sel, neu[sel]] = new
            if want_pre:
                pre.append((G, z0, op))
            pieces.append(piece)
            A, c = _act_apply(op, G, z0, piece, shape, saved, inp)
            k += 1
    return A, c, pre, pieces


# ---------------------------------------------------------------------------
# The partition result
# ---------------------------------------------------------------------------
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
        Activation pattern: one column per (neuron, breakpoint) of every hidden
        activation layer, ``True`` where the pre-activation is above the
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
    def _vertex_pairs(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``(V, Vn, valid)``: padded vertices (NaN -> 0), each vertex's successor
        around its polygon, and the mask of real (non-padding) vertices."""
        V = torch.nan_to_num(self.vertices, nan=0.0)
        ar = torch.arange(V.shape[1], device=V.device)
        nv = self.n_vertices[:, None]
        kn = torch.where(ar[None] + 1 < nv, ar[None] + 1, torch.zeros_like(ar[None]))
        Vn = V.gather(1, kn.unsqueeze(-1).expand(-1, -1, 2))
        return V, Vn, ar[None] < nv

    def area(self) -> torch.Tensor:
        """Area of every region (shoelace formula), shape ``(R,)``."""
        V, Vn, valid = self._vertex_pairs()
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
        uv = torch.as_tensor(uv, dtype=_DTYPE, device=self.vertices.device)
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
        uv = torch.as_tensor(uv, dtype=_DTYPE, device=self.W.device)
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

    def locate(self, uv: torch.Tensor) -> torch.Tensor:
        """Index of the region containing each point ``uv (n, 2)`` (-1 if outside the domain).

        Exact point-in-convex-polygon tests, batched over points and regions in chunks.
        """
        uv = torch.as_tensor(uv, dtype=_DTYPE, device=self.vertices.device)
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


# ---------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------
def _clip(V, nv, s, L, new_label: int):
    """Split convex polygons ``V (M, K, 2)`` by the line ``s = 0`` (``s (M, K)``: values at vertices).

    Every row must have vertices strictly on both sides.  Returns the positive and
    the negative piece as ``(V, nv, L)`` with ``K + 1`` vertex slots each; ``L``
    are the edge labels (the new edge along the line gets ``new_label``).
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
    rows = torch.arange(M, device=dev)[:, None]
    out = []
    newL = torch.full_like(L, new_label)
    for sign in (1.0, -1.0):
        ss, ssn = s * sign, sn * sign
        keep = valid & (ss >= 0)
        lab_v = torch.where((ss > 0) | (ssn > 0), L, newL)
        lab_p = torch.where(ss > 0, newL, L)
        cm = torch.stack([keep, cross], 2).reshape(M, 2 * K)
        cV = torch.stack([V, P], 2).reshape(M, 2 * K, 2)
        cL = torch.stack([lab_v, lab_p], 2).reshape(M, 2 * K)
        pos = cm.cumsum(1) - 1
        cnt = cm.sum(1)
        Ko = K + 1
        oV = torch.full((M, Ko, 2), float("nan"), dtype=V.dtype, device=dev)
        oL = torch.full((M, Ko), -1, dtype=L.dtype, device=dev)
        flat = (rows * Ko + pos)[cm]
        oV.view(-1, 2)[flat] = cV[cm]
        oL.view(-1)[flat] = cL[cm]
        out.append((oV, cnt, oL))
    return out


class _Store:
    """Growable per-region arrays (amortised appends)."""

    def __init__(self, **arrays):
        self.n = next(iter(arrays.values())).shape[0]
        self.a = dict(arrays)

    def __getitem__(self, k):
        return self.a[k][: self.n]

    def raw(self, k):
        return self.a[k]

    def reserve(self, extra: int) -> None:
        need = self.n + extra
        cap = next(iter(self.a.values())).shape[0]
        if need <= cap:
            return
        new_cap = max(need, int(cap * 1.6) + 16)
        for k, t in self.a.items():
            nt = t.new_zeros((new_cap, *t.shape[1:]))
            nt[: self.n] = t[: self.n]
            self.a[k] = nt

    def grow_cols(self, k: str, ncols: int, fill) -> None:
        t = self.a[k]
        if t.shape[1] >= ncols:
            return
        pad = t.new_full((t.shape[0], ncols - t.shape[1], *t.shape[2:]), fill)
        self.a[k] = torch.cat([t, pad], 1)


def _pad_first(V: torch.Tensor, nv: torch.Tensor) -> torch.Tensor:
    """Fill the unused vertex slots of each row with a copy of its first vertex."""
    K = V.shape[1]
    unused = torch.arange(K, device=V.device)[None] >= nv[:, None]
    return torch.where(unused.unsqueeze(-1), V[:, :1], V)


def _screen(V: torch.Tensor, G: torch.Tensor, z0: torch.Tensor, bps, chunk_numbers: float = 2e7):
    """For every region and every (neuron, breakpoint): is it cut, and which side is it on otherwise.

    ``V (R, K, 2)`` padded with duplicate vertices, ``G (R, N, 2)``, ``z0 (R, N)``.
    Returns ``cut, side`` of shape ``(R, N * nb)`` (column ``i * nb + j``).
    """
    R, K, _ = V.shape
    N, nb = G.shape[1], len(bps)
    bp = torch.tensor(bps, dtype=V.dtype, device=V.device)
    cut = torch.empty((R, N * nb), dtype=torch.bool, device=V.device)
    side = torch.empty((R, N * nb), dtype=torch.bool, device=V.device)
    step = max(1, int(chunk_numbers // max(1, K * N * nb)))
    for a in range(0, R, step):
        b = min(R, a + step)
        s = torch.einsum("rkd,rnd->rkn", V[a:b], G[a:b]) + z0[a:b, None, :]  # (r, K, N)
        s = (s.unsqueeze(-1) - bp).reshape(b - a, K, N * nb)
        smax, smin = s.amax(1), s.amin(1)
        tol = _SNAP * torch.maximum(smax.abs(), smin.abs())
        pos, neg = smax > tol, smin < -tol
        cut[a:b] = pos & neg
        side[a:b] = pos
    return cut, side


def _split_layer(st, cand_cols, cutmat, G, z0, op, nb, col0, k, limit):
    """Split the regions in ``st`` by every candidate (neuron, breakpoint) column, in order."""
    for col in cand_cols:
        i, jb = divmod(col, nb)
        bp = op.breakpoints[jb]
        n = st.n
        par = st["parent"]
        cidx = cutmat[:, col][par].nonzero().squeeze(1)
        if cidx.numel() == 0:
            continue
        pc = par[cidx]
        Vc = st.raw("V")[cidx]
        s = torch.einsum("nkd,nd->nk", Vc, G[pc, i, :]) + (z0[pc, i] - bp).unsqueeze(1)
        smax, smin = s.amax(1), s.amin(1)
        tol = _SNAP * torch.maximum(smax.abs(), smin.abs())
        pos_any, neg_any = smax > tol, smin < -tol
        st.raw("bits")[cidx, col] = pos_any
        cut = pos_any & neg_any
        sel = cut.nonzero().squeeze(1)
        M = sel.numel()
        if M == 0:
            continue
        if n + M > limit:
            raise RegionLimitError(
                f"the partition would exceed max_regions={limit:,} regions (reached {n + M:,} while "
                f"splitting by neuron {i} of layer {k + 1} ({op.name})); stopped before running out "
                "of memory. Pass a larger max_regions, a smaller domain (bounds) or a smaller network."
            )
        idx = cidx[sel]
        s = s[sel]
        tol = tol[sel].unsqueeze(1)
        s = torch.where(s.abs() <= tol, torch.zeros_like(s), s)
        Kc = Vc.shape[1]
        (pV, pn, pL), (nV, nn_, nL) = _clip(Vc[sel], st["nv"][idx], s, st["L"][idx], col0 + col)
        if int(torch.maximum(pn.max(), nn_.max())) > Kc:
            Vr = st.raw("V")
            st.a["V"] = torch.cat([Vr, Vr[:, :1]], 1)
            st.grow_cols("L", Kc + 1, -1)
        else:
            pV, pL, nV, nL = pV[:, :Kc], pL[:, :Kc], nV[:, :Kc], nL[:, :Kc]
        pV, nV = _pad_first(pV, pn), _pad_first(nV, nn_)
        st.reserve(M)
        Vr, Lr, nvr = st.raw("V"), st.raw("L"), st.raw("nv")
        bits, parent = st.raw("bits"), st.raw("parent")
        Vr[idx] = pV
        Lr[idx] = pL
        nvr[idx] = pn
        Vr[n:n + M] = nV
        Lr[n:n + M] = nL
        nvr[n:n + M] = nn_
        bits[n:n + M] = bits[idx]
        bits[n:n + M, col] = False
        parent[n:n + M] = parent[idx]
        st.n = n + M


def _partition(ops, A0, c0, bounds, dev, max_regions, layers):
    import pandas as pd

    u0, u1, v0, v1 = bounds
    box = torch.tensor([[u0, v0], [u1, v0], [u1, v1], [u0, v1]], dtype=_DTYPE, device=dev)
    K0 = 8
    V = box[[0, 1, 2, 3, 0, 0, 0, 0]].unsqueeze(0).clone()  # unused slots repeat vertex 0
    L = torch.full((1, K0), -1, dtype=torch.int32, device=dev)
    nv = torch.tensor([4], device=dev)
    patterns = torch.zeros((1, 0), dtype=torch.bool, device=dev)
    active = torch.zeros((1, 0), dtype=torch.long, device=dev)
    A, c = A0, c0
    saved = None
    inp = (A0, c0)
    limit = DEFAULT_MAX_REGIONS if max_regions is None else int(max_regions)
    brows = []
    col0 = 0
    k = 0
    counts = []
    n_act = _n_act(ops)
    stop = n_act + 1 if layers is None else layers
    for op in ops:
        if k >= stop:
            break
        if isinstance(op, _Save):
            saved = (A, c)
            continue
        if isinstance(op, _Affine):
            A, c = _apply_affine(op, A, c)
            continue
        # --- activation layer: split every region by every neuron's breakpoints ---
        R0 = V.shape[0]
        shape = c.shape[1:]
        G = A.reshape(A.shape[0], -1, A.shape[-1])
        z0 = c.reshape(c.shape[0], -1)
        if G.shape[0] != R0:
            G, z0 = G.expand(R0, -1, -1), z0.expand(R0, -1)
        N = G.shape[1]
        nb = len(op.breakpoints)
        # a piece of a region can only be cut by a line that cuts the region: screen all pairs once
        cutmat, side = _screen(V, G, z0, op.breakpoints)
        st = _Store(V=V, nv=nv, L=L, parent=torch.arange(R0, device=dev),
                    bits=torch.zeros((R0, N * nb), dtype=torch.bool, device=dev))
        cand_cols = cutmat.any(0).nonzero().squeeze(1).tolist()
        _split_layer(st, cand_cols, cutmat, G, z0, op, nb, col0, k, limit)
        V, nv, L = st["V"], st["nv"], st["L"]
        parent = st["parent"]
        # columns that did not cut a region's parent: the side found by the screen
        bits = torch.where(cutmat[parent], st["bits"], side[parent])
        # trim unused vertex slots
        Kmax = int(nv.max())
        V, L = V[:, :Kmax].contiguous(), L[:, :Kmax].contiguous()
        # pieces per neuron from the bits
        piece = bits.view(-1, N, nb).sum(-1) if nb else torch.zeros((bits.shape[0], N), dtype=torch.long, device=dev)
        slopes = torch.tensor(op.slopes, dtype=_DTYPE, device=dev)
        active = torch.cat([active[parent], (slopes[piece] != 0).sum(1, keepdim=True)], 1)
        patterns = torch.cat([patterns[parent], bits], 1)
        sv = None
        if saved is not None:
            sv = tuple(t[parent] if t.shape[0] == R0 else t.expand(len(parent), *t.shape[1:]) for t in saved)
        inp_e = tuple(t.expand(len(parent), *t.shape[1:]) for t in inp)
        A, c = _act_apply(op, G[parent], z0[parent], piece, shape, sv, inp_e)
        del G, z0, cutmat, side
        saved = None
        for i in range(N):
            for jb, bp in enumerate(op.breakpoints):
                brows.append((col0 + i * nb + jb, k + 1, i, bp, op.name))
        col0 += N * nb
        k += 1
        counts.append(int(V.shape[0]))
    R = V.shape[0]
    if A.shape[0] != R:
        A, c = A.expand(R, *A.shape[1:]), c.expand(R, *c.shape[1:])
    W = A.reshape(R, -1, A.shape[-1]).contiguous()
    b = c.reshape(R, -1).contiguous()
    table = pd.DataFrame(brows, columns=["column", "layer", "neuron", "breakpoint", "name"])
    unused = torch.arange(V.shape[1], device=dev)[None] >= nv[:, None]
    V = V.masked_fill(unused.unsqueeze(-1), float("nan"))
    return Partition(V, nv, L, patterns, active, W, b, table, tuple(float(t) for t in bounds), k,
                     counts_per_layer=tuple(counts))


def _check_bounds(bounds) -> tuple[float, float, float, float]:
    try:
        u0, u1, v0, v1 = (float(t) for t in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be four numbers (u_min, u_max, v_min, v_max), got {bounds!r}") from None
    if not all(math.isfinite(t) for t in (u0, u1, v0, v1)):
        raise ValueError(f"bounds must be finite, got {bounds!r}")
    if not (u1 > u0 and v1 > v0):
        raise ValueError(
            f"bounds {bounds!r} are empty or inverted: need u_min < u_max and v_min < v_max, "
            "e.g. (-1.0, 1.0, -1.0, 1.0)"
        )
    return u0, u1, v0, v1


def _check_layers(layers, ops):
    n = _n_act(ops)
    if layers is None:
        return None
    if isinstance(layers, bool) or not isinstance(layers, int) or not 0 <= layers <= n:
        raise ValueError(f"layers must be an int between 0 and {n} (the network's activation layers), got {layers!r}")
    return layers


def partition_2d(
    net: nn.Module,
    bounds: Sequence[float] = (-1.0, 1.0, -1.0, 1.0),
    *,
    device: DeviceLike = None,
    max_regions: int | None = None,
    layers: int | None = None,
    engine: str = "fast",
    max_bytes: int | None = None,
) -> Partition:
    """Exact activation regions of a network with a 2-D input on a rectangle.

    Implements the partition of the input space into convex polytopes on which the
    network is affine (Raghu et al. 2017, Theorem "regions in input space" and its
    figure of layer-by-layer bent boundaries; Johansson 2022, ch. 1, eq. 1.4-1.5,
    activation regions ``R`` with ``f(x) = W_R x + b_R``).

    Parameters
    ----------
    net
        ``workbench.mlp(...)`` (any shortcut variant) with ``widths[0] == 2``, or an
        ``nn.Sequential`` of Linear, BatchNorm1d (eval mode) and piecewise-linear
        activations (ReLU, LeakyReLU, Hardtanh/ReLU6, Identity).
    bounds
        ``(x_min, x_max, y_min, y_max)`` of the rectangle.
    device
        Where the engine runs (``None``: :func:`workbench.device`).
    max_regions
        Stop with :class:`RegionLimitError` before the count passes this
        (``None``: :data:`DEFAULT_MAX_REGIONS`).
    layers
        Include only the first ``layers`` activation layers (Raghu et al.'s
        three-pane figure: 1, 2, 3); ``None``: all of them.
    engine
        ``"fast"`` (default; :mod:`workbench.measures.partition_engine`, issue 17) or
        ``"reference"`` (the previous engine, kept for comparison). Same regions,
        patterns and areas.
    max_bytes
        Memory budget of the fast engine in bytes (``None``: half the physical memory,
        or 90% of the free GPU memory); a request that would pass it raises
        :class:`~workbench.measures.partition_engine.MemoryBudgetError` (a
        :class:`RegionLimitError`) before the allocation, with the estimate.

    Returns
    -------
    Partition
        Polygons, patterns, per-region local affine maps; see :class:`Partition`.
    """
    bounds = _check_bounds(bounds)
    dev = resolve_device(device)
    ops, in_shape = _build_ops(net, dev)
    if in_shape is None or in_shape != (2,):
        got = "unknown (the first layer is not Linear)" if in_shape is None else f"{in_shape[0]}-D"
        raise ValueError(
            f"partition_2d needs a network with a 2-D input, but this network's input is {got}; "
            "use workbench.partition_plane(net, x0, x1, x2) to partition the plane through three input points"
        )
    layers = _check_layers(layers, ops)
    A0 = torch.eye(2, dtype=_DTYPE, device=dev).unsqueeze(0)
    c0 = torch.zeros((1, 2), dtype=_DTYPE, device=dev)
    run = _engine(engine, max_bytes)
    with torch.no_grad():
        return run(ops, A0, c0, bounds, dev, max_regions, layers)


def _engine(engine: str, max_bytes):
    """The partition engine by name (issue 17: ``"fast"``; the previous one as ``"reference"``)."""
    if engine == "reference":
        return _partition
    if engine == "fast":
        from . import partition_engine

        return lambda *a: partition_engine.partition(*a, max_bytes=max_bytes)
    raise ValueError(f"engine must be 'fast' or 'reference', got {engine!r}")


def plane_basis(x0, x1, x2, basis: str = "affine"):
    """Origin, basis vectors and anchor coordinates of the plane through ``x0, x1, x2``.

    ``basis="affine"``: ``x(u, v) = x0 + u (x1 - x0) + v (x2 - x0)``, so the three
    points sit at (0, 0), (1, 0), (0, 1).  ``basis="orthonormal"``: Gram-Schmidt
    basis, so lengths and areas in the plane are those of the input space; ``x0``
    at the origin and ``x1`` on the positive u axis.
    """
    pts = [torch.as_tensor(p).detach().to(_DTYPE) for p in (x0, x1, x2)]
    if not (pts[0].shape == pts[1].shape == pts[2].shape):
        raise ValueError(f"x0, x1, x2 must have the same shape, got {[tuple(p.shape) for p in pts]}")
    if not all(torch.isfinite(p).all() for p in pts):
        raise ValueError("x0, x1, x2 must be finite (they contain NaN or inf)")
    e1, e2 = (pts[1] - pts[0]).flatten(), (pts[2] - pts[0]).flatten()
    n1, n2 = float(e1 @ e1), float(e2 @ e2)
    gram = n1 * n2 - float(e1 @ e2) ** 2
    if n1 == 0 or n2 == 0 or gram <= 1e-12 * n1 * n2:
        raise ValueError(
            "x0, x1, x2 are collinear (or coincide), so they do not span a plane; choose three points "
            "that are not on one line (e.g. three different images)"
        )
    if basis == "affine":
        B = torch.stack([e1, e2])
        anchors = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    elif basis == "orthonormal":
        q1 = e1 / math.sqrt(n1)
        w = e2 - (e2 @ q1) * q1
        q2 = w / w.norm()
        B = torch.stack([q1, q2])
        anchors = np.array([[0.0, 0.0], [math.sqrt(n1), 0.0], [float(e2 @ q1), float(e2 @ q2)]])
    else:
        raise ValueError(f"basis must be 'affine' or 'orthonormal', got {basis!r}")
    return pts[0], B.reshape(2, *pts[0].shape), anchors


def partition_plane(
    net: nn.Module,
    x0,
    x1,
    x2,
    *,
    bounds: Sequence[float] | None = None,
    basis: str = "affine",
    device: DeviceLike = None,
    max_regions: int | None = None,
    layers: int | None = None,
    engine: str = "fast",
    max_bytes: int | None = None,
) -> Partition:
    """Exact activation regions on the 2-D plane through three input points.

    The slice ``x(u, v) = x0 + u b1 + v b2`` of a high-dimensional input space (for
    example three digit images) is partitioned exactly, in plane coordinates
    ``(u, v)`` (SplineCam, Humayun et al. CVPR 2023, computes the same object).
    Works for ``workbench.mlp`` networks and ``nn.Sequential`` stacks of Linear,
    Conv2d, BatchNorm1d/2d (eval mode), AvgPool2d, Flatten and piecewise-linear
    activations.  Max pooling raises ``NotImplementedError``.

    Parameters
    ----------
    x0, x1, x2
        Three input points of the network's input shape (e.g. ``(64,)`` for a
        digits MLP or ``(1, 8, 8)`` for a conv net), not collinear.
    bounds
        Rectangle in plane coordinates; default: the three points' bounding box
        with a 20% margin.
    basis
        ``"affine"`` (the points at (0,0), (1,0), (0,1)) or ``"orthonormal"``; see :func:`plane_basis`.
    device, max_regions, layers, engine, max_bytes
        As in :func:`partition_2d`.
    """
    run = _engine(engine, max_bytes)
    dev = resolve_device(device)
    ops, in_shape = _build_ops(net, dev)
    origin, B, anchors = plane_basis(x0, x1, x2, basis)
    if in_shape is not None and tuple(origin.shape) != tuple(in_shape):
        if origin.numel() == math.prod(in_shape):
            origin, B = origin.reshape(in_shape), B.reshape(2, *in_shape)
        else:
            raise ValueError(
                f"the points have shape {tuple(origin.shape)} but the network takes inputs of shape {in_shape}"
            )
    if bounds is None:
        lo, hi = anchors.min(0), anchors.max(0)
        m = 0.2 * (hi - lo).max()
        bounds = (lo[0] - m, hi[0] + m, lo[1] - m, hi[1] + m)
    bounds = _check_bounds(bounds)
    layers = _check_layers(layers, ops)
    origin, B = origin.to(dev), B.to(dev)
    A0 = B.movedim(0, -1).unsqueeze(0)  # (1, *shape, 2)
    c0 = origin.unsqueeze(0)
    with torch.no_grad():
        try:
            part = run(ops, A0, c0, bounds, dev, max_regions, layers)
        except RuntimeError as exc:
            if isinstance(exc, RegionLimitError) or "shape" not in str(exc) and "size" not in str(exc):
                raise
            raise ValueError(
                f"the network does not accept inputs of shape {tuple(origin.shape)}: {exc}"
            ) from exc
    part.origin, part.basis, part.anchors = origin, B, anchors
    return part


def region_upper_bound(hidden_widths: Sequence[int], n_in: int = 2, activation: str = "relu") -> int:
    """Hyperplane-arrangement upper bound on the number of linear regions (Raghu et al. 2017, Theorem 1).

    The proof of Theorem 1 bounds the regions layer by layer: each region of the
    previous layers is cut by the layer's ``n_l`` hyperplanes (``2 n_l`` for hard
    tanh, two breakpoints per neuron) into at most ``sum_{j=0}^{n_in} C(N, j)``
    pieces (Zaslavsky), so the count is at most the product over hidden layers,
    ``O(n^{n_in k})`` for ``k`` layers of width ``n``.
    """
    per = {"relu": 1, "leaky_relu": 1, "hardtanh": 2, "identity": 0}
    if activation not in per:
        raise ValueError(f"activation must be one of {sorted(per)}, got {activation!r}")
    if n_in <= 0 or any(int(w) <= 0 for w in hidden_widths):
        raise ValueError(f"n_in and the hidden widths must be positive, got {n_in}, {list(hidden_widths)}")
    total = 1
    for w in hidden_widths:
        Nh = per[activation] * int(w)
        total *= sum(math.comb(Nh, j) for j in range(min(n_in, Nh) + 1))
    return total


def regions_on_line(part: Partition, v: float = 0.0) -> int:
    """Number of regions that the horizontal line ``y = v`` crosses inside the domain.

    A convex region meets a line in one segment, so this is the exact count of
    linear pieces of the network along that segment (the quantity of Hanin &
    Rolnick 2019: about one region per neuron per unit length at initialisation).
    """
    y = part.vertices[..., 1]
    lo = torch.nan_to_num(y, nan=math.inf).amin(1)
    hi = torch.nan_to_num(y, nan=-math.inf).amax(1)
    return int(((lo < v) & (hi > v)).sum())
