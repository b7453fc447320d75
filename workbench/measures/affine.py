"""Local affine maps of piecewise-linear networks (Johansson 2022, ch. 2; Wang et al. 2016, §2.1).

Inside an activation region ``R`` a piecewise-linear network is affine,
``f(x) = W_R x + b_R`` with ``W_R = W_n Z_{n-1} W_{n-1} ... Z_1 W_1`` (thesis eq.
2.2; the per-point linear system of Wang et al. 2016, §2.1).  Everything here is
exact: the activation pattern of each point selects the pieces of the
activations and the maps are multiplied out in batched tensor code (no autograd,
no finite differences), for ``workbench.mlp`` networks with or without shortcuts
and for the ``nn.Sequential`` stacks that :func:`workbench.partition_2d` accepts.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, resolve_device
from workbench.measures.bounds import identity_rank, sv_difference_bound  # noqa: F401  (sv_difference_bound: re-exported, its former home)
from workbench.nets.piecewise import DTYPE, compile_network, piece_index, propagate
from workbench.validation import as_tensor, check_net, check_real, renamed_keywords

__all__ = [
    "local_affine",
    "activation_pattern",
    "distance_to_edge",
    "EdgeDistance",
    "local_rank",
    "LocalRank",
    "local_singular_values",
    "adjacent_sv_difference",
    "AdjacentSVDifference",
]


def _point_frame(result: NamedTuple, fields: tuple[str, ...] | None = None) -> pd.DataFrame:
    """A per-point result as a DataFrame: ``point`` then one column per (B,) field, on the CPU."""
    fields = result._fields if fields is None else fields
    cols = {f: getattr(result, f).detach().cpu().numpy() for f in fields}
    n = len(next(iter(cols.values()))) if cols else 0
    return pd.DataFrame({"point": np.arange(n), **cols})


def _prepare(net: nn.Module, x, device: DeviceLike):
    dev = resolve_device(device)
    check_net(net)
    cn = compile_network(net, device=dev)
    ops, in_shape = cn.ops, cn.in_shape
    x = as_tensor(x, "X", dtype=DTYPE).detach().to(dev)
    if in_shape is not None:
        if x.shape[-len(in_shape):] != torch.Size(in_shape) or x.dim() != len(in_shape) + 1:
            if x.dim() == len(in_shape) and x.shape == torch.Size(in_shape):
                x = x.unsqueeze(0)
            else:
                raise ValueError(
                    f"X must have shape (batch, {', '.join(map(str, in_shape))}) for this network, got {tuple(x.shape)}"
                )
    if x.shape[0] == 0:
        raise ValueError("X is empty: pass at least one point")
    if not torch.isfinite(x).all():
        raise ValueError("X contains NaN or infinite values")
    return ops, x


def _chunks(x: torch.Tensor, ops, budget: float = 2e7):
    """Point chunks such that the per-chunk maps stay within ``budget`` numbers."""
    m = x[0].numel()
    per_point = m * 256  # maps (B, N, m): assume layers up to a few hundred neurons wide
    size = max(1, int(budget // per_point))
    for s in range(0, x.shape[0], size):
        yield x[s:s + size]


def pointwise_maps(ops, x: torch.Tensor, A0: torch.Tensor, c0: torch.Tensor, *,
                   flip: tuple[torch.Tensor, torch.Tensor] | None = None, want_pre: bool = False):
    """Run the ops on points: the maps are the exact local affine maps at each point (no region splitting).

    ``A0 (B, *in_shape, m)`` and ``c0 (B, *in_shape)`` are the maps of the input
    (identity for :func:`local_affine`).  ``flip=(layer_index, neuron_index)``
    per point forces the neighbouring piece of one neuron (the region across
    that neuron's boundary).  Returns ``(A, c, pre, pieces)`` where ``pre`` lists
    ``(G, z0, act)`` per activation layer when ``want_pre``.
    """
    pre, pieces = [], []

    def on_activation(k, op, G, z0, group):
        piece = piece_index(z0, op)
        if flip is not None:
            lay, neu = flip
            sel = (lay == k).nonzero().squeeze(1)
            if len(sel):
                zz = z0[sel, neu[sel]]
                # nearest breakpoint decides the direction of the crossing
                bps = torch.tensor(op.breakpoints, dtype=z0.dtype, device=z0.device)
                j = (zz[:, None] - bps[None]).abs().argmin(1)
                cur = piece[sel, neu[sel]]
                piece[sel, neu[sel]] = torch.where(cur > j, j, j + 1)
        if want_pre:
            pre.append((G, z0, op))
        pieces.append(piece)
        return piece, None

    st = propagate(ops, A0, c0, on_activation=on_activation)
    return st.A, st.c, pre, pieces


def _maps(ops, x, **kw):
    m = x[0].numel()
    A0 = torch.eye(m, dtype=DTYPE, device=x.device).reshape(1, *x.shape[1:], m)
    return pointwise_maps(ops, x, A0, x, **kw)


@renamed_keywords(x="X")
def local_affine(net: nn.Module, X, *, device: DeviceLike = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Exact local affine map ``f(y) = W_R y + b_R`` of the region containing each point.

    Johansson (2022), eq. 2.2: ``W_R = W_n Z_{n-1}(x) W_{n-1} ... Z_1(x) W_1`` (with
    shortcut and LeakyReLU/HardTanh pieces handled the same way); Wang et al.
    (2016) §2.1 write the same per-point linear system.

    Parameters
    ----------
    net
        A ``workbench.mlp`` (any shortcuts) or an ``nn.Sequential`` of supported layers.
    X
        Points, shape ``(B, *input_shape)`` (``x=``, the name before 0.2, is refused with a TypeError that
        names ``X``).

    Returns
    -------
    W : Tensor ``(B, n_out, n_in)`` float64 (``n_in`` = the flattened input size)
    b : Tensor ``(B, n_out)`` float64, so that ``net(x) = W x + b`` at each point.
    """
    ops, x = _prepare(net, X, device)
    Ws, bs = [], []
    with torch.no_grad():
        for xc in _chunks(x, ops):
            A, c, _, _ = _maps(ops, xc)
            B = xc.shape[0]
            A = A.expand(B, *A.shape[1:]) if A.shape[0] != B else A
            W = A.reshape(B, -1, A.shape[-1])
            out = c.reshape(B, -1)
            b = out - torch.einsum("boi,bi->bo", W, xc.reshape(B, -1))
            Ws.append(W)
            bs.append(b)
    return torch.cat(Ws), torch.cat(bs)


@renamed_keywords(x="X")
def activation_pattern(net: nn.Module, X, *, device: DeviceLike = None) -> torch.Tensor:
    """Activation pattern of each point, ``(B, P)`` bool, with the columns of :attr:`Partition.patterns`.

    One column per (neuron, breakpoint) of every hidden activation layer:
    ``z > breakpoint`` (ReLU: the neuron is active).
    """
    ops, x = _prepare(net, X, device)
    cols = []
    with torch.no_grad():
        for xc in _chunks(x, ops):
            _, _, pre, _ = _maps(ops, xc, want_pre=True)
            parts = []
            for _, z0, act in pre:
                if act.breakpoints:
                    bp = torch.tensor(act.breakpoints, dtype=z0.dtype, device=z0.device)
                    parts.append((z0.unsqueeze(-1) > bp).reshape(z0.shape[0], -1))
            cols.append(torch.cat(parts, 1) if parts else torch.zeros((xc.shape[0], 0), dtype=torch.bool,
                                                                       device=xc.device))
    return torch.cat(cols)


class EdgeDistance(NamedTuple):
    """Distance to the nearest region edge and the neuron whose boundary it is.

    ``layer`` is the 1-based activation layer, ``neuron`` the index within it,
    ``breakpoint`` the activation's breakpoint value (0 for ReLU).
    """

    distance: torch.Tensor
    layer: torch.Tensor
    neuron: torch.Tensor
    breakpoint: torch.Tensor

    def to_frame(self) -> pd.DataFrame:
        """One row per point: ``point, distance, layer, neuron, breakpoint`` (``inf`` distance: no edge)."""
        return _point_frame(self)


@renamed_keywords(x="X")
def distance_to_edge(net: nn.Module, X, *, device: DeviceLike = None) -> EdgeDistance:
    """Exact Euclidean distance from each point to the boundary of its activation region.

    Johansson (2022), eq. 2.1: ``d* = min_{l, i} dist(x, {z_{l,i}(x) = 0})``.
    Computed as ``min_{l, i, breakpoint} |z_{l,i}(x) - breakpoint| / ||grad_x z_{l,i}(x)||``
    with the exact local gradients of the pre-activations.  This equals ``d*``
    exactly: the region ``R_x`` containing ``x`` is the intersection of the
    half-spaces bounded by the *local* hyperplanes of every neuron (inside
    ``R_x`` every pre-activation equals its local affine map), so the distance
    from ``x`` to the boundary of ``R_x`` is the smallest distance to one of these
    hyperplanes, and every bent zero set ``{z_{l,i} = 0}`` is at least that far
    because the segment to it must first leave ``R_x``.  Neurons that are
    constant on the region (zero gradient) have no boundary there and are
    skipped.  The distance is in the full input space (no domain bounds); a
    point exactly on a boundary gets 0.

    Returns
    -------
    EdgeDistance
        ``distance`` (B,) float64 (``inf`` if no neuron has a boundary), and the
        ``layer``, ``neuron``, ``breakpoint`` of the nearest boundary.
    """
    ops, x = _prepare(net, X, device)
    out = []
    with torch.no_grad():
        for xc in _chunks(x, ops):
            _, _, pre, _ = _maps(ops, xc, want_pre=True)
            B = xc.shape[0]
            best = torch.full((B,), math.inf, dtype=DTYPE, device=xc.device)
            lay = torch.zeros(B, dtype=torch.long, device=xc.device)
            neu = torch.zeros(B, dtype=torch.long, device=xc.device)
            bpv = torch.zeros(B, dtype=DTYPE, device=xc.device)
            for k, (G, z0, act) in enumerate(pre, 1):
                if not act.breakpoints:
                    continue
                gn = torch.linalg.vector_norm(G, dim=-1)
                gn = gn.expand(B, -1) if gn.shape[0] != B else gn
                for bp in act.breakpoints:
                    d = torch.where(gn > 0, (z0 - bp).abs() / torch.where(gn > 0, gn, torch.ones_like(gn)),
                                    torch.full_like(z0, math.inf))
                    dmin, imin = d.min(1)
                    better = dmin < best
                    best = torch.where(better, dmin, best)
                    lay = torch.where(better, torch.full_like(lay, k), lay)
                    neu = torch.where(better, imin, neu)
                    bpv = torch.where(better, torch.full_like(bpv, bp), bpv)
            out.append((best, lay, neu, bpv))
    return EdgeDistance(*(torch.cat(t) for t in zip(*out)))


class LocalRank(NamedTuple):
    """Rank of ``W_R`` per point and the identity rank ``min(n0, nc, min_i trace Z_i)`` (thesis eq. 2.3)."""

    rank: torch.Tensor
    identity_rank: torch.Tensor
    active: torch.Tensor  # (B, L) neurons on a non-zero-slope piece, per activation layer

    def to_frame(self) -> pd.DataFrame:
        """One row per point: ``point, rank, identity_rank`` and ``active_1 .. active_L`` (neurons on a
        non-zero-slope piece in each activation layer, ``trace(Z_l)``)."""
        df = _point_frame(self, ("rank", "identity_rank"))
        A = self.active.detach().cpu().numpy()
        for l in range(A.shape[1]):
            df[f"active_{l + 1}"] = A[:, l]
        return df


@renamed_keywords(x="X")
def local_rank(net: nn.Module, X, *, tol: float | None = None, device: DeviceLike = None) -> LocalRank:
    """Numerical rank of ``W_R`` at each point and the identity rank of eq. 2.3.

    At initialisation (weights drawn independently from a continuous
    distribution) ``rank(W_R) = min(n0, nc, min_i trace(Z_i))`` with probability 1
    (Johansson 2022, eq. 2.3 and Corollary 1, plain fully connected networks);
    with shortcuts or after training the two can differ, which is the point of
    comparing them.  ``tol`` is passed to ``torch.linalg.matrix_rank`` (default:
    its ``max(m, n) * eps * sigma_max``).
    """
    if tol is not None:
        tol = check_real("tol", tol, min=0.0)
    ops, x = _prepare(net, X, device)
    W, _ = local_affine(net, x, device=device)
    rank = torch.linalg.matrix_rank(W, atol=tol) if tol is not None else torch.linalg.matrix_rank(W)
    acts = []
    with torch.no_grad():
        for xc in _chunks(x, ops):
            _, _, pre, pieces = _maps(ops, xc, want_pre=True)
            cols = []
            for (_, _, act), piece in zip(pre, pieces):
                slopes = torch.tensor(act.slopes, dtype=DTYPE, device=xc.device)
                cols.append((slopes[piece] != 0).sum(1))
            acts.append(torch.stack(cols, 1) if cols else torch.zeros((xc.shape[0], 0), dtype=torch.long,
                                                                      device=xc.device))
    active = torch.cat(acts)
    return LocalRank(rank, identity_rank(W.shape[2], W.shape[1], active), active)


@renamed_keywords(x="X")
def local_singular_values(net: nn.Module, X, *, device: DeviceLike = None) -> torch.Tensor:
    """Singular values of ``W_R`` at each point, descending, shape ``(B, min(nc, n0))`` (thesis §2.2.2)."""
    W, _ = local_affine(net, X, device=device)
    return torch.linalg.svdvals(W)


class AdjacentSVDifference(NamedTuple):
    """Singular-value change across the nearest region edge (Johansson 2022, eq. 2.7 and 2.13).

    ``sq_diff = sum_i (sigma_i - sigma~_i)^2`` between the region of ``x`` and the
    region across its nearest edge; ``frob2 = ||W_R - W_R~||_F^2`` (the
    perturbation ``E`` of eq. 2.6, an upper bound on ``sq_diff`` by eq. 2.7);
    ``distance``, ``layer``, ``neuron`` of the crossed edge.
    """

    sq_diff: torch.Tensor
    frob2: torch.Tensor
    distance: torch.Tensor
    layer: torch.Tensor
    neuron: torch.Tensor

    def to_frame(self) -> pd.DataFrame:
        """One row per point: ``point, sq_diff, frob2, distance, layer, neuron`` (NaN where no edge)."""
        return _point_frame(self)


@renamed_keywords(x="X")
def adjacent_sv_difference(net: nn.Module, X, *, device: DeviceLike = None) -> AdjacentSVDifference:
    """Singular values of ``W_R`` in the region of ``x`` and in the region across its nearest edge.

    The adjacent region differs from ``R_x`` in exactly one neuron's piece (the
    neuron of the nearest edge, :func:`distance_to_edge`); its map ``W_R~`` is
    computed exactly by forcing that neuron to its other piece.  The thesis
    (Appendix A.2.3) finds the neighbour by sampling growing circles around
    ``x``; the nearest edge is the same region without the sampling.
    """
    ops, x = _prepare(net, X, device)
    ed = distance_to_edge(net, x, device=device)
    res = []
    with torch.no_grad():
        s = 0
        for xc in _chunks(x, ops):
            B = xc.shape[0]
            lay = ed.layer[s:s + B] - 1
            neu = ed.neuron[s:s + B]
            s += B
            A, c, _, _ = _maps(ops, xc)
            A2, _, _, _ = _maps(ops, xc, flip=(lay, neu))
            W = A.expand(B, *A.shape[1:]).reshape(B, -1, A.shape[-1])
            W2 = A2.expand(B, *A2.shape[1:]).reshape(B, -1, A2.shape[-1])
            sv, sv2 = torch.linalg.svdvals(W), torch.linalg.svdvals(W2)
            res.append((((sv - sv2) ** 2).sum(1), ((W - W2) ** 2).sum((1, 2))))
    sq, fr = (torch.cat(t) for t in zip(*res))
    # points without any boundary (inf distance) have no neighbour
    none = ~torch.isfinite(ed.distance)
    sq = torch.where(none, torch.full_like(sq, math.nan), sq)
    fr = torch.where(none, torch.full_like(fr, math.nan), fr)
    return AdjacentSVDifference(sq, fr, ed.distance, ed.layer, ed.neuron)
