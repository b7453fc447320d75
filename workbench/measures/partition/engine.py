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

**Modules.**  This module is the entry point (:func:`partition`, the memory budget, the knobs below) and holds
the engine class :class:`_Engine`: its state, bookkeeping (budget checks, finished regions, timings), the
depth-first recursion ``_descend`` and the final assembly.  The work of one layer is two stages, each a mixin of
:class:`_Engine` in its own module, so that a newcomer can read one stage at a time while the state stays in one
object (the stages share a dozen of its fields and call back into the recursion, which free functions would
have to pass around):

* :mod:`~workbench.measures.partition.split_stage` (``_SplitStage``): screen, split, patterns;
* :mod:`~workbench.measures.partition.maps_stage` (``_MapsStage``): the children's maps (rank-one corrections or
  per child) and the recursion into them, chunk by chunk;
* :mod:`~workbench.measures.partition.torch_kernels`: the batched tensor steps of both stages (the torch twins of
  the compiled :mod:`~workbench.measures.partition.kernels`).
"""
from __future__ import annotations

import torch

from workbench._runtime import DeviceLike, progress_meter
from workbench.limits import ResourceLimitError
from workbench.limits import default_max_bytes as _limits_default_max_bytes
from workbench.measures.partition import kernels as partition_kernels
from workbench.measures.partition import pilot
from workbench.measures.partition.maps_stage import _MapsStage
from workbench.measures.partition.result import DEFAULT_MAX_REGIONS, PackedPatterns, Partition, RegionLimitError
from workbench.measures.partition.split_stage import _SplitStage
from workbench.measures.partition.torch_kernels import (  # noqa: F401 (the moved kernels, importable from here)
    _DTYPE,
    _MARGIN,
    _anchor_groups,
    _is_act,
    _is_affine,
    _lookup,
    _n_active,
    _pad_vertices,
    _screen,
    _split,
)
from workbench.nets.piecewise import CompiledNet, apply_affine

__all__ = ["MemoryBudgetError", "default_max_bytes", "partition_bytes_per_region"]

_CHUNK_BYTES = 1 << 29  # working memory for the maps of one chunk of regions
ANCHOR_MIN = 2048
"""The first layer's children take anchor groups
(:func:`~workbench.measures.partition.torch_kernels._anchor_groups`) from this many children on."""
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
    (packed bits, :class:`~workbench.measures.partition.result.PackedPatterns`: a byte per 8 columns and at most
    one more per layer), active counts (int64 per layer) and the local map
    ``n_out x 3`` float64; doubled for the final concatenation of the chunks.
    """
    one = k_vertices * 2 * 8 + k_vertices * 4 + 8 + (n_columns + 7) // 8 + 9 * n_layers + n_out * 3 * 8
    return 2 * one


