"""Compiled CPU kernels of the fast partition engine (numba; optional).

:func:`screen_cpu` fuses the bounding-box screen and the exact vertex test of
:func:`workbench.measures.partition.engine` into one pass over the ``(R, N)``
(region, neuron) pairs, in parallel over regions.  The torch version stays the
reference and the path on GPUs or where numba is not installed; both apply the same
rule (see ``partition_engine._screen``).
"""
from __future__ import annotations

import numpy as np
import torch

from workbench.measures.partition.result import SNAP  # the engines' one tolerance (the torch screen's rule)

__all__: list[str] = []

try:  # numba is optional: without it the engine uses its torch screen
    import os

    import numba
    from numba import njit, prange

    if "NUMBA_THREADING_LAYER" not in os.environ:
        # the OpenMP layer's threads spin after each kernel and slow torch's own threads down
        # (measured: the splitting between two screens took 3x longer); the work queue does not spin
        numba.config.THREADING_LAYER = "workqueue"
except ImportError:  # pragma: no cover - exercised where numba is missing
    numba = None

MARGIN = 1e-9

if numba is not None:
    @njit(parallel=True, cache=True, fastmath=False)
    def _screen_kernel(V, Mp, bps, side, cut):  # pragma: no cover - compiled
        R, K = V.shape[0], V.shape[1]
        N = Mp.shape[2]
        nb = bps.shape[0]
        ncut = np.zeros(R, dtype=np.int64)
        for r in prange(R):
            lx, hx_, ly, hy_ = V[r, 0, 0], V[r, 0, 0], V[r, 0, 1], V[r, 0, 1]
            for k in range(1, K):
                x, y = V[r, k, 0], V[r, k, 1]
                lx, hx_ = min(lx, x), max(hx_, x)
                ly, hy_ = min(ly, y), max(hy_, y)
            cx, cy = 0.5 * (lx + hx_), 0.5 * (ly + hy_)
            hx, hy = 0.5 * (hx_ - lx), 0.5 * (hy_ - ly)
            c = 0
            for n in range(N):
                gx, gy, z = Mp[r, 0, n], Mp[r, 1, n], Mp[r, 2, n]
                px, py = gx * cx, gy * cy
                sc = px + py + z
                bnd = abs(gx) * hx + abs(gy) * hy
                mag = abs(px) + abs(py) + abs(z) + bnd
                for j in range(nb):
                    bp = bps[j]
                    d = sc - bp
                    col = n * nb + j
                    if abs(d) <= bnd + MARGIN * (mag + abs(bp)):
                        zb = z - bp
                        smax, smin = -np.inf, np.inf
                        for k in range(K):
                            s = V[r, k, 0] * gx + V[r, k, 1] * gy + zb
                            smax, smin = max(smax, s), min(smin, s)
                        tol = SNAP * max(abs(smax), abs(smin))
                        pos, neg = smax > tol, smin < -tol
                        side[r, col] = pos
                        cut[r, col] = pos and neg
                        if pos and neg:
                            c += 1
                    else:
                        side[r, col] = d > 0
                        cut[r, col] = False
            ncut[r] = c
        return ncut

    @njit(parallel=True, cache=True)
    def _gather_cuts(cut, ncut, rows, cols):  # pragma: no cover - compiled
        R, C = cut.shape
        start = np.zeros(R + 1, dtype=np.int64)
        for r in range(R):
            start[r + 1] = start[r] + ncut[r]
        for r in prange(R):
            q = start[r]
            if ncut[r] == 0:
                continue
            for col in range(C):
                if cut[r, col]:
                    rows[q] = r
                    cols[q] = col
                    q += 1


    @njit(parallel=True, cache=True, fastmath=False)
    def _children_maps_kernel(base, par, qstart, coef, iq, Wd, out):  # pragma: no cover - compiled
        # out[r, c, j] = base[par[r], c, j] + sum_q coef[q, c] * Wd[iq[q], j]  (q over child r's flips)
        R = out.shape[0]
        N2 = out.shape[2]
        for r in prange(R):
            p = par[r]
            for c in range(3):
                o = out[r, c]
                o[:] = base[p, c]
                for q in range(qstart[r], qstart[r + 1]):
                    w = coef[q, c]
                    wr = Wd[iq[q]]
                    for j in range(N2):
                        o[j] += w * wr[j]

    @njit(parallel=True, cache=True, fastmath=False)
    def _clip_kernel(V, nv, s, L, labels, Ko, pV, pn, pL, nV, nn, nL):  # pragma: no cover - compiled
        # the twin of partition.clip_polygons, row by row (the same arithmetic, so the same bits)
        M = V.shape[0]
        for m in prange(M):
            n = nv[m]
            lab = labels[m]
            for half in range(2):
                sign = 1.0 if half == 0 else -1.0
                oV = pV if half == 0 else nV
                oL = pL if half == 0 else nL
                c = 0
                for k in range(n):
                    kn = k + 1 if k + 1 < n else 0
                    sk, skn = s[m, k], s[m, kn]
                    cross = (sk > 0 and skn < 0) or (sk < 0 and skn > 0)
                    ss, ssn = sk * sign, skn * sign
                    if ss >= 0:
                        oV[m, c, 0] = V[m, k, 0]
                        oV[m, c, 1] = V[m, k, 1]
                        oL[m, c] = L[m, k] if (ss > 0 or ssn > 0) else lab
                        c += 1
                    if cross:
                        t = sk / (sk - skn)
                        oV[m, c, 0] = V[m, k, 0] + t * (V[m, kn, 0] - V[m, k, 0])
                        oV[m, c, 1] = V[m, k, 1] + t * (V[m, kn, 1] - V[m, k, 1])
                        oL[m, c] = lab if ss > 0 else L[m, k]
                        c += 1
                for k in range(c, Ko):
                    oV[m, k, 0] = oV[m, 0, 0]
                    oV[m, k, 1] = oV[m, 0, 1]
                    oL[m, k] = -1
                if half == 0:
                    pn[m] = c
                else:
                    nn[m] = c


    @njit(parallel=True, cache=True, fastmath=False)
    def _narrow_maps_kernel(Mp, piece, slopes, offs, Wd, bd, out):  # pragma: no cover - compiled
        # out[r, c, j] = sum_n a[r, n] Wd[n, j] Mp[r, c, n]  (+ sum_n e[r, n] Wd[n, j] + bd[j] for c = 2),
        # a = slopes[piece], e = offs[piece]
        R, N = piece.shape
        N2 = Wd.shape[1]
        for r in prange(R):
            for j in range(N2):
                s0, s1, s2, s3 = 0.0, 0.0, 0.0, 0.0
                for n in range(N):
                    w = Wd[n, j]
                    pc = piece[r, n]
                    aw = slopes[pc] * w
                    s0 += aw * Mp[r, 0, n]
                    s1 += aw * Mp[r, 1, n]
                    s2 += aw * Mp[r, 2, n]
                    s3 += offs[pc] * w
                out[r, 0, j] = s0
                out[r, 1, j] = s1
                out[r, 2, j] = s2 + s3 + bd[j]


