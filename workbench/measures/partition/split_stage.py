"""The split stage of the fast partition engine: one activation layer's regions cut into their children.

For the regions reaching activation layer ``k + 1`` (polygons ``V`` in the 2-D domain, pre-activation maps
``Mp (R, 3, N)``), every neuron's breakpoint ``bp`` draws the line ``g.u + z = bp`` (Raghu et al. 2017; Johansson
2022, ch. 1 eqs. 1.4-1.5: the network is affine on each region, so each neuron's pre-activation is too).  This stage

1. *screens* every (region, neuron, breakpoint) triple (:func:`~workbench.measures.partition.torch_kernels._screen`
   or its compiled twin), refusing before it splits when the region count or the memory budget would pass;
2. *splits* the cut regions in rounds (:func:`~workbench.measures.partition.torch_kernels._split`);
3. writes the children's *patterns* (one bit per neuron and breakpoint) and active counts, and works out how the
   next stage will know every child's pieces: a dense ``(children, N)`` table, or *flips* (the few (child,
   neuron) pairs whose piece differs from the parent's reference pattern, or from an anchor's, see
   :func:`~workbench.measures.partition.torch_kernels._anchor_groups`).

The result is a :class:`_Children` record, which the maps stage
(:mod:`~workbench.measures.partition.maps_stage`) turns into the children's maps.

:class:`_SplitStage` is a mixin of the engine class :class:`workbench.measures.partition.engine._Engine`: a
stage of one object rather than a free function, because it reads the engine's state (``dev``, ``compiled``,
``limit``, ``n_emitted``, ``pending``, ``anchor_min``, ``anchor_group``) and its bookkeeping (``_check_bytes``,
``_check_regions_bytes``, ``_timer``) and is called by its recursion (``_descend``) once per layer and chunk.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from workbench.measures.partition import kernels as partition_kernels
from workbench.measures.partition.result import PackedPatterns, RegionLimitError, clip_polygons
from workbench.measures.partition.torch_kernels import _anchor_groups, _lookup, _n_active, _screen, _split


@dataclass
class _Children:
    """The children of one activation layer's regions, as the split stage hands them to the maps stage.

    ``V, nv, L``: polygons, vertex counts and edge labels; ``par``: every child's parent row; ``pat, act``: the
    patterns and active counts up to this layer; ``piece_ref (R, N)``: every parent's reference pieces (the side
    of the whole region, bool for one breakpoint).  The children's own pieces are one of

    * ``piece_child (children, N)``: all of them (one parent, many flips: the maps take the dense route);
    * ``flips = (m, i, pcm, prm)``: child, neuron, child's piece and reference piece of the pairs that differ
      from the parent's reference (``bpar is None``), or from the anchor of the child's group ``bpar`` (anchors'
      pieces ``base_piece``; ``full_pieces``: the children's own, for when the maps cannot use the anchors).
    """

    V: torch.Tensor
    nv: torch.Tensor
    L: torch.Tensor
    par: torch.Tensor
    pat: torch.Tensor
    act: torch.Tensor
    piece_ref: torch.Tensor
    piece_child: torch.Tensor | None
    bpar: torch.Tensor | None
    base_piece: torch.Tensor | None
    full_pieces: torch.Tensor | None
    flips: tuple


class _SplitStage:
    """Screen, split and patterns of one activation layer (a mixin of the engine, see the module docstring)."""

    def _split_layer(self, op, V, nv, L, pat, act, Mp, slopes, k: int, col0: int) -> _Children:
        """The children of the regions ``V`` at activation ``op`` (layer ``k + 1``; its pattern columns start at
        ``col0``): screened and split by the neurons' lines, with their patterns, active counts and pieces."""
        dev = self.dev
        R, N = V.shape[0], Mp.shape[2]
        nb = len(op.breakpoints)
        if nb:
            with self._timer((k + 1, "screen")):
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
            self._check_regions_bytes(low, 8 * pat.shape[1] + N * nb, act.shape[1] + 1,
                                      f"at least {low:,} more regions (queued and reaching layer {k + 1})")
            with self._timer((k + 1, "split")):
                V2, nv2, L2, par, bits = _split(V, nv, L, rows, cols, Mp, op.breakpoints, col0, self.limit,
                                                n_before, f"layer {k + 1} ({op.name})",
                                                partition_kernels.clip_polygons_cpu if self.compiled else clip_polygons)
            with self._timer((k + 1, "patterns")):
                lp = side.index_select(0, par)
                dense_bits = bits is not None and bits[0] is None
                if dense_bits:
                    lp[:, bits[1]] = bits[2]
                elif bits is not None:
                    lp[bits[0], bits[1]] = bits[2]
                # the patterns as packed bits, a block of bytes per layer (PackedPatterns: 1/8 of a bool per column)
                pat2 = torch.cat([pat.index_select(0, par), PackedPatterns.pack(lp)], 1)
                # the reference piece of every (region, neuron): bool for one breakpoint (no int64 copy)
                piece_ref = side if nb == 1 else side.view(R, N, nb).sum(-1)
                act_ref = _n_active(piece_ref, slopes)
                piece_child = act_c = bpar = None
                base_piece = full_pieces = None
                if dense_bits:
                    # one parent: every child's pieces straight from its pattern (int8: pieces <= nb), no
                    # flip lists; the maps stage takes the dense route with these pieces
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
                        if op.shortcut is None and V2.shape[0] >= self.anchor_min:
                            anchors = _anchor_groups(V2, piece_child, N, self.anchor_group)
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
            piece_child = bpar = base_piece = full_pieces = None
            pat2 = pat
            piece_ref = torch.zeros((R, N), dtype=torch.long, device=dev)
            act2 = torch.cat([act, _n_active(piece_ref, slopes).unsqueeze(1)], 1)
            m = i = pcm = prm = torch.zeros(0, dtype=torch.long, device=dev)
        return _Children(V2, nv2, L2, par, pat2, act2, piece_ref, piece_child, bpar, base_piece, full_pieces,
                         (m, i, pcm, prm))