# ---------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------
class _Engine(_SplitStage, _MapsStage):
    """One partition: the state, the bookkeeping and the recursion; the stages of a layer are the mixins
    ``_SplitStage._split_layer`` and ``_MapsStage._descend_children`` (see the module docstring)."""

    def __init__(self, ops, A0, c0, bounds, dev, max_regions, layers, max_bytes, chunk_bytes, compiled,
                 progress=False):
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
        self.widths: dict = {}  # activation layer -> its pattern columns (a packed block of bytes each)
        self.next_col = 0
        self.layer_counts: dict = {}
        self.lowrank_cache: dict = {}
        self.n_act = n_act
        self.compiled = compiled and partition_kernels.available(dev)
        self.bounds = bounds
        self.anchor_min = ANCHOR_MIN  # the knobs as they are when the partition starts
        self.anchor_group = ANCHOR_GROUP
        self.progress = progress
        self.bar = None  # the progress meter of a run: the share of the domain already finished
        u0, u1, v0, v1 = bounds
        self.area = float((u1 - u0) * (v1 - v0))
        self.area_done = 0.0

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
        if self.bar is not None and R:
            self._advance(V, nv)
        self.bytes_emitted += R * partition_bytes_per_region(8 * pat.shape[1], act.shape[1], W.shape[1],
                                                             V.shape[1]) // 2

    def _advance(self, V, nv):
        """Move the progress meter by the area of the finished regions ``V`` (shoelace over their ``nv``
        vertices; the regions tile the domain, so the shares add up to 100 %)."""
        idx = torch.arange(V.shape[1], device=V.device)[None, :]
        P = torch.where((idx < nv[:, None]).unsqueeze(-1), V, V[:, :1])  # unused slots: the first vertex
        Q = P.roll(-1, dims=1)
        area = float((P[..., 0] * Q[..., 1] - Q[..., 0] * P[..., 1]).sum(1).abs().sum()) / 2
        done = min(100.0, 100.0 * (self.area_done + area) / self.area) if self.area > 0 else 100.0
        self.area_done += area
        self.bar.set_postfix_str(f"{self.n_emitted:,} regions finished", refresh=False)
        self.bar.update(done - self.bar.n)

    def _check_regions_bytes(self, n_regions: int, n_columns: int, n_layers: int, what: str) -> None:
        """Refuse when ``n_regions`` more regions (``n_columns`` pattern columns, ``n_layers`` active counts; at
        least 4 vertices and one output each) would pass the budget in the finished partition."""
        self._check_bytes(n_regions * partition_bytes_per_region(n_columns, n_layers, 1, 4) // 2, what, n_regions)

    @staticmethod
    def _timer(key) -> _Timer:
        """The section timer of :data:`PROFILE` for ``key = (layer, section)``."""
        return _Timer(key)

    # -- the recursion -------------------------------------------------------
    def run(self):
        u0, u1, v0, v1 = self.bounds
        box = torch.tensor([[u0, v0], [u1, v0], [u1, v1], [u0, v1]], dtype=_DTYPE, device=self.dev)
        V = box[[0, 1, 2, 3, 0, 0, 0, 0]].unsqueeze(0).clone()
        L = torch.full((1, 8), -1, dtype=torch.int32, device=self.dev)
        nv = torch.tensor([4], device=self.dev)
        pat = torch.zeros((1, 0), dtype=torch.uint8, device=self.dev)  # packed bits (PackedPatterns), per layer
        act = torch.zeros((1, 0), dtype=torch.long, device=self.dev)
        A0, c0 = self.inp
        self.bar = progress_meter(100.0, "partition", "%", self.progress,
                                  bar_format="{desc}: {n:3.0f}% of the domain |{bar}| {elapsed}<{remaining}{postfix}")
        try:
            self._descend(V, nv, L, pat, act, A0, c0, None, 0, 0)
        finally:
            self.bar.close()
            self.bar = None
        return self._assemble()

    def _descend(self, V, nv, L, pat, act, A, c, saved, pos, k, Mp=None):
        """Push the regions ``V`` (maps ``A``, ``c``; ``Mp``: the same as ``(R, 3, N)`` rows when known) from the
        op at ``pos`` to the next activation (layer ``k + 1``), split them there (``_split_layer``) and descend
        into the children (``_descend_children``); past the last layer asked for, the regions are finished."""
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
            self.widths[k] = N * nb
            self.next_col += N * nb
            for i in range(N):
                for jb, bpv in enumerate(op.breakpoints):
                    self.brows.append((col0 + i * nb + jb, k + 1, i, bpv, op.name))
        col0 = self.col0[k]
        if Mp is None:
            Mp = torch.cat([G.transpose(1, 2), z0.unsqueeze(1)], 1)  # (R, 3, N)
        slopes = torch.tensor(op.slopes, dtype=_DTYPE, device=dev)
        offs = torch.tensor(op.offsets, dtype=_DTYPE, device=dev)
        if self.bar is not None:  # a live line while one chunk's layers are split (the area moves when it ends)
            self.bar.set_postfix_str(f"layer {k + 1} of {min(self.stop, self.n_act)}: splitting {R:,} regions, "
                                     f"{self.n_emitted:,} finished", refresh=False)
            self.bar.update(0)
        children = self._split_layer(op, V, nv, L, pat, act, Mp, slopes, k, col0)
        self._descend_children(op, children, G, z0, shape, Mp, slopes, offs, saved, pos, k)


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
        pat = PackedPatterns(pat, tuple(self.widths[j] for j in range(k)))
        return Partition(V, nv, L, pat, act, W, b, table, tuple(float(t) for t in self.bounds), k,
                         counts_per_layer=counts)


def partition(cn: CompiledNet, A0, c0, bounds, dev, max_regions, layers, *, max_bytes=None, chunk_bytes=None,
              compiled=None, progress=False):
    """The fast engine: same arguments and result as the reference engine
    (:mod:`~workbench.measures.partition.clipping`).

    ``cn``: the compiled network (:func:`workbench.nets.piecewise.compile_network`);
    ``max_bytes``: memory budget (default :func:`default_max_bytes`); ``chunk_bytes``: working
    memory for the maps of one chunk of regions (smaller: less memory, more Python overhead);
    ``compiled``: use the numba screen on the CPU when installed (default :data:`COMPILED`);
    ``progress``: a meter of the share of the domain finished (with an ETA), shown after 2 s.
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
    eng = _Engine(cn.ops, A0, c0, bounds, dev, max_regions, layers, max_bytes, chunk_bytes, compiled, progress)
    # a sample of the domain first: a request that cannot fit is refused in seconds, with the estimate
    pilot.check(_Engine, cn.ops, A0, c0, bounds, dev, layers, max_bytes, chunk_bytes, compiled, eng.limit,
                eng.lowrank_cache)
    return eng.run()
