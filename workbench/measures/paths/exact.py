"""Exact transitions along paths: the result and its two engines, on the piecewise-linear core.


Exact transitions (piecewise-linear networks)
---------------------------------------------
Every public reproduction counts transitions by sampling the circle densely.
Here they are **exact**.  On any piece of the path where the activation pattern
of the layers below ``l`` is fixed, the network up to layer ``l`` is affine, so
every pre-activation of layer ``l`` along the path is

* ``z(t) = A t + C`` for a segment ``x(t) = a + t (b - a)``;
* ``z(t) = A cos t + B sin t + C`` for the circle (the path lies in the plane
  spanned by ``x0`` and ``x1``, where the network is piecewise affine).

The coefficients are propagated in closed form and every crossing of a
neuron's threshold (0 for ReLU / LeakyReLU, -1 and +1 for hard tanh) is solved
in closed form: ``t = (tau - C) / A``; ``t = phi +- arccos((tau - C) / R)`` with
``R = hypot(A, B)``, ``phi = atan2(B, A)``.  Two exact methods share these
formulas:

* ``method="refine"`` (default): layer by layer, all crossings of all neurons
  of layer ``l`` inside every current piece are found at once, the pieces are
  split there, and each new piece's layer-``l`` pattern is read at its midpoint.
  One batched tensor pass per layer, whatever the number of breakpoints.
* ``method="walk"``: move ``t`` from region to region; in the current region
  each neuron's next exit is solved in closed form, the smallest one beyond
  ``t`` is the next breakpoint, and the whole pattern is re-evaluated there as
  the right limit ``t -> t_b^+`` from the signs of the value and the first
  derivatives of ``z(t) - threshold``.  One batched pass per breakpoint.

**Why no crossing is missed.**  Inside a piece the coefficients are exact, and
a function ``A cos t + B sin t + C`` (or ``A t + C``) has at most two (one)
zeros, all of which are computed; no neuron of layer ``l`` can change piece
between consecutive roots, so the sign at a midpoint (or the right limit) is
the sign on the whole sub-interval.  Deeper layers only see their input change
at the breakpoints of shallower layers, where their coefficients are
recomputed.  **Tangencies** (``z`` touches a threshold without crossing, a
double root; detected as ``R - |C| <= 1e-10 (R + |C| + |A| + |B|)``) give no

Both engines run on :mod:`workbench.nets.piecewise`: the network is compiled
once into affine operations and activation pieces, the path's coefficients are
the batched affine maps ``h = A (cos t, sin t) + c`` (circle) or ``h = A t + c``
(segment), and the thresholds of a neuron are its activation's breakpoints.
So every network that :func:`workbench.partition_2d` accepts (MLPs with
shortcuts, ``nn.Sequential`` stacks with conv, batch norm, average pooling)
has exact transitions; an :class:`~workbench.Ensemble` is walked member by
member in one batch.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import torch

from workbench.limits import check_bytes
from workbench.nets.piecewise import CompiledNet, State, propagate, take_rows

__all__ = ["PathTransitions"]

TWO_PI = 2.0 * math.pi
REL_TOL = 1e-10
"""Relative tolerance of a tangency (module docstring)."""


@dataclass
class PathTransitions:
    """Exact transitions of a piecewise-linear network along one or many paths.

    Attributes
    ----------
    kind
        ``"circle"`` (``t in [0, 2 pi)``, closed) or ``"segment"`` (``t in [0, 1]``).
    per_layer
        ``(*batch, n_hidden)`` int64: neuron transitions in each hidden layer
        (Raghu et al. 2017, Definition 1, summed over the layer's neurons).
    n_breakpoints
        ``(*batch,)``: parameter values where the activation pattern changes.
    n_patterns
        ``(*batch,)``: distinct activation patterns met along the path
        (Definition 2); for a segment this is also the number of linear
        regions it crosses (regions are convex, a line never returns).
    n_pieces
        ``(*batch,)``: maximal intervals of constant pattern (on a circle the
        last interval joins the first).
    breakpoints
        List (one per path, row-major over ``batch``) of float64 tensors of the
        ``t`` where the pattern changes.
    patterns
        List of int8 tensors ``(n_pieces_path, n_neurons)``: the pattern on each
        piece in path order (the piece starting at ``t = 0`` first), or ``None``
        when not kept.
    batch_shape
        ``()`` for one path of one network, ``(P,)`` for P paths,
        ``(members, P)`` / ``(members,)`` for an ensemble.
    """

    kind: str
    per_layer: torch.Tensor
    n_breakpoints: torch.Tensor
    n_patterns: torch.Tensor
    n_pieces: torch.Tensor
    breakpoints: list
    patterns: list | None
    batch_shape: tuple = field(default=())

    @property
    def total(self) -> torch.Tensor:
        """All neuron transitions, ``(*batch,)``."""
        return self.per_layer.sum(-1)

    def to_frame(self):
        """A tidy DataFrame: one row per path and hidden layer."""
        import pandas as pd

        pl = self.per_layer.reshape(-1, self.per_layer.shape[-1])
        rows = []
        idx = list(torch.cartesian_prod(*[torch.arange(s) for s in self.batch_shape]).reshape(len(pl), -1).tolist()) \
            if self.batch_shape else [[]]
        for i, key in enumerate(idx):
            for l in range(pl.shape[1]):
                r = {f"index_{j}": k for j, k in enumerate(key)}
                r.update(layer=l + 1, transitions=int(pl[i, l]),
                         n_patterns=int(self.n_patterns.reshape(-1)[i]),
                         n_breakpoints=int(self.n_breakpoints.reshape(-1)[i]))
                rows.append(r)
        return pd.DataFrame(rows)


def pattern_keys(states: torch.Tensor, seed: int = 12345) -> torch.Tensor:
    """Two int64 keys per pattern (random integer projection, exact integer arithmetic).

    Equal patterns give equal keys whatever the batch they are computed in;
    distinct patterns collide with probability about ``2^-80``.
    """
    n = states.shape[-1]
    r = _key_weights(seed, n).to(states.device)
    bound = 128 if states.dtype in (torch.int8, torch.uint8, torch.bool) else None
    if bound is None and states.numel() and not states.is_floating_point():
        bound = int(states.abs().max())
    if bound is not None and bound * max(n, 1) < 2**33:
        # the same integers in one float64 GEMM: each weight as 20-bit halves, so that every partial sum is an
        # integer below 2^53 (exact in any order); then recombined in int64
        half = torch.cat([r & (2**20 - 1), r >> 20]).to(torch.float64)  # (4, n): lo0, lo1, hi0, hi1
        k = (states.to(torch.float64) @ half.T).to(torch.int64)
        return (k[..., 2:] << 20) + k[..., :2]
    s = states.to(torch.int64)
    return torch.stack([(s * r[0]).sum(-1), (s * r[1]).sum(-1)], -1)


@functools.lru_cache(maxsize=64)
def _key_weights(seed: int, n: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, 2**40, (2, n), generator=g, dtype=torch.int64)


def count_unique_rows(keys: torch.Tensor) -> int:
    """Number of distinct rows of ``keys``."""
    return int(torch.unique(keys, dim=0).shape[0])


def layer_sums(delta: torch.Tensor, widths) -> torch.Tensor:
    """Per-layer sums of ``delta (R, sum(widths))``: ``(R, len(widths))``."""
    return torch.stack([d.sum(-1, dtype=torch.int64) for d in delta.split(list(widths), dim=1)], -1)


class single_thread_on_cpu:
    """The engines' per-step tensors are small: on the CPU one thread avoids thread-sync overhead.

    (Measured 30x faster than two threads on the loaded shared 2-core machine.)
    """

    def __init__(self, dev: torch.device):
        self.cpu = dev.type == "cpu"

    def __enter__(self):
        if self.cpu:
            self.n = torch.get_num_threads()
            torch.set_num_threads(1)

    def __exit__(self, *exc):
        if self.cpu:
            torch.set_num_threads(self.n)


def _thresholded(act, G: torch.Tensor, z0: torch.Tensor) -> torch.Tensor:
    """``g = z - breakpoint`` for every breakpoint as coefficients ``(R, 1 + m, nb * N)`` (breakpoint-major).

    Row 0 is the constant term, rows ``1..m`` the coefficients of the path's basis
    (``cos t, sin t`` or ``t``).
    """
    Gt = torch.cat([z0.unsqueeze(1), G.transpose(1, 2)], 1)  # (R, 1 + m, N)
    bps = act.breakpoints
    if len(bps) == 1 and bps[0] == 0.0:
        return Gt
    n = z0.shape[1]
    Gt = Gt.repeat(1, 1, len(bps))
    Gt[:, 0] -= torch.tensor(bps, dtype=Gt.dtype, device=Gt.device).repeat_interleave(n)
    return Gt


def _pieces_from_signs(positive: torch.Tensor, nb: int, n: int) -> torch.Tensor:
    """Piece of every neuron from the signs of ``z - breakpoint`` (breakpoint-major columns)."""
    if nb == 1:  # int8: 8x less to write than int64 (the pieces are 0 and 1; the slopes are a select on them)
        return positive.to(torch.int8)
    return positive.view(positive.shape[0], nb, n).long().sum(1)


def _states(act, piece: torch.Tensor) -> torch.Tensor:
    r = act.pieces.rest_piece
    return piece.to(torch.int8) if r == 0 else (piece - r).to(torch.int8)


def piece_bytes(n: int, m: int, n_states: int) -> int:
    """Bytes one piece of the path takes from its split at a layer of width ``n`` until the next layer's split.

    ``m``: basis functions of the path (2: ``cos t, sin t``; 1: ``t``); ``n_states``: pattern columns of the
    layers before.  Per neuron, in float64: the ``1 + m`` coefficient rows four times (the split copy of the
    thresholded rows, the post-activation maps, the next layer's pre-activations and its thresholded rows)
    and ``6 m`` for the crossing search of the next layer (``m`` roots per neuron with their temporaries:
    ``hypot``, ``atan2``, ``arccos``, the masks and the ``inf`` fill); per pattern column 17 bytes (the int8
    pattern, and at the end the int16 differences of consecutive pieces and the float64 pattern keys).
    Measured (issue 28) at about 25 float64 per neuron for a circle (``m = 2``) and 12 for a segment
    (``m = 1``) on 2-1000x8 and 2-2000x4 ReLU networks; the former estimate, three coefficient rows,
    undercounted by 2-3x: a request could pass the check and still not fit.
    """
    return 8 * n * (4 * (1 + m) + 6 * m) + 17 * (n_states + n) + 4 * 8


def _finish(kind, batch_shape, per_layer, widths, n_bp, n_pieces, n_pat, bps, pats) -> PathTransitions:
    shape = tuple(batch_shape)
    return PathTransitions(
        kind=kind, per_layer=per_layer.cpu().reshape(*shape, len(widths)), n_breakpoints=n_bp.reshape(shape),
        n_patterns=n_pat.reshape(shape), n_pieces=n_pieces.reshape(shape), breakpoints=bps, patterns=pats,
        batch_shape=shape,
    )


# --------------------------------------------------------------------------------------
# method="refine": layer-by-layer refinement of the breakpoints
# --------------------------------------------------------------------------------------
def refine_transitions(cn: CompiledNet, A0: torch.Tensor, c0: torch.Tensor, group: torch.Tensor | None,
                       kind: str, batch_shape: tuple, *, keep_patterns: bool, max_pieces: int) -> PathTransitions:
    """Layer-by-layer refinement of the breakpoints (the default exact method).

    ``A0 (W, *in_shape, m)``, ``c0 (W, *in_shape)``: the path of every walk
    (``m = 2``: ``cos t, sin t``; ``m = 1``: ``t``); ``group (W,)``: the
    ensemble member of every walk (``None`` for one network).  Pieces of the
    path on which layers ``< l`` keep one pattern carry the exact coefficients
    of layer ``l``'s input; all crossings of all layer-``l`` neurons inside every
    piece are solved at once in closed form, the pieces are split there, and
    each sub-piece's layer-``l`` pattern is read at its midpoint (no crossing
    lies inside a sub-piece, so the sign there is the sign on the whole
    sub-piece).  One batched tensor pass per layer, whatever the number of
    breakpoints.  Crossings closer than ``1e-12`` (relative to the parameter
    range) are merged.
    """
    dev = c0.device
    nW = c0.shape[0]
    t_end = TWO_PI if kind == "circle" else 1.0
    delta = 1e-12 * t_end
    r = {"walk": torch.arange(nW, device=dev), "ta": torch.zeros(nW, dtype=torch.float64, device=dev),
         "tb": torch.full((nW,), t_end, dtype=torch.float64, device=dev),
         "states": torch.zeros(nW, 0, dtype=torch.int8, device=dev)}
    widths: list[int] = []

    def on_activation(l, act, G, z0, grp):
        n = z0.shape[1]
        widths.append(n)
        R = max(G.shape[0], z0.shape[0])
        G, z0 = G.expand(R, *G.shape[1:]), z0.expand(R, *z0.shape[1:])
        nb = len(act.breakpoints)
        parent = None
        if nb == 0:  # identity: one piece
            piece = torch.zeros(R, n, dtype=torch.long, device=dev)
            r["states"] = torch.cat([r["states"], _states(act, piece)], 1)
            return piece, parent
        Gt = _thresholded(act, G, z0)
        ta, tb = r["ta"], r["tb"]
        # all crossings of every neuron (and breakpoint) inside every piece
        if kind == "circle":
            c, a, b = Gt[:, 0], Gt[:, 1], Gt[:, 2]
            Rr = torch.hypot(a, b)
            has = (Rr - c.abs()) > REL_TOL * (Rr + c.abs() + a.abs() + b.abs())
            phi = torch.atan2(b, a)
            alpha = torch.arccos((-c / torch.where(Rr > 0, Rr, torch.ones_like(Rr))).clamp(-1, 1))
            roots = torch.cat([torch.remainder(phi + alpha, TWO_PI), torch.remainder(phi - alpha, TWO_PI)], 1)
            has = torch.cat([has, has], 1)
        else:
            c, A = Gt[:, 0], Gt[:, 1]
            has = A != 0
            roots = -c / torch.where(has, A, torch.ones_like(A))
        inside = has & (roots > ta[:, None] + delta) & (roots < tb[:, None] - delta)
        roots = torch.where(inside, roots, torch.full_like(roots, math.inf))
        k = inside.sum(1)
        kmax = int(k.max()) if k.numel() else 0
        if kmax > 0:
            Rs = roots.topk(kmax, dim=1, largest=False).values  # sorted ascending, inf last
            cnt = k + 1
            total = int(cnt.sum())
            if total > max_pieces:
                raise RuntimeError(
                    f"the path crosses more than max_pieces={max_pieces} pieces by hidden layer {l + 1}; "
                    "raise max_pieces (memory grows with it) or walk fewer paths at once"
                )
            # the bytes of the new pieces up to the next check, before allocating them
            check_bytes(total * piece_bytes(n, Gt.shape[1] - 1, r["states"].shape[1]),
                        f"the {total:,} pieces of the path(s) at hidden layer {l + 1} (width {n:,})",
                        "walk fewer paths at once or use a smaller network (max_pieces bounds their count)",
                        device=dev)
            parent = torch.repeat_interleave(torch.arange(len(k), device=dev), cnt)
            j = torch.arange(total, device=dev) - (torch.cumsum(cnt, 0) - cnt)[parent]
            kp = k[parent]
            left = torch.where(j == 0, ta[parent], Rs[parent, (j - 1).clamp(min=0)])
            right = torch.where(j == kp, tb[parent], Rs[parent, j.clamp(max=kmax - 1)])
            keep = (right - left) > delta  # coincident crossings: no empty pieces
            parent, left, right = parent[keep], left[keep], right[keep]
            r["ta"], r["tb"], r["walk"] = left, right, r["walk"][parent]
            r["states"] = r["states"][parent]
            Gt = Gt[parent]
        # pattern of layer l on each piece: the sign at its midpoint
        tm = ((r["ta"] + r["tb"]) / 2)[:, None]
        if kind == "circle":
            gv = Gt[:, 0] + Gt[:, 1] * torch.cos(tm) + Gt[:, 2] * torch.sin(tm)
        else:
            gv = Gt[:, 0] + Gt[:, 1] * tm
        piece = _pieces_from_signs(gv > 0, nb, n)
        r["states"] = torch.cat([r["states"], _states(act, piece)], 1)
        return piece, parent

    propagate(cn.ops, A0, c0, on_activation=on_activation, upto=cn.n_activation_layers, group=group)
    walk, ta, states = r["walk"], r["ta"], r["states"]

    # ---- assemble: transitions between consecutive pieces of the same path
    per_layer = torch.zeros(nW, len(widths), dtype=torch.int64, device=dev)
    same = walk[1:] == walk[:-1]
    dlt = (states[1:].to(torch.int16) - states[:-1].to(torch.int16)).abs_()  # |state change| of every neuron
    dlt *= same[:, None]
    per_layer.index_add_(0, walk[1:], layer_sums(dlt, widths))
    change = torch.cat([torch.ones(1, dtype=torch.bool, device=dev), dlt.any(1)])  # piece starts a new pattern
    counts = torch.bincount(walk, minlength=nW)
    first = torch.cumsum(counts, 0) - counts
    last = first + counts - 1
    is_first = torch.zeros_like(change)
    is_first[first] = True
    change = change | is_first
    wrap = torch.zeros(nW, dtype=torch.bool, device=dev)
    if kind == "circle":
        dw = (states[last].to(torch.int16) - states[first].to(torch.int16)).abs().to(torch.int64)
        per_layer += layer_sums(dw, widths)
        wrap = dw.sum(1) > 0
    kept_walk, kept_t, kept_states = walk[change], ta[change], states[change]
    kept_first = is_first[change]
    n_changes = torch.bincount(kept_walk, minlength=nW) - 1
    bp_t = kept_t[~kept_first].cpu()
    bp_w = kept_walk[~kept_first].cpu()
    bps = list(bp_t.split(torch.bincount(bp_w, minlength=nW).tolist()))
    wrap_c = wrap.cpu()
    for w in torch.nonzero(wrap_c).flatten().tolist():
        bps[w] = torch.cat([torch.zeros(1, dtype=torch.float64), bps[w]])
    n_bp = n_changes.cpu() + wrap_c.to(torch.int64)
    if kind == "circle":
        n_pieces = torch.where(wrap_c, n_bp, n_bp.clamp(min=1))
    else:
        n_pieces = n_bp + 1
    keys = pattern_keys(kept_states)
    rows = torch.cat([kept_walk[:, None], keys], 1)
    uw = torch.unique(rows, dim=0)[:, 0]
    n_pat = torch.bincount(uw, minlength=nW).cpu()
    pats = None
    if keep_patterns:
        pats = list(kept_states.cpu().split(torch.bincount(kept_walk, minlength=nW).tolist()))
        if kind == "circle":
            pats = [p[:-1] if (not bool(wrap_c[w]) and len(p) > 1) else p for w, p in enumerate(pats)]
    return _finish(kind, batch_shape, per_layer, widths, n_bp, n_pieces, n_pat, bps, pats)


# --------------------------------------------------------------------------------------
# method="walk": from region to region along t
# --------------------------------------------------------------------------------------
class Walker:
    """Batched region-to-region walk on a compiled network; see the module docstring for the method."""

    def __init__(self, cn: CompiledNet, A0: torch.Tensor, c0: torch.Tensor, group, kind: str):
        self.cn, self.kind = cn, kind
        # the affine operations before the first activation never change along a walk: cache them
        self.prefix = propagate(cn.ops, A0, c0, group=group, stop_at_activation=True)
        self.widths: list[int] = []

    def _basis(self, t):
        """Value and derivatives of the basis at t, stacked: ``(W, K, nb)``."""
        one, zero = torch.ones_like(t), torch.zeros_like(t)
        if self.kind == "circle":
            c, s = torch.cos(t), torch.sin(t)
            return torch.stack([torch.stack([one, c, s], -1), torch.stack([zero, -s, c], -1),
                                torch.stack([zero, -c, -s], -1)], 1)
        return torch.stack([torch.stack([one, t], -1), torch.stack([zero, one], -1)], 1)

    @staticmethod
    def _right_sign(G, Dst):
        """Sign of g(t + 0) for g = G . basis: the first non-negligible of g, g', g'' at t.

        ``G`` is ``(W, nb, n)``, ``Dst`` ``(W, K, nb)``; a function that is zero with all
        its derivatives (identically at the threshold) counts as "below".
        """
        V = torch.einsum("wjo,wkj->wko", G, Dst)  # (W, K, n)
        scale = G.abs().sum(1, keepdim=True) * REL_TOL + 1e-300
        big = V.abs() > scale
        idx = big.to(torch.uint8).argmax(1, keepdim=True)  # first True
        sign = torch.sign(V.gather(1, idx)).squeeze(1)
        return torch.where(big.any(1), sign, -torch.ones_like(sign))

    def _exit(self, G, sig, t):
        """Smallest s > 0 at which g = G . basis leaves the sign sig (inf if never within a lap)."""
        if self.kind == "segment":
            g0, A = G[:, 0] + G[:, 1] * t[:, None], G[:, 1]
            ok = sig * A < 0
            s = torch.where(ok, -g0 / torch.where(ok, A, torch.ones_like(A)), torch.full_like(A, math.inf))
            return torch.where(s > 0, s, torch.full_like(s, math.inf))
        c, a, b = G[:, 0], G[:, 1], G[:, 2]
        R = torch.hypot(a, b)
        phi = torch.atan2(b, a)
        ratio = -c / torch.where(R > 0, R, torch.ones_like(R))
        # a root only where g really reaches the other side: the peak beyond the threshold must
        # exceed the zero tolerance (a tangency, R == |c| up to rounding, is not a crossing)
        has = (R - c.abs()) > REL_TOL * (R + c.abs() + G[:, 1:].abs().sum(1))
        alpha = torch.arccos(ratio.clamp(-1, 1))
        texit = phi + sig * alpha
        s = torch.remainder(texit - t[:, None], TWO_PI)
        s = torch.where(s < 1e-13, torch.full_like(s, TWO_PI), s)  # a tangency at t: no exit in this lap
        return torch.where(has, s, torch.full_like(s, math.inf))

    def states_and_exit(self, t, active):
        """Right-limit states at t for the walks in ``active`` and the step to the next breakpoint."""
        Dst = self._basis(t)
        p = self.prefix
        start = State(take_rows(p.A, active), take_rows(p.c, active),
                      None if p.saved is None else tuple(take_rows(x, active) for x in p.saved),
                      None if p.inp is None else tuple(take_rows(x, active) for x in p.inp),
                      None if p.group is None else p.group[active], p.k, p.index)
        states, smin = [], torch.full_like(t, math.inf)
        widths = []

        def on_activation(l, act, G, z0, grp):
            nonlocal smin
            n = z0.shape[1]
            widths.append(n)
            R = max(G.shape[0], z0.shape[0])
            if G.shape[0] != z0.shape[0]:
                G, z0 = G.expand(R, *G.shape[1:]), z0.expand(R, *z0.shape[1:])
            nb = len(act.breakpoints)
            if nb == 0:  # identity
                piece = torch.zeros(R, n, dtype=torch.long, device=z0.device)
            else:
                Gt = _thresholded(act, G, z0)
                sg = self._right_sign(Gt, Dst)
                smin = torch.minimum(smin, self._exit(Gt, sg, t).min(-1).values)
                piece = _pieces_from_signs(sg > 0, nb, n)
            states.append(_states(act, piece))
            return piece, None

        propagate(self.cn.ops, None, None, on_activation=on_activation, upto=self.cn.n_activation_layers,
                  start=start)
        self.widths = widths
        return torch.cat(states, -1), smin


def walk_transitions(cn: CompiledNet, A0: torch.Tensor, c0: torch.Tensor, group: torch.Tensor | None,
                     kind: str, batch_shape: tuple, *, keep_patterns: bool, max_steps: int) -> PathTransitions:
    """Region-to-region walk (``method="walk"``): one batched pass per breakpoint."""
    dev = c0.device
    nW = c0.shape[0]
    walker = Walker(cn, A0, c0, group, kind)
    t_end = TWO_PI if kind == "circle" else 1.0
    t = torch.zeros(nW, dtype=torch.float64, device=dev)
    all_idx = torch.arange(nW, device=dev)
    with torch.no_grad():
        st0, s0 = walker.states_and_exit(t, all_idx)
    widths = walker.widths
    cur = st0.clone()
    per_layer = torch.zeros(nW, len(widths), dtype=torch.int64, device=dev)

    # per step records (concatenated and split by walk at the end: no Python loop over paths)
    rec_w, rec_t, rec_k, rec_s = [all_idx], [t.clone()], [pattern_keys(st0)], [st0] if keep_patterns else []
    step = s0
    t_next = t + step
    active = all_idx[t_next < t_end]
    steps = 0
    while active.numel() > 0:
        steps += 1
        if steps > max_steps:
            raise RuntimeError(
                f"the walk passed max_pieces={max_steps} breakpoints; raise max_pieces if the network "
                "really has that many regions along the path"
            )
        tt = t_next[active]
        with torch.no_grad():
            st, s = walker.states_and_exit(tt, active)
        t[active] = tt
        prev = cur[active]
        delta = (st.to(torch.int16) - prev.to(torch.int16)).abs().to(torch.int64)
        per_layer[active] += layer_sums(delta, widths)
        anych = delta.sum(-1) > 0
        if bool(anych.any()):
            rec_w.append(active[anych])
            rec_t.append(tt[anych])
            rec_k.append(pattern_keys(st[anych]))
            if keep_patterns:
                rec_s.append(st[anych])
        cur[active] = st
        t_next[active] = tt + s
        active = active[(tt + s) < t_end]
    W_all = torch.cat(rec_w).cpu()
    T_all = torch.cat(rec_t).cpu()
    K_all = torch.cat(rec_k).cpu()
    S_all = torch.cat(rec_s).cpu() if keep_patterns else None
    order = torch.sort(W_all, stable=True).indices  # records are in time order within a walk
    W_all, T_all, K_all = W_all[order], T_all[order], K_all[order]
    if keep_patterns:
        S_all = S_all[order]
    counts = torch.bincount(W_all, minlength=nW)
    first_rec = torch.cat([torch.zeros(1, dtype=torch.int64), counts.cumsum(0)[:-1]])
    is_first = torch.zeros(len(W_all), dtype=torch.bool)
    is_first[first_rec] = True
    n_bp = counts - 1
    bps = list(T_all[~is_first].split((counts - 1).tolist()))
    pats = list(S_all.split(counts.tolist())) if keep_patterns else None
    n_pieces = n_bp + 1
    if kind == "circle":
        # closing the circle: compare the last piece with the first (a crossing exactly at t = 0)
        delta = (cur.to(torch.int16) - st0.to(torch.int16)).abs().to(torch.int64)
        per_layer += layer_sums(delta, widths)
        wrap = (delta.sum(-1) > 0).cpu()
        for w in torch.nonzero(wrap).flatten().tolist():
            bps[w] = torch.cat([torch.zeros(1, dtype=torch.float64), bps[w]])
        n_bp = torch.tensor([len(b) for b in bps], dtype=torch.int64)
        n_pieces = torch.where(wrap, n_bp, torch.clamp(n_bp, min=1))
        if keep_patterns:
            pats = [p[:-1] if (not bool(wrap[w]) and len(p) > 1) else p for w, p in enumerate(pats)]
    n_pat = torch.tensor([count_unique_rows(k) for k in K_all.split(counts.tolist())], dtype=torch.int64)
    return _finish(kind, batch_shape, per_layer, widths, n_bp, n_pieces, n_pat, bps, pats)
