"""The local-metric rule table of the layer algebra (Badias & Banerjee, §5).

Every operation of a traced network gets a *local intrinsic power* ``p`` and a
*local complexity* ``c`` from one rule, looked up in a :class:`RuleTable` by
the operation's module class (walking the class hierarchy), its function, or
its method name.  :func:`layer_algebra_rules` returns a fresh copy of the
built-in table; :meth:`RuleTable.register` extends it::

    rules = wb.layer_algebra_rules()
    rules.register(MyOp, lambda op: wb.LocalMetric(op.out_numel / op.in_numel, 3.0, "kernel"))
    rules.register("my_method", "neutral")
    wb.layer_algebra(net, (3, 32, 32), rules=rules)

The built-in rules (``p`` / ``c``):

* **Kernel operations** (eq. 4, 6).  Convolution (eqs. 8-11):
  ``p = n_k S_o / (K S_i)`` and ``c = n_k log2 K``, with ``n_k`` the number of
  filters (output channels), ``S_o`` the spatial output size of one filter and
  ``K S_i`` the number of input values one filter position averages times the
  input size.  We read ``S_i`` as the whole input volume ``C_in H W`` with
  ``K = K_H K_W``, so ``p = Phi_out / (K_H K_W Phi_in)``: a symmetric
  conv / transpose-conv pair then has ``p p' = 1`` (the paper's autoencoder,
  Fig. 7, returns to a GCIP of 1).  In ``c`` the paper writes ``K = K_H x K_W``;
  taken literally a 1x1 convolution has ``c = n_k log2 1 = 0`` and zeroes every
  cumulative product behind it (all of ResNet-50's bottlenecks), so by default
  ``K`` in ``c`` is the filter volume ``K_H K_W C_in / groups`` (the size of the
  local weighting tensor, eq. 6); ``conv_kernel="spatial"`` gives the literal
  reading.  Transpose convolution (eqs. 12-14): ``p = K_H K_W Phi_out / Phi_in``,
  the same ``c``.  Fully connected (eqs. 15-16): ``p = D_out / D_in``,
  ``c = log2(D_out D_in)``.
* **Grouped / depthwise convolutions** (not in the paper): by default
  (``groups="split"``) a convolution with ``g`` groups is ``g`` parallel
  convolutions on ``C_in / g`` channels merged by the layer algebra itself
  (max of equal powers, sum of complexities), which gives the formulas above
  with the filter volume ``K_H K_W C_in / g``.  ``groups="dense"`` ignores the
  groups (every filter sees all ``C_in`` channels).
* **Pooling** (§5.4): the convolution formulas with ``K`` the window.  The
  paper does not say what ``n_k`` is: ``pooling_filters="channels"`` (default)
  is one window per channel (``n_k = C``, like a depthwise convolution),
  ``"one"`` is a single filter (``n_k = 1``).  Global pooling is one filter the
  size of the input plane (``K = H W``, ``S_o = 1``).  A reduction (``mean``,
  ``amax``, ...) is a global pooling over its dimensions.  A pooling whose
  window is one element is an identity and neutral (``log2 1 = 0`` would zero
  every product behind it).
* **Activations** (eqs. 5, 7): the paper's constants, ``p`` and ``c = 1/p``
  (ReLU 0.584 / 1.713 for every ReLU variant, tanh 0.628 / 1.592, sigmoid
  0.208 / 4.802, softmax 1.342e-05 / 7.454e04); switch them with
  ``constants=`` (a mapping ``family -> (p, c)``, for example from
  :func:`workbench.measures.estimate_activation_constants`).  Hard variants map to
  their smooth family (hardtanh -> tanh, hardsigmoid -> sigmoid, log-softmax
  and softmin -> softmax; GELU, SiLU/swish, Mish, ELU, SELU, CELU, softplus,
  hardswish, (leaky/parametric) ReLU and ReLU6 -> ReLU, §5.6).
* **Neutral** (factor 1 in products, 0 in the sums of GSC): batch norm (§5.10),
  dropout and stochastic depth (§5.11), identity, flatten, reshapes,
  permutations, slicing, and element-wise operations with constants or
  parameters (scaling does not change a classifier's capacity, §5.2).
* **Layer and group norm** (transformers, not in the paper): neutral like batch
  norm (``norm="neutral"``, the only choice offered: they rescale, §5.10).
* **Attention** (not in the paper): ``nn.MultiheadAttention`` and torchvision's
  shifted-window attention are expanded into their paths with embedding size
  ``E``: three parallel ``E -> E`` projections (``c_lin = log2 E^2``, ``p = 1``),
  the query and key paths merge into the scores, softmax, merge with the
  value path, output projection.  Propagating a unit input through that
  sub-graph gives ``p = 1`` and ``c = c_lin^2 (2 c_softmax + 1)``
  (``attention="paths"``, default); ``attention="no_softmax"`` drops the
  softmax factor (``c = 3 c_lin^2``), whose constant 7.454e04 dominates.
  torchvision's MaxViT attention (one fused ``Linear(E, 3E)`` split into q, k
  and v) is measured whole by the same rule: the fused projection is the same
  three ``E -> E`` projections (traced through, the split would keep its
  ``p = 3``).  Under ``accumulate="sum"`` the rule gives the sum reading of
  the same sub-graph (``P + 2 + p_softmax``, ``3 C + 4 c_lin + c_softmax``).

Merges (addition, concatenation, multiplication of two data tensors, ...) are
not rules: the propagation takes the max of the incoming powers and the sum of
the incoming complexities at every node with several data inputs (eqs. 19-20)
and then applies the node's own (usually neutral) rule.

The types the rules work with (:class:`LocalMetric`, :class:`OpInfo`, :class:`LayerAlgebraOptions`,
:class:`RuleTable`) are in :mod:`workbench.measures.layer_algebra.rule_table` and re-exported here; this module
holds the built-in rules themselves and :func:`layer_algebra_rules`.
"""
from __future__ import annotations

