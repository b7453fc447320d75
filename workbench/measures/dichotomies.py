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

import torch

from .._runtime import DeviceLike, SeedLike, generator, resolve_device
from .paths import _arch, activation_states, _pattern_keys, _count_unique_rows

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


def _check_layer(base, layer: int) -> int:
    if isinstance(layer, bool) or not isinstance(layer, int):
        raise TypeError(f"layer must be an int, got {layer!r}")
    L = base.n_hidden
    if layer < 0:
        layer += L + 1
    if not 0 <= layer <= L:
        raise ValueError(
            f"layer {layer} does not exist: this network has linear maps 0..{L} "
            f"(0 = first hidden layer, {L} = output layer)"
        )
    return layer


@torch.no_grad()
def _sweep_forward(net, X: torch.Tensor, layer: int, W0, W1, b, t: torch.Tensor):
    """Outputs and hidden pre-activations for every t: ``(T, n, out)`` and list of ``(T, n, w)``."""
    h = X
    pre = []
    for l in range(layer):
        z, h = net.hidden_step(l, h, X)
        pre.append(z.expand(len(t), *z.shape))
    c, s = torch.cos(t)[:, None, None], torch.sin(t)[:, None, None]
    Wt = c * W0 + s * W1  # (T, out, in)
    z = torch.einsum("ni,toi->tno", h, Wt)
    if b is not None:
        z = z + b
    if layer == net.n_hidden:
        return z, pre
    from ..nets.mlp import _match_width

    hn = net.act(z)
    src = net.shortcut_source(layer, h, X)
    if src is not None:
        hn = hn + _match_width(src, z.shape[-1])
    pre.append(z)
    h = hn
    Xb = X.expand(len(t), *X.shape)
    for l in range(layer + 1, net.n_hidden):
        z, h = net.hidden_step(l, h, Xb)
        pre.append(z)
    return net.layers[-1](h), pre


def weight_sweep_labels(net, X: torch.Tensor, layer: int = 0, *, n_steps: int = 2000, seed: SeedLike = 0,
                        W1: torch.Tensor | None = None, device: DeviceLike = None):
    """Labels of ``X`` at ``n_steps`` points of the great circle ``cos t W0 + sin t W1`` of one layer.

    Parameters
    ----------
    net
        A :class:`workbench.MLP` (any activation, shortcuts allowed).
    X
        Fixed inputs ``(n, d_in)``.
    layer
        Which linear map to sweep: 0 = first hidden layer, ``net.n_hidden`` =
        output layer (negative indices count from the end).
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
    base = _arch(net)
    layer = _check_layer(base, layer)
    if isinstance(n_steps, bool) or not isinstance(n_steps, int) or n_steps < 3:
        raise ValueError(f"a great-circle sweep needs at least 3 steps, got n_steps={n_steps!r}")
    if X.dim() != 2 or X.shape[1] != base.widths[0] or X.shape[0] < 1:
        raise ValueError(f"X must have shape (n >= 1, {base.widths[0]}), got {tuple(X.shape)}")
    dev = resolve_device(device)
    net = net.to(dev)
    lin = net.layers[layer]
    W0 = lin.weight.detach()
    if W1 is None:
        rms = W0.pow(2).mean().sqrt()
        W1 = torch.randn(W0.shape, generator=generator(seed)).to(dev, W0.dtype) * rms
    else:
        W1 = torch.as_tensor(W1).to(dev, W0.dtype)
        if W1.shape != W0.shape:
            raise ValueError(f"W1 must have the layer's weight shape {tuple(W0.shape)}, got {tuple(W1.shape)}")
    t = torch.arange(n_steps, device=dev, dtype=W0.dtype) * (2 * math.pi / n_steps)
    out, pre = _sweep_forward(net, X.to(dev, W0.dtype), layer, W0, W1, None if lin.bias is None else lin.bias.detach(), t)
    labels = out[..., 0] > 0 if out.shape[-1] == 1 else out.argmax(-1)
    return labels, pre


def count_dichotomies(net, X: torch.Tensor, layer: int = 0, *, n_steps: int = 2000, seed: SeedLike = 0,
                W1: torch.Tensor | None = None, device: DeviceLike = None) -> Dichotomies:
    """Count the distinct labellings of ``X`` as layer ``layer`` sweeps a great circle.

    Raghu et al. (2017), dichotomies (Figs. 7-8, remaining depth). See
    :func:`weight_sweep_labels` for the parameters.  Counts are over the sampled
    sweep (lower bounds that converge as ``n_steps`` grows).
    """
    base = _arch(net)
    layer = _check_layer(base, layer)
    labels, pre = weight_sweep_labels(net, X, layer, n_steps=n_steps, seed=seed, W1=W1, device=device)
    lab = labels.to(torch.int64)
    flips = int((lab - lab.roll(1, 0)).ne(0).sum())
    n_dich = _count_unique_rows(_pattern_keys(lab))
    trans = 0
    for st in activation_states(net, pre):
        s = st.to(torch.int16)
        trans += int((s - s.roll(1, 0)).abs().sum())
    return Dichotomies(
        n_dichotomies=n_dich, n_label_flips=flips, n_transitions=trans, layer=layer,
        remaining_depth=base.n_hidden - layer, n_inputs=int(X.shape[0]), n_steps=n_steps, labels=labels.cpu(),
    )
