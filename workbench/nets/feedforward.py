"""Feed-forward and small convolutional classifiers as plain ``nn.Sequential`` stacks.

The networks of Wang et al. (2016): fully connected ReLU stacks ("feed-forward
3 * 2k" is three hidden layers of 2,000 units) with optional dropout, small
convolutional nets (3x3 convolutions, 2x2 max or average pooling, dense layers
on top), linear bottleneck layers (the students of §4.3), and the averaged
ensemble of §4.5.  Everything is an ``nn.Sequential`` of standard layers, so
the exact local-map engines (:func:`workbench.edjm`, :func:`workbench.partition_2d`
for 2-D dense stacks) read them directly.  Weights are drawn on the CPU from one
seeded generator (PyTorch's default uniform scheme, seeded), the same numbers on
every device.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from workbench._runtime import SeedLike, generator
from workbench.nets.multilayer import check_parameter_bytes
from workbench.validation import check_choice, check_int, check_probability, renamed_keywords

__all__ = ["dense_net", "conv_net", "Averaged", "hidden_units", "count_parameters", "seeded_init"]

_ACTS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "leaky_relu": nn.LeakyReLU,
         "softplus": nn.Softplus}
_POOLS = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}


@torch.no_grad()
def seeded_init(net: nn.Module, *, seed: SeedLike = 0) -> nn.Module:
    """Re-draw every Linear / Conv weight and bias as PyTorch's default ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

    Drawn on the CPU from one generator in module order, so a seed gives the same
    network on every device.  Other parameters are left as they are.
    """
    g = generator(seed)
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d)):
            fan_in = m.weight[0].numel()
            bound = 1.0 / math.sqrt(fan_in)
            m.weight.copy_(torch.empty(m.weight.shape).uniform_(-bound, bound, generator=g))
            if m.bias is not None:
                m.bias.copy_(torch.empty(m.bias.shape).uniform_(-bound, bound, generator=g))
    return net


def dense_net(n_in: int, hidden: Sequence[int], n_out: int, *, activation: str = "relu", dropout: float = 0.0,
              bottleneck: int | None = None, seed: SeedLike = 0) -> nn.Sequential:
    """A fully connected classifier ``n_in -> hidden[0] -> ... -> n_out``.

    ``dropout`` is applied after every hidden activation (Wang et al. 2016 §4.4);
    ``bottleneck`` inserts a linear layer of that width (no activation) right
    after the input, the "1200 linear layer" of the §4.3 students (Ba & Caruana
    2014).  Inputs of any shape are flattened first.
    """
    n_in, n_out = check_int("n_in", n_in, min=1), check_int("n_out", n_out, min=1)
    hidden = [check_int(f"hidden[{i}]", h, min=1) for i, h in enumerate(hidden)]
    act = _ACTS[check_choice("activation", activation, sorted(_ACTS))]
    p = check_probability("dropout", dropout, allow_one=False)
    if bottleneck is not None:
        bottleneck = check_int("bottleneck", bottleneck, min=1)
    check_parameter_bytes([n_in] + ([bottleneck] if bottleneck is not None else []) + hidden + [n_out])
    layers: list[nn.Module] = [nn.Flatten(), *_dense_head(n_in, bottleneck, hidden, act, p, n_out)]
    return seeded_init(nn.Sequential(*layers), seed=seed)


def _dense_head(width: int, bottleneck: int | None, hidden: Sequence[int], act, p: float, n_out: int) -> list:
    """The fully connected part of :func:`dense_net` and :func:`conv_net`: an optional linear
    ``bottleneck``, the ``hidden`` layers (each Linear, activation, dropout ``p`` if > 0), the output."""
    layers: list[nn.Module] = []
    if bottleneck is not None:
        layers.append(nn.Linear(width, bottleneck))
        width = bottleneck
    for h in hidden:
        layers += [nn.Linear(width, h), act()]
        if p > 0:
            layers.append(nn.Dropout(p))
        width = h
    layers.append(nn.Linear(width, n_out))
    return layers


def conv_net(in_shape: Sequence[int], channels: Sequence[int], dense: Sequence[int], n_out: int, *,
             kernel: int = 3, pool: str = "max", pool_after: Sequence[bool] | None = None,
             bottleneck: int | None = None, activation: str = "relu", dropout: float = 0.0,
             seed: SeedLike = 0) -> nn.Sequential:
    """A small convolutional classifier (Wang et al. 2016, Fig. 2 and §4.3).

    ``channels`` lists the filters of each ``kernel x kernel`` convolution (padding
    keeps the size, "we do not lose the boundary region", §4.2), each followed by
    the activation; ``pool_after[i]`` puts a 2x2 ``pool`` ("max" or "avg") after
    convolution ``i`` (default: after every one); then a flatten, an optional
    linear ``bottleneck``, the ``dense`` hidden layers and the output.
    The Fig. 2 net "64 filter 3*3 - 2*2 max pooling - 128 filter 3*3 - 2*2 max
    pooling - 2*1943" is ``conv_net((1, 28, 28), [64, 128], [1943, 1943], 10)``.
    """
    in_shape = [check_int(f"in_shape[{i}]", s, min=1) for i, s in enumerate(in_shape)]
    if len(in_shape) != 3:
        raise ValueError(f"in_shape must be (channels, height, width), got {tuple(in_shape)}")
    channels = [check_int(f"channels[{i}]", c, min=1) for i, c in enumerate(channels)]
    dense = [check_int(f"dense[{i}]", d, min=1) for i, d in enumerate(dense)]
    check_choice("pool", pool, sorted(_POOLS))
    if isinstance(kernel, bool) or not isinstance(kernel, int) or kernel < 1 or kernel % 2 == 0:
        raise ValueError(f"kernel must be a positive odd int (size-preserving padding), got {kernel!r}")
    pool_after = [True] * len(channels) if pool_after is None else [bool(b) for b in pool_after]
    if len(pool_after) != len(channels):
        raise ValueError(f"pool_after has {len(pool_after)} entries but there are {len(channels)} convolutions")
    act = _ACTS[check_choice("activation", activation, sorted(_ACTS))]
    p = check_probability("dropout", dropout, allow_one=False)
    c, h, w = in_shape
    layers: list[nn.Module] = []
    for ch, pl in zip(channels, pool_after):
        layers += [nn.Conv2d(c, ch, kernel, padding=kernel // 2), act()]
        c = ch
        if pl:
            if h < 2 or w < 2:
                raise ValueError(f"too many pooling layers: the feature map is {h}x{w} before a 2x2 pooling")
            layers.append(_POOLS[pool](2))
            h, w = h // 2, w // 2
    layers += [nn.Flatten(), *_dense_head(c * h * w, bottleneck, dense, act, p, n_out)]
    return seeded_init(nn.Sequential(*layers), seed=seed)


class Averaged(nn.Module):
    """The averaged ensemble of Wang et al. (2016) §4.5: the mean of the members' outputs (logits).

    The mean of piecewise-linear maps is piecewise linear, and its Jacobian is
    the mean of the members' Jacobians, so the exact EDJM route applies.
    """

    def __init__(self, members: Sequence[nn.Module]):
        super().__init__()
        members = list(members)
        if not members:
            raise ValueError("Averaged needs at least one member network")
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return torch.stack([m(x) for m in self.members]).mean(0)


_UNIT_ACTS = (nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid, nn.Softplus, nn.Hardtanh, nn.ELU, nn.GELU)


def hidden_units(net: nn.Module, in_shape: Sequence[int]) -> int:
    """The number ``H`` of hidden units: outputs of every activation call on one input of ``in_shape``.

    For ReLU networks at most ``2^H`` distinct data Jacobian matrices exist
    (Wang et al. 2016, §4.1); a convolution layer of 64 filters on a 32x32 map
    contributes 65,536 units (§4.2).
    """
    count = [0]

    def hook(_m, _inp, out):
        count[0] += out[0].numel() if out.dim() > 1 else out.numel()

    handles = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, _UNIT_ACTS)]
    try:
        p = next(net.parameters(), None)
        dt = p.dtype if p is not None else torch.get_default_dtype()
        dev = p.device if p is not None else "cpu"
        was = net.training
        net.eval()
        with torch.no_grad():
            net(torch.zeros((1, *in_shape), dtype=dt, device=dev))
        net.train(was)
    finally:
        for h in handles:
            h.remove()
    return count[0]


@renamed_keywords(model="net")
def count_parameters(net: nn.Module) -> int:
    """Number of trainable parameters (those with ``requires_grad``), the ``P`` of the flat gradient index.

    Public as :func:`workbench.count_parameters` (and ``workbench.measures.count_parameters``).
    """
    if not isinstance(net, nn.Module):
        raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}")
    return int(sum(p.numel() for p in net.parameters() if p.requires_grad))
