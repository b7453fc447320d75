"""Dichotomies: labellings of a fixed input set as one layer's weights sweep a great circle.

Raghu, Poole, Kleinberg, Ganguli & Sohl-Dickstein (2017), §3 "Dichotomies" and
Appendix (Figs. 7, 8 and the remaining-depth figure): instead of sweeping the
input along a trajectory, sweep the weights of one layer along the great circle

    W(t) = cos(t) W0 + sin(t) W1,   t in [0, 2 pi),

where ``W1`` is an independent draw from the distribution of ``W0`` (so
``W(t)`` has that distribution for every ``t``), keep every other weight and the
``n`` inputs fixed, and count the distinct labellings ("dichotomies") of the
inputs by the sign of the output.  For random networks sweeping the first layer
is statistically like sweeping the input (the paper's "statistical duality"),
so the count grows exponentially with the *remaining depth* above the swept
layer and slowly with width.  The maximum is ``2^n``.

The sweep is sampled at ``n_steps`` values of ``t``; the count is therefore a
lower bound that stops growing once the sampling is fine enough (checked in the
tests against a 4x finer sweep).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import torch

from workbench._runtime import DeviceLike, SeedLike, generator, resolve_device
from workbench.limits import check_bytes
from workbench.measures.paths.exact import count_unique_rows, pattern_keys
from workbench.nets.ensemble import is_ensemble
from workbench.nets.piecewise import (
    Activation,
    Affine,
    State,
    activation_state,
    compile_network,
    piece_index,
    propagate,
)
from workbench.validation import as_tensor, check_finite, check_int, check_net, check_seed

__all__ = ["Dichotomies", "weight_sweep_labels", "count_dichotomies"]


@dataclass(frozen=True)
class Dichotomies:
    """Result of one weight sweep.

    ``n_dichotomies``: distinct labellings of the inputs met along the sweep;
    ``n_label_flips``: label changes between consecutive sweep steps, summed
    over the inputs; ``n_transitions``: hidden-neuron transitions (pieces
    changed between consecutive steps, summed over inputs and neurons, the
    sampled count of Raghu et al. Definition 1); ``layer`` (0-based index of the
    swept linear map; ``n_hidden`` is the output layer), ``remaining_depth``
    (``n_hidden - layer``: hidden layers from the swept one upwards),
    ``n_inputs``, ``n_steps``; ``labels``: ``(n_steps, n_inputs)`` bool.
    """

    n_dichotomies: int
    n_label_flips: int
    n_transitions: int
    layer: int
    remaining_depth: int
    n_inputs: int
    n_steps: int
    labels: torch.Tensor

    def to_frame(self) -> pd.DataFrame:
        """One row (the sweep): ``layer, remaining_depth, n_inputs, n_steps, n_dichotomies, n_label_flips,
        n_transitions`` (the ``labels`` array stays on the object)."""
        keys = ("layer", "remaining_depth", "n_inputs", "n_steps", "n_dichotomies", "n_label_flips",
                "n_transitions")
        return pd.DataFrame([{k: int(getattr(self, k)) for k in keys}])


def _compile(net, dev):
    """Compile ``net`` in its own dtype (forward passes with smooth activations allowed)."""
    if is_ensemble(net):
        raise TypeError("dichotomies take one network; sweep the members of an ensemble one by one")
    params = list(net.parameters())
    dtype = params[0].dtype if params else torch.get_default_dtype()
    cn = compile_network(net, device=dev, dtype=dtype, allow_smooth=True)
    return cn.require_hidden_layers(getattr(net, "widths", None))


def _weight_ops(cn) -> list[int]:
    """Indices of the operations that have a weight to sweep (Linear, Conv2d), in order."""
    return [j for j, op in enumerate(cn.ops) if isinstance(op, Affine) and op.kind in ("linear", "conv2d")]


def _check_layer(cn, layer: int) -> int:
    if isinstance(layer, bool) or not isinstance(layer, int):
        raise TypeError(f"layer must be an int, got {layer!r}")
    L = len(_weight_ops(cn)) - 1
    if layer < 0:
        layer += L + 1
    if not 0 <= layer <= L:
        raise ValueError(
            f"layer {layer} does not exist: this network has linear maps 0..{L} "
            f"(0 = first hidden layer, {L} = output layer)"
        )
    return layer


def _remaining_depth(cn, layer: int) -> int:
    j = _weight_ops(cn)[layer]
    return sum(isinstance(op, Activation) for op in cn.ops[j + 1:])


def _check_points(cn, X: torch.Tensor) -> None:
    if cn.in_shape is not None:
        want = f"(n >= 1, {', '.join(map(str, cn.in_shape))})"
        ok = X.dim() == 1 + len(cn.in_shape) and tuple(X.shape[1:]) == tuple(cn.in_shape)
    else:
        want = f"(n >= 1, {cn.in_ndim}-D input)"
        ok = cn.in_ndim is None or X.dim() == 1 + cn.in_ndim
    if not ok or X.shape[0] < 1:
        raise ValueError(f"X must have shape {want}, got {tuple(X.shape)}")


@torch.no_grad()
def _sweep_forward(cn, X: torch.Tensor, layer: int, W1, t: torch.Tensor):
    """Outputs ``(T, n, out)``, hidden pre-activations (list of ``(T, n, N)``) and their activations."""
    j = _weight_ops(cn)[layer]
    op = cn.ops[j]
    T, n = len(t), X.shape[0]
    pre, acts = [], []
    n_below = sum(isinstance(o, Activation) for o in cn.ops[:j])

    def record(k, act, G, z0, group):
        """Keep the pre-activations as ``(T, n, N)`` (constant in t below the swept layer)."""
        pre.append(z0.expand(T, *z0.shape) if len(pre) < n_below else z0.reshape(T, n, z0.shape[-1]))
        acts.append(act)
        return (piece_index(z0, act) if act.piecewise_linear and act.fn is None else None), None

    below = propagate(cn.ops[:j], None, X, on_activation=record)
    h = below.c
    c, s = torch.cos(t), torch.sin(t)
    W0 = op.weight
    if op.kind == "linear":
        Wt = c[:, None, None] * W0 + s[:, None, None] * W1  # (T, out, in)
        z = torch.einsum("ni,toi->tno", h, Wt)
        if op.bias is not None:
            z = z + op.bias
    else:  # the sweep is linear in the weight: z(t) = cos t (W0 * h) + sin t (W1 * h) + b
        y0, y1 = op.lin(h), op.lin(h, W1)
        shape = (T,) + (1,) * y0.dim()
        z = op.add_bias((c.view(shape) * y0 + s.view(shape) * y1).reshape(T * n, *y0.shape[1:]))
    z = z.reshape(T * n, *z.shape[2:]) if op.kind == "linear" else z

    def tile(pair):
        return None if pair is None else tuple(None if x is None else x.repeat(T, *([1] * (x.dim() - 1)))
                                               for x in pair)

    start = State(None, z, tile(below.saved), tile((None, X)), None, below.k, j + 1)  # inp: add-inputs
    out = propagate(cn.ops, None, None, start=start, on_activation=record).c
    return out.reshape(T, n, -1), pre, acts


def weight_sweep_labels(net, X: torch.Tensor, layer: int = 0, *, n_steps: int = 2000, seed: SeedLike = 0,
                        W1: torch.Tensor | None = None, device: DeviceLike = None):
    """Labels of ``X`` at ``n_steps`` points of the great circle ``cos t W0 + sin t W1`` of one layer.

    Parameters
    ----------
    net
        A :class:`workbench.MLP` (any activation, shortcuts allowed) or any
        network the piecewise-linear core compiles (``nn.Sequential`` with
        Linear / Conv2d / batch norm / average pooling; smooth elementwise
        activations are allowed here, the sweep is a forward pass).
    X
        Fixed inputs ``(n, *input_shape)``.
    layer
        Which weight layer (Linear or Conv2d, in order) to sweep: 0 = the first,
        the last is the output layer (``net.n_hidden`` for an MLP; negative
        indices count from the end).
    n_steps
        Sweep samples, ``t = 2 pi k / n_steps``.
    seed, W1
        ``W1`` (same shape as the layer's weight) or, when ``None``, drawn as
        i.i.d. Gaussian entries with the root-mean-square of ``W0``'s entries
        (for Gaussian-initialised networks: the same distribution as ``W0``).

    Returns
    -------
    ``(labels, preacts)``: ``labels`` ``(n_steps, n)`` (bool, output > 0, or the
    argmax class for several outputs) and the hidden pre-activations along the
    sweep (list of ``(n_steps, n, width)``).
    """
    labels, pre, _ = _sweep(net, X, layer, n_steps=n_steps, seed=seed, W1=W1, device=device)
    return labels, pre


def _sweep(net, X, layer, *, n_steps, seed, W1, device):
    dev = resolve_device(device)
    if not is_ensemble(net):
        check_net(net)
    cn = _compile(net, dev)
    layer = _check_layer(cn, layer)
    if check_int("n_steps", n_steps) < 3:
        raise ValueError(f"a great-circle sweep needs at least 3 steps, got n_steps={n_steps!r}")
    check_seed(seed)
    W0 = cn.ops[_weight_ops(cn)[layer]].weight
    X = as_tensor(X, "X", dtype=None if isinstance(X, torch.Tensor) else W0.dtype)
    _check_points(cn, X)
    check_finite(X, "X")
    if W1 is None:
        m = W0.abs().max().clamp_min(torch.finfo(W0.dtype).tiny)  # scaled: W0**2 of weights 1e200 overflows
        rms = m * (W0 / m).pow(2).mean().sqrt()
        W1 = torch.randn(W0.shape, generator=generator(seed)).to(dev, W0.dtype) * rms
    else:
        W1 = as_tensor(W1, "W1", dtype=W0.dtype).to(dev)
        if W1.shape != W0.shape:
            raise ValueError(f"W1 must have the layer's weight shape {tuple(W0.shape)}, got {tuple(W1.shape)}")
        check_finite(W1, "W1", rows=False)
    # one step measures the sweep's memory per step: the swept weight, the pre-activations, the outputs
    o1, p1, _ = _sweep_forward(cn, X.to(dev, W0.dtype), layer, W1, torch.zeros(1, device=dev, dtype=W0.dtype))
    per_step = (W0.numel() + o1.numel() + 3 * sum(p.numel() for p in p1)) * W0.element_size()
    check_bytes(n_steps * per_step,
                f"the weight sweep of {n_steps:,} steps over {X.shape[0]:,} inputs "
                f"({per_step / 2**20:,.2f} MiB per step)",
                "pass a smaller n_steps (or fewer inputs / a smaller network)", device=dev)
    t = torch.arange(n_steps, device=dev, dtype=W0.dtype) * (2 * math.pi / n_steps)
    out, pre, acts = _sweep_forward(cn, X.to(dev, W0.dtype), layer, W1, t)
    if not (bool(torch.isfinite(out).all()) and all(bool(torch.isfinite(z).all()) for z in pre)):
        raise FloatingPointError(
            f"the network overflows to inf / NaN along the sweep of layer {layer} ({W0.dtype}); the labels would "
            "be meaningless. Use smaller weights (or W1) or inputs X, or float64."
        )
    labels = out[..., 0] > 0 if out.shape[-1] == 1 else out.argmax(-1)
    return labels, pre, (cn, layer, acts)


def count_dichotomies(net, X: torch.Tensor, layer: int = 0, *, n_steps: int = 2000, seed: SeedLike = 0,
                W1: torch.Tensor | None = None, device: DeviceLike = None) -> Dichotomies:
    """Count the distinct labellings of ``X`` as layer ``layer`` sweeps a great circle.

    Raghu et al. (2017), dichotomies (Figs. 7-8, remaining depth). See
    :func:`weight_sweep_labels` for the parameters.  Counts are over the sampled
    sweep (lower bounds that converge as ``n_steps`` grows).
    """
    labels, pre, (cn, layer, acts) = _sweep(net, X, layer, n_steps=n_steps, seed=seed, W1=W1, device=device)
    X = as_tensor(X, "X")
    lab = labels.to(torch.int64)
    flips = int((lab - lab.roll(1, 0)).ne(0).sum())
    n_dich = count_unique_rows(pattern_keys(lab))
    trans = 0
    for z, act in zip(pre, acts):
        s = activation_state(z, act).to(torch.int16)
        trans += int((s - s.roll(1, 0)).abs().sum())
    return Dichotomies(
        n_dichotomies=n_dich, n_label_flips=flips, n_transitions=trans, layer=layer,
        remaining_depth=_remaining_depth(cn, layer), n_inputs=int(X.shape[0]), n_steps=n_steps, labels=labels.cpu(),
    )