def available(device: torch.device) -> bool:
    """Whether the compiled screen runs here (numba installed, tensors on the CPU)."""
    return numba is not None and device.type == "cpu"


def screen_cpu(V: torch.Tensor, Mp: torch.Tensor, bps):
    """Compiled twin of ``partition_engine._screen``: ``rows, cols, side``."""
    Vn = V.detach().contiguous().numpy()
    Mn = Mp.detach().contiguous().numpy()
    R, N = Mn.shape[0], Mn.shape[2]
    nb = len(bps)
    side = np.empty((R, N * nb), dtype=np.bool_)
    cut = np.empty((R, N * nb), dtype=np.bool_)
    numba.set_num_threads(max(1, min(torch.get_num_threads(), numba.config.NUMBA_NUM_THREADS)))
    ncut = _screen_kernel(Vn, Mn, np.asarray(bps, dtype=np.float64), side, cut)
    Q = int(ncut.sum())
    rows = np.empty(Q, dtype=np.int64)
    cols = np.empty(Q, dtype=np.int64)
    if Q:
        _gather_cuts(cut, ncut, rows, cols)
    return torch.from_numpy(rows), torch.from_numpy(cols), torch.from_numpy(side)


def _threads():
    numba.set_num_threads(max(1, min(torch.get_num_threads(), numba.config.NUMBA_NUM_THREADS)))


def children_maps_cpu(base: torch.Tensor, par: torch.Tensor, qstart: torch.Tensor, coef: torch.Tensor,
                      iq: torch.Tensor, Wd: torch.Tensor) -> torch.Tensor:
    """Maps ``(R, 3, N2)`` of children: ``base (Rp, 3, N2)`` of the parent ``par[r]`` plus the rank-one
    corrections ``coef[q] (x) Wd[iq[q]]`` of the child's flips ``q in [qstart[r], qstart[r + 1])``."""
    R, N2 = par.shape[0], base.shape[2]
    out = torch.empty((R, 3, N2), dtype=base.dtype)
    _threads()
    _children_maps_kernel(base.contiguous().numpy(), par.contiguous().numpy(), qstart.contiguous().numpy(),
                          coef.contiguous().numpy(), iq.contiguous().numpy(), Wd.contiguous().numpy(), out.numpy())
    return out


def clip_polygons_cpu(V, nv, s, L, labels):
    """Compiled twin of :func:`workbench.measures.partition.result.clip_polygons` (same results, bit for bit)."""
    M, K, _ = V.shape
    Ko = K + 1
    lab = torch.as_tensor(labels, dtype=L.dtype)
    lab = lab.expand(M).contiguous() if lab.dim() == 0 else lab.contiguous()
    pV, nV = torch.empty((M, Ko, 2), dtype=V.dtype), torch.empty((M, Ko, 2), dtype=V.dtype)
    pL, nL = torch.empty((M, Ko), dtype=L.dtype), torch.empty((M, Ko), dtype=L.dtype)
    pn, nn = torch.empty(M, dtype=nv.dtype), torch.empty(M, dtype=nv.dtype)
    _threads()
    _clip_kernel(V.contiguous().numpy(), nv.contiguous().numpy(), s.contiguous().numpy(), L.contiguous().numpy(),
                 lab.numpy(), Ko, pV.numpy(), pn.numpy(), pL.numpy(), nV.numpy(), nn.numpy(), nL.numpy())
    return [(pV, pn, pL), (nV, nn, nL)]


def narrow_maps_cpu(Mp: torch.Tensor, piece: torch.Tensor, slopes: torch.Tensor, offs: torch.Tensor,
                    Wd: torch.Tensor, bd: torch.Tensor):
    """Maps ``(R, 3, N2)`` through a narrow dense chain ``Wd (N, N2)`` (the network's output), one pass over
    ``Mp``; the activation's slopes and offsets looked up from ``piece (R, N)`` inside the kernel."""
    R, N2 = piece.shape[0], Wd.shape[1]
    out = torch.empty((R, 3, N2), dtype=Mp.dtype)
    pc = piece.view(torch.uint8) if piece.dtype == torch.bool else piece.to(torch.uint8)
    _threads()
    _narrow_maps_kernel(Mp.contiguous().numpy(), pc.contiguous().numpy(), slopes.contiguous().numpy(),
                        offs.contiguous().numpy(), Wd.contiguous().numpy(), bd.contiguous().numpy(), out.numpy())
    return out
