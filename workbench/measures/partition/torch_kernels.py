"""The torch side of the fast partition engine's per-layer kernels (issue 17).

The engine is :mod:`~workbench.measures.partition.engine` (its docstring explains the method).

One activation layer of the exact 2-D partition (Raghu et al. 2017; Johansson 2022, ch. 1) cuts every region
by the lines ``g.u + z = bp`` of its neurons' breakpoints.  This module holds the batched tensor steps of that cut,
free functions on plain tensors with no engine state:

* :func:`_screen`: which (region, neuron, breakpoint) triples cut (a bounding-box test, then the exact vertex
  test on the few candidates), and the side of every region;
* :func:`_split`: the cut regions clipped in rounds (batched Sutherland-Hodgman, one line per piece and round),
  with the pattern bits of the cut columns; :func:`_pad_vertices` pads polygons to a common vertex count;
* :func:`_anchor_groups`, :func:`_lookup`, :func:`_n_active`: the piece tables the pattern and maps stages read
  (anchor groups for the first layer's children, a table value per piece, active neurons per row);
* ``_DTYPE`` and the operation tests :func:`_is_act` / :func:`_is_affine` that all of the engine's modules share.

They are the reference for the compiled (numba) twins in :mod:`~workbench.measures.partition.kernels`
(``screen_cpu``, ``clip_polygons_cpu``), which must agree with them bit for bit, and the route on the GPU.
The engine's stages that call them are :mod:`~workbench.measures.partition.split_stage` and
:mod:`~workbench.measures.partition.maps_stage`.
"""
from __future__ import annotations

import math

import torch

from workbench.limits import check_bytes
from workbench.measures.partition import kernels as partition_kernels
from workbench.measures.partition.result import RegionLimitError, clip_polygons, vertex_side
from workbench.nets.piecewise import Activation, Affine

_DTYPE = torch.float64
_MARGIN = partition_kernels.MARGIN  # relative safety margin of the bounding-box screen (rounding is ~1e-15)


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
    """Split regions by their cut columns in rounds (*Splitting* in the engine's module docstring).

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


# ---------------------------------------------------------------------------
# Pieces: anchor groups, table lookups, active counts
# ---------------------------------------------------------------------------
def _anchor_groups(V, piece, N, per_group: int):
    """Anchors for the children of one region (the first layer's box; any single-region chunk with at
    least :data:`~workbench.measures.partition.engine.ANCHOR_MIN` children), whose pieces differ from its
    reference in about half the neurons.

    Children in one cell of a grid over their centroids share an anchor (the cell's first child), whose map
    is computed in full; the others add rank-one corrections for the few neurons that differ from it.
    ``per_group``: about this many children per cell (the engine passes
    :data:`~workbench.measures.partition.engine.ANCHOR_GROUP`).
    Returns ``(group of every child, anchors' pieces, (m, i, pcm, prm))`` (the flips: child, neuron,
    child's piece, anchor's piece), or ``None`` when the flips are not few.
    """
    R2 = V.shape[0]
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
