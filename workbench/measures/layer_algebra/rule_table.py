"""The machinery of the layer algebra's rule table (Badias & Banerjee, §5): what a rule sees, what it returns,
and the table that looks rules up.

Every operation of a traced network gets a *local intrinsic power* ``p`` and a *local complexity* ``c``
(eqs. 4-7) from one rule.  This module holds the types around the rules, not the rules themselves:

* :class:`LocalMetric`: a rule's answer, ``(p, c)`` with its kind (kernel, activation, composite or neutral);
* :class:`OpInfo`: what a rule sees of one ``torch.fx`` node (inputs, output, arguments, options);
* :class:`LayerAlgebraOptions`: the readings where the paper is ambiguous, with the paper's activation
  constants :data:`PAPER_ACTIVATION_CONSTANTS` (§5.6-5.9) as the default;
* :class:`RuleTable`: rules keyed by module class (along the MRO), function or method name;
  :class:`LayerAlgebraError` for what the layer algebra cannot handle.

The built-in rules (the paper's formulas) and :func:`~workbench.measures.layer_algebra.rules.layer_algebra_rules`
are in :mod:`workbench.measures.layer_algebra.rules`, whose docstring explains every formula and which
re-exports every name here.
"""
from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "LocalMetric", "OpInfo", "LayerAlgebraOptions", "RuleTable", "PAPER_ACTIVATION_CONSTANTS", "LayerAlgebraError",
    "function_label",
]

PAPER_ACTIVATION_CONSTANTS: dict[str, tuple[float, float]] = {
    "relu": (0.584, 1.713),
    "tanh": (0.628, 1.592),
    "sigmoid": (0.208, 4.802),
    "softmax": (1.342e-05, 7.454e04),
}
"""Local (power, complexity) of the activations, Badias & Banerjee §5.6-5.9."""

KINDS = ("kernel", "activation", "neutral", "composite")


class LayerAlgebraError(ValueError):
    """A model or operation the layer algebra cannot handle (the message says why and what to do)."""