import math
import operator
from dataclasses import replace

import torch
import torch.nn.functional as F
from torch import nn

from workbench.measures.layer_algebra.rule_table import (  # noqa: F401 (the table's types, importable from here)
    KINDS,
    NEUTRAL,
    PAPER_ACTIVATION_CONSTANTS,
    LayerAlgebraError,
    LayerAlgebraOptions,
    LocalMetric,
    OpInfo,
    Rule,
    RuleTable,
    _key_label,
    _per_sample,
    function_label,
)

__all__ = [
    "LocalMetric", "OpInfo", "LayerAlgebraOptions", "RuleTable", "layer_algebra_rules",
    "PAPER_ACTIVATION_CONSTANTS", "ACTIVATION_FAMILIES", "LayerAlgebraError",
]


# ---------------------------------------------------------------- kernel rules


def _tuple(v, n: int) -> tuple[int, ...]:
    if isinstance(v, (tuple, list)):
        return tuple(int(x) for x in v)
    return (int(v),) * n


def _conv_rule(op: OpInfo) -> LocalMetric:
    m = op.module
    transposed = isinstance(m, nn.modules.conv._ConvTransposeNd) if m is not None else False
    k_sp = int(math.prod(m.kernel_size))
    return _conv_metric(op, k_sp, m.in_channels, m.out_channels, m.groups, transposed)


