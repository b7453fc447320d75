"""The maps stage of the fast partition engine: the children's local affine maps, and the recursion into them.

On every region the network is one affine map of the 2-D domain coordinates (Raghu et al. 2017; Johansson 2022,
ch. 1 eqs. 1.4-1.5).  After the split stage (:mod:`~workbench.measures.partition.split_stage`) has cut one
activation layer's regions, this stage pushes every child's map through the activation (its pieces fix the slope
and offset of every neuron) and the affine chain up to the next activation, a chunk of children at a time, and
descends into each chunk (the engine's ``_descend``), so the working memory is bounded by the chunk.  Two routes:

* **rank-one corrections** (*Local maps* and *Anchor groups* in :mod:`~workbench.measures.partition.engine`'s
  docstring): when the chain to the next activation is a dense matrix ``Wd`` (:meth:`_MapsStage._dense`) and the
  children's pieces differ from a reference in few neurons, the maps are the parent's (or the anchor's) map for
  the reference pieces, one product per parent, plus one rank-one term per flipped neuron (compiled:
  :func:`~workbench.measures.partition.kernels.children_maps_cpu`);
* **per child**: otherwise every child's pieces go through the activation
  (:func:`~workbench.nets.piecewise.apply_activation`), then the dense chain in one product
  (:meth:`_MapsStage._maps_through`) or the next layer's own operations.

:class:`_MapsStage` is a mixin of the engine class :class:`workbench.measures.partition.engine._Engine`: it reads
the engine's state (``ops``, ``inp``, ``dev``, ``stop``, ``chunk_bytes``, ``compiled``, ``pending``,
``layer_counts``, the cache ``lowrank_cache``) and calls its bookkeeping (``_check_bytes``, ``_timer``) and its
recursion (``_descend``), so it is a stage of the one engine object rather than a set of free functions.
"""
from __future__ import annotations

import math

import torch

from workbench.measures.partition import kernels as partition_kernels
from workbench.measures.partition.split_stage import _Children
from workbench.measures.partition.torch_kernels import _DTYPE, _is_act, _is_affine, _lookup
from workbench.nets.piecewise import apply_activation, apply_affine


class _MapsStage:
    """The children's maps through the activation and the affine chain after it (a mixin of the engine, see
    the module docstring)."""

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

    # -- the children's maps, chunk by chunk, and the recursion ------------
    def _descend_children(self, op, ch: _Children, G, z0, shape, Mp, slopes, offs, saved, pos: int, k: int):
        """The maps of the children ``ch`` of the regions at activation ``op`` (the op at ``pos``, layer
        ``k + 1``), then the engine's ``_descend`` into them, a chunk at a time.

        ``G (R, N, 2)``, ``z0 (R, N)``: the parents' pre-activation maps, ``Mp (R, 3, N)`` the same as rows
        ``g_x, g_y, z``; ``shape``: the layer's shape; ``slopes``, ``offs``: the activation's tables;
        ``saved``: the maps of the last :class:`~workbench.nets.piecewise.SaveShortcut` (or ``None``).
        """
        dev = self.dev
        R, N = G.shape[0], G.shape[1]
        nb = len(op.breakpoints)
        V2, nv2, L2, par, pat2, act2 = ch.V, ch.nv, ch.L, ch.par, ch.pat, ch.act
        piece_ref, piece_child, bpar = ch.piece_ref, ch.piece_child, ch.bpar
        base_piece, full_pieces = ch.base_piece, ch.full_pieces
        m, i, pcm, prm = ch.flips
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
            with self._timer((k + 1, "maps: parents")):
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
                with self._timer((k + 1, "maps: children")):
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
            with self._timer((k + 1, "maps: children")):
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
