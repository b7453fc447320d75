"""A pilot estimate of a partition's size, so that a request that cannot fit is refused in seconds (issue 29).

The fast engine's own guards count the regions it has made, so a partition of 10^6-10^7 regions that will not
fit was refused only after the first layer had been split and a good part of the domain partitioned (2-1024x3:
40 s and 8 GiB before the refusal).  The pilot partitions a sample of the domain first, with the same engine:

* the domain is cut into a ``G x G`` grid of cells, and an ``S x S`` lattice of them (every ``G / S``-th cell in
  each direction, the middle one of each block; ``S = 32``) is partitioned exactly, all the windows at once (one
  engine run whose first layer starts from ``S^2`` boxes instead of one);
* every region of the whole partition is counted in exactly one cell, the one that holds its *lowest vertex*
  (smallest ``v``, then smallest ``u``): a piece of a window counts when its lowest vertex is not on the
  window's border inside the domain (the window's own edges carry the label ``-2``; the domain's border keeps
  ``-1``).  A convex region meets a convex window in one piece, and a vertex of that piece which is lowest in
  the piece and not on the window's border is the region's own lowest vertex;
* the estimate is the counted regions times ``(G / S)^2``: the systematic sample of cells, so an unbiased
  estimate up to the regions whose lowest vertex lies in a border cell of the domain (a few per mille at 10^6
  regions), with the spread of a systematic sample of a smooth density;
* ``G`` starts fine (a sample of 1/16,384 of the domain) and halves (four times the sample per halving) until
  at least :data:`PILOT_MIN_COUNTED` regions are counted, or the estimate is clearly inside or clearly outside the
  limits, or the sample is 1/16 of the domain.

The engine then refuses when the estimate passes ``max_regions`` or the memory budget by more than
:func:`margin` (the spread of the estimate; closer calls are left to the engine's exact guards), with the
estimate, the sample and the knobs in the message.  Networks with fewer than :data:`PILOT_MIN_COLUMNS` pattern
columns (the regions panel's sizes) skip the pilot.
"""
from __future__ import annotations

import math

import torch

from workbench.limits import budget_message, format_bytes, memory_budget
from workbench.measures.partition.result import RegionLimitError
from workbench.measures.partition.torch_kernels import _DTYPE, _is_act, _is_affine

PILOT_MIN_COLUMNS = 1024
"""Pattern columns (neurons x breakpoints over the layers asked for) from which the engine runs the pilot."""
PILOT_WINDOWS = 16
"""``S``: an ``S x S`` lattice of windows (many small windows follow a peaked density better than a few large
ones: 8 x 8 windows over 1/16 of the domain overestimated 2-64x3 and 2-128x3 by 11 %, 32 x 32 came within 4 %)."""
PILOT_G0 = 2048
"""``G`` of the first pilot (cells per side; the sample is ``(S / G)^2`` of the domain, 1/16,384 here)."""
PILOT_G_MIN = 64
"""The largest sample: ``G`` no smaller than this (``(32 / 128)^2`` = 1/16 of the domain)."""
PILOT_MIN_COUNTED = 2000
"""Counted regions from which the estimate is taken as it is."""
PILOT_MIN_DECIDE = 200
"""Counted regions from which a clear case (see :func:`margin`) stops the pilot early."""


def margin(counted: int) -> float:
    """The factor by which an estimate from ``counted`` regions must pass a limit to refuse (or stay under it to
    stop refining): 15 % for the lattice's bias (measured within 6 % on eight networks) plus four standard errors
    of a count (``1 / sqrt(counted)``): 1.43 at 200 counted, 1.24 at 2,000."""
    return 1.15 + 4 / math.sqrt(max(counted, 1))
PILOT_MAX_PIECES = 400_000
"""The pilot's own region limit (hit only when the whole would be of order 10^9 regions or more)."""


