"""Small networks the atlas compares (issue 30): a dense ResNet-style block stack and a small conv stack.

Both are built from a width, a depth and an activation name of :data:`workbench.nets.ACTIVATIONS`, with
PyTorch's default initialisation drawn from ``seed`` (:func:`workbench.nets.feedforward.seeded_init`: the same
network on every device).

* :func:`residual_mlp`: ``Linear(n_in, width)``, then ``depth`` blocks ``h + W2 act(W1 h)`` (He et al. 2016's
  residual unit, dense and without normalisation), then ``Linear(width, n_out)``. The blocks are modules with a
  merge, so ``torch.fx`` (the layer algebra) sees the addition; the piecewise-linear core
  (:func:`workbench.nets.piecewise.compile_network`) takes ``workbench.mlp`` shortcuts and ``nn.Sequential``
  stacks only, so the exact measures refuse this network and say so.
* :func:`conv_stack`: ``depth`` size-preserving 3x3 convolutions of ``width`` channels on ``1 x 8 x 8`` digits,
  each followed by the activation, a 2x2 average pooling after the first two, then a linear classifier: an
  ``nn.Sequential`` the exact core compiles (average pooling, not max pooling).
"""
from __future__ import annotations

import torch
from torch import nn

from workbench._runtime import SeedLike
from workbench.nets.feedforward import seeded_init
from workbench.nets.multilayer import ACTIVATIONS
from workbench.validation import check_choice, check_int

__all__ = ["ResidualBlock", "residual_mlp", "conv_stack"]


class ResidualBlock(nn.Module):
    """``h + W2 act(W1 h + b1) + b2``: a dense residual unit of constant width."""

    def __init__(self, width: int, activation: str):
        super().__init__()
        self.fc1 = nn.Linear(width, width)
        self.act = ACTIVATIONS[activation]()
        self.fc2 = nn.Linear(width, width)

    def forward(self, h: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return h + self.fc2(self.act(self.fc1(h)))


def residual_mlp(n_in: int, width: int, depth: int, n_out: int, activation: str = "relu", *,
                 seed: SeedLike = 0) -> nn.Sequential:
    """``Linear(n_in, width)``, ``depth`` :class:`ResidualBlock` s, ``Linear(width, n_out)`` (a ResNet-style stack).

    ``depth`` counts blocks (two linear maps and one activation each); ``depth = 0`` is two linear maps.
    """
    width, depth = check_int("width", width, min=1), check_int("depth", depth, min=0)
    check_choice("activation", activation, sorted(ACTIVATIONS))
    n_in, n_out = check_int("n_in", n_in, min=1), check_int("n_out", n_out, min=1)
    net = nn.Sequential(nn.Linear(n_in, width), *[ResidualBlock(width, activation) for _ in range(depth)],
                        nn.Linear(width, n_out))
    with torch.no_grad():
        return seeded_init(net, seed=seed)


def conv_stack(width: int = 4, depth: int = 2, activation: str = "relu", *, in_shape=(1, 8, 8), n_out: int = 10,
               seed: SeedLike = 0) -> nn.Sequential:
    """``depth`` 3x3 convolutions of ``width`` channels (each followed by the activation; 2x2 average pooling
    after the first two), flatten, ``Linear(..., n_out)``. Default input: the 1 x 8 x 8 digits."""
    width, depth = check_int("width", width, min=1), check_int("depth", depth, min=1)
    check_choice("activation", activation, sorted(ACTIVATIONS))
    c, h, w = (int(v) for v in in_shape)
    layers: list[nn.Module] = []
    for i in range(depth):
        layers += [nn.Conv2d(c if i == 0 else width, width, 3, padding=1), ACTIVATIONS[activation]()]
        if i < 2 and h >= 2 and w >= 2:
            layers.append(nn.AvgPool2d(2))
            h, w = h // 2, w // 2
    net = nn.Sequential(*layers, nn.Flatten(), nn.Linear(width * h * w, n_out))
    with torch.no_grad():
        return seeded_init(net, seed=seed)
