"""The fast exact 2-D partition engine (issue 17).

Same inputs and outputs as the reference engine of :mod:`workbench.measures.partition.clipping`
(a :class:`~workbench.nets.piecewise.CompiledNet`, the input maps and a
rectangle; a :class:`~workbench.measures.partition.result.Partition`), the same regions,
patterns and areas, organised for throughput.  The profile of the reference
engine (``BENCHMARKS.md``, issue 17) put ~75% of its time into bookkeeping that
is linear in the number of regions *per neuron* (a gather over all current
regions for every neuron column), so its rate fell as networks grew.  Here:

* **Screening** of every (region, neuron, breakpoint) triple is one bounding-box
  test on ``(R, N)`` arrays: the line ``g.u + z = bp`` misses the region's
  box when ``|g.c + z - bp| > |g_x| h_x + |g_y| h_y`` (centre ``c``, half sizes
  ``h``), with a relative safety margin far above rounding, so the exact vertex
  test (the reference's rule, tolerance ``1e-10`` of the largest value) runs only
  on the few candidate pairs.
* **Splitting** runs in *rounds*: in round ``j`` every region that is cut by at
  least ``j + 1`` lines has all its current pieces clipped by its ``j``-th
  cutting line (lines in the reference's order), in one batched
  Sutherland-Hodgman step.  The number of rounds is the largest number of lines
  that cut one region (tens), not the layer width; the work per round is
  proportional to the pieces still being cut.
* **Local maps** of the next layer: children of one region differ from it only in
  the neurons that cut it, so (for chains of affine layers between activations
  without a saved add-shortcut term) the next pre-activation map of every child
  is the parent's map for a reference pattern (one matrix product per *parent*)
  plus rank-one corrections for the flipped neurons (``O(flips x width)`` per
  child) instead of a full matrix product per child.
* **Anchor groups** for the first layer: its children all come from one region (the box), and differ from
  the box's reference pattern in about half the neurons, so the rank-one route above does not pay.  Children
  in one cell of a grid over their centroids (about :data:`ANCHOR_GROUP` per cell) share an *anchor*, the
  cell's first child, whose map is one row of a GEMM; the others differ from it in a few neurons (6 on
  average at 2-256x3) and take rank-one corrections from it.  Every child's map is its anchor's full map
  plus at most a few terms, so the rounding stays that of the parent route, not a chain.
* **Layout and kernels**: maps are ``(R, 3, N)`` (``g_x``, ``g_y``, ``z`` rows), so the products of the next
  layer need no transposes.  On the CPU with numba, the memory-bound steps are one compiled pass each
  (:mod:`~workbench.measures.partition.kernels`): screen, clip (bit for bit the torch clip), children's maps
  (anchor or parent map plus flips, written once) and the maps to a narrow output (pieces looked up inside).
  The torch versions stay the reference and the GPU path.
* **Depth first in chunks**: the children of a layer are processed through the
  remaining layers a chunk at a time, so the working memory (maps of width
  ``N``) is bounded by the chunk, not by the final region count; only the
  result (polygons, patterns, output maps) grows with the count.  A memory
  budget (``max_bytes``) refuses a request before the allocation that would
  pass it, with the estimate in the message.

The operations are the piecewise-linear core's public :class:`~workbench.nets.piecewise.Affine`,
:class:`~workbench.nets.piecewise.Activation` and :class:`~workbench.nets.piecewise.SaveShortcut`,
pushed through with its public :func:`~workbench.nets.piecewise.apply_affine` and
:func:`~workbench.nets.piecewise.apply_activation`.
"""
from __future__ import annotations

import math

import torch

from workbench._runtime import DeviceLike
from workbench.limits import ResourceLimitError, check_bytes
from workbench.limits import default_max_bytes as _limits_default_max_bytes
from workbench.measures.partition import kernels as partition_kernels
from workbench.measures.partition.result import (
    DEFAULT_MAX_REGIONS,
    Partition,
    RegionLimitError,
    clip_polygons,
    vertex_side,
)
from workbench.nets.piecewise import Activation, Affine, CompiledNet, apply_activation, apply_affine

__all__ = ["MemoryBudgetError", "default_max_bytes", "partition_bytes_per_region"]

_DTYPE = torch.float64
_MARGIN = partition_kernels.MARGIN  # relative safety margin of the bounding-box screen (rounding is ~1e-15)
_CHUNK_BYTES = 1 << 29  # working memory for the maps of one chunk of regions
ANCHOR_MIN = 2048
"""The first layer's children take anchor groups (:func:`_anchor_groups`) from this many children on."""
ANCHOR_GROUP = 32
"""About this many children per anchor group (cells of a square grid over their centroids)."""
COMPILED = True
"""Use the compiled (numba) screen on the CPU when numba is installed; ``False``: torch only."""


class _Timer:
    """Per-layer section timings (CPU seconds) when ``PROFILE`` is a dict; a no-op otherwise."""

    def __init__(self, key):
        self.key = key

    def __enter__(self):
        if PROFILE is not None:
            import time

            if self.key[0] == "sync" or self.key[1] != "recurse":
                _sync()
            self.t = time.process_time()
        return self

    def __exit__(self, *exc):
        if PROFILE is not None:
            import time

            _sync()
            PROFILE[self.key] = PROFILE.get(self.key, 0.0) + time.process_time() - self.t


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