def window_boxes(bounds, G: int, S: int, dev):
    """``V, nv, L`` of the ``S x S`` lattice of cells of the ``G x G`` grid over ``bounds`` (cells
    ``step // 2 + k step``, ``step = G // S``), counter-clockwise, edge labels ``-1`` on the domain's border and
    ``-2`` inside it."""
    u0, u1, v0, v1 = bounds
    step = G // S
    idx = torch.tensor([step // 2 + k * step for k in range(S)], dtype=torch.long)

    def at(lo, hi, i):  # the grid line i of G (the last one exactly hi)
        return torch.where(i == G, torch.tensor(hi, dtype=_DTYPE), lo + (hi - lo) * i.to(_DTYPE) / G)

    j, i = torch.meshgrid(idx, idx, indexing="ij")
    i, j = i.reshape(-1), j.reshape(-1)
    a, b, c, d = at(u0, u1, i), at(u0, u1, i + 1), at(v0, v1, j), at(v0, v1, j + 1)
    V = torch.stack([torch.stack([a, c], 1), torch.stack([b, c], 1), torch.stack([b, d], 1),
                     torch.stack([a, d], 1)], 1)
    V = torch.cat([V, V[:, :1].expand(-1, 4, -1)], 1)
    inner = torch.tensor(-2, dtype=torch.int32)
    edge = [torch.where(cond, torch.tensor(-1, dtype=torch.int32), inner) for cond in (j == 0, i + 1 == G, j + 1 == G,
                                                                                     i == 0)]
    L = torch.cat([torch.stack(edge, 1), torch.full((S * S, 4), -1, dtype=torch.int32)], 1)
    return V.to(dev), torch.full((S * S,), 4, dtype=torch.long, device=dev), L.to(dev)


def count_lowest(V, nv, L) -> int:
    """Pieces whose lowest vertex (smallest ``v``, then ``u``) does not touch an edge labelled ``-2``."""
    K = V.shape[1]
    ar = torch.arange(K, device=V.device)[None]
    valid = ar < nv[:, None]
    y = torch.where(valid, V[..., 1], torch.full_like(V[..., 1], math.inf))
    low = valid & (y == y.amin(1, keepdim=True))
    k = torch.where(low, V[..., 0], torch.full_like(V[..., 0], math.inf)).argmin(1, keepdim=True)
    prev = torch.where(k == 0, nv[:, None] - 1, k - 1)
    ok = (L.gather(1, k) != -2) & (L.gather(1, prev) != -2)
    return int(ok.sum())


PILOT_CHUNK_BYTES = 1 << 23
"""Working memory for the maps of one chunk of the pilot's regions."""
PILOT_MIN_RATIO = 20
"""First-layer regions counted in the sample from which the ratio estimator is used."""


def first_layer_regions(ops, A0, c0, bounds) -> int | None:
    """The exact region count of the first activation layer (an arrangement of lines), ``None`` when it is not
    one (no activation, or more than 4,096 lines)."""
    from workbench.measures.partition.clipping import arrangement_regions
    from workbench.nets.piecewise import propagate

    st = propagate(ops, A0, c0, stop_at_activation=True)
    if st.index >= len(ops) or st.A is None:
        return None
    op = ops[st.index]
    nb = len(op.breakpoints)
    G = st.A.reshape(st.A.shape[0], -1, st.A.shape[-1])
    if nb == 0 or G.shape[0] != 1 or G.shape[-1] != 2:
        return None
    z0 = st.c.reshape(1, -1)
    offs = (z0[0][:, None] - torch.as_tensor(op.breakpoints, dtype=z0.dtype, device=z0.device)).reshape(-1)
    return arrangement_regions(G[0].repeat_interleave(nb, 0), offs, bounds)


def estimate(make_engine, bounds, dev, r1: int | None = None):
    """Run the pilot: ``(estimate, counted, pieces, G, engine)`` with the last pilot's engine (its results, its
    columns and layers); ``make_engine(max_regions)`` makes an engine like the real one's."""
    S = PILOT_WINDOWS
    G = PILOT_G0
    while True:
        eng = make_engine(PILOT_MAX_PIECES)
        eng.counted1 = 0
        descend_children = eng._descend_children

        def hook(op, ch, *args, eng=eng, descend_children=descend_children):
            if args[-1] == 0:  # the first layer's pieces: count them for the ratio estimator
                eng.counted1 += count_lowest(ch.V, ch.nv, ch.L)
            return descend_children(op, ch, *args)

        eng._descend_children = hook
        V, nv, L = window_boxes(bounds, G, S, dev)
        A0, c0 = eng.inp
        pat = torch.zeros((S * S, 0), dtype=torch.uint8, device=dev)
        act = torch.zeros((S * S, 0), dtype=torch.long, device=dev)
        try:
            eng._descend(V, nv, L, pat, act, A0, c0, None, 0, 0)
        except RegionLimitError as exc:
            if isinstance(exc, MemoryError):
                raise
            # PILOT_MAX_PIECES pieces in (S / G)^2 of the domain: at least half of them are counted ones
            return PILOT_MAX_PIECES / 2 * (G / S) ** 2, None, PILOT_MAX_PIECES, G, eng
        counted = sum(count_lowest(r[0], r[1], r[2]) for r in eng.results)
        est = counted * (G / S) ** 2
        if r1 is not None and eng.counted1 >= PILOT_MIN_RATIO:
            # the ratio estimator: the sample's regions per first-layer region times the exact first-layer count
            # (robust to a density the lattice samples badly, e.g. all lines near the centre of a wide box)
            est = r1 * counted / eng.counted1
        if r1 is not None:
            est = max(est, r1)  # every first-layer region is at least one region
        n = min(counted, eng.counted1) if r1 is not None else counted
        if counted >= PILOT_MIN_COUNTED or G // 2 < PILOT_G_MIN or (
                n >= PILOT_MIN_DECIDE and eng._pilot_decided(est, margin(n))):
            return est, n, eng.n_emitted, G, eng
        # each halving of G counts about 4x the regions: as many halvings as a decision needs (at most 3)
        goal = 1.5 * PILOT_MIN_DECIDE if counted < PILOT_MIN_DECIDE else PILOT_MIN_COUNTED
        halvings = min(3, math.ceil(math.log(goal / max(counted, 1), 4)))
        G = max(PILOT_G_MIN, G >> max(1, halvings))


def n_columns(ops, c0, layers) -> tuple[int, int]:
    """Pattern columns and activation layers of the first ``layers`` activations (all: ``None``), from one
    forward pass of the values ``c0`` (shapes only)."""
    from workbench.nets.piecewise import apply_affine

    cols = n_act = 0
    c = c0
    for op in ops:
        if layers is not None and n_act >= layers:
            break
        if _is_act(op):
            cols += c[0].numel() * len(op.breakpoints)
            n_act += 1
        elif _is_affine(op):
            _, c = apply_affine(op, None, c)
    return cols, n_act


def check(eng_cls, ops, A0, c0, bounds, dev, layers, max_bytes, chunk_bytes, compiled, limit: int,
          cache: dict | None = None) -> None:
    """Refuse (``RegionLimitError`` / ``MemoryBudgetError``) a partition whose pilot estimate passes ``limit``
    regions or the memory budget by more than :func:`margin`; nothing when it does not (or below
    :data:`PILOT_MIN_COLUMNS` columns)."""
    from workbench.measures.partition.engine import MemoryBudgetError, partition_bytes_per_region

    n_cols, n_layers = n_columns(ops, c0, layers)
    if n_cols < PILOT_MIN_COLUMNS:
        return
    budget = memory_budget(device=dev, max_bytes=max_bytes)

    def per_region(eng) -> int:
        kmax = max((int(r[1].max()) for r in eng.results if r[1].numel()), default=4)
        n_out = eng.results[0][5].shape[1] if eng.results else 1
        return partition_bytes_per_region(n_cols, n_layers, n_out, max(kmax + 1, 4))

    def decided(est: float, m: float, eng) -> bool:
        """Clearly over either limit, or clearly under both."""
        need = est * per_region(eng)
        if est > m * limit or need > m * budget.bytes:
            return True
        return est < limit / m and need < budget.bytes / m

    def make(cap):
        # small chunks (the sample is small): the pilot's working memory stays a few MiB
        eng = eng_cls(ops, A0, c0, bounds, dev, cap, layers, max_bytes, min(chunk_bytes, PILOT_CHUNK_BYTES), compiled,
                      False)
        if cache is not None:
            eng.lowrank_cache = cache  # the dense chains (an N x N product each), built once for all the runs
        eng._pilot_decided = lambda est, m: decided(est, m, eng)
        return eng

    r1 = first_layer_regions(ops, A0, c0, bounds)
    if r1 is not None and r1 > limit:
        raise RegionLimitError(
            f"the first layer alone cuts the domain into {r1:,} regions (counted exactly), more than "
            f"max_regions={limit:,}; refused before starting. Pass a larger max_regions, a smaller domain (bounds) or "
            "a smaller network.")
    est, counted, pieces, G, eng = estimate(make, bounds, dev, r1)
    S = PILOT_WINDOWS
    frac = (S / G) ** 2
    m = margin(counted if counted is not None else PILOT_MIN_COUNTED)
    how = (f"estimated from an exact partition of 1/{round(1 / frac):,} of the domain ({S * S} windows"
           + (f", {counted:,} regions counted by their lowest vertex"
              + (f", scaled by the first layer's exact {r1:,} regions" if r1 is not None else "")
              if counted is not None
              else f", more than {pieces:,} pieces") + f"; refused when over by more than {m:.2f}x)")
    if est > m * limit:
        raise RegionLimitError(
            f"the partition would have about {est:,.0f} regions ({how}), more than max_regions={limit:,}; "
            "refused before starting. Pass a larger max_regions, a smaller domain (bounds) or a smaller network."
        )
    per = per_region(eng)
    need = est * per
    if need > m * budget.bytes:
        raise MemoryBudgetError(budget_message(
            need, f"the partition (about {est:,.0f} regions, {how}; about {format_bytes(per)} each in the result)",
            "pass a smaller domain (bounds) or a smaller network", budget))
