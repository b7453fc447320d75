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
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from workbench._runtime import DeviceLike, resolve_device
from workbench.nets.multilayer import MLP, Square, match_width
from workbench.validation import check_net

__all__ = [
    "Pieces", "PIECES", "pieces_of", "Affine", "Activation", "SaveShortcut", "CompiledNet",
    "compile_network", "apply_affine", "apply_activation", "piece_index", "activation_state",
    "propagate", "take_rows", "SMOOTH_ACTIVATIONS", "DTYPE",
]

DTYPE = torch.float64
"""The dtype of the exact engines."""


# ---------------------------------------------------------------------------
# The table of activation pieces
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Pieces:
    """A piecewise-linear activation: ``f(z) = slopes[j] z + offsets[j]`` on piece ``j``.

    Piece ``j`` is ``breakpoints[j-1] < z <= breakpoints[j]`` (the piece index is
    the number of breakpoints strictly below ``z``).  ``rest_piece`` is the piece
    reported as state ``0`` by :func:`activation_state` (Raghu et al. 2017's
    convention: ReLU ``0`` off / ``1`` on; hard tanh ``-1`` / ``0`` / ``+1``).
    """

    name: str
    breakpoints: tuple[float, ...]
    slopes: tuple[float, ...]
    offsets: tuple[float, ...]
    rest_piece: int = 0

    @property
    def linear(self) -> bool:
        """Whether every piece goes through the origin (all offsets 0: ReLU, LeakyReLU, identity, abs)."""
        return all(o == 0.0 for o in self.offsets)

    def __post_init__(self):
        for what, vals in (("breakpoints", self.breakpoints), ("slopes", self.slopes), ("offsets", self.offsets)):
            bad = [v for v in vals if not math.isfinite(v)]
            if bad:
                raise ValueError(f"{self.name}: {what} must be finite, got {tuple(vals)} (an activation parameter "
                                 f"such as a leaky slope or a hardtanh bound is {bad[0]})")
        if not (len(self.slopes) == len(self.offsets) == len(self.breakpoints) + 1):
            raise ValueError(f"{self.name}: need one slope and one offset per piece (breakpoints + 1)")
        if any(b >= a for a, b in zip(self.breakpoints[1:], self.breakpoints[:-1])):
            raise ValueError(f"{self.name}: breakpoints must increase, got {self.breakpoints}")


def _hardtanh(min_val: float = -1.0, max_val: float = 1.0) -> Pieces:
    return Pieces("hardtanh", (min_val, max_val), (0.0, 1.0, 0.0), (min_val, 0.0, max_val), rest_piece=1)


PIECES: dict[str, Callable[..., Pieces]] = {
    "relu": lambda: Pieces("relu", (0.0,), (0.0, 1.0), (0.0, 0.0)),
    "leaky_relu": lambda negative_slope=0.01: Pieces("leaky_relu", (0.0,), (float(negative_slope), 1.0), (0.0, 0.0)),
    "hardtanh": _hardtanh,
    "identity": lambda: Pieces("identity", (), (1.0,), (0.0,)),
    "abs": lambda: Pieces("abs", (0.0,), (-1.0, 1.0), (0.0, 0.0)),
}
"""Activation name -> constructor of its :class:`Pieces` (keyword arguments: the activation's parameters)."""

SMOOTH_ACTIVATIONS = (nn.Tanh, nn.Sigmoid, nn.Softplus, nn.GELU, nn.SiLU, nn.ELU, nn.SELU, nn.CELU, nn.Mish,
                      nn.Softsign, nn.Tanhshrink, nn.LogSigmoid, nn.Hardswish, nn.Hardsigmoid)
"""Elementwise activations that are not piecewise linear (a forward pass can use them, exact engines cannot)."""

_NOT_ELEMENTWISE = (nn.Softmax, nn.LogSoftmax)


def pieces_of(mod: nn.Module, name: str = "") -> Pieces:
    """The :class:`Pieces` of an activation module; ``TypeError`` for a smooth one."""
    if isinstance(mod, nn.ReLU):
        return PIECES["relu"]()
    if isinstance(mod, nn.LeakyReLU):
        slope = float(mod.negative_slope)
        if not math.isfinite(slope):
            raise ValueError(f"layer {name!r}: LeakyReLU negative_slope must be finite, got {slope}; "
                             "set it to a real number (e.g. 0.01)")
        return PIECES["leaky_relu"](slope)
    if isinstance(mod, nn.Hardtanh):  # nn.ReLU6 is a Hardtanh(0, 6)
        lo, hi = float(mod.min_val), float(mod.max_val)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError(f"layer {name!r}: Hardtanh min_val and max_val must be finite, got {lo}, {hi}")
        if not hi > lo:
            raise ValueError(f"layer {name!r}: Hardtanh needs min_val < max_val, got {lo}, {hi}")
        return PIECES["hardtanh"](lo, hi)
    if isinstance(mod, nn.Identity):
        return PIECES["identity"]()
    raise smooth_error(mod, name)


