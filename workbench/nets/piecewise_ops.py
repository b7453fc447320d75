"""The piecewise-linear core's representation: the table of activation pieces and the operations of a network.

A network of affine layers and piecewise-linear activations is a continuous piecewise-linear function (Raghu et
al. 2017; Johansson 2022, ch. 1 eqs. 1.4-1.5): on piece ``j`` an activation is ``f(z) = slopes[j] z + offsets[j]``.
This module holds what the core is made of, with no network-specific logic:

* :data:`PIECES` / :class:`Pieces`: the one table of activation pieces, and :func:`pieces_of` for a module;
* :data:`MODULE_KINDS` / :func:`module_kind`: the one table of what each kind of layer is (an affine layer, a
  bias-free linear map, max pooling, a piecewise-linear or smooth activation, batch norm, a container);
* the operations a network compiles to: :class:`Affine`, :class:`Activation`, :class:`SaveShortcut`, gathered in
  a :class:`CompiledNet`.

The compiler that builds them from ``nn.Module`` s is :mod:`workbench.nets.piecewise_compile`; pushing maps
through them is :mod:`workbench.nets.piecewise`, the core's entry point, which re-exports every name here.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from workbench.nets.svd_layers import SVDLinear

__all__ = [
    "Pieces", "PIECES", "pieces_of", "smooth_error", "Affine", "Activation", "SaveShortcut", "CompiledNet",
    "SMOOTH_ACTIVATIONS", "MODULE_KINDS", "module_kind", "DTYPE",
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


_PL_MODULES = (nn.ReLU, nn.LeakyReLU, nn.Hardtanh, nn.Identity)


# ---------------------------------------------------------------------------
# The table of module kinds
# ---------------------------------------------------------------------------
MODULE_KINDS: dict[str, tuple[type[nn.Module], ...]] = {
    "affine": (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, SVDLinear),
    "linear": (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d, nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d,
               nn.AdaptiveAvgPool3d, nn.Flatten, nn.Unflatten, nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d),
    "max_pool": (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d,
                 nn.AdaptiveMaxPool3d),
    "piecewise_linear": _PL_MODULES,
    "hard_activation": (nn.Hardsigmoid, nn.Hardswish),
    "smooth": tuple(c for c in SMOOTH_ACTIVATIONS if c not in (nn.Hardsigmoid, nn.Hardswish)),
    "not_elementwise": _NOT_ELEMENTWISE,
    "batch_norm": (nn.modules.batchnorm._BatchNorm,),
    "container": (nn.Sequential, nn.ModuleList, nn.ModuleDict),
}
"""Kind -> the ``nn.Module`` classes of that kind; every class is of one kind (:func:`module_kind`).

* ``"affine"``: a layer ``x -> W x + b`` with its own weight and (optional) bias: Linear, Conv1d/2d/3d and
  :class:`~workbench.nets.svd_layers.SVDLinear` (the SVD layers of Wang et al. 2016, §5);
* ``"linear"``: a bias-free linear map (``f(a x + b y) = a f(x) + b f(y)``): average pooling (adaptive too),
  Flatten, Unflatten, and Dropout in eval mode (the identity; random in training mode);
* ``"max_pool"``: max pooling (adaptive too): piecewise linear and positively homogeneous (a max of linear maps);
* ``"piecewise_linear"``: an activation with :class:`Pieces` (:func:`pieces_of`): ReLU, LeakyReLU, Hardtanh /
  ReLU6, Identity; positively homogeneous exactly when its pieces are :attr:`Pieces.linear`;
* ``"hard_activation"``: Hardsigmoid (piecewise linear with offsets, not positively homogeneous) and Hardswish
  (piecewise quadratic): not smooth, but with no :class:`Pieces` either (the exact engines, through
  :data:`SMOOTH_ACTIVATIONS`, treat them like smooth ones);
* ``"smooth"``: the other :data:`SMOOTH_ACTIVATIONS` (elementwise and smooth: Tanh, Sigmoid, GELU, ...);
* ``"not_elementwise"``: Softmax, LogSoftmax (smooth, and they mix the units);
* ``"batch_norm"``: BatchNorm (an affine map in eval mode with running statistics);
* ``"container"``: Sequential, ModuleList, ModuleDict (no computation of their own).

This says what a module *is*; which kinds an engine *implements* is the engine's own business:
:func:`~workbench.nets.piecewise_compile.compile_network` takes Linear, Conv2d, BatchNorm (eval), average
pooling, Flatten / Unflatten, Dropout (eval) and piecewise-linear activations (not Conv1d/3d, SVD layers or max
pooling); the exact route of :func:`workbench.measures.edjm.edjm` (autograd, not this compiler) takes the
affine, linear, max-pooling and container kinds and the positively homogeneous piecewise-linear activations.
Conv1d/3d, SVDLinear, the pooling, dropout and container entries were added for the EDJM (issue 24 item 5, where
``edjm.py`` had its own copy of such a table).
"""


def module_kind(mod: nn.Module) -> str | None:
    """The kind of ``mod`` in :data:`MODULE_KINDS` (``"affine"``, ``"linear"``, ...), ``None`` if it is none of them.

    ``None`` for a custom module (its children, if any, have kinds) and for layers the table does not
    classify (e.g. ``nn.Upsample``, the ESD paper's ``Square``).
    """
    for kind, types in MODULE_KINDS.items():
        if isinstance(mod, types):
            return kind
    return None


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
