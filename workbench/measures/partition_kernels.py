"""Compiled CPU kernels of the fast partition engine (numba; optional).

:func:`screen_cpu` fuses the bounding-box screen and the exact vertex test of
:func:`workbench.measures.partition_engine` into one pass over the ``(R, N)``
(region, neuron) pairs, in parallel over regions.  The torch version stays the
reference and the path on GPUs or where numba is not installed; both apply the same
rule (see ``partition_engine._screen``).
"""
from __future__ import annotations

import numpy as np
import torch

from .partition import SNAP  # the engines' one tolerance (the torch screen's rule)

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
        N = Mp.shape[1]
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
                gx, gy, z = Mp[r, n, 0], Mp[r, n, 1], Mp[r, n, 2]
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


def available(device: torch.device) -> bool:
    """Whether the compiled screen runs here (numba installed, tensors on the CPU)."""
    return numba is not None and device.type == "cpu"


def screen_cpu(V: torch.Tensor, Mp: torch.Tensor, bps):
    """Compiled twin of ``partition_engine._screen``: ``rows, cols, side``."""
    Vn = V.detach().contiguous().numpy()
    Mn = Mp.detach().contiguous().numpy()
    R, N = Mn.shape[0], Mn.shape[1]
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