PROFILE: dict | None = None
"""Set to ``{}`` to collect ``{(layer, section): CPU seconds}`` (benchmarks/bench_partition_engine.py)."""


class MemoryBudgetError(RegionLimitError, ResourceLimitError):
    """The partition would need more memory than ``max_bytes`` allows (also a ``ResourceLimitError``)."""


def default_max_bytes(*, device: DeviceLike = None) -> int:
    """The memory budget (:func:`workbench.limits.default_max_bytes`): half the physical memory on the CPU,
    90% of the free GPU memory, overridden by ``WORKBENCH_MAX_BYTES`` or a ``max_bytes_budget`` block."""
    return _limits_default_max_bytes(device=device)


def partition_bytes_per_region(n_columns: int, n_layers: int, n_out: int, k_vertices: int = 12) -> int:
    """Bytes one region takes in a finished :class:`Partition` (and while being assembled).

    Polygon ``k x 2`` float64, edge labels ``k`` int32, vertex count, the pattern
    (one bool per column), active counts (int64 per layer) and the local map
    ``n_out x 3`` float64; doubled for the final concatenation of the chunks.
    """
    one = k_vertices * 2 * 8 + k_vertices * 4 + 8 + n_columns + 8 * n_layers + n_out * 3 * 8
    return 2 * one


# ---------------------------------------------------------------------------
# Operations (the core's :class:`Affine` / :class:`Activation` / :class:`SaveShortcut`)
# ---------------------------------------------------------------------------
def _is_act(op) -> bool:
    return isinstance(op, Activation)


def _is_affine(op) -> bool:
    return isinstance(op, Affine)


