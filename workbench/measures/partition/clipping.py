"""The clipping engine: exact activation regions of piecewise-linear networks on a 2-D domain.

A network made of affine layers (Linear, Conv2d, BatchNorm in eval mode,
average pooling, Flatten) and piecewise-linear activations (ReLU, LeakyReLU,
HardTanh / ReLU6, identity) is a continuous piecewise-linear function; restricted
to a plane its *activation regions* are convex polygons (Raghu et al. 2017,
Theorem "regions in input space"; Johansson 2022, ch. 1 eq. 1.4-1.5).  The
network is compiled by the piecewise-linear core (:mod:`workbench.nets.piecewise`)
and the engine here computes the regions exactly, in batched tensor code:

* every current region is a convex polygon in a padded vertex array
  ``(R, K, 2)`` (float64) with its vertex count;
* each region carries the local affine map of the current representation,
  ``h = A u + c`` (``A``: ``(R, *shape, 2)``), where ``u`` are the 2-D domain
  coordinates (:func:`workbench.nets.piecewise.propagate`);
* at an activation layer every neuron's pre-activation is affine inside each
  region; for each neuron (and each breakpoint of the activation: one for ReLU,
  two for HardTanh) *all* regions are evaluated at their vertices at once and
  the ones the boundary line crosses are clipped into two pieces by a
  vectorised Sutherland-Hodgman step on the padded arrays;
* after the layer, each region's activation pattern gives the slopes and
  offsets of the activation, and the affine maps are updated.

The result is a :class:`~workbench.measures.partition.result.Partition`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from workbench._runtime import DeviceLike
from workbench.limits import ResourceLimitError, check_bytes, format_bytes
from workbench.measures.partition.result import (
    DEFAULT_MAX_REGIONS,
    SNAP,
    Partition,
    RegionLimitError,
    clip_polygons,
    vertex_side,
)
from workbench.nets.piecewise import DTYPE, compile_network, propagate
from workbench.validation import as_tensor, check_device, check_int

__all__ = ["partition_2d", "partition_plane"]

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
        tol = SNAP * torch.maximum(smax.abs(), smin.abs())
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
        s, tol, pos_any, neg_any = vertex_side(Vc, G[pc, i, :], z0[pc, i] - bp)
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
        row_bytes = st.raw("bits").shape[1] + st.raw("V").shape[1] * (2 * 8 + 4) + 2 * 8
        check_bytes((n + M) * row_bytes * 2, f"{n + M:,} regions while splitting by neuron {i} of layer {k + 1}",
                    "pass a smaller domain (bounds), a smaller network or max_regions", device=Vc.device)
        idx = cidx[sel]
        s = s[sel]
        tol = tol[sel].unsqueeze(1)
        s = torch.where(s.abs() <= tol, torch.zeros_like(s), s)
        Kc = Vc.shape[1]
        (pV, pn, pL), (nV, nn_, nL) = clip_polygons(Vc[sel], st["nv"][idx], s, st["L"][idx], col0 + col)
        if int(torch.maximum(pn.max(), nn_.max())) > Kc:
            Vr = st.raw("V")
            st.a["V"] = torch.cat([Vr, Vr[:, :1]], 1)
            st.grow_cols("L", Kc + 1, -1)
        else:
            pV, pL, nV, nL = pV[:, :Kc], pL[:, :Kc], nV[:, :Kc], nL[:, :Kc]
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


REFERENCE_MAX_WORK = 3e7
"""The reference engine refuses a first layer whose splitting clips more region pieces than this
(about half the lines times the regions they make; 1e6-3e6 pieces per second on one core)."""


def arrangement_regions(a: torch.Tensor, c: torch.Tensor, bounds, *, max_lines: int = 4096) -> int | None:
    """Regions of the arrangement of the lines ``a_i . u + c_i = 0`` inside the open box ``bounds``.

    Exact in any position up to rounding at 1e-9 of the box: coincident lines are merged, and a point
    where ``k`` lines meet adds ``k - 1`` regions (Euler: ``1 + lines + sum_p (k_p - 1)``).  ``None``
    when more than ``max_lines`` lines cross the box (the pairwise step would be large).  The first
    layer of a network cuts the domain exactly so, which lets the reference engine refuse a first
    layer beyond ``max_regions`` before splitting (it costs time proportional to the regions for
    every neuron).
    """
    u0, u1, v0, v1 = (float(t) for t in bounds)
    a, c = a.to(torch.float64).reshape(-1, 2), c.to(torch.float64).reshape(-1)
    corners = torch.tensor([[u0, v0], [u1, v0], [u1, v1], [u0, v1]], dtype=torch.float64, device=a.device)
    vals = corners @ a.T + c
    keep = (vals.amax(0) > 0) & (vals.amin(0) < 0)
    a, c = a[keep], c[keep]
    if a.shape[0] == 0:
        return 1
    scale = max(u1 - u0, v1 - v0, abs(u0), abs(u1), abs(v0), abs(v1))
    nrm = torch.linalg.vector_norm(a, dim=1, keepdim=True)
    a, c = a / nrm, c / nrm.squeeze(1)
    sign = torch.where(a[:, 0].abs() > 1e-12, a[:, 0].sign(), a[:, 1].sign())
    a, c = a * sign[:, None], c * sign
    key = torch.round(torch.cat([a, (c / scale)[:, None]], 1) * 1e9)
    uniq = torch.unique(key, dim=0, return_inverse=True)[1]
    first = torch.full((int(uniq.max()) + 1,), a.shape[0], dtype=torch.long, device=a.device)
    first.scatter_reduce_(0, uniq, torch.arange(a.shape[0], device=a.device), reduce="amin")
    a, c = a[first], c[first]
    n = a.shape[0]
    if n > max_lines:
        return None
    i, j = torch.triu_indices(n, n, 1, device=a.device)
    det = a[i, 0] * a[j, 1] - a[i, 1] * a[j, 0]
    ok = det.abs() > 1e-12
    i, j, det = i[ok], j[ok], det[ok]
    x = (-c[i] * a[j, 1] + c[j] * a[i, 1]) / det
    y = (-a[i, 0] * c[j] + a[j, 0] * c[i]) / det
    inside = (x > u0) & (x < u1) & (y > v0) & (y < v1)
    pts = torch.stack([x[inside], y[inside]], 1)
    if pts.shape[0] == 0:
        return 1 + n
    q = torch.round(pts / scale * 1e9).to(torch.int64)  # inside the box: |q| <= 1e9 < 2**31
    m = torch.unique(q[:, 0] * 2**32 + q[:, 1], return_counts=True)[1].to(torch.float64)  # one int64 key per point
    k = (1 + torch.sqrt(1 + 8 * m)) / 2  # m = k (k - 1) / 2 pairs meet at a point of k lines
    return int(1 + n + torch.round(k - 1).sum().item())


def _partition(cn, A0, c0, bounds, dev, max_regions, layers):
    import pandas as pd

    u0, u1, v0, v1 = bounds
    box = torch.tensor([[u0, v0], [u1, v0], [u1, v1], [u0, v1]], dtype=DTYPE, device=dev)
    K0 = 8
    g = {
        "V": box[[0, 1, 2, 3, 0, 0, 0, 0]].unsqueeze(0).clone(),  # unused slots repeat vertex 0
        "L": torch.full((1, K0), -1, dtype=torch.int32, device=dev),
        "nv": torch.tensor([4], device=dev),
        "patterns": torch.zeros((1, 0), dtype=torch.bool, device=dev),
        "active": torch.zeros((1, 0), dtype=torch.long, device=dev),
        "col0": 0,
    }
    limit = DEFAULT_MAX_REGIONS if max_regions is None else int(max_regions)
    brows = []
    counts = []

    def on_activation(k, op, G, z0, group):
        """Split every region by every neuron's breakpoints; return the pieces and the parents."""
        V, nv, L, col0 = g["V"], g["nv"], g["L"], g["col0"]
        R0 = V.shape[0]
        if G.shape[0] != R0:
            G, z0 = G.expand(R0, -1, -1), z0.expand(R0, -1)
        N = G.shape[1]
        nb = len(op.breakpoints)
        # a piece of a region can only be cut by a line that cuts the region: screen all pairs once
        cols = N * nb + g["patterns"].shape[1]
        check_bytes(R0 * (3 * N * nb + cols), f"screening {R0:,} regions against the {N * nb:,} lines of layer {k + 1}",
                    "pass a smaller domain (bounds), a smaller network or max_regions", device=dev)
        if R0 == 1 and nb and G.shape[-1] == 2:  # the first cut: its region count is known exactly, at once
            lines = G[0].repeat_interleave(nb, 0)
            offs = (z0[0][:, None] - torch.as_tensor(op.breakpoints, dtype=z0.dtype, device=z0.device)).reshape(-1)
            first = arrangement_regions(lines, offs, bounds)
            if first is not None and first > limit:
                raise RegionLimitError(
                    f"the partition would exceed max_regions={limit:,} regions: layer {k + 1} ({op.name}) alone "
                    f"cuts the domain into {first:,} regions (its {N * nb:,} lines and their crossings); stopped "
                    "before splitting. Pass a larger max_regions, a smaller domain (bounds) or a smaller network."
                )
            if first is not None and N * nb * first / 2 > REFERENCE_MAX_WORK:
                raise ResourceLimitError(
                    f"the reference engine would clip about {N * nb * first / 2:,.0f} region pieces to split layer "
                    f"{k + 1} ({op.name}: {N * nb:,} lines cutting the domain into {first:,} regions), more than "
                    f"REFERENCE_MAX_WORK={REFERENCE_MAX_WORK:,.0f} (minutes of work); refused before starting. Use "
                    "engine='fast' (the default), a smaller domain or network, or raise "
                    "workbench.measures.partition.clipping.REFERENCE_MAX_WORK."
                )
        cutmat, side = _screen(V, G, z0, op.breakpoints)
        # lower bound before splitting: every region stays >= 1 region, a cut one becomes >= 2
        low = R0 + int(cutmat.any(1).sum()) if cutmat.numel() else R0
        if low > limit:
            raise RegionLimitError(
                f"the partition would exceed max_regions={limit:,} regions (at least {low:,} after layer {k + 1} "
                f"({op.name}): {R0:,} regions, {low - R0:,} of them cut); stopped before splitting them. Pass a "
                "larger max_regions, a smaller domain (bounds) or a smaller network."
            )
        check_bytes(low * (cols + V.shape[1] * 2 * 8 * 2 + 8 * (k + 2) + 64),
                    f"at least {low:,} regions after layer {k + 1} with {cols:,} pattern columns",
                    "pass a smaller domain (bounds), a smaller network or max_regions", device=dev)
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
        g["V"], g["L"], g["nv"] = V[:, :Kmax].contiguous(), L[:, :Kmax].contiguous(), nv
        # pieces per neuron from the bits
        piece = bits.view(-1, N, nb).sum(-1) if nb else torch.zeros((bits.shape[0], N), dtype=torch.long, device=dev)
        _, slopes, _ = op.tables(DTYPE, dev)
        g["active"] = torch.cat([g["active"][parent], (slopes[piece] != 0).sum(1, keepdim=True)], 1)
        g["patterns"] = torch.cat([g["patterns"][parent], bits], 1)
        for i in range(N):
            for jb, bp in enumerate(op.breakpoints):
                brows.append((col0 + i * nb + jb, k + 1, i, bp, op.name))
        g["col0"] = col0 + N * nb
        counts.append(int(g["V"].shape[0]))
        return piece, parent

    st = propagate(cn.ops, A0, c0, on_activation=on_activation, upto=layers)
    A, c = st.A, st.c
    V, nv = g["V"], g["nv"]
    R = V.shape[0]
    if A.shape[0] != R:
        A, c = A.expand(R, *A.shape[1:]), c.expand(R, *c.shape[1:])
    W = A.reshape(R, -1, A.shape[-1]).contiguous()
    b = c.reshape(R, -1).contiguous()
    table = pd.DataFrame(brows, columns=["column", "layer", "neuron", "breakpoint", "name"])
    unused = torch.arange(V.shape[1], device=dev)[None] >= nv[:, None]
    V = V.masked_fill(unused.unsqueeze(-1), float("nan"))
    return Partition(V, nv, g["L"], g["patterns"], g["active"], W, b, table, tuple(float(t) for t in bounds), st.k,
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


def _check_max_regions(max_regions) -> int | None:
    """``None`` or a positive int (``'abc'``, ``1e6`` and ``0`` refused with what to pass)."""
    if max_regions is None:
        return None
    return check_int("max_regions", max_regions, min=1)


def _check_layers(layers, cn):
    n = cn.n_activation_layers
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
    progress: bool = True,
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
        ``"fast"`` (default; :mod:`workbench.measures.partition.engine`, issue 17) or
        ``"reference"`` (the clipping engine of this module, kept for comparison). Same
        regions, patterns and areas.
    max_bytes
        Memory budget of the fast engine in bytes (``None``: :func:`workbench.limits.memory_budget`,
        the smallest of half the physical memory and what the cgroup limit and ``RLIMIT_AS`` /
        ``RLIMIT_DATA`` leave, or 90% of the free GPU memory); a request that would pass it raises
        :class:`~workbench.measures.partition.engine.MemoryBudgetError` (a
        :class:`RegionLimitError`) before the allocation, with the estimate.  A first layer whose
        regions alone would pass it is refused before it is split (their count is known exactly).
    progress
        A ``tqdm`` meter of the share of the domain already partitioned, with the region count and an ETA,
        shown once the call has run 2 s (the fast engine); ``False`` silences it.

    Returns
    -------
    Partition
        Polygons, patterns, per-region local affine maps; see :class:`Partition`.
    """
    bounds = _check_bounds(bounds)
    dev = check_device(device)
    max_regions = _check_max_regions(max_regions)
    cn = compile_network(net, device=dev)
    in_shape = cn.in_shape
    if in_shape is None or in_shape != (2,):
        got = "unknown (the first layer is not Linear)" if in_shape is None else f"{in_shape[0]}-D"
        raise ValueError(
            f"partition_2d needs a network with a 2-D input, but this network's input is {got}; "
            "use workbench.partition_plane(net, x0, x1, x2) to partition the plane through three input points"
        )
    layers = _check_layers(layers, cn)
    A0 = torch.eye(2, dtype=DTYPE, device=dev).unsqueeze(0)
    c0 = torch.zeros((1, 2), dtype=DTYPE, device=dev)
    run = _engine(engine, max_bytes, progress)
    with torch.no_grad():
        return run(cn, A0, c0, bounds, dev, max_regions, layers)


def _engine(engine: str, max_bytes, progress: bool = False):
    """The partition engine by name (issue 17: ``"fast"``; this module's clipping engine as ``"reference"``)."""
    if engine == "reference":
        return _partition
    if engine == "fast":
        from workbench.measures.partition import engine as partition_engine

        def fast(cn, A0, c0, bounds, dev, max_regions, layers):
            _check_first_layer_bytes(cn, A0, c0, bounds, dev, max_bytes)
            return partition_engine.partition(cn, A0, c0, bounds, dev, max_regions, layers, max_bytes=max_bytes,
                                              progress=progress)

        return fast
    raise ValueError(f"engine must be 'fast' or 'reference', got {engine!r}")


FIRST_SPLIT_BYTES = (4096, 12)
"""Bytes per region of the first activation layer while the fast engine splits it: a constant plus this many
per pattern column (polygon slots, labels, parents and the rounds' copies; the side tables, patterns and
pieces of every child).  Measured (issue 28): 6.7 KB per region at 256 lines, 9.5 KB at 512."""


def _check_first_layer_bytes(cn, A0, c0, bounds, dev, max_bytes) -> None:
    """Refuse, before splitting, a first activation layer whose regions alone would pass the memory budget.

    The first layer cuts the domain by straight lines, so its region count is known exactly beforehand
    (:func:`arrangement_regions`), and the fast engine holds all of those regions at once while it splits them
    (one region, the box, is cut by every line).  Its own budget counts the regions it has made, which for the
    first layer comes only after the split has allocated them: a wide first layer on a large domain could
    spend minutes and fail in the allocator (issue 28).  The count is computed only when the bound
    ``1 + lines + lines (lines - 1) / 2`` would pass the budget, so ordinary sizes pay nothing.
    """
    from workbench.limits import budget_message, memory_budget
    from workbench.measures.partition.engine import _CHUNK_BYTES, MemoryBudgetError

    st = propagate(cn.ops, A0, c0, stop_at_activation=True)
    if st.index >= len(cn.ops) or st.A is None:
        return
    op = cn.ops[st.index]
    nb = len(op.breakpoints)
    G = st.A.reshape(st.A.shape[0], -1, st.A.shape[-1])
    if nb == 0 or G.shape[0] != 1 or G.shape[-1] != 2:
        return
    n_lines = G.shape[1] * nb
    per_region = FIRST_SPLIT_BYTES[0] + FIRST_SPLIT_BYTES[1] * n_lines

    def need(regions: int) -> int:  # the regions while split, then the first chunk of the maps stage
        return regions * per_region + min(_CHUNK_BYTES, regions * 3 * 8 * G.shape[1])

    budget = memory_budget(device=dev, max_bytes=max_bytes)
    if need(1 + n_lines + n_lines * (n_lines - 1) // 2) <= budget.bytes:
        return
    z0 = st.c.reshape(1, -1)
    offs = (z0[0][:, None] - torch.as_tensor(op.breakpoints, dtype=z0.dtype, device=z0.device)).reshape(-1)
    regions = arrangement_regions(G[0].repeat_interleave(nb, 0), offs, bounds, max_lines=2048)  # pairs: 2M at most
    if regions is None or need(regions) <= budget.bytes:
        return
    raise MemoryBudgetError(budget_message(
        need(regions), f"splitting the first layer ({op.name}: {n_lines:,} lines cutting the domain into "
        f"{regions:,} regions, about {format_bytes(per_region)} each while split)",
        "pass a smaller domain (bounds) or a smaller network", budget))


def plane_basis(x0, x1, x2, basis: str = "affine"):
    """Origin, basis vectors and anchor coordinates of the plane through ``x0, x1, x2``.

    ``basis="affine"``: ``x(u, v) = x0 + u (x1 - x0) + v (x2 - x0)``, so the three
    points sit at (0, 0), (1, 0), (0, 1).  ``basis="orthonormal"``: Gram-Schmidt
    basis, so lengths and areas in the plane are those of the input space; ``x0``
    at the origin and ``x1`` on the positive u axis.
    """
    pts = [as_tensor(p, name, dtype=DTYPE).detach() for p, name in zip((x0, x1, x2), ("x0", "x1", "x2"))]
    if not (pts[0].shape == pts[1].shape == pts[2].shape):
        raise ValueError(f"x0, x1, x2 must have the same shape, got {[tuple(p.shape) for p in pts]}")
    if not all(torch.isfinite(p).all() for p in pts):
        raise ValueError("x0, x1, x2 must be finite (they contain NaN or inf)")
    e1, e2 = (pts[1] - pts[0]).flatten(), (pts[2] - pts[0]).flatten()
    # the collinearity test on directions scaled by their largest entry: n1 * n2 of points 1e160 overflows
    m1, m2 = float(e1.abs().max()) if e1.numel() else 0.0, float(e2.abs().max()) if e2.numel() else 0.0
    d1, d2 = e1 / (m1 or 1.0), e2 / (m2 or 1.0)
    s1, s2 = float(d1 @ d1), float(d2 @ d2)
    if m1 == 0 or m2 == 0 or s1 * s2 - float(d1 @ d2) ** 2 <= 1e-12 * s1 * s2:
        raise ValueError(
            "x0, x1, x2 are collinear (or coincide), so they do not span a plane; choose three points "
            "that are not on one line (e.g. three different images)"
        )
    norm1 = m1 * math.sqrt(s1)  # ||e1|| without squaring e1's entries
    if basis == "affine":
        B = torch.stack([e1, e2])
        anchors = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    elif basis == "orthonormal":
        q1 = d1 / math.sqrt(s1)
        w = e2 - (e2 @ q1) * q1
        w = w / w.abs().max()
        q2 = w / w.norm()
        B = torch.stack([q1, q2])
        anchors = np.array([[0.0, 0.0], [norm1, 0.0], [float(e2 @ q1), float(e2 @ q2)]])
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
    progress: bool = True,
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
    device, max_regions, layers, engine, max_bytes, progress
        As in :func:`partition_2d`.
    """
    run = _engine(engine, max_bytes, progress)
    dev = check_device(device)
    max_regions = _check_max_regions(max_regions)
    cn = compile_network(net, device=dev)
    in_shape = cn.in_shape
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
    layers = _check_layers(layers, cn)
    origin, B = origin.to(dev), B.to(dev)
    A0 = B.movedim(0, -1).unsqueeze(0)  # (1, *shape, 2)
    c0 = origin.unsqueeze(0)
    with torch.no_grad():
        try:
            part = run(cn, A0, c0, bounds, dev, max_regions, layers)
        except RuntimeError as exc:
            if isinstance(exc, RegionLimitError) or "shape" not in str(exc) and "size" not in str(exc):
                raise
            raise ValueError(
                f"the network does not accept inputs of shape {tuple(origin.shape)}: {exc}"
            ) from exc
    part.origin, part.basis, part.anchors = origin, B, anchors
    return part
