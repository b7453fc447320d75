"""The piecewise-linear core's compiler: an ``nn.Module`` turned into a list of operations.

:func:`compile_network` reads a ``workbench.mlp`` (any shortcut variant), an ``nn.Sequential`` of supported
layers (Linear, Conv2d, BatchNorm in eval mode, average pooling, Flatten, Dropout in eval mode and
piecewise-linear activations) or an :class:`~workbench.Ensemble` of them, and returns a
:class:`~workbench.nets.piecewise_ops.CompiledNet`: the affine maps and activation pieces whose composition is the
network as a continuous piecewise-linear function (Raghu et al. 2017; Johansson 2022, ch. 1 eqs. 1.4-1.5).
It refuses, with a message saying what to do, what is not one: smooth activations (unless ``allow_smooth``),
max pooling, batch norm in training mode, non-finite weights.

The operations are defined in :mod:`workbench.nets.piecewise_ops`; the core's entry point
:mod:`workbench.nets.piecewise` re-exports :func:`compile_network`.
"""
from __future__ import annotations

import torch
from torch import nn

from workbench._runtime import DeviceLike, resolve_device
from workbench.nets.multilayer import MLP, Square
from workbench.nets.piecewise_ops import (
    _NOT_ELEMENTWISE,
    _PL_MODULES,
    DTYPE,
    SMOOTH_ACTIVATIONS,
    Activation,
    Affine,
    CompiledNet,
    SaveShortcut,
    pieces_of,
    smooth_error,
)
from workbench.validation import check_net

__all__ = ["compile_network"]


# ---------------------------------------------------------------------------
# The compiler
# ---------------------------------------------------------------------------
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
    check_net(net)  # finite, real, float32/64, not on meta
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