# ---------------------------------------------------------------------------
# Geometry: screening and clipping
# ---------------------------------------------------------------------------
def _screen(V, Mp, bps, chunk_elems: int = 1 << 22):
    """Cut pairs and sides of every region against every (neuron, breakpoint) column.

    ``V (R, K, 2)`` (padding repeats vertex 0), ``Mp (R, 3, N)``: ``(g_x, g_y, z)`` of
    each neuron's pre-activation.  Returns ``rows, cols`` of the cut pairs (sorted by
    row, then column) and ``side (R, N * nb)``: ``True`` where the region (for cut
    pairs: some vertex) is above the breakpoint.
    """
    R, N = Mp.shape[0], Mp.shape[2]
    nb = len(bps)
    dev = V.device
    side = torch.empty((R, N * nb), dtype=torch.bool, device=dev)
    rows_l, cols_l = [], []
    bp = torch.tensor(bps, dtype=V.dtype, device=dev)
    step = max(1, chunk_elems // max(1, N * nb))
    lo_all, hi_all = V.amin(1), V.amax(1)
    for a in range(0, R, step):
        b = min(R, a + step)
        ctr = 0.5 * (lo_all[a:b] + hi_all[a:b])
        h = 0.5 * (hi_all[a:b] - lo_all[a:b])
        M = Mp[a:b]
        gx, gy, z = M[:, 0], M[:, 1], M[:, 2]
        px, py = gx * ctr[:, :1], gy * ctr[:, 1:]
        sc = px + py + z
        bnd = gx.abs() * h[:, :1] + gy.abs() * h[:, 1:]
        mag = px.abs() + py.abs() + z.abs() + bnd
        d = sc.unsqueeze(-1) - bp  # (r, N, nb)
        cand = d.abs() <= bnd.unsqueeze(-1) + _MARGIN * (mag.unsqueeze(-1) + bp.abs())
        sd = (d > 0).reshape(b - a, N * nb)
        cand = cand.reshape(b - a, N * nb)
        rq, cq = cand.nonzero(as_tuple=True)
        if rq.numel():
            iq = torch.div(cq, nb, rounding_mode="floor") if nb > 1 else cq
            g = M[rq, :, iq]  # (Q, 3)
            _, _, pos, neg = vertex_side(V[a + rq], g[:, :2], g[:, 2] - bp[cq - iq * nb])
            sd[rq, cq] = pos
            cut = pos & neg
            rows_l.append(rq[cut] + a)
            cols_l.append(cq[cut])
        side[a:b] = sd
    if rows_l:
        return torch.cat(rows_l), torch.cat(cols_l), side
    empty = torch.zeros(0, dtype=torch.long, device=dev)
    return empty, empty, side


def _split(V, nv, L, rows, cols, Mp, bps, label0: int, limit: int, n_before: int, where: str,
           clip=clip_polygons):
    """Split regions by their cut columns in rounds (see the module docstring).

    Every piece walks through its own list of lines (first its region's cut columns, in
    order); a piece is clipped by the next line of its list in each round.  While many
    lines remain, the lists are re-screened against the (smaller) pieces every 8, 16,
    32, ... rounds, so a region cut by hundreds of lines (the first layer) costs about
    its pieces times the lines that cut them, not times all its lines.
    Returns ``V, nv, L, parent`` of the pieces and ``(prow, pcol, pval)``: pattern bits
    of the cut columns (piece row, column, value) to write over ``side[parent]``; for a single
    region, ``(None, columns, B)``: the bits as one dense block ``B (pieces, len(columns))``.
    """
    R = V.shape[0]
    dev = V.device
    nb = len(bps)
    bp = torch.tensor(bps, dtype=V.dtype, device=dev)
    cnt = torch.bincount(rows, minlength=R)
    start = torch.cumsum(cnt, 0) - cnt
    J = int(cnt.max()) if rows.numel() else 0
    still = (cnt == 0).nonzero().squeeze(1)
    out = [(V[still], nv[still], L[still], still, None)]
    n_done = still.numel()
    hit = (cnt > 0).nonzero().squeeze(1)
    wV, wnv, wL, wpar = V[hit], nv[hit], L[hit], hit
    plc = cols  # line lists: column and rank in the region's list, per piece a slice [wst, wst + wlen)
    pjj = torch.arange(cols.numel(), device=dev) - start[rows]
    wst, wlen = start[hit], cnt[hit]
    wptr = torch.zeros_like(wlen)
    wbits = torch.zeros((hit.numel(), J), dtype=torch.bool, device=dev)
    since, every = 0, 8
    while wpar.numel():
        alive = wptr < wlen
        if not bool(alive.all()):
            dead = (~alive).nonzero().squeeze(1)
            out.append((wV[dead], wnv[dead], wL[dead], wpar[dead], wbits[dead]))
            n_done += dead.numel()
            keep = alive.nonzero().squeeze(1)
            wV, wnv, wL, wpar, wbits = wV[keep], wnv[keep], wL[keep], wpar[keep], wbits[keep]
            wst, wlen, wptr = wst[keep], wlen[keep], wptr[keep]
            if not wpar.numel():
                break
        Mw = wpar.numel()
        ar = torch.arange(Mw, device=dev)
        if since >= every:
            rem = wlen - wptr
            if int(rem.max()) > 4:  # re-screen every piece against the rest of its list
                rep = torch.repeat_interleave(ar, rem)
                first = torch.cumsum(rem, 0) - rem
                q = wst[rep] + wptr[rep] + torch.arange(rep.numel(), device=dev) - first[rep]
                col, jj = plc[q], pjj[q]
                i = torch.div(col, nb, rounding_mode="floor") if nb > 1 else col
                g = Mp[wpar[rep], :, i]
                _, _, pos, neg = vertex_side(wV[rep], g[:, :2], g[:, 2] - bp[col - i * nb])
                wbits[rep, jj] = pos
                cq = pos & neg
                plc, pjj = col[cq], jj[cq]
                wlen = torch.bincount(rep[cq], minlength=Mw)
                wst = torch.cumsum(wlen, 0) - wlen
                wptr = torch.zeros_like(wlen)
                since, every = 0, 2 * every
                continue
        since += 1
        q = wst + wptr
        col, jj = plc[q], pjj[q]
        wptr = wptr + 1
        i = torch.div(col, nb, rounding_mode="floor") if nb > 1 else col
        g = Mp[wpar, :, i]
        s, tol, pos, neg = vertex_side(wV, g[:, :2], g[:, 2] - bp[col - i * nb])
        wbits[ar, jj] = pos
        sel = (pos & neg).nonzero().squeeze(1)
        Ms = sel.numel()
        if Ms == 0:
            continue
        total = n_before + n_done + Mw + Ms
        if total > limit:
            raise RegionLimitError(
                f"the partition would exceed max_regions={limit:,} regions (reached {total:,} while "
                f"splitting by {where}); stopped before running out of memory. Pass a larger "
                "max_regions, a smaller domain (bounds) or a smaller network."
            )
        s = s[sel]
        tol = tol[sel].unsqueeze(1)
        s = torch.where(s.abs() <= tol, torch.zeros_like(s), s)
        K = wV.shape[1]
        (pV, pn, pL), (nV, nn_, nL) = clip(wV[sel], wnv[sel], s, wL[sel], label0 + col[sel])
        if int(torch.maximum(pn.max(), nn_.max())) > K:
            wV = torch.cat([wV, wV[:, :1]], 1)
            wL = torch.cat([wL, torch.full_like(wL[:, :1], -1)], 1)
        else:
            pV, pL, nV, nL = pV[:, :K], pL[:, :K], nV[:, :K], nL[:, :K]
        wV[sel], wL[sel], wnv[sel] = pV, pL, pn
        nbits = wbits[sel]
        nbits[torch.arange(Ms, device=dev), jj[sel]] = False
        wV = torch.cat([wV, nV])
        wL = torch.cat([wL, nL])
        wnv = torch.cat([wnv, nn_])
        wpar = torch.cat([wpar, wpar[sel]])
        wbits = torch.cat([wbits, nbits])
        wst, wlen, wptr = (torch.cat([t, t[sel]]) for t in (wst, wlen, wptr))
    Kmax = max(o[0].shape[1] for o in out)
    cat = torch.cat
    padded = [_pad_vertices(oV, oL, Kmax) for oV, _, oL, _, _ in out]
    Vs, Ls = [v for v, _ in padded], [lab for _, lab in padded]
    nvs, pars = [o[1] for o in out], [o[3] for o in out]
    if R == 1 and J:
        # one region (the first layer's box): every piece shares its line list, so the bits are one dense
        # (pieces, J) block over the columns cols[:J], not (piece, column, value) triples (at 2-512x3 layer 1
        # the triples were 48 M and their bookkeeping a fifth of the run)
        Bs = [o[4] if o[4] is not None else torch.zeros((o[0].shape[0], J), dtype=torch.bool, device=dev)
              for o in out]
        return cat(Vs), cat(nvs), cat(Ls), cat(pars), (None, cols[:J], cat(Bs))
    n_bits = sum(int(cnt[o[3]].sum()) for o in out if o[4] is not None)
    # the pattern bits of the cut columns as (piece, column, value) triples, then the flip bookkeeping
    check_bytes(n_bits * (3 * 8 + 4 * 8), f"the pattern bits of {n_bits:,} (piece, cut line) pairs while splitting "
                f"by {where}", "pass a smaller domain (bounds), a smaller network or max_regions", device=dev)
    prow, pcol, pval = [], [], []
    off = 0
    for oV, _onv, _oL, opar, obits in out:
        if obits is not None and obits.shape[0]:
            Jb = obits.shape[1]
            m = torch.arange(Jb, device=dev)[None] < cnt[opar][:, None]
            r, jj = m.nonzero(as_tuple=True)
            prow.append(r + off)
            pcol.append(cols[start[opar[r]] + jj])
            pval.append(obits[r, jj])
        off += oV.shape[0]
    bits = (cat(prow), cat(pcol), cat(pval)) if prow else None
    return cat(Vs), cat(nvs), cat(Ls), cat(pars), bits


def _anchor_groups(V, piece, N, per_group: int | None = None):
    """Anchors for the children of one region (the first layer's box; any single-region chunk with at
    least :data:`ANCHOR_MIN` children), whose pieces differ from its reference in about half the neurons.

    Children in one cell of a grid over their centroids share an anchor (the cell's first child), whose map
    is computed in full; the others add rank-one corrections for the few neurons that differ from it.
    Returns ``(group of every child, anchors' pieces, (m, i, pcm, prm))`` (the flips: child, neuron,
    child's piece, anchor's piece), or ``None`` when the flips are not few.
    """
    R2 = V.shape[0]
    per_group = ANCHOR_GROUP if per_group is None else per_group
    c = V.mean(1)  # padding repeats vertex 0: a point inside, enough to group near children
    lo, hi = c.amin(0), c.amax(0)
    G = max(1, int(math.sqrt(R2 / per_group)))
    cell = ((c - lo) / torch.clamp(hi - lo, min=1e-300) * G).long().clamp_(0, G - 1)
    key = cell[:, 1] * G + cell[:, 0]
    _, grp = torch.unique(key, return_inverse=True)
    n_g = int(grp.max()) + 1
    first = torch.full((n_g,), R2, dtype=torch.long, device=V.device)
    first.scatter_reduce_(0, grp, torch.arange(R2, device=V.device), reduce="amin")
    base_piece = piece[first]
    diff = piece != base_piece[grp]
    if int(diff.sum()) > R2 * N / 8:
        return None
    m, i = diff.nonzero(as_tuple=True)
    pcm, prm = piece[m, i].long(), base_piece[grp[m], i].long()
    return grp, base_piece.long(), (m, i, pcm, prm)


def _lookup(t, piece):
    """``t[piece]``: a piece index per (region, neuron); bool pieces (one breakpoint) through ``where``."""
    if piece.dtype == torch.bool:
        return torch.where(piece, t[1], t[0])
    return t[piece if piece.dtype == torch.long else piece.long()]


def _n_active(piece, slopes):
    """Active neurons (nonzero slope) per row of ``piece (R, N)``."""
    if piece.dtype == torch.bool:
        nz = (slopes != 0).tolist()
        up = piece.view(torch.uint8).sum(1, dtype=torch.int64)
        return up * int(nz[1]) + (piece.shape[1] - up) * int(nz[0])
    return (_lookup(slopes, piece) != 0).sum(1)


def _pad_vertices(V, L, K):
    """Pad ``V (n, k, 2)`` and its edge labels ``L (n, k)`` to ``K`` slots (repeat vertex 0, label -1)."""
    if V.shape[1] >= K:
        return V, L
    pad = K - V.shape[1]
    return (torch.cat([V, V[:, :1].expand(-1, pad, -1)], 1),
            torch.cat([L, torch.full_like(L[:, :1], -1).expand(-1, pad)], 1))


# ---------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------
class _Engine:
    def __init__(self, ops, A0, c0, bounds, dev, max_regions, layers, max_bytes, chunk_bytes, compiled):
        self.ops = ops
        self.inp = (A0, c0)
        self.dev = dev
        self.limit = DEFAULT_MAX_REGIONS if max_regions is None else int(max_regions)
        n_act = sum(_is_act(o) for o in ops)
        self.stop = n_act + 1 if layers is None else layers
        self.max_bytes = default_max_bytes(device=dev) if max_bytes is None else int(max_bytes)
        self.chunk_bytes = int(chunk_bytes)
        self.results: list = []
        self.n_emitted = 0
        self.pending = 0  # regions of unfinished chunks on the levels above: each ends as >= 1 region
        self.bytes_emitted = 0
        self.brows: list = []
        self.col0: dict = {}  # activation layer -> its first pattern column (known when first reached)
        self.next_col = 0
        self.layer_counts: dict = {}
        self.lowrank_cache: dict = {}
        self.n_act = n_act
        self.compiled = compiled and partition_kernels.available(dev)
        self.bounds = bounds

    # -- bookkeeping ---------------------------------------------------------
    def _check_bytes(self, extra: int, what: str, n_regions: int) -> None:
        need = self.bytes_emitted + extra
        if need > self.max_bytes:
            raise MemoryBudgetError(
                f"the partition would need about {need / 2**20:,.0f} MiB (estimate: {self.bytes_emitted / 2**20:,.0f} "
                f"MiB for the {self.n_emitted:,} finished regions plus {extra / 2**20:,.0f} MiB for {what}, "
                f"{n_regions:,} regions), more than max_bytes={self.max_bytes:,} bytes "
                f"({self.max_bytes / 2**20:,.0f} MiB); refused before allocating it. Pass a larger max_bytes, "
                "a smaller domain (bounds) or a smaller network."
            )

    def _emit(self, V, nv, L, pat, act, A, c):
        R = V.shape[0]
        if A.shape[0] != R:
            A, c = A.expand(R, *A.shape[1:]), c.expand(R, *c.shape[1:])
        W = A.reshape(R, -1, A.shape[-1]).contiguous()
        b = c.reshape(R, -1).contiguous()
        self.results.append((V, nv, L, pat, act, W, b))
        self.n_emitted += R
        self.bytes_emitted += R * partition_bytes_per_region(pat.shape[1], act.shape[1], W.shape[1], V.shape[1]) // 2

    # -- the low-rank map update -------------------------------------------
    def _lowrank_chain(self, pos):
        """Dense linear part ``Wd (N_in, N_out)`` of the affine chain after the activation at ``pos``.

        ``None`` when the chain contains a saved shortcut term (its maps are needed per child)
        or is too large to hold densely.
        """
        if pos in self.lowrank_cache:
            return self.lowrank_cache[pos]
        res = None
        chain = []
        for op in self.ops[pos + 1:]:
            if _is_act(op):
                break
            chain.append(op)
        if chain and all(_is_affine(o) for o in chain):
            res = chain
        self.lowrank_cache[pos] = res
        return res

    def _dense(self, chain, shape):
        """``(Wd, bd, out_shape)``: the chain as ``x @ Wd + bd`` on flattened inputs, or ``None`` if too big."""
        key = ("dense", id(chain[0]), tuple(shape))
        if key not in self.lowrank_cache:
            N = math.prod(shape)
            E = torch.eye(N, dtype=_DTYPE, device=self.dev).reshape(N, *shape, 1)
            A, c = E, torch.zeros((1, *shape), dtype=_DTYPE, device=self.dev)
            for op in chain:
                A, _ = apply_affine(op, A, torch.zeros_like(c))  # the linear part only
                _, c = apply_affine(op, None, c)  # the image of the zero input (values)
            Wd = A.reshape(N, -1)
            self.lowrank_cache[key] = (Wd, c.reshape(-1), tuple(c.shape[1:])) if Wd.numel() <= 64_000_000 else None
        return self.lowrank_cache[key]

    def _maps_through(self, Mp, piece, slopes, offs, dense):
        """Maps ``(R, 3, N2)`` after the activation (pieces ``piece (R, N)``, tables ``slopes``, ``offs``)
        and the dense chain, from the pre-activation maps ``Mp (R or 1, 3, N)``."""
        Wd, bd, _ = dense
        R, N = piece.shape
        N2 = Wd.shape[1]
        e_zero = not bool(offs.any())  # ReLU: the offsets' product is skipped
        if N2 <= 2 and self.compiled and Mp.shape[0] == R:
            return partition_kernels.narrow_maps_cpu(Mp, piece, slopes, offs, Wd, bd)
        a = _lookup(slopes, piece)
        e = None if e_zero else _lookup(offs, piece)
        if Mp.shape[0] == 1 and R > 1 and N * N2 * 3 <= 1 << 24:
            # one parent map M (3, N) for all rows: Y[r, c, j] = sum_n a[r, n] M[c, n] Wd[n, j], one GEMM
            # (R, N) @ (N, 3 * N2), no (R, 3, N) temporary
            T = (Mp[0].t().unsqueeze(-1) * Wd.unsqueeze(1)).reshape(N, 3 * N2)
            Y = (a @ T).view(R, 3, N2)
            Y[:, 2] += bd if e_zero else e @ Wd + bd
            return Y
        if N2 <= 2:
            # a narrow chain (the network's output): one (3, N) @ (N, N2) product per region straight from Mp,
            # without the (R, 3, N) temporary
            Y = torch.bmm(Mp.expand(R, -1, -1), a.unsqueeze(-1) * Wd.unsqueeze(0))  # (R, 3, N2)
            Y[:, 2] += bd if e_zero else e @ Wd + bd
            return Y
        X = torch.empty((R, 3, N), dtype=Mp.dtype, device=Mp.device)
        torch.mul(Mp, a.unsqueeze(1), out=X)
        if not e_zero:
            X[:, 2] += e
        Y = (X.view(R * 3, N) @ Wd).view(R, 3, -1)  # one GEMM
        Y[:, 2] += bd
        return Y

    # -- the recursion -------------------------------------------------------
    def run(self):
        u0, u1, v0, v1 = self.bounds
        box = torch.tensor([[u0, v0], [u1, v0], [u1, v1], [u0, v1]], dtype=_DTYPE, device=self.dev)
        V = box[[0, 1, 2, 3, 0, 0, 0, 0]].unsqueeze(0).clone()
        L = torch.full((1, 8), -1, dtype=torch.int32, device=self.dev)
        nv = torch.tensor([4], device=self.dev)
        pat = torch.zeros((1, 0), dtype=torch.bool, device=self.dev)
        act = torch.zeros((1, 0), dtype=torch.long, device=self.dev)
        A0, c0 = self.inp
        self._descend(V, nv, L, pat, act, A0, c0, None, 0, 0)
        return self._assemble()

    def _descend(self, V, nv, L, pat, act, A, c, saved, pos, k, Mp=None):
        ops = self.ops
        while pos < len(ops) and k < self.stop and not _is_act(ops[pos]):
            op = ops[pos]
            if _is_affine(op):
                A, c = apply_affine(op, A, c)
            else:
                saved = (A, c)
            pos += 1
            Mp = None
        if pos >= len(ops) or k >= self.stop:
            self._emit(V, nv, L, pat, act, A, c)
            return
        op = ops[pos]
        dev = self.dev
        R = V.shape[0]
        shape = c.shape[1:]
        G = A.reshape(A.shape[0], -1, A.shape[-1])
        z0 = c.reshape(c.shape[0], -1)
        if G.shape[0] != R:
            G, z0 = G.expand(R, -1, -1), z0.expand(R, -1)
        N = G.shape[1]
        nb = len(op.breakpoints)
        if k not in self.col0:
            self.col0[k] = col0 = self.next_col
            self.next_col += N * nb
            for i in range(N):
                for jb, bpv in enumerate(op.breakpoints):
                    self.brows.append((col0 + i * nb + jb, k + 1, i, bpv, op.name))
        col0 = self.col0[k]
        if Mp is None:
            Mp = torch.cat([G.transpose(1, 2), z0.unsqueeze(1)], 1)  # (R, 3, N)
        slopes = torch.tensor(op.slopes, dtype=_DTYPE, device=dev)
        offs = torch.tensor(op.offsets, dtype=_DTYPE, device=dev)
        if nb:
            with _Timer((k + 1, "screen")):
                if self.compiled:
                    rows, cols, side = partition_kernels.screen_cpu(V, Mp, op.breakpoints)
                else:
                    rows, cols, side = _screen(V, Mp, op.breakpoints)
            self._check_bytes(rows.numel() * (V.shape[1] + 2) * 16 * 4, "clipping the cut regions", R)
            n_before = self.n_emitted + self.pending
            # a lower bound before splitting: every region ends as >= 1 region, a cut one as >= 2
            n_cut = int(torch.unique(rows).numel()) if rows.numel() else 0
            if n_before + R + n_cut > self.limit:
                raise RegionLimitError(
                    f"the partition would exceed max_regions={self.limit:,} regions (at least "
                    f"{n_before + R + n_cut:,}: {n_before:,} finished or queued, {R:,} reaching layer {k + 1} "
                    f"({op.name}), {n_cut:,} of them cut); stopped before splitting them. Pass a larger "
                    "max_regions, a smaller domain (bounds) or a smaller network."
                )
            # and in bytes: those regions in the finished partition, at least (4 vertices, one output)
            low = self.pending + R + n_cut
            self._check_bytes(low * partition_bytes_per_region(pat.shape[1] + N * nb, act.shape[1] + 1, 1, 4) // 2,
                              f"at least {low:,} more regions (queued and reaching layer {k + 1})", low)
            with _Timer((k + 1, "split")):
                V2, nv2, L2, par, bits = _split(V, nv, L, rows, cols, Mp, op.breakpoints, col0, self.limit,
                                                n_before, f"layer {k + 1} ({op.name})",
                                                partition_kernels.clip_polygons_cpu if self.compiled else clip_polygons)
            with _Timer((k + 1, "patterns")):
                lp = side.index_select(0, par)
                dense_bits = bits is not None and bits[0] is None
                if dense_bits:
                    lp[:, bits[1]] = bits[2]
                elif bits is not None:
                    lp[bits[0], bits[1]] = bits[2]
                pat2 = torch.cat([pat.index_select(0, par), lp], 1)
                # the reference piece of every (region, neuron): bool for one breakpoint (no int64 copy)
                piece_ref = side if nb == 1 else side.view(R, N, nb).sum(-1)
                act_ref = _n_active(piece_ref, slopes)
                piece_child = act_c = bpar = None
                if dense_bits:
                    # one parent: every child's pieces straight from its pattern (int8: pieces <= nb), no
                    # flip lists; the maps below take the dense route with these pieces
                    piece_child = lp.view(-1, N, nb).sum(-1, dtype=torch.int8)
                    nz = (slopes != 0).tolist()
                    act_c = sum((piece_child == v).sum(1) for v in range(nb + 1) if nz[v])
                    if not torch.is_tensor(act_c):
                        act_c = torch.zeros(piece_child.shape[0], dtype=torch.long, device=dev)
                    diff = piece_child != piece_ref.to(torch.int8)  # (R2, N), against the one parent's reference
                    if int(diff.sum()) <= diff.shape[0] * N / 8:  # few flips: the maps take the rank-one route
                        m, i = diff.nonzero(as_tuple=True)
                        pcm, prm = piece_child[m, i].long(), piece_ref[0, i]
                        piece_child = None
                    else:
                        m = i = pcm = prm = torch.zeros(0, dtype=torch.long, device=dev)
                        if op.shortcut is None and V2.shape[0] >= ANCHOR_MIN:
                            anchors = _anchor_groups(V2, piece_child, N)
                            if anchors is not None:  # near children share an anchor: few flips from it
                                bpar, base_piece, (m, i, pcm, prm) = anchors
                                full_pieces, piece_child = piece_child, None
                # (child, neuron) pairs whose piece differs from the parent's reference (side) pattern
                elif bits is not None:
                    ni = torch.div(bits[1], nb, rounding_mode="floor") if nb > 1 else bits[1]
                    key = bits[0] * N + ni
                    if nb > 1:
                        key = torch.unique(key)
                    m, i = torch.div(key, N, rounding_mode="floor"), key % N
                    pcm = lp.view(-1, N, nb)[m, i].sum(-1)
                    prm = piece_ref[par[m], i]
                    d = pcm != prm
                    m, i, pcm, prm = m[d], i[d], pcm[d], prm[d]
                else:
                    m = i = pcm = prm = torch.zeros(0, dtype=torch.long, device=dev)
                if act_c is None:
                    flip = (slopes[pcm] != 0).long() - (_lookup(slopes, prm) != 0).long()
                    act_c = act_ref.index_select(0, par).index_add(0, m, flip)
                act2 = torch.cat([act.index_select(0, par), act_c.unsqueeze(1)], 1)
        else:
            V2, nv2, L2 = V, nv, L
            par = torch.arange(R, device=dev)
            piece_child = bpar = None
            pat2 = pat
            piece_ref = torch.zeros((R, N), dtype=torch.long, device=dev)
            act2 = torch.cat([act, _n_active(piece_ref, slopes).unsqueeze(1)], 1)
            m = i = pcm = prm = torch.zeros(0, dtype=torch.long, device=dev)
        R2 = V2.shape[0]
        self.layer_counts[k] = self.layer_counts.get(k, 0) + R2
        inp = self.inp
        sv = saved
        if sv is not None and sv[0].shape[0] != R:
            sv = tuple(t.expand(R, *t.shape[1:]) for t in sv)
        chain = self._lowrank_chain(pos) if k + 1 < self.stop else None
        dense = self._dense(chain, shape) if chain is not None else None
        direct = dense is not None and op.shortcut is None  # maps = (a * M) @ Wd + bd, no shortcut term
        if bpar is not None and not direct:  # no dense chain (the last layer asked for): the children's own pieces
            piece_child, bpar = full_pieces, None
            m = i = pcm = prm = torch.zeros(0, dtype=torch.long, device=dev)
        if bpar is None:
            bpar, base_piece = par, piece_ref
        if dense is not None and piece_child is None and m.numel() <= R2 * N / 8:
            Wd = dense[0]
            # maps after the chain for every parent's reference pattern (side row), then rank-one
            # corrections for the (child, neuron) pairs that differ from it
            with _Timer((k + 1, "maps: parents")):
                if direct:
                    base = self._maps_through(Mp, base_piece, slopes, offs, dense)  # (R or anchors, 3, N2)
                    shape2 = dense[2]
                    N2 = math.prod(shape2)
                else:
                    Ar, cr = apply_activation(op, G, z0, piece_ref.long(), shape, sv, inp)
                    for o in chain:
                        Ar, cr = apply_affine(o, Ar, cr)
                    shape2 = cr.shape[1:]
                    N2 = math.prod(shape2)
                    base = torch.cat([Ar.reshape(R, N2, 2).transpose(1, 2), cr.reshape(R, 1, N2)], 1)  # (R, 3, N2)
                da = slopes[pcm] - _lookup(slopes, prm)
                de = offs[pcm] - _lookup(offs, prm)
                gp = Mp[par[m], :, i]  # (Q, 3)
                coef = torch.cat([da[:, None] * gp[:, :2], (da * gp[:, 2] + de)[:, None]], 1)  # (Q, 3)
            per = N2 * 3 * 8 * 3
            step = max(256, self.chunk_bytes // per)
            for a in range(0, R2, step):
                b = min(R2, a + step)
                self._check_bytes((b - a) * per, "the local maps of the next layer", b - a)
                with _Timer((k + 1, "maps: children")):
                    if self.compiled:  # one pass: the parent's map plus the child's flips, written once
                        qs = torch.searchsorted(m, torch.arange(a, b + 1, device=dev))
                        Mc = partition_kernels.children_maps_cpu(base, bpar[a:b], qs, coef, i, Wd)
                        qa = qb = 0
                    else:
                        Mc = base.index_select(0, bpar[a:b])
                        qa, qb = (int(t) for t in torch.searchsorted(m, torch.tensor([a, b], device=dev)))
                    if qb > qa:
                        # sum_q coef_q (x) Wd[i_q] per child, as a sparse (children*3, N) @ Wd product
                        mq, iq, cq = m[qa:qb] - a, i[qa:qb], coef[qa:qb]
                        r3 = (mq.unsqueeze(1) * 3 + torch.arange(3, device=dev)).reshape(-1)
                        S = torch.sparse_coo_tensor(torch.stack([r3, iq.repeat_interleave(3)]), cq.reshape(-1),
                                                    ((b - a) * 3, N), dtype=_DTYPE, device=dev,
                                                    check_invariants=False)
                        Mc += torch.sparse.mm(S, Wd).view(b - a, 3, N2)
                    A2 = Mc[:, :2].transpose(1, 2).reshape(b - a, *shape2, 2)
                    c2 = Mc[:, 2].reshape(b - a, *shape2)
                self.pending += R2 - b
                self._descend(V2[a:b], nv2[a:b], L2[a:b], pat2[a:b], act2[a:b], A2, c2, None,
                              pos + 1 + len(chain), k + 1, Mp=Mc)
                self.pending -= R2 - b
            return
        per = N * 2 * 8 * 4
        step = max(256, self.chunk_bytes // per)
        for a in range(0, R2, step):
            b = min(R2, a + step)
            self._check_bytes((b - a) * per, "the local maps of the next layer", b - a)
            with _Timer((k + 1, "maps: children")):
                pc = par[a:b]
                if piece_child is not None:
                    piece = piece_child[a:b].long() if nb > 1 else piece_child[a:b].bool()
                else:
                    piece = piece_ref.index_select(0, pc)
                    qa, qb = (int(t) for t in torch.searchsorted(m, torch.tensor([a, b], device=dev)))
                    piece[m[qa:qb] - a, i[qa:qb]] = pcm[qa:qb].to(piece.dtype)
                if direct:
                    # one parent (the first layer's box): no copy of its map per child
                    Mpc = Mp if Mp.shape[0] == 1 else Mp.index_select(0, pc)
                    Mc = self._maps_through(Mpc, piece, slopes, offs, dense)
                    A2 = Mc[:, :2].transpose(1, 2).reshape(b - a, *dense[2], 2)
                    c2 = Mc[:, 2].reshape(b - a, *dense[2])
                else:
                    svc = None if sv is None else tuple(t[pc] for t in sv)
                    A2, c2 = apply_activation(op, G[pc], z0[pc], piece.long(), shape, svc, inp)
            self.pending += R2 - b
            if direct:
                self._descend(V2[a:b], nv2[a:b], L2[a:b], pat2[a:b], act2[a:b], A2, c2, None,
                              pos + 1 + len(chain), k + 1, Mp=Mc)
            else:
                self._descend(V2[a:b], nv2[a:b], L2[a:b], pat2[a:b], act2[a:b], A2, c2, None, pos + 1, k + 1)
            self.pending -= R2 - b

    def _assemble(self):
        import pandas as pd

        res = self.results
        Kmax = max(int(r[1].max()) for r in res)
        Vs, Ls = [], []
        for V, _nv, L, *_ in res:
            K = V.shape[1]
            if K < Kmax:
                V = torch.cat([V, V[:, :1].expand(-1, Kmax - K, -1)], 1)
                L = torch.cat([L, torch.full_like(L[:, :1], -1).expand(-1, Kmax - K)], 1)
            Vs.append(V[:, :Kmax])
            Ls.append(L[:, :Kmax])
        V = torch.cat(Vs)
        L = torch.cat(Ls).contiguous()
        nv = torch.cat([r[1] for r in res])
        pat = torch.cat([r[3] for r in res])
        act = torch.cat([r[4] for r in res])
        W = torch.cat([r[5] for r in res])
        b = torch.cat([r[6] for r in res])
        unused = torch.arange(V.shape[1], device=V.device)[None] >= nv[:, None]
        V = V.masked_fill(unused.unsqueeze(-1), float("nan"))
        k = min(self.stop, self.n_act)
        table = pd.DataFrame(self.brows, columns=["column", "layer", "neuron", "breakpoint", "name"])
        counts = tuple(self.layer_counts[j] for j in range(k))
        return Partition(V, nv, L, pat, act, W, b, table, tuple(float(t) for t in self.bounds), k,
                         counts_per_layer=counts)


def partition(cn: CompiledNet, A0, c0, bounds, dev, max_regions, layers, *, max_bytes=None, chunk_bytes=None,
              compiled=None):
    """The fast engine: same arguments and result as the reference engine
    (:mod:`~workbench.measures.partition.clipping`).

    ``cn``: the compiled network (:func:`workbench.nets.piecewise.compile_network`);
    ``max_bytes``: memory budget (default :func:`default_max_bytes`); ``chunk_bytes``: working
    memory for the maps of one chunk of regions (smaller: less memory, more Python overhead);
    ``compiled``: use the numba screen on the CPU when installed (default :data:`COMPILED`).
    """
    if not isinstance(cn, CompiledNet):
        raise TypeError(f"cn must be a CompiledNet (workbench.nets.piecewise.compile_network), got {type(cn).__name__}")
    if cn.n_members != 1:
        raise ValueError(
            f"the fast partition engine takes a single network, got an ensemble of {cn.n_members} members; "
            "partition each member (ensemble.member(i)) separately"
        )
    chunk_bytes = _CHUNK_BYTES if chunk_bytes is None else chunk_bytes
    compiled = COMPILED if compiled is None else compiled
    eng = _Engine(cn.ops, A0, c0, bounds, dev, max_regions, layers, max_bytes, chunk_bytes, compiled)
    return eng.run()
