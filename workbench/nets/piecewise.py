"""The piecewise-linear core: a network as a list of affine operations and activation pieces.

A network made of affine layers (Linear, Conv2d, BatchNorm in eval mode, average
pooling, Flatten) and piecewise-linear activations (ReLU, LeakyReLU, HardTanh /
ReLU6, identity) is a continuous piecewise-linear function (Raghu et al. 2017;
Johansson 2022, ch. 1 eq. 1.4-1.5).  Every exact measure of the workbench
(partitions, local affine maps, exact transitions, dichotomies) works on the
same representation, built here once:

* :data:`PIECES` is the one table of activation pieces: for each activation its
  breakpoints, and the slope and offset on every piece
  (``f(z) = slopes[j] z + offsets[j]`` on piece ``j``);
* :func:`compile_network` turns an ``nn.Module`` (a ``workbench.mlp`` with any
  shortcut variant, an ``nn.Sequential`` of supported layers, or an
  :class:`~workbench.Ensemble` of them) into a :class:`CompiledNet`: a list of
  :class:`Affine`, :class:`Activation` and :class:`SaveShortcut` operations;
* :data:`MODULE_KINDS` says what kind of layer each ``nn.Module`` is (affine, linear, max pooling, piecewise-linear
  or smooth activation, ...), for measures that read a network module by module;
* :func:`propagate` pushes *batched affine maps* through the operations:
  ``h = A u + c`` with ``A (R, *shape, m)`` and ``c (R, *shape)``, where ``u``
  are ``m`` free coordinates (the 2-D domain of a partition, the input itself
  for local maps, the basis ``cos t, sin t`` of a circle ...).  At each
  activation a callback chooses every neuron's piece (and may split rows, as
  the partition and the transition engines do); :func:`apply_activation` then
  updates the maps.  With ``A = None`` the same loop is an ordinary forward
  pass on values.

The module lives in ``nets`` because it is a representation of a network
(it only reads modules and their weights); every measure above it uses it.

The core is three modules, read in this order: :mod:`workbench.nets.piecewise_ops` (the table of pieces and the
operations), :mod:`workbench.nets.piecewise_compile` (the compiler) and this one (applying operations to batched
maps, :func:`propagate`; and :func:`hooked_activation_pattern`, the activation pattern of a network the compiler
does not take, from its own forward pass).  Every name of the core is importable from here.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from workbench.nets.multilayer import match_width
from workbench.nets.piecewise_compile import (  # noqa: F401 (the compiler's helpers, importable from here)
    _activation,
    _bn_op,
    _compile_mlp,
    _compile_sequential,
    _conv_op,
    _flatten_sequential,
    _group,
    _linear_op,
    compile_network,
)
from workbench.nets.piecewise_ops import (  # noqa: F401 (the private tables, importable from here)
    _NOT_ELEMENTWISE,
    _PL_MODULES,
    DTYPE,
    MODULE_KINDS,
    PIECES,
    SMOOTH_ACTIVATIONS,
    Activation,
    Affine,
    CompiledNet,
    Pieces,
    SaveShortcut,
    _hardtanh,
    module_kind,
    pieces_of,
    smooth_error,
)

__all__ = [
    "Pieces", "PIECES", "pieces_of", "Affine", "Activation", "SaveShortcut", "CompiledNet",
    "compile_network", "apply_affine", "apply_activation", "piece_index", "activation_state",
    "propagate", "take_rows", "SMOOTH_ACTIVATIONS", "DTYPE",
    "smooth_error",
    "State", "OnActivation",
    "MODULE_KINDS", "module_kind", "hooked_activation_pattern",
]


# ---------------------------------------------------------------------------
# Applying operations to batched affine maps
# ---------------------------------------------------------------------------
def _apply_one(op: Affine, A, c):
    if A is None:
        return None, op.values(c)
    if op.kind == "linear" and A.dim() == 3:  # (R, d, m): the same mm as the general route, fewer calls
        return (A.transpose(1, 2) @ op.weight.T).transpose(1, 2), op.add_bias(op.lin(c))
    R, m = A.shape[0], A.shape[-1]
    At = A.movedim(-1, 1).reshape(R * m, *A.shape[1:-1])
    At = op.lin(At)
    A2 = At.reshape(R, m, *At.shape[1:]).movedim(1, -1)
    return A2.contiguous(), op.add_bias(op.lin(c))


def apply_affine(op: Affine, A: torch.Tensor | None, c: torch.Tensor,
                 group: torch.Tensor | None = None) -> tuple[torch.Tensor | None, torch.Tensor]:
    """Apply an affine op to maps ``A (R, *shape, m)``, ``c (R, *shape)`` (``A=None``: values only).

    ``A`` and ``c`` may have different leading sizes when one of them is 1
    (shared by all rows).  For a grouped op (an ensemble), ``group (R,)`` gives
    each row's member.
    """
    if not op.members:
        return _apply_one(op, A, c)
    R = c.shape[0] if A is None else max(A.shape[0], c.shape[0])
    A = None if A is None else (A.expand(R, *A.shape[1:]) if A.shape[0] != R else A)
    c = c.expand(R, *c.shape[1:]) if c.shape[0] != R else c
    if R > 1 and bool((group[1:] >= group[:-1]).all()):  # rows sorted by member (the engines): views, no scatter
        counts = torch.bincount(group, minlength=len(op.members)).tolist()
        parts = [_apply_one(mop, None if A is None else a, cc)
                 for mop, a, cc in zip(op.members, [None] * len(counts) if A is None else A.split(counts),
                                       c.split(counts)) if cc.shape[0]]
        outc = torch.cat([p[1] for p in parts])
        return (None if A is None else torch.cat([p[0] for p in parts])), outc
    outA = outc = None
    for g, mop in enumerate(op.members):
        rows = (group == g).nonzero().squeeze(1)
        if rows.numel() == 0:
            continue
        a2, c2 = _apply_one(mop, None if A is None else A[rows], c[rows])
        if outc is None:
            outc = c2.new_empty((R, *c2.shape[1:]))
            outA = None if a2 is None else a2.new_empty((R, *a2.shape[1:]))
        outc[rows] = c2
        if a2 is not None:
            outA[rows] = a2
    return outA, outc


def piece_index(z: torch.Tensor, act: Activation) -> torch.Tensor:
    """The piece of every value: the number of breakpoints strictly below it (long)."""
    piece = torch.zeros(z.shape, dtype=torch.long, device=z.device)
    for bp in act.breakpoints:
        piece += (z > bp).long()
    return piece


def activation_state(z: torch.Tensor, act: Activation) -> torch.Tensor:
    """Raghu et al.'s state of every neuron (int8): its piece minus the rest piece.

    ReLU / LeakyReLU ``1`` where ``z > 0`` else ``0``; hard tanh ``-1``
    (``z < min_val``), ``0``, ``+1`` (``z > max_val``); identity ``0``; a smooth
    activation: the sign bit ``z > 0`` (a convention, there are no pieces).
    """
    if not act.piecewise_linear:
        return (z > 0).to(torch.int8)
    r, bps = act.pieces.rest_piece, act.breakpoints
    above = [(z > bp).to(torch.int8) for bp in bps[r:]]
    below = [(z < bp).to(torch.int8) for bp in bps[:r]]
    s = sum(above[1:], above[0]) if above else torch.zeros(z.shape, dtype=torch.int8, device=z.device)
    return s - sum(below[1:], below[0]) if below else s


def apply_activation(act: Activation, G: torch.Tensor | None, z0: torch.Tensor, piece: torch.Tensor | None,
                     shape, saved, inp) -> tuple[torch.Tensor | None, torch.Tensor]:
    """Maps after the activation and its shortcut.

    ``G (R, N, m)`` and ``z0 (R, N)`` are the pre-activation maps (``G=None``:
    values only), ``piece (R, N)`` the piece of every neuron; ``saved`` and
    ``inp`` the ``(A, c)`` of the shortcut sources.  Returns the maps reshaped to
    ``(R, *shape, m)`` and ``(R, *shape)``.
    """
    if G is None and act.fn is not None:  # values only: the module itself (its own arithmetic, one kernel)
        A = None
        c = act.fn(z0.reshape(z0.shape[0], *shape)).reshape(z0.shape)
    elif act.piecewise_linear:
        _, slopes, offs = act.tables(z0.dtype, z0.device)
        # one breakpoint: a select, not a gather (3x faster; the same numbers)
        a = torch.where(piece > 0, slopes[1], slopes[0]) if len(slopes) == 2 else slopes[piece]
        A = None if G is None else a.unsqueeze(-1) * G
        if act.pieces.linear:
            c = a * z0
        else:
            c = a * z0 + (torch.where(piece > 0, offs[1], offs[0]) if len(offs) == 2 else offs[piece])
    else:  # maps through a smooth activation: there are none
        raise smooth_error(act.fn, act.name)
    if act.shortcut is not None:
        src = saved if act.shortcut == "prev" else inp
        As, cs = src
        N = z0.shape[1]
        c = c + match_width(cs.reshape(cs.shape[0], -1), N, dim=1)
        if A is not None:
            A = A + match_width(As.reshape(As.shape[0], -1, As.shape[-1]), N, dim=1)
    if len(shape) == 1:
        return A, c
    A = None if A is None else A.reshape(A.shape[0], *shape, A.shape[-1])
    return A, c.reshape(c.shape[0], *shape)


def take_rows(t: torch.Tensor | None, idx: torch.Tensor) -> torch.Tensor | None:
    """``t[idx]``, where a leading size of 1 means one row shared by all (then expanded)."""
    if t is None:
        return None
    if t.shape[0] == 1:
        return t.expand(idx.shape[0], *t.shape[1:])
    return t[idx]


def _take_pair(pair, idx):
    return None if pair is None else tuple(take_rows(t, idx) for t in pair)


OnActivation = Callable[[int, Activation, torch.Tensor | None, torch.Tensor, torch.Tensor | None],
                        tuple[torch.Tensor, torch.Tensor | None]]


@dataclass
class State:
    """Where :func:`propagate` stopped: maps, shortcut sources, row groups and activation layers done."""

    A: torch.Tensor | None
    c: torch.Tensor
    saved: tuple | None = None
    inp: tuple | None = None
    group: torch.Tensor | None = None
    k: int = 0
    index: int = 0  # next operation



def propagate(ops: Sequence, A: torch.Tensor | None, c: torch.Tensor, *, on_activation: OnActivation | None = None,
              upto: int | None = None, group: torch.Tensor | None = None, start: State | None = None,
              stop_at_activation: bool = False) -> State:
    """Push the maps ``h = A u + c`` through ``ops``.

    At activation layer ``k`` (0-based), ``on_activation(k, act, G, z0, group)``
    returns ``(piece, parent)``: each neuron's piece and, when the engine split
    rows, the parent row of every new row (``None``: no split).  The default
    callback takes the piece of ``z0`` (:func:`piece_index`).  ``upto``: stop
    before the op after ``upto`` activation layers; ``start``: resume from a
    :class:`State`; ``stop_at_activation``: return just before the next
    activation (to cache the affine prefix).
    """
    if start is None:
        needs_inp = any(isinstance(o, Activation) and o.shortcut == "input" for o in ops)
        st = State(A, c, None, (A, c) if needs_inp else None, group, 0, 0)
    else:
        st = State(start.A, start.c, start.saved, start.inp, start.group, start.k, start.index)
    for j in range(st.index, len(ops)):
        op = ops[j]
        if upto is not None and st.k >= upto:
            st.index = j
            return st
        if isinstance(op, SaveShortcut):
            st.saved = (st.A, st.c)
        elif isinstance(op, Affine):
            st.A, st.c = apply_affine(op, st.A, st.c, st.group)
        else:
            if stop_at_activation:
                st.index = j
                return st
            shape = st.c.shape[1:]
            flat = len(shape) == 1
            G = None if st.A is None else (st.A if flat else st.A.reshape(st.A.shape[0], -1, st.A.shape[-1]))
            z0 = st.c if flat else st.c.reshape(st.c.shape[0], -1)
            if on_activation is None:
                values_by_fn = G is None and op.fn is not None
                piece, parent = (piece_index(z0, op) if op.piecewise_linear and not values_by_fn else None), None
            else:
                piece, parent = on_activation(st.k, op, G, z0, st.group)
            if parent is not None:
                G, z0 = take_rows(G, parent), take_rows(z0, parent)
                st.saved, st.inp = _take_pair(st.saved, parent), _take_pair(st.inp, parent)
                st.group = take_rows(st.group, parent)
            st.A, st.c = apply_activation(op, G, z0, piece, shape, st.saved, st.inp)
            st.k += 1
    st.index = len(ops)
    return st


# ---------------------------------------------------------------------------
# Activation patterns of any module, from its own forward pass
# ---------------------------------------------------------------------------
def hooked_activation_pattern(net: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """``z > breakpoint`` for every unit of every call of a piecewise-linear activation module, ``(n, P)`` bool.

    The modules are those of kind ``"piecewise_linear"`` in :data:`MODULE_KINDS` that have breakpoints (ReLU and
    LeakyReLU: one column per unit, ``pre-activation > 0``; Hardtanh / ReLU6: two; Identity: none), read by
    forward pre-hooks during one forward pass of ``net`` itself on ``X`` (in eval mode and without gradients; the
    training flag is restored), columns in call order (a module called twice, like the shared activation of a
    ``workbench.mlp``, gives its units twice).  On the networks :func:`compile_network` takes these are the
    columns of :func:`workbench.measures.affine.activation_pattern`, but computed in the network's own dtype
    and device rather than from the compiled float64 maps, so a unit within rounding of its breakpoint may
    differ.  Use it for networks the compiler does not take (max pooling, Conv1d / Conv3d, SVD layers, a custom
    ``forward``): Wang et al. (2016, §4.1) count the ReLU patterns of such networks (the EDJM's
    :func:`workbench.measures.edjm.distinct_djms`).  ``P = 0`` when ``net`` has no such module.

    ``net`` must be on ``X``'s device; ``X`` is ``(n, *input_shape)`` in the network's dtype.
    """
    cols: list[torch.Tensor] = []
    acts = [(name, m) for name, m in net.named_modules() if module_kind(m) == "piecewise_linear"]
    breakpoints = {id(m): pieces_of(m, name).breakpoints for name, m in acts}

    def record(mod, args):
        z = args[0]
        bp = torch.tensor(breakpoints[id(mod)], dtype=z.dtype, device=z.device)
        cols.append((z.unsqueeze(-1) > bp).reshape(len(z), -1))

    hs = [m.register_forward_pre_hook(record) for _, m in acts if breakpoints[id(m)]]
    was = net.training
    net.eval()
    try:
        with torch.no_grad():
            net(X)
    finally:
        net.train(was)
        for h in hs:
            h.remove()
    return torch.cat(cols, 1) if cols else torch.zeros((len(X), 0), dtype=torch.bool, device=X.device)