def smooth_error(mod: nn.Module, name: str) -> TypeError:
    """The error for a smooth activation given to an exact engine."""
    kind = type(mod).__name__
    return TypeError(
        f"layer {name!r} uses the activation {kind}, which is not piecewise linear: a network with it has no "
        "exact linear regions. Use a piecewise-linear activation instead: 'relu', 'leaky_relu', 'hardtanh' or "
        "'identity' (e.g. workbench.mlp(widths, 'relu'))."
    )


__all__ += ["smooth_error"]

_PL_MODULES = (nn.ReLU, nn.LeakyReLU, nn.Hardtanh, nn.Identity)


# ---------------------------------------------------------------------------
# Operations
# ---------------------------------------------------------------------------
@dataclass
class Affine:
    """``h -> lin(h) + bias`` acting on batches ``(B, *in_shape)``.

    ``kind`` is ``"linear"``, ``"conv2d"``, ``"scale"`` (batch norm: a per-channel
    scale) or ``"module"`` (pooling / flatten: the module itself, linear and
    bias-free).  ``weight`` is the weight of Linear / Conv2d (the one a weight
    sweep varies).  ``members`` holds the per-member operations of an ensemble
    (then the other fields are those of member 0).
    """

    kind: str
    name: str
    weight: torch.Tensor | None = None
    bias: torch.Tensor | None = None
    conv: dict | None = None
    module: nn.Module | None = None
    bias_channel: bool = False
    members: tuple[Affine, ...] = ()

    def lin(self, t: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
        """The linear part on a batch ``t``; ``weight`` replaces the layer's own (Linear / Conv2d)."""
        w = self.weight if weight is None else weight
        if self.kind == "linear":
            return t @ w.T
        if self.kind == "conv2d":
            return F.conv2d(t, w, None, **self.conv)
        if self.kind == "scale":
            return t * w.view(1, -1, *([1] * (t.dim() - 2)))  # the channel dim is 1
        return self.module(t)

    def add_bias(self, t: torch.Tensor) -> torch.Tensor:
        if self.bias is None:
            return t
        if self.bias_channel:
            return t + self.bias.view(1, -1, *([1] * (t.dim() - 2)))
        return t + self.bias

    def values(self, t: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
        """``lin(t) + bias`` on values (``F.linear`` for Linear: the numbers of ``nn.Linear``)."""
        if self.kind == "linear":
            return F.linear(t, self.weight if weight is None else weight, self.bias)
        return self.add_bias(self.lin(t, weight))


@dataclass
class Activation:
    """An elementwise activation layer, with an optional shortcut added after it.

    ``pieces`` is ``None`` for a smooth activation (``fn`` computes it; only a
    plain forward pass can use it).  For a piecewise-linear one, ``fn`` (the
    module, when compiled from one) computes forward passes on values.  ``shortcut``: ``None``, ``"prev"`` (the
    maps saved by the last :class:`SaveShortcut`, add-shortcuts) or ``"input"``
    (the network input, add-inputs), aligned by row (:func:`workbench.nets.multilayer.match_width`).
    """

    pieces: Pieces | None
    name: str
    shortcut: str | None = None
    fn: nn.Module | None = None
    _tables: dict = field(default_factory=dict, repr=False)

    @property
    def piecewise_linear(self) -> bool:
        return self.pieces is not None

    @property
    def breakpoints(self) -> tuple[float, ...]:
        return self.pieces.breakpoints

    @property
    def slopes(self) -> tuple[float, ...]:
        return self.pieces.slopes

    @property
    def offsets(self) -> tuple[float, ...]:
        return self.pieces.offsets

    def tables(self, dtype: torch.dtype, device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``(breakpoints, slopes, offsets)`` as tensors (cached per dtype and device)."""
        key = (dtype, device)
        if key not in self._tables:
            p = self.pieces
            self._tables[key] = tuple(torch.tensor(v, dtype=dtype, device=device)
                                      for v in (p.breakpoints, p.slopes, p.offsets))
        return self._tables[key]


@dataclass
class SaveShortcut:
    """Remember the current maps (the source of an add-shortcuts term)."""


@dataclass
class CompiledNet:
    """A network as operations.

    ``in_shape``: the input shape when the first layer fixes it (``None`` for a
    conv net, which takes any spatial size); ``in_ndim``: dimensions of one
    input (1 for a Linear first layer, 3 for Conv2d, ``None`` when unknown);
    ``n_members``: 1, or the size of the ensemble (grouped operations).
    """

    ops: list
    in_shape: tuple[int, ...] | None
    in_ndim: int | None
    n_members: int = 1

    @property
    def activations(self) -> list[Activation]:
        return [o for o in self.ops if isinstance(o, Activation)]

    @property
    def n_activation_layers(self) -> int:
        return sum(isinstance(o, Activation) for o in self.ops)

    @property
    def piecewise_linear(self) -> bool:
        return all(a.piecewise_linear for a in self.activations)

    def first_smooth(self) -> Activation | None:
        return next((a for a in self.activations if not a.piecewise_linear), None)

    def require_hidden_layers(self, widths: Sequence[int] | None = None) -> CompiledNet:
        """Raise ``ValueError`` when there is no activation layer (nothing between input and output)."""
        if self.n_activation_layers == 0:
            what = f"the network {list(widths)}" if widths is not None else "the network"
            raise ValueError(
                f"{what} has no hidden layers: there is no layer to trace a "
                "trajectory through; build one with at least one hidden layer, e.g. widths=[d, 64, 1]"
            )
        return self


# ---------------------------------------------------------------------------
# The compiler
# ---------------------------------------------------------------------------
def _check_finite(net: nn.Module) -> None:
    """The one network check (:func:`workbench.validation.check_net`): finite, real, float32/64, not on meta."""
    check_net(net)


def _linear_op(mod: nn.Linear, name: str, dev, dtype) -> Affine:
    W = mod.weight.detach().to(dev, dtype)
    b = None if mod.bias is None else mod.bias.detach().to(dev, dtype)
    return Affine("linear", name, W, b)


def _bn_op(mod: nn.modules.batchnorm._BatchNorm, name: str, dev, dtype) -> Affine:
    if mod.training and mod.track_running_stats:
        raise ValueError(
            f"layer {name!r} ({type(mod).__name__}) is in training mode, where it normalises by batch statistics "
            "and is not a fixed affine map; call net.eval() first."
        )
    if mod.running_mean is None:
        raise ValueError(
            f"layer {name!r} ({type(mod).__name__}) has no running statistics (track_running_stats=False), so it "
            "is not a fixed affine map; the exact engine needs BatchNorm with running statistics in eval mode."
        )
    var = mod.running_var.detach().to(dev, dtype)
    mean = mod.running_mean.detach().to(dev, dtype)
    scale = 1.0 / torch.sqrt(var + mod.eps)
    shift = -mean * scale
    if mod.affine:
        w = mod.weight.detach().to(dev, dtype)
        b = mod.bias.detach().to(dev, dtype)
        scale, shift = scale * w, shift * w + b
    return Affine("scale", name, scale, shift, bias_channel=True)


def _conv_op(mod: nn.Conv2d, name: str, dev, dtype) -> Affine:
    if mod.padding_mode != "zeros":
        raise ValueError(f"layer {name!r}: only padding_mode='zeros' is supported, got {mod.padding_mode!r}")
    w = mod.weight.detach().to(dev, dtype)
    b = None if mod.bias is None else mod.bias.detach().to(dev, dtype)
    kw = dict(stride=mod.stride, padding=mod.padding, dilation=mod.dilation, groups=mod.groups)
    return Affine("conv2d", name, w, b, conv=kw, bias_channel=True)


def _flatten_sequential(mod: nn.Module, prefix: str = "") -> list[tuple[str, nn.Module]]:
    out = []
    for n, m in mod.named_children():
        full = f"{prefix}{n}"
        if isinstance(m, nn.Sequential):
            out.extend(_flatten_sequential(m, full + "."))
        else:
            out.append((full, m))
    return out


def _activation(m: nn.Module, name: str, allow_smooth: bool, label: str | None = None) -> Activation:
    if isinstance(m, _PL_MODULES):
        return Activation(pieces_of(m, name), name, fn=m)
    if allow_smooth and isinstance(m, SMOOTH_ACTIVATIONS + (Square,)):
        return Activation(None, name, fn=m)
    raise smooth_error(m, label or name)


def _compile_mlp(net: MLP, dev, dtype, allow_smooth: bool) -> CompiledNet:
    ops: list = []
    shortcut = {"add-shortcuts": "prev", "add-inputs": "input", None: None}[net.shortcuts]
    for l in range(net.n_hidden):
        name = f"layers.{l}"
        if net.shortcuts == "add-shortcuts":
            ops.append(SaveShortcut())
        ops.append(_linear_op(net.layers[l], name, dev, dtype))
        act = _activation(net.act, f"{name}.act", allow_smooth, label=f"{name} ({net.activation})")
        act.shortcut = shortcut
        ops.append(act)
    ops.append(_linear_op(net.layers[-1], f"layers.{net.n_hidden}", dev, dtype))
    return CompiledNet(ops, (net.widths[0],), 1)


def _compile_sequential(net: nn.Module, dev, dtype, allow_smooth: bool) -> CompiledNet:
    if isinstance(net, nn.Sequential):
        mods = _flatten_sequential(net)
    elif isinstance(net, (nn.Linear, nn.Conv2d)):
        mods = [("0", net)]
    else:
        raise TypeError(
            f"unsupported network type {type(net).__name__}; the exact engine takes workbench.mlp(...) networks "
            "or nn.Sequential stacks of Linear / Conv2d / BatchNorm (eval) / AvgPool2d / Flatten and "
            "piecewise-linear activations"
        )
    ops: list = []
    in_shape = in_ndim = None
    for name, m in mods:
        first = not ops
        if isinstance(m, nn.Linear):
            if first:
                in_shape, in_ndim = (m.in_features,), 1
            ops.append(_linear_op(m, name, dev, dtype))
        elif isinstance(m, nn.Conv2d):
            if first:
                in_ndim = 3
            ops.append(_conv_op(m, name, dev, dtype))
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            ops.append(_bn_op(m, name, dev, dtype))
        elif isinstance(m, (nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.Flatten, nn.Unflatten, nn.AvgPool1d)):
            ops.append(Affine("module", name, module=m))
        elif isinstance(m, nn.Dropout):
            if m.training and m.p > 0:
                raise ValueError(f"layer {name!r} (Dropout) is in training mode and random; call net.eval() first")
        elif isinstance(m, (nn.MaxPool2d, nn.MaxPool1d, nn.AdaptiveMaxPool2d)):
            raise NotImplementedError(
                f"layer {name!r} ({type(m).__name__}): max pooling is piecewise linear, but the engine does not "
                "split regions by its argmax boundaries yet; replace it with nn.AvgPool2d (exact) to partition "
                "this network"
            )
        elif isinstance(m, _PL_MODULES) or isinstance(m, SMOOTH_ACTIVATIONS):
            ops.append(_activation(m, name, allow_smooth))
        elif isinstance(m, _NOT_ELEMENTWISE):
            raise smooth_error(m, name)
        else:
            raise TypeError(
                f"layer {name!r} has the unsupported type {type(m).__name__}; supported: Linear, Conv2d, "
                "BatchNorm1d/2d (eval), AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout (eval), ReLU, LeakyReLU, "
                "Hardtanh, ReLU6, Identity"
            )
    return CompiledNet(ops, in_shape, in_ndim)


def compile_network(net, *, device: DeviceLike = None, dtype: torch.dtype = DTYPE,
                    allow_smooth: bool = False) -> CompiledNet:
    """Translate ``net`` into a :class:`CompiledNet` (weights copied to ``device`` in ``dtype``).

    Accepts a ``workbench.mlp`` (any shortcuts), an ``nn.Sequential`` (nested
    Sequentials are flattened) of Linear, Conv2d, BatchNorm1d/2d (eval mode),
    AvgPool1d/2d, AdaptiveAvgPool2d, Flatten, Unflatten, Dropout (eval mode)
    and activations, a single Linear / Conv2d, or a :class:`workbench.Ensemble`
    of one of those (its operations are grouped by member).  Smooth activations
    raise ``TypeError`` unless ``allow_smooth`` (forward passes only); max
    pooling raises ``NotImplementedError``; NaN/inf weights ``ValueError``.
    """
    from workbench.nets.ensemble import is_ensemble

    dev = resolve_device(device)
    if is_ensemble(net):
        members = [compile_network(net.member(i), device=dev, dtype=dtype, allow_smooth=allow_smooth)
                   for i in range(len(net))]
        return _group(members)
    _check_finite(net)
    if isinstance(net, MLP):
        return _compile_mlp(net, dev, dtype, allow_smooth)
    return _compile_sequential(net, dev, dtype, allow_smooth)


def _group(members: list[CompiledNet]) -> CompiledNet:
    first = members[0]
    ops = []
    for j, op in enumerate(first.ops):
        if isinstance(op, Affine):
            ms = tuple(m.ops[j] for m in members)
            ops.append(Affine(op.kind, op.name, op.weight, op.bias, op.conv, op.module, op.bias_channel,
                              members=ms if len(ms) > 1 else ()))
        else:
            ops.append(op)
    return CompiledNet(ops, first.in_shape, first.in_ndim, len(members))


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


__all__ += ["State", "OnActivation"]


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