@dataclass(frozen=True)
class LocalMetric:
    """Local intrinsic power ``power`` and complexity ``complexity`` of one operation.

    ``kind`` is ``"kernel"``, ``"activation"``, ``"composite"`` (counted in the
    global sum complexity, eq. 3) or ``"neutral"`` (factor 1 in the products,
    0 in the sum).  ``note`` says which formula produced the values.

    ``paths`` matters only under ``accumulate="sum"``: an operation that copies its input to
    ``paths`` parallel branches merged inside it by eq. 20 (an attention's q, k and v paths, the
    ``g`` groups of a split convolution) maps the incoming cumulative complexity ``C`` to
    ``paths * C + complexity`` (and the power ``P`` to ``P + power``: the merges take the max).
    Under the product reading the branches are already folded into ``complexity``.
    """

    power: float
    complexity: float
    kind: str = "kernel"
    note: str = ""
    paths: int = 1

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"LocalMetric kind must be one of {KINDS}, got {self.kind!r}")
        if isinstance(self.paths, bool) or not isinstance(self.paths, int) or self.paths < 1:
            raise ValueError(f"LocalMetric paths must be an int >= 1, got {self.paths!r}")
        for name in ("power", "complexity"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ValueError(f"LocalMetric {name} must be a finite number >= 0, got {v!r}")

    @property
    def neutral(self) -> bool:
        return self.kind == "neutral"


NEUTRAL = LocalMetric(1.0, 1.0, "neutral", "neutral")


@dataclass(frozen=True)
class LayerAlgebraOptions:
    """The choices where the paper is ambiguous (see the module docstring).

    conv_kernel : ``"filter"`` (default: ``K = K_H K_W C_in / groups`` in the
        complexity) or ``"spatial"`` (the paper's literal ``K_H K_W``).
    groups : ``"split"`` (default) or ``"dense"``.
    pooling_filters : ``"channels"`` (default, ``n_k = C``) or ``"one"``.
    attention : ``"paths"`` (default) or ``"no_softmax"``.
    constants : mapping ``family -> (power, complexity)`` for the families
        ``relu``, ``tanh``, ``sigmoid``, ``softmax``; missing families keep the
        paper's values.
    accumulate : how cumulative values compose along a path. ``"product"``
        (default): ``P = P_prev p`` and ``C = C_prev c`` from a unit input
        (eq. 18, §6.2, Fig. 4). ``"sum"``: eq. 2's integral read as a sum of the
        local values, ``P = P_prev + p`` and ``C = C_prev + c`` from a zero
        input, neutral operations adding 0 (as in GSC, eq. 3). The merges are
        eqs. 19-20 in both (max of the powers, sum of the complexities).
    """

    conv_kernel: str = "filter"
    groups: str = "split"
    pooling_filters: str = "channels"
    attention: str = "paths"
    constants: Mapping[str, tuple[float, float]] = field(default_factory=lambda: dict(PAPER_ACTIVATION_CONSTANTS))
    accumulate: str = "product"

    _CHOICES = {
        "conv_kernel": ("filter", "spatial"),
        "groups": ("split", "dense"),
        "pooling_filters": ("channels", "one"),
        "attention": ("paths", "no_softmax"),
        "accumulate": ("product", "sum"),
    }

    def __post_init__(self):
        for name, allowed in self._CHOICES.items():
            v = getattr(self, name)
            if v not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {v!r}")
        if not isinstance(self.constants, Mapping):
            raise TypeError("constants must be a mapping family -> (power, complexity), "
                            f"not {type(self.constants).__name__}")
        merged = dict(PAPER_ACTIVATION_CONSTANTS)
        for fam, pc in self.constants.items():
            if fam not in PAPER_ACTIVATION_CONSTANTS:
                raise ValueError(f"constants: unknown activation family {fam!r}; "
                                 f"accepted: {sorted(PAPER_ACTIVATION_CONSTANTS)}")
            try:
                p, c = (float(v) for v in pc)
            except (TypeError, ValueError):
                raise ValueError(f"constants[{fam!r}] must be a pair (power, complexity), got {pc!r}") from None
            if not (math.isfinite(p) and math.isfinite(c) and p > 0 and c > 0):
                raise ValueError(f"constants[{fam!r}] must be finite and > 0, got {pc!r}")
            merged[fam] = (p, c)
        object.__setattr__(self, "constants", merged)


@dataclass
class OpInfo:
    """What a rule sees of one operation (one ``torch.fx`` node).

    ``inputs`` are the data tensors flowing in (meta tensors with a batch
    dimension of 1), ``output`` the result (a meta tensor, or a tuple of them);
    ``args`` / ``kwargs`` are the node's arguments with every node replaced by
    its propagated value.  ``module`` is the called ``nn.Module`` or ``None``.
    """

    name: str
    op: str
    target: Any
    module: nn.Module | None
    inputs: tuple
    output: Any
    args: tuple
    kwargs: dict
    options: LayerAlgebraOptions

    @property
    def input(self) -> torch.Tensor:
        return self.inputs[0]

    @property
    def out_tensor(self) -> torch.Tensor:
        out = self.output
        while isinstance(out, (tuple, list)):
            out = out[0]
        return out

    @property
    def in_numel(self) -> int:
        """Size of the (first) data input of one sample, ``Phi_in``."""
        return _per_sample(self.input)

    @property
    def out_numel(self) -> int:
        """Size of the output of one sample, ``Phi_out``."""
        return _per_sample(self.out_tensor)

    def arg(self, index: int, name: str, default=None):
        """Argument ``name`` given by keyword or at position ``index``."""
        if name in self.kwargs:
            return self.kwargs[name]
        if len(self.args) > index:
            return self.args[index]
        return default


def _per_sample(t: torch.Tensor) -> int:
    if t.dim() == 0:
        return 1
    return int(math.prod(t.shape[1:]))


Rule = Union[LocalMetric, str, Callable[[OpInfo], LocalMetric]]


def function_label(fn) -> str:
    """How to spell ``fn`` in Python: ``torch.erf``, ``torch.nn.functional.relu``, ``operator.add``, ..."""
    name = getattr(fn, "__name__", None)
    if name is not None:
        for prefix, mod in (("torch", torch), ("torch.nn.functional", F), ("operator", operator)):
            if getattr(mod, name, None) is fn:
                return f"{prefix}.{name}"
        module = getattr(fn, "__module__", None)
        if module:
            return f"{module}.{getattr(fn, '__qualname__', name)}"
        return name
    return repr(fn)


def _key_label(key) -> str:
    if isinstance(key, str):
        return f"method {key!r}"
    if isinstance(key, type):
        return f"{key.__module__}.{key.__qualname__}"
    return function_label(key)


class RuleTable:
    """Rules keyed by ``nn.Module`` subclass, function object, or method name (str).

    A module is looked up along its class's MRO, so a subclass of ``nn.Conv2d``
    gets the convolution rule unless it has its own.
    """

    def __init__(self, rules: Mapping[Any, Rule] | None = None):
        self._rules: dict[Any, Callable[[OpInfo], LocalMetric]] = {}
        for k, v in (rules or {}).items():
            self.register(k, v)

    def register(self, key, rule: Rule) -> RuleTable:
        """Add or replace the rule for ``key`` (a module class, a function, or a method name).

        ``rule`` is a callable ``OpInfo -> LocalMetric``, a constant
        :class:`LocalMetric`, or the string ``"neutral"``.
        """
        if not (isinstance(key, (str, type)) or callable(key)):
            raise TypeError(f"a rule key is an nn.Module subclass, a function or a method name, not {key!r}")
        if isinstance(key, type) and not issubclass(key, nn.Module):
            raise TypeError(f"a rule key class must subclass nn.Module, got {key.__qualname__}")
        if isinstance(rule, str):
            if rule != "neutral":
                raise ValueError(f"the only named rule is 'neutral', got {rule!r}")
            fn = lambda op: NEUTRAL  # noqa: E731
        elif isinstance(rule, LocalMetric):
            fn = lambda op, _m=rule: _m  # noqa: E731
        elif callable(rule):
            fn = rule
        else:
            raise TypeError(f"a rule is a callable OpInfo -> LocalMetric, a LocalMetric or 'neutral', not {rule!r}")
        self._rules[key] = fn
        return self

    def remove(self, key) -> RuleTable:
        """Drop the rule for ``key`` (a module class without a rule is then traced through, if it can be)."""
        if key not in self._rules:
            raise KeyError(f"no rule for {_key_label(key)} in this table")
        del self._rules[key]
        return self

    def copy(self) -> RuleTable:
        t = RuleTable()
        t._rules = dict(self._rules)
        return t

    def __contains__(self, key) -> bool:
        return key in self._rules

    def __len__(self) -> int:
        return len(self._rules)

    def keys(self) -> list:
        return list(self._rules)

    def lookup(self, op: str, target, module: nn.Module | None):
        """The rule for a node, or ``None``."""
        if op == "call_module":
            for cls in type(module).__mro__:
                if cls in self._rules:
                    return self._rules[cls]
                if cls is nn.Module:
                    break
            return None
        if op == "call_method":
            return self._rules.get(target)
        try:
            return self._rules.get(target)
        except TypeError:  # an unhashable target
            return None

    @staticmethod
    def describe(op: str, target, module) -> str:
        if op == "call_module":
            return _key_label(type(module))
        if op == "call_method":
            return f"method {target!r}"
        return _key_label(target)