def _conv_metric(op: OpInfo, k_sp: int, c_in: int, c_out: int, groups: int, transposed: bool) -> LocalMetric:
    o = op.options
    g = 1 if o.groups == "dense" else groups
    k_c = k_sp if o.conv_kernel == "spatial" else k_sp * (c_in // g if not transposed else c_in // g)
    phi_in, phi_out = op.in_numel, op.out_numel
    if transposed:
        p = k_sp * phi_out / phi_in
        note = f"transpose conv eqs. 12-14: p = K Phi_out/Phi_in, K={k_sp}; c = n_k log2 K, n_k={c_out}, K={k_c}"
    else:
        p = phi_out / (k_sp * phi_in)
        note = f"conv eqs. 8-11: p = Phi_out/(K Phi_in), K={k_sp}; c = n_k log2 K, n_k={c_out}, K={k_c}"
    # groups="split": g parallel convolutions merged by eq. 20 (under the sum reading the input is counted g times)
    paths = g if g > 1 else 1
    if paths > 1:
        note += f"; {g} groups as parallel paths"
    return LocalMetric(p, c_out * math.log2(k_c), "kernel", note, paths=paths)


def _functional_conv_rule(transposed: bool):
    def rule(op: OpInfo) -> LocalMetric:
        w = op.arg(1, "weight")
        groups = int(op.arg(6 if not transposed else 6, "groups", 1) or 1)
        if not isinstance(w, torch.Tensor):
            raise LayerAlgebraError(f"node {op.name!r}: a functional convolution without a weight tensor")
        k_sp = int(math.prod(w.shape[2:]))
        if transposed:
            c_in, c_out = w.shape[0], w.shape[1] * groups
        else:
            c_out, c_in = w.shape[0], w.shape[1] * groups
        return _conv_metric(op, k_sp, int(c_in), int(c_out), groups, transposed)
    return rule


def _linear_metric(d_in: int, d_out: int) -> LocalMetric:
    return LocalMetric(d_out / d_in, math.log2(d_out * d_in), "kernel",
                       f"fully connected eqs. 15-16: D_in={d_in}, D_out={d_out}")


def _linear_rule(op: OpInfo) -> LocalMetric:
    return _linear_metric(op.module.in_features, op.module.out_features)


def _bilinear_rule(op: OpInfo) -> LocalMetric:
    m = op.module
    return _linear_metric(m.in1_features * m.in2_features, m.out_features)


def _functional_linear_rule(op: OpInfo) -> LocalMetric:
    w = op.arg(1, "weight")
    return _linear_metric(int(w.shape[1]), int(w.shape[0]))


def _matmul_rule(op: OpInfo) -> LocalMetric:
    """``x @ W`` with a parameter ``W`` is a fully connected layer; two data tensors merge (neutral)."""
    if len(op.inputs) >= 2:
        return NEUTRAL
    a, b = op.args[0], op.args[1]
    w = b if a is op.inputs[0] else a
    if not isinstance(w, torch.Tensor) or w.dim() < 2:
        return NEUTRAL
    return _linear_metric(int(w.shape[-2]), int(w.shape[-1]))


def _pool_metric(op: OpInfo, k: float, n_channels: int, what: str) -> LocalMetric:
    if k <= 1 and op.out_numel == op.in_numel:
        return LocalMetric(1.0, 1.0, "neutral", f"{what} with a window of one element: an identity")
    n_k = n_channels if op.options.pooling_filters == "channels" else 1
    p = op.out_numel / (k * op.in_numel)
    return LocalMetric(p, n_k * math.log2(k), "kernel",
                       f"{what} §5.4: p = Phi_out/(K Phi_in), c = n_k log2 K, K={k:g}, n_k={n_k}")


def _pool_window(op: OpInfo, kernel_size) -> tuple[float, int]:
    x = op.input
    nd = x.dim() - 2
    return float(math.prod(_tuple(kernel_size, nd))), int(x.shape[1])


def _pool_rule(op: OpInfo) -> LocalMetric:
    k, c = _pool_window(op, op.module.kernel_size)
    return _pool_metric(op, k, c, type(op.module).__name__)


def _functional_pool_rule(op: OpInfo) -> LocalMetric:
    k, c = _pool_window(op, op.arg(1, "kernel_size"))
    return _pool_metric(op, k, c, getattr(op.target, "__name__", "pooling"))


def _adaptive_window(n_in: int, n_out: int) -> float:
    """Mean window length of PyTorch's adaptive pooling along one dimension."""
    total = 0
    for i in range(n_out):
        start = (i * n_in) // n_out
        end = -((-(i + 1) * n_in) // n_out)
        total += end - start
    return total / n_out


def _adaptive_rule(op: OpInfo) -> LocalMetric:
    x, y = op.input, op.out_tensor
    k = 1.0
    for n_in, n_out in zip(x.shape[2:], y.shape[2:]):
        k *= _adaptive_window(int(n_in), int(n_out))
    what = type(op.module).__name__ if op.module is not None else getattr(op.target, "__name__", "adaptive pooling")
    if all(int(o) == 1 for o in y.shape[2:]):
        what += " (global pooling: one filter the size of the input plane)"
    return _pool_metric(op, k, int(x.shape[1]), what)


def _reduction_rule(op: OpInfo) -> LocalMetric:
    """``x.mean(dims)`` and friends: a global pooling over ``dims`` (one window per output value)."""
    x = op.input
    dims = op.arg(1, "dim", None)
    if dims is None:
        dims = tuple(range(1, x.dim()))
    dims = _tuple(dims, 1)
    dims = tuple(d % x.dim() for d in dims)
    if 0 in dims:
        raise LayerAlgebraError(f"node {op.name!r} reduces over the batch dimension; the layer algebra "
                                "measures one sample at a time")
    k = float(math.prod(int(x.shape[d]) for d in dims))
    return _pool_metric(op, k, max(op.out_numel, 1), f"reduction over dims {dims}")


# ------------------------------------------------------------ activation rules

ACTIVATION_FAMILIES: dict[str, tuple] = {
    "relu": (nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU,
             nn.Mish, nn.Softplus, nn.Hardswish,
             F.relu, F.relu_, torch.relu, torch.relu_, F.relu6, F.leaky_relu, F.leaky_relu_, F.elu, F.selu,
             F.celu, F.gelu, F.silu, F.mish, F.softplus, F.hardswish, F.prelu, F.rrelu,
             "relu", "relu_"),
    "tanh": (nn.Tanh, nn.Hardtanh, nn.Softsign, nn.Tanhshrink, torch.tanh, F.tanh, F.hardtanh, F.hardtanh_,
             F.softsign, "tanh", "tanh_"),
    "sigmoid": (nn.Sigmoid, nn.Hardsigmoid, torch.sigmoid, F.sigmoid, F.hardsigmoid, "sigmoid", "sigmoid_"),
    "softmax": (nn.Softmax, nn.LogSoftmax, nn.Softmin, nn.Softmax2d, F.softmax, F.log_softmax, F.softmin,
                torch.softmax, torch.log_softmax, "softmax", "log_softmax"),
}
"""Which modules, functions and methods share the constants of each activation family."""


def _activation_rule(family: str):
    def rule(op: OpInfo) -> LocalMetric:
        p, c = op.options.constants[family]
        return LocalMetric(p, c, "activation", f"{family} constants (§5.6-5.9)")
    rule.family = family
    return rule


# ------------------------------------------------------------- attention rules


def _attention_metric(op: OpInfo, embed: int) -> LocalMetric:
    """The attention sub-graph (q, k, v projections E -> E, q.k merge, softmax, merge with v, out projection)
    propagated from the incoming values: under the product reading ``P -> P`` and ``C -> C c_lin^2 (2 c_sm + 1)``;
    under the sum reading ``P -> P + 2 + p_sm`` and ``C -> 3 C + 4 c_lin + c_sm`` (three paths)."""
    c_lin = math.log2(embed * embed)
    softmax = op.options.attention == "paths"
    p_sm, c_sm = op.options.constants["softmax"]
    what = (f"attention paths: 3 projections E={embed} (c_lin={c_lin:g}), softmax on q.k, out projection"
            if softmax else f"attention paths without the softmax factor, E={embed}")
    if op.options.accumulate == "sum":
        p, c = (2.0 + p_sm, 4 * c_lin + c_sm) if softmax else (2.0, 4 * c_lin)
        return LocalMetric(p, c, "composite", what + "; summed along the paths", paths=3)
    c = c_lin * c_lin * (2 * c_sm + 1) if softmax else 3 * c_lin * c_lin
    return LocalMetric(1.0, c, "composite", what)


def _mha_rule(op: OpInfo) -> LocalMetric:
    return _attention_metric(op, int(op.module.embed_dim))


def _window_attention_rule(op: OpInfo) -> LocalMetric:
    return _attention_metric(op, int(op.input.shape[-1]))


def _fused_qkv_attention_rule(op: OpInfo) -> LocalMetric:
    """torchvision's MaxViT attention: one fused ``Linear(E, 3E)`` split into q, k, v is the same operation as
    three ``E -> E`` projections, so it gets the attention rule (without it the split would carry ``p = 3``)."""
    return _attention_metric(op, int(op.module.merge.out_features))


# ---------------------------------------------------------------- the table

_NEUTRAL_MODULES = (
    nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.SyncBatchNorm, nn.LazyBatchNorm1d, nn.LazyBatchNorm2d,
    nn.InstanceNorm1d, nn.InstanceNorm2d, nn.InstanceNorm3d, nn.LayerNorm, nn.GroupNorm, nn.LocalResponseNorm,
    nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.FeatureAlphaDropout,
    nn.Identity, nn.Flatten, nn.Unflatten, nn.ZeroPad2d, nn.ConstantPad2d, nn.ChannelShuffle,
)

_NEUTRAL_FUNCTIONS = (
    F.batch_norm, F.layer_norm, F.group_norm, F.instance_norm, F.dropout, F.dropout2d, F.dropout1d,
    F.alpha_dropout, F.pad, F.normalize,
    torch.flatten, torch.reshape, torch.permute, torch.transpose, torch.swapaxes, torch.squeeze,
    torch.unsqueeze, torch.chunk, torch.split, torch.narrow, torch.roll, torch.cat, torch.concat,
    torch.stack, torch.add, torch.sub, torch.mul, torch.div, torch.t, torch.flip, torch.clone,
    torch.einsum, torch.functional.einsum, torch.channel_shuffle,
    operator.add, operator.iadd, operator.sub, operator.isub, operator.mul, operator.imul,
    operator.truediv, operator.itruediv, operator.neg, operator.getitem, operator.pos,
)

_NEUTRAL_METHODS = (
    "view", "reshape", "flatten", "permute", "transpose", "contiguous", "squeeze", "unsqueeze", "expand",
    "expand_as", "chunk", "split", "narrow", "repeat", "t", "clone", "add", "add_", "sub", "sub_", "mul",
    "mul_", "div", "div_", "neg", "flip", "roll", "to", "float", "double", "half", "type_as", "detach",
    "__getitem__", "swapaxes", "movedim", "unflatten",
)


def _builtin_rules() -> dict:
    rules: dict = {}
    for cls in (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d):
        rules[cls] = _conv_rule
    rules[F.conv1d] = rules[F.conv2d] = rules[F.conv3d] = _functional_conv_rule(False)
    rules[F.conv_transpose1d] = rules[F.conv_transpose2d] = rules[F.conv_transpose3d] = _functional_conv_rule(True)
    rules[nn.Linear] = _linear_rule
    rules[nn.Bilinear] = _bilinear_rule
    rules[F.linear] = _functional_linear_rule
    for f in (torch.matmul, operator.matmul, torch.mm, torch.bmm, "matmul", "mm", "bmm", "__matmul__"):
        rules[f] = _matmul_rule
    for cls in (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d,
                nn.LPPool1d, nn.LPPool2d):
        rules[cls] = _pool_rule
    for f in (F.max_pool1d, F.max_pool2d, F.max_pool3d, F.avg_pool1d, F.avg_pool2d, F.avg_pool3d,
              torch.max_pool1d, torch.max_pool2d, torch.avg_pool1d, torch._C._nn.avg_pool2d,
              torch._C._nn.avg_pool3d):
        rules[f] = _functional_pool_rule
    for cls in (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d, nn.AdaptiveMaxPool1d,
                nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d):
        rules[cls] = _adaptive_rule
    for f in (F.adaptive_avg_pool1d, F.adaptive_avg_pool2d, F.adaptive_avg_pool3d, F.adaptive_max_pool1d,
              F.adaptive_max_pool2d, F.adaptive_max_pool3d, torch.adaptive_avg_pool1d):
        rules[f] = _adaptive_rule
    for f in (torch.mean, torch.amax, torch.sum, torch.amin, "mean", "amax", "sum", "amin"):
        rules[f] = _reduction_rule
    for fam, keys in ACTIVATION_FAMILIES.items():
        for k in keys:
            rules[k] = _activation_rule(fam)
    rules[nn.MultiheadAttention] = _mha_rule
    for k in _NEUTRAL_MODULES + _NEUTRAL_FUNCTIONS + _NEUTRAL_METHODS:
        rules[k] = "neutral"
    try:  # torchvision's fx-wrapped helpers appear as functions in traced graphs
        from torchvision.models import swin_transformer as _swin
        from torchvision.ops import StochasticDepth, stochastic_depth

        rules[_swin.shifted_window_attention] = _window_attention_rule
        rules[_swin.__dict__["_patch_merging_pad"]] = "neutral"
        rules[stochastic_depth] = "neutral"
        rules[StochasticDepth] = "neutral"
    except (ImportError, KeyError):  # pragma: no cover - torchvision is a dependency
        pass
    rules.update({cls: _fused_qkv_attention_rule for cls in BUILTIN_LEAF_MODULES})
    return rules


def _builtin_leaf_modules() -> tuple:
    try:
        from torchvision.models.maxvit import RelativePositionalMultiHeadAttention
    except ImportError:  # pragma: no cover - torchvision is a dependency
        return ()
    return (RelativePositionalMultiHeadAttention,)


BUILTIN_LEAF_MODULES: tuple = _builtin_leaf_modules()
"""Module classes outside ``torch.nn`` that the built-in table measures whole (kept opaque while tracing)."""


_BUILTIN = RuleTable(_builtin_rules())


def layer_algebra_rules() -> RuleTable:
    """A fresh, user-extensible copy of the built-in rule table (see the module docstring)."""
    return _BUILTIN.copy()


def with_options(options: LayerAlgebraOptions | None = None, **changes) -> LayerAlgebraOptions:
    """``options`` (default: the defaults) with some fields changed."""
    base = options if options is not None else LayerAlgebraOptions()
    return replace(base, **changes) if changes else base
